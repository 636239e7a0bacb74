from django.core.management.base import BaseCommand, CommandError

from innoscheck.budget import budget_check_and_report


class Command(BaseCommand):
    help = "Compare each funding phase's reserved and paid-out totals with the sums over its vouchers."

    def handle(self, *args, **options):
        differences = budget_check_and_report()
        if differences:
            raise CommandError("\n".join(str(difference) for difference in differences))
        self.stdout.write("Every phase's budget totals equal the sums over its vouchers.")
