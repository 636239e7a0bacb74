from django.core.management.base import BaseCommand

from reporting import facts


class Command(BaseCommand):
    help = "Write every support fact of the indicators anew from the source tables (after bulk loads or repairs)."

    def handle(self, *args, **options):
        count = facts.rebuild()
        self.stdout.write(f"{count} support facts written.")
