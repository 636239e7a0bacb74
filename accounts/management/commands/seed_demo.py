from importlib import import_module

from django.core import mail
from django.core.management.base import BaseCommand
from django.db import transaction
from django.test.utils import override_settings
from django.utils import translation

from accounts.demo import DEMO_PASSWORD, DEMO_TOTP_SECRET

# Each app's demo module has seed() (idempotent) and may have logins(); order matters.
DEMO_MODULES = ["programme.demo", "accounts.demo", "companies.demo"]
OPTIONAL_DEMO_MODULES = ["coaching.demo", "innoscheck.demo_vouchers", "reporting.demo"]


def _modules():
    modules = [import_module(name) for name in DEMO_MODULES]
    for name in OPTIONAL_DEMO_MODULES:
        try:
            modules.append(import_module(name))
        except ModuleNotFoundError as error:
            if error.name != name:
                raise
    return modules


class Command(BaseCommand):
    help = "Load the demo data (partners, phase, users, companies, ...). Running it twice changes nothing."

    def add_arguments(self, parser):
        parser.add_argument("--quiet", action="store_true", help="Do not print the demo logins.")

    def handle(self, *args, quiet=False, **options):
        modules = _modules()
        # The demo's invitations and notifications go nowhere: on the console they would scroll the
        # log-in list away, and the demo addresses do not exist.
        already = len(getattr(mail, "outbox", []))
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"), transaction.atomic():
            for module in modules:
                module.seed()
        held_back = len(getattr(mail, "outbox", [])) - already
        if quiet:
            return
        # Printed last and in one language (English, as the README), whatever the portal's default is.
        with translation.override("en"):
            if held_back:
                self.stdout.write(f"{held_back} demo e-mail(s) were not sent.")
            self.stdout.write(self.style.SUCCESS(f"Demo data loaded. Logins (password for all: {DEMO_PASSWORD}):"))
            for module in modules:
                for email, what in getattr(module, "logins", list)():
                    self.stdout.write(f"  {email:45} {what}")
            self.stdout.write(
                "Staff, coaches, the funder and the admin log in with a second factor: add the TOTP secret "
                f"{DEMO_TOTP_SECRET} to an authenticator app, or run `python manage.py demo_totp` for the current code."
            )
