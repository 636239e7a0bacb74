"""Data protection (GDPR): a person's data export (Art. 15/20) and the erasure of an account (Art. 17).

Erasure anonymises rather than deletes wherever funders must keep a record (voucher decisions and
amounts, audit trails, company history) or figures are counted (people reached counts distinct
e-mail addresses): those rows stay, the person's name, e-mail and phone go. Every e-mail address
becomes a pseudonym that is the same wherever that address occurred, so distinct counts do not
change.

accounts is the lowest app with people in it, so it knows none of the apps that store more about a
person. Each of them registers a ``Part`` here in its ``AppConfig.ready()`` (``<app>/privacy.py``): what
it adds to the export and what it erases. This module does the account itself and runs the parts in
the order the apps are installed.
"""

import io
import json
import re
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.models import Session as HttpSession
from django.core.files.storage import default_storage
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.db.models import Func, Q, QuerySet, Value
from django.utils import timezone
from django.utils.crypto import salted_hmac

from .models import AccountErasure, User

# Stored in place of an erased person's name (data, not interface text: it is not translated).
ERASED_NAME = "[erased]"
PSEUDONYM_DOMAIN = "invalid.example"


def user_pseudonym_email(user) -> str:
    return f"erased-{user.pk}@{PSEUDONYM_DOMAIN}"


def person_pseudonym_email(email: str) -> str:
    """The same pseudonym for an address wherever it occurs (case-insensitive), not reversible without the key."""
    digest = salted_hmac("accounts.privacy.person", email.strip().lower()).hexdigest()[:24]
    return f"erased-{digest}@{PSEUDONYM_DOMAIN}"


def _user_emails(user) -> set[str]:
    emails = {user.email.lower()}
    emails.update(address.lower() for address in EmailAddress.objects.filter(user=user).values_list("email", flat=True))
    return emails


def _full_name(user) -> str:
    return user.get_full_name().strip()


class RegexpReplace(Func):
    """PostgreSQL's ``regexp_replace(text, pattern, replacement, flags)``; on SQLite (``make run``) the
    function ``sqlite_regexp_replace`` below, registered on every SQLite connection."""

    function = "REGEXP_REPLACE"
    output_field = models.TextField()


def sqlite_regexp_replace(text, pattern, replacement, flags=""):
    """REGEXP_REPLACE for SQLite with the flags erasure uses ("g": every match, "i": any case); the
    replacement is literal text, as erasure's are."""
    if text is None:
        return None
    return re.sub(
        pattern,
        lambda match: replacement,
        text,
        count=0 if "g" in flags else 1,
        flags=re.IGNORECASE if "i" in flags else 0,
    )


def add_sqlite_functions(sender, connection, **kwargs) -> None:
    if connection.vendor == "sqlite":
        connection.connection.create_function("REGEXP_REPLACE", 4, sqlite_regexp_replace, deterministic=True)


def _scrub_expression(field: str, replacements: Iterable[tuple[str, str]]):
    expression = models.F(field)
    for literal, replacement in replacements:
        expression = RegexpReplace(expression, Value(re.escape(literal)), Value(replacement), Value("gi"))
    return expression


# --- the registry -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Subject:
    """The person an export or erasure is about, and what every part needs to find their rows."""

    user: User
    emails: frozenset[str]  # every address of the account, lower case
    name: str  # the full name ("" if none)
    company_ids: tuple[int, ...]  # the companies the person is a member of (read before anything is erased)
    # For erasure: (literal, replacement) of the name, addresses and phone, longest first.
    replacements: tuple[tuple[str, str], ...] = ()

    def email_q(self, field: str) -> Q:
        """Rows whose ``field`` is one of the person's addresses (case-insensitive)."""
        query = Q(pk__in=[])
        for email in self.emails:
            query |= Q(**{f"{field}__iexact": email})
        return query

    def scrub(self, queryset: QuerySet, fields: Iterable[str]) -> None:
        """Replace the person's name, e-mail addresses and phone inside free texts of the given rows."""
        if self.replacements:
            queryset.update(**{name: _scrub_expression(name, self.replacements) for name in fields})


@dataclass(frozen=True)
class Export:
    documents: dict[str, object]  # file name in the archive -> JSON-ready document
    files: list[tuple[str, str]] = field(default_factory=list)  # (path in the archive, storage name)


@dataclass(frozen=True)
class Part:
    """One app's share: ``export(subject) -> Export`` and ``erase(subject)`` (inside the erasure's transaction)."""

    name: str
    export: Callable[[Subject], Export]
    erase: Callable[[Subject], None]


_parts: dict[str, Part] = {}


