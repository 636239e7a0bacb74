"""Demo users (the partners are programme.demo's). Idempotent: running it again changes nothing."""

from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP

from programme.choices import Region
from programme.models import PartnerOrganisation

from .factories import UserFactory
from .models import Role, User

DEMO_PASSWORD = "Digitale-Fabrik-2026"
# A fixed TOTP secret for the demo's staff, coaches, funder and admin, so a newcomer can add it to an
# authenticator app or print the current code with `python manage.py demo_totp`.
DEMO_TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"

# email, first name, last name, role, partner short name, coach's city
USERS = [
    ("admin@digitale-fabrik.example", "Ada", "Admin", Role.ADMIN, "WF DO", ""),
    ("coach.dortmund@digitale-fabrik.example", "Jana", "Krüger", Role.COACH, "WF DO", Region.DORTMUND),
    ("coach.hagen@digitale-fabrik.example", "Murat", "Yilmaz", Role.COACH, "HAGENagentur", Region.HAGEN),
    ("staff.dortmund@digitale-fabrik.example", "Petra", "Schulte", Role.STAFF, "WF DO", ""),
    ("staff.bochum@digitale-fabrik.example", "Lukas", "Brandt", Role.STAFF, "WEG BO", ""),
    ("staff.hagen@digitale-fabrik.example", "Sabine", "Vogel", Role.STAFF, "HAGENagentur", ""),
    ("funder@bezreg-arnsberg.example", "Thomas", "Richter", Role.FUNDER, None, ""),
]


def ensure_user(*, email: str, role: str, first_name: str = "", last_name: str = "", **extra) -> User:
    """The demo user with this e-mail, made by UserFactory (verified address; TOTP and recovery codes where
    the role needs a second factor) if it does not exist yet."""
    user = User.objects.filter(email=email).first()
    if user is None:
        user = UserFactory(
            email=email,
            role=role,
            first_name=first_name,
            last_name=last_name,
            password=DEMO_PASSWORD,
            totp=False,
            **extra,
        )
    if user.requires_mfa:
        authenticators = set(Authenticator.objects.filter(user=user).values_list("type", flat=True))
        if Authenticator.Type.TOTP not in authenticators:
            TOTP.activate(user, DEMO_TOTP_SECRET)
        if Authenticator.Type.RECOVERY_CODES not in authenticators:
            RecoveryCodes.activate(user)
    return user


def seed() -> None:
    partners = {partner.short_name: partner for partner in PartnerOrganisation.objects.all()}
    for email, first_name, last_name, role, partner, city in USERS:
        ensure_user(
            email=email,
            role=role,
            first_name=first_name,
            last_name=last_name,
            partner=partners.get(partner),
            responsible_for=city,
            is_staff=role == Role.ADMIN,
            is_superuser=role == Role.ADMIN,
        )


def logins() -> list[tuple[str, str]]:
    return [(email, role.label) for email, _first, _last, role, _partner, _city in USERS]
