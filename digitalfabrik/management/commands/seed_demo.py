import factory.random
from django.core import mail
from django.core.management.base import BaseCommand
from django.db import transaction
from django.test.utils import override_settings
from django.utils import translation

from accounts import demo as accounts_demo
from accounts.demo import DEMO_PASSWORD, DEMO_TOTP_SECRET
from coaching import demo as coaching_demo
from companies import demo as companies_demo
from innoscheck import demo_vouchers
from programme import demo as programme_demo
from reporting import demo as reporting_demo

# Each app's demo module has seed() (idempotent) and may have logins(); lower layers first. The project
# package runs them because it may import every app; no app's demo imports a higher one.
DEMO_MODULES = [programme_demo, accounts_demo, companies_demo, coaching_demo, demo_vouchers, reporting_demo]
# The factories draw any value not given from this seed, so the demo is the same on every machine.
DEMO_SEED = 2026


class Command(BaseCommand):
    help = "Load the demo data (partners, phase, users, companies, ...). Running it twice changes nothing."

    def add_arguments(self, parser):
        parser.add_argument("--quiet", action="store_true", help="Do not print the demo logins.")

    def handle(self, *args, quiet=False, **options):
        factory.random.reseed_random(DEMO_SEED)
        # The demo's invitations and notifications go nowhere: on the console they would scroll the
        # log-in list away, and the demo addresses do not exist.
        already = len(getattr(mail, "outbox", []))
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"), transaction.atomic():
            for module in DEMO_MODULES:
                module.seed()
        held_back = len(getattr(mail, "outbox", [])) - already
        if quiet:
            return
        # Printed last and in one language (English, as the README), whatever the portal's default is.
        with translation.override("en"):
            if held_back:
                self.stdout.write(f"{held_back} demo e-mail(s) were not sent.")
            self.stdout.write(self.style.SUCCESS(f"Demo data loaded. Logins (password for all: {DEMO_PASSWORD}):"))
            for module in DEMO_MODULES:
                for email, what in getattr(module, "logins", list)():
                    self.stdout.write(f"  {email:45} {what}")
            self.stdout.write(
                "Staff, coaches, the funder and the admin log in with a second factor: add the TOTP secret "
                f"{DEMO_TOTP_SECRET} to an authenticator app, or run `python manage.py demo_totp` for the current code."
            )
