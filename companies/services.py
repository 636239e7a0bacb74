import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from digitalfabrik.mail import absolute_url, send_templated_mail
from programme import events
from programme.models import PartnerOrganisation
from programme.responsibility import TABLE_CHANGED, partner_for_place

from .models import Company, Handover, Invitation, Membership
from .sme import sme_class

# Colleague invitations: the company's members are told (notifications.table).
events.declare("invitation.send", "invitation.revoke", "invitation.accept")
# A stored profile whose founding date or its confirmation changed (the new-enterprise figures follow).
FOUNDING_CHANGED = "company.founding_change"
events.declare(FOUNDING_CHANGED)

PROFILE_FIELDS = [
    "name",
    "legal_form",
    "street",
    "postcode",
    "city",
    "region",
    "chamber",
    "wz_section",
    "wz_code",
    "founding_date",
    "staff_headcount",
    "annual_turnover",
    "balance_sheet_total",
    "website",
    "contact_name",
    "contact_email",
    "contact_phone",
    "linked_enterprises_included",
]
# The figures the SME class is derived from (companies.sme): written only by _store_profile.
FIGURE_FIELDS = ("staff_headcount", "annual_turnover", "balance_sheet_total")


DUPLICATE_COMPANY = gettext_lazy(
    "A company with this name and postcode is already registered. Ask a colleague "
    "there to invite you, or contact the programme team."
)


def company_duplicate_exists(*, name: str, postcode: str, exclude_pk: int | None = None) -> bool:
    duplicates = Company.objects.annotate(lower_name=Lower("name")).filter(
        lower_name=name.strip().lower(), postcode=postcode
    )
    if exclude_pk:
        duplicates = duplicates.exclude(pk=exclude_pk)
    return duplicates.exists()


def company_profile(company: Company) -> dict:
    """The profile as the keyword arguments of ``company_update`` (to change a few fields of it)."""
    return {field: getattr(company, field) for field in PROFILE_FIELDS} | {
        "founding_date_confirmed": company.founding_date_confirmed
    }


def _store_profile(
    company: Company,
    *,
    by,
    name: str,
    legal_form: str,
    street: str,
    postcode: str,
    city: str,
    region: str,
    chamber: str,
    wz_section: str,
    wz_code: str,
    founding_date: datetime.date,
    staff_headcount: Decimal,
    annual_turnover: Decimal,
    balance_sheet_total: Decimal,
    contact_name: str,
    contact_email: str,
    website: str,
    contact_phone: str,
    linked_enterprises_included: bool,
    founding_date_confirmed: bool,
) -> Company:
    """The one writer of a company's profile: the SME class follows the figures, the responsible
    partner the place (unless handed over), and the history records who changed what."""
    founding_before = (company.founding_date, company.founding_date_confirmed) if company.pk else None
    company.name, company.legal_form = name, legal_form
    company.street, company.postcode, company.city, company.region = street, postcode, city, region
    company.chamber, company.wz_section, company.wz_code = chamber, wz_section, wz_code
    company.founding_date, company.founding_date_confirmed = founding_date, founding_date_confirmed
    company.staff_headcount, company.annual_turnover = staff_headcount, annual_turnover
    company.balance_sheet_total, company.linked_enterprises_included = balance_sheet_total, linked_enterprises_included
    company.contact_name, company.contact_email, company.contact_phone = contact_name, contact_email, contact_phone
    company.website = website
    company.size_class = sme_class(
        headcount=company.staff_headcount,
        turnover=company.annual_turnover,
        balance_sheet_total=company.balance_sheet_total,
    )
    if not company.handed_over:
        company.responsible_partner = partner_for_place(city=company.city, region=company.region)
    company.full_clean()
    company._history_user = by
    company.save()
    founding = (company.founding_date, company.founding_date_confirmed)
    if founding_before is not None and founding_before != founding:
        events.publish(FOUNDING_CHANGED, company=company, before=founding_before, after=founding, by=by)
    return company


@transaction.atomic
def company_create(
    *,
    by,
    name: str,
    legal_form: str,
    street: str,
    postcode: str,
    city: str,
    region: str,
    chamber: str,
    wz_section: str,
    wz_code: str,
    founding_date: datetime.date,
    staff_headcount: Decimal,
    annual_turnover: Decimal,
    balance_sheet_total: Decimal,
    contact_name: str,
    contact_email: str,
    website: str = "",
    contact_phone: str = "",
    linked_enterprises_included: bool = False,
) -> Company:
    """Register a company; the registering user becomes its first member."""
    if company_duplicate_exists(name=name, postcode=postcode):
        raise ValidationError(DUPLICATE_COMPANY)
    # Registered at the same moment from another form: the unique name + postcode decides.
    try:
        with transaction.atomic():
            company = _store_profile(
                Company(),
                by=by,
                name=name,
                legal_form=legal_form,
                street=street,
                postcode=postcode,
                city=city,
                region=region,
                chamber=chamber,
                wz_section=wz_section,
                wz_code=wz_code,
                founding_date=founding_date,
                staff_headcount=staff_headcount,
                annual_turnover=annual_turnover,
                balance_sheet_total=balance_sheet_total,
                contact_name=contact_name,
                contact_email=contact_email,
                website=website,
                contact_phone=contact_phone,
                linked_enterprises_included=linked_enterprises_included,
                founding_date_confirmed=True,
            )
    except IntegrityError:
        raise ValidationError(DUPLICATE_COMPANY) from None
    Membership.objects.create(company=company, user=by)
    return company