def register(part: Part) -> Part:
    """Add (or replace, by name) an app's part; called from the app's ``AppConfig.ready()``."""
    _parts[part.name] = part
    return part


def parts() -> list[Part]:
    return list(_parts.values())


def _subject(user, *, replacements: Iterable[tuple[str, str]] = ()) -> Subject:
    return Subject(
        user=user,
        emails=frozenset(_user_emails(user)),
        name=_full_name(user),
        company_ids=tuple(user.memberships.values_list("company_id", flat=True)),
        replacements=tuple(replacements),
    )


# --- helpers for the parts ----------------------------------------------------------------------


def row_fields(instance: models.Model, *, exclude: Iterable[str] = ()) -> dict:
    """Every stored column of a row (foreign keys as ids, files as their storage names)."""
    data = {}
    for model_field in instance._meta.concrete_fields:
        if model_field.name in exclude:
            continue
        value = getattr(instance, model_field.attname)
        if isinstance(model_field, models.FileField):
            value = value.name if value else ""
        data[model_field.attname] = value
    return data


def person_name(user) -> str:
    return (user.get_full_name() or user.email) if user else ""


# --- export -------------------------------------------------------------------------------------


def _account(user) -> dict:
    return {
        "id": user.pk,
        "email": user.email,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "phone": user.phone,
        "role": user.role,
        "language": user.language,
        "partner_organisation": user.partner.name if user.partner_id else None,
        "responsible_for": user.responsible_for,
        "is_active": user.is_active,
        "date_joined": user.date_joined,
        "last_login": user.last_login,
        "two_factor_methods": [
            {
                "type": authenticator.type,
                "created_at": authenticator.created_at,
                "last_used_at": authenticator.last_used_at,
            }
            for authenticator in Authenticator.objects.filter(user=user).order_by("pk")
        ],
    }


def personal_data(*, user) -> tuple[dict[str, object], list[tuple[str, str]]]:
    """Everything the portal holds about ``user`` and their companies, as JSON-ready documents per file name.

    Returns the documents and the stored files to add: (path in the archive, storage name).
    """
    subject = _subject(user)
    documents = {
        "account.json": _account(user),
        "email_addresses.json": [
            {"email": address.email, "verified": address.verified, "primary": address.primary}
            for address in EmailAddress.objects.filter(user=user).order_by("pk")
        ],
    }
    stored = []
    for part in parts():
        export = part.export(subject)
        documents.update(export.documents)
        stored += export.files
    return documents, stored


def personal_data_zip(*, user) -> bytes:
    """The export as a ZIP archive of JSON files plus the files of the user's companies' applications."""
    documents, stored = personal_data(user=user)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, document in documents.items():
            archive.writestr(name, json.dumps(document, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2))
        for path, storage_name in stored:
            if default_storage.exists(storage_name):
                with default_storage.open(storage_name, "rb") as source:
                    archive.writestr(path, source.read())
    return buffer.getvalue()


# --- erasure ------------------------------------------------------------------------------------


def _delete_sessions(user) -> None:
    for session in HttpSession.objects.filter(expire_date__gt=timezone.now()).iterator():
        if str(session.get_decoded().get("_auth_user_id")) == str(user.pk):
            session.delete()


@transaction.atomic
def account_erase(*, user) -> AccountErasure:
    """Erase ``user``'s personal data; keep the records and figures funders rely on (see module docstring)."""
    user = User.objects.select_for_update().get(pk=user.pk)
    emails = sorted(_user_emails(user))
    name = _full_name(user)
    # Longest first, so a full name is replaced before any address that contains part of it.
    replacements = sorted(
        [(email, person_pseudonym_email(email)) for email in emails]
        + ([(name, ERASED_NAME)] if len(name) >= 3 else [])
        + ([(user.phone, "")] if len(user.phone) >= 5 else []),
        key=lambda pair: -len(pair[0]),
    )
    subject = _subject(user, replacements=replacements)
    for part in parts():
        part.erase(subject)

    LogEntry.objects.filter(content_type=ContentType.objects.get_for_model(User), object_id=str(user.pk)).update(
        object_repr=user_pseudonym_email(user), change_message=""
    )
    EmailAddress.objects.filter(user=user).delete()
    Authenticator.objects.filter(user=user).delete()
    _delete_sessions(user)

    user.email = user_pseudonym_email(user)
    user.first_name = ""
    user.last_name = ""
    user.phone = ""
    user.is_active = False
    user.set_unusable_password()
    user.full_clean()
    user.save()
    erasure = AccountErasure(user=user)
    erasure.full_clean()
    erasure.save()
    return erasure
