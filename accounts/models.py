from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from programme.choices import Region


class Role(models.TextChoices):
    COMPANY = "company", _("Company member")
    COACH = "coach", _("InnovationCoach")
    STAFF = "staff", _("Programme staff")
    FUNDER = "funder", _("Funder")
    ADMIN = "admin", _("Administrator")


# Roles that must log in with a second factor (TOTP).
ROLES_REQUIRING_MFA = frozenset({Role.COACH, Role.STAFF, Role.FUNDER, Role.ADMIN})


class EmailUserManager(UserManager):
    def _create_user(self, username, email, password, **extra_fields):
        email = self.normalize_email(email)
        user = self.model(email=email, **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email=None, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(None, email, password, **extra_fields)

    def create_superuser(self, email=None, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        extra_fields.setdefault("role", Role.ADMIN)
        return self._create_user(None, email, password, **extra_fields)


class User(AbstractUser):
    username = None
    email = models.EmailField(_("e-mail address"), unique=True)
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.COMPANY)
    partner = models.ForeignKey(
        "programme.PartnerOrganisation",
        verbose_name=_("partner organisation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
        help_text=_("For programme staff and coaches: the organisation they work for."),
    )
    responsible_for = models.CharField(
        _("responsible for city"),
        max_length=20,
        choices=Region.choices,
        blank=True,
        help_text=_("For coaches: the city whose companies are assigned to them by default."),
    )
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    language = models.CharField(_("language"), max_length=5, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    objects = EmailUserManager()

    class Meta:
        ordering = ["last_name", "first_name", "email"]
        constraints = [models.UniqueConstraint(Lower("email"), name="user_email_ci_unique")]
        # The programme's people (coaches, staff, funders) are picked out of 10 k company users
        # on every coach queue and staff page; company users, the bulk, are not indexed here.
        indexes = [models.Index(fields=["role"], condition=~Q(role="company"), name="user_programme_role_idx")]
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self):
        return self.get_full_name() or self.email

    @property
    def requires_mfa(self) -> bool:
        return self.role in ROLES_REQUIRING_MFA or self.is_superuser


class AccountErasure(models.Model):
    """The audit line of an account erasure: which user id, when. Deliberately no personal data."""

    user = models.OneToOneField(User, on_delete=models.PROTECT, related_name="erasure", verbose_name=_("user"))
    erased_at = models.DateTimeField(_("erased at"), auto_now_add=True)

    class Meta:
        ordering = ["-erased_at"]
        verbose_name = _("account erasure")
        verbose_name_plural = _("account erasures")

    def __str__(self):
        return f"user {self.user_id} erased {self.erased_at:%Y-%m-%d %H:%M}"
