from django.db.models import Count, Q, QuerySet

from accounts import permissions as roles

from .models import Company


def companies_visible_to(user) -> QuerySet[Company]:
    """Company users see their own companies; the programme team sees all."""
    if roles.is_programme_team(user):
        return Company.objects.all()
    if roles.is_company_user(user):
        return Company.objects.filter(memberships__user=user)
    return Company.objects.none()


def company_list(*, user, search: str = "") -> QuerySet[Company]:
    companies = companies_visible_to(user).annotate(member_count=Count("memberships", distinct=True))
    if search:
        companies = companies.filter(Q(name__icontains=search) | Q(city__icontains=search))
    return companies.order_by("name")


def company_history(*, company: Company) -> list[dict]:
    """The profile's changes, newest first: who, when, and which fields changed from what to what."""
    records = list(company.history.select_related("history_user").order_by("-history_date", "-history_id"))
    changes = []
    for record, previous in zip(records, records[1:] + [None], strict=True):
        delta = record.diff_against(previous).changes if previous else []
        changes.append(
            {
                "record": record,
                "created": previous is None,
                "changes": [
                    {
                        "field": Company._meta.get_field(change.field).verbose_name,
                        "old": change.old,
                        "new": change.new,
                    }
                    for change in delta
                ],
            }
        )
    return changes
