"""Factories of users per role (tests, demo and benchmarks; see programme/factories.py)."""

import factory
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP
from django.contrib.auth.hashers import identify_hasher

from accounts.models import Role, User
from programme.choices import Region
from programme.factories import PartnerOrganisationFactory

TEST_PASSWORD = "Test-Passwort-2026!"
TEST_TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


def _is_password_hash(value: str) -> bool:
    try:
        identify_hasher(value)
    except ValueError:
        return False
    return True


class UserFactory(factory.django.DjangoModelFactory):
    """A user with a verified e-mail; roles that need two-factor login get TOTP and recovery codes."""

    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.com")
    first_name = factory.Faker("first_name", locale="de_DE")
    last_name = factory.Faker("last_name", locale="de_DE")
    role = Role.COMPANY

    @factory.post_generation
    def password(self, create, extracted, **kwargs):
        """Hash the given (or the test) password; a ready hash is kept, so bulk data hashes only once."""
        if extracted and _is_password_hash(extracted):
            self.password = extracted
        else:
            self.set_password(extracted or TEST_PASSWORD)
        if create:
            self.save(update_fields=["password"])

    @factory.post_generation
    def verified(self, create, extracted, **kwargs):
        if create:
            EmailAddress.objects.create(user=self, email=self.email, verified=extracted is not False, primary=True)

    @factory.post_generation
    def totp(self, create, extracted, **kwargs):
        wanted = self.requires_mfa if extracted is None else extracted
        if create and wanted and not Authenticator.objects.filter(user=self, type=Authenticator.Type.TOTP).exists():
            TOTP.activate(self, TEST_TOTP_SECRET)
            RecoveryCodes.activate(self)


class CoachFactory(UserFactory):
    role = Role.COACH
    partner = factory.SubFactory(PartnerOrganisationFactory)
    responsible_for = Region.DORTMUND


class StaffFactory(UserFactory):
    """Staff of the lead partner (they look after every company); pass ``partner`` for a partner's scope."""

    role = Role.STAFF
    partner = factory.SubFactory(PartnerOrganisationFactory, name="Lead partner", short_name="LEAD", is_lead=True)


class FunderFactory(UserFactory):
    role = Role.FUNDER


class AdminFactory(UserFactory):
    role = Role.ADMIN
    is_staff = True
    is_superuser = True
