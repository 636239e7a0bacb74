from django.db.models import Count, IntegerField, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from accounts import permissions as roles

from .models import Company, Membership
from .scope import scope_q


def companies_visible_to(user) -> QuerySet[Company]:
    """What ``permissions.can_view_company`` allows, as a queryset."""
    if roles.is_company_user(user):
        return Company.objects.filter(memberships__user=user)
    if roles.is_coach(user):
        return Company.objects.all()
    if roles.is_programme_staff(user):
        return Company.objects.filter(scope_q(user))
    return Company.objects.none()


def company_list(*, user) -> QuerySet[Company]:
    """The companies ``user`` sees with their member counts (the list page filters and paginates them).

    Members are counted per company shown (a subquery), not by joining and grouping every company
    before the page is cut; the name index then serves the order."""
    members = Membership.objects.filter(company=OuterRef("pk")).order_by().values("company").annotate(count=Count("pk"))
    return (
        companies_visible_to(user)
        .annotate(member_count=Coalesce(Subquery(members.values("count"), output_field=IntegerField()), Value(0)))
        .order_by("name")
    )


def _display(field, value):
    """A history value as a person reads it: choice labels, yes/no; numbers stay numbers for localisation."""
    if field.choices:
        return dict(field.flatchoices).get(value, value)
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    return value


def company_history(*, company: Company) -> list[dict]:
    """The profile's changes, newest first: who, when, and which fields changed from what to what.

    The derived SME class is not editable (so simple-history's diff leaves it out) but is part of
    what changed.
    """
    records = list(company.history.select_related("history_user").order_by("-history_date", "-history_id"))
    size_class = Company._meta.get_field("size_class")
    changes = []
    for record, previous in zip(records, records[1:] + [None], strict=True):
        delta = []
        if previous:
            delta = [(Company._meta.get_field(c.field), c.old, c.new) for c in record.diff_against(previous).changes]
            if record.size_class != previous.size_class:
                delta.append((size_class, previous.size_class, record.size_class))
        changes.append(
            {
                "record": record,
                "created": previous is None,
                "changes": [
                    {"field": field.verbose_name, "old": _display(field, old), "new": _display(field, new)}
                    for field, old, new in delta
                ],
            }
        )
    return changes
