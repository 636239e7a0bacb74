from django.core.management.base import BaseCommand

from digitalfabrik.pagecache import data_changed


class Command(BaseCommand):
    help = (
        "Make every cached page, figure and user out of date, after the database was changed "
        "outside Django (a restored dump, psql)."
    )

    def handle(self, *args, **options):
        data_changed()
        self.stdout.write("Cached pages and figures are out of date; the next requests render them afresh.")
