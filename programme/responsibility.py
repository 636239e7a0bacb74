"""Which partner organisation is responsible for a place: the one rule, read from the table
administrators edit (programme.models.Responsibility)."""

from django.db.models import Case, IntegerField, Q, Value, When

from . import events
from .models import PartnerOrganisation, Responsibility

# Published when an administrator changes the table or the lead partner: the companies follow.
TABLE_CHANGED = "responsibility.change"
events.declare(TABLE_CHANGED)


def lead_partner() -> PartnerOrganisation | None:
    return PartnerOrganisation.objects.filter(is_lead=True).first()


def partner_for_place(*, city: str, region: str) -> PartnerOrganisation | None:
    """The partner of the table's row for ``city`` (any case), else for ``region``, else the lead partner."""
    city = (city or "").strip()
    rows = Q(region=region, city="") if region else Q(pk__in=[])
    if city:
        rows |= Q(city__iexact=city)
    row = (
        Responsibility.objects.filter(rows)
        .annotate(rank=Case(When(~Q(city=""), then=Value(0)), default=Value(1), output_field=IntegerField()))
        .select_related("partner")
        .order_by("rank")
        .first()
    )
    return row.partner if row else lead_partner()


def table_changed() -> None:
    """Tell the apps that the table or the lead partner changed (inside the admin's transaction)."""
    events.publish(TABLE_CHANGED)