@transaction.atomic
def company_update(
    *,
    company: Company,
    by,
    name: str,
    legal_form: str,
    street: str,
    postcode: str,
    city: str,
    region: str,
    chamber: str,
    wz_section: str,
    wz_code: str,
    founding_date: datetime.date,
    staff_headcount: Decimal,
    annual_turnover: Decimal,
    balance_sheet_total: Decimal,
    contact_name: str,
    contact_email: str,
    website: str = "",
    contact_phone: str = "",
    linked_enterprises_included: bool = False,
    founding_date_confirmed: bool = True,
) -> Company:
    """Save the whole profile (the portal's form and the admin both call this).

    Saving the form confirms the founding date (the person saw and sent it); ``company_profile`` passes
    the stored flag along when only other fields change.
    """
    locked = Company.objects.select_for_update().get(pk=company.pk)
    _store_profile(
        locked,
        by=by,
        name=name,
        legal_form=legal_form,
        street=street,
        postcode=postcode,
        city=city,
        region=region,
        chamber=chamber,
        wz_section=wz_section,
        wz_code=wz_code,
        founding_date=founding_date,
        staff_headcount=staff_headcount,
        annual_turnover=annual_turnover,
        balance_sheet_total=balance_sheet_total,
        contact_name=contact_name,
        contact_email=contact_email,
        website=website,
        contact_phone=contact_phone,
        linked_enterprises_included=linked_enterprises_included,
        founding_date_confirmed=founding_date_confirmed,
    )
    company.refresh_from_db()
    return company


def companies_follow_responsibility() -> int:
    """After the responsibility table (or the lead partner) changed: each company not handed over gets
    the partner its place now has. One lookup per place; returns how many companies moved."""
    moved = 0
    own = Company.objects.filter(handed_over=False)
    for city, region in own.values_list("city", "region").distinct().order_by():
        partner = partner_for_place(city=city, region=region)
        at_place = own.filter(city=city, region=region)
        stale = at_place.exclude(responsible_partner=partner) if partner else at_place.exclude(responsible_partner=None)
        moved += stale.update(responsible_partner=partner, updated_at=timezone.now())
    return moved


def on_event(name: str, **payload) -> None:
    """programme.events subscriber: the companies follow a change of the responsibility table."""
    if name == TABLE_CHANGED:
        companies_follow_responsibility()


@transaction.atomic
def company_hand_over(*, company: Company, to_partner: PartnerOrganisation, by, reason: str) -> Handover:
    """Staff hand the company to another partner organisation; a later change of address keeps it there."""
    company = Company.objects.select_for_update().get(pk=company.pk)
    if not reason.strip():
        raise ValidationError(_("Give the reason for the handover."))
    if company.responsible_partner_id == to_partner.pk:
        raise ValidationError(_("The company is already looked after by %(partner)s.") % {"partner": to_partner})
    handover = Handover(
        company=company, from_partner=company.responsible_partner, to_partner=to_partner, by=by, reason=reason.strip()
    )
    handover.full_clean()
    handover.save()
    company.responsible_partner = to_partner
    company.handed_over = True
    company._history_user = by
    company.save(update_fields=["responsible_partner", "handed_over", "updated_at"])
    return handover


def company_add_member(*, company: Company, user) -> Membership:
    membership, _created = Membership.objects.get_or_create(company=company, user=user)
    return membership


@transaction.atomic
def invitation_create(*, company: Company, email: str, by) -> Invitation:
    email = email.strip().lower()
    if company.memberships.filter(user__email__iexact=email).exists():
        raise ValidationError(_("This person is already a member of the company."))
    invitation = Invitation.objects.filter(company=company, email=email, accepted_at__isnull=True).first()
    if invitation is None:
        invitation = Invitation.objects.create(company=company, email=email, invited_by=by)
    events.publish("invitation.send", invitation=invitation, by=by)
    context = {
        "company": company,
        "invited_by": by,
        "accept_url": absolute_url(reverse("companies:invitation_accept", args=[invitation.token])),
        "signup_url": absolute_url(reverse("account_signup")),
    }
    transaction.on_commit(
        lambda: send_templated_mail(
            to=[email], template="companies/email/invitation", context=context, language=by.language
        )
    )
    return invitation


@transaction.atomic
def invitation_revoke(*, invitation: Invitation, by) -> None:
    """Take back an invitation nobody has accepted: its link stops working."""
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.accepted_at is not None:
        raise ValidationError(_("This invitation has already been accepted and can no longer be revoked."))
    events.publish("invitation.revoke", invitation=invitation, by=by)
    invitation.delete()


@transaction.atomic
def invitation_accept(*, invitation: Invitation, user) -> Membership:
    if invitation.accepted_at is not None:
        raise ValidationError(_("This invitation has already been used."))
    if invitation.email.lower() != user.email.lower():
        raise ValidationError(_("This invitation was sent to another e-mail address."))
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    membership = company_add_member(company=invitation.company, user=user)
    events.publish("invitation.accept", invitation=invitation, by=user)
    return membership


def invitations_accept_pending(*, user, email: str) -> list[Membership]:
    """Join every company that invited this (now verified) e-mail address."""
    pending = Invitation.objects.filter(email__iexact=email, accepted_at__isnull=True)
    return [invitation_accept(invitation=invitation, user=user) for invitation in pending]
