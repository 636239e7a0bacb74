"""The API's reads: the apps' own selectors, in the shape the API lists need."""

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from accounts import permissions as roles
from api.models import ApiToken
from coaching import selectors as coaching_selectors
from coaching.models import Case, Event
from innoscheck import permissions as voucher_permissions
from innoscheck import selectors as voucher_selectors
from innoscheck.models import Application, ApplicationEvent
from innoscheck.workflow import Status


def tokens_of(user) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(user=user)


def _with_events(applications: QuerySet[Application]) -> QuerySet[Application]:
    return applications.select_related("company").prefetch_related(
        Prefetch("events", queryset=ApplicationEvent.objects.order_by("at", "pk"))
    )


def applications_visible_to(user) -> QuerySet[Application]:
    """A company's own applications; staff the submitted ones in their scope (the review queue); a coach
    those that came out of their cases (as ``can_view_application`` allows)."""
    if voucher_permissions.can_list_own_applications(user):
        applications = voucher_selectors.applications_of(user)
    elif voucher_permissions.can_review(user):
        applications = voucher_selectors.review_queue(user=user).defer(None)
    elif roles.is_coach(user):
        applications = Application.objects.exclude(status=Status.DRAFT).filter(
            Q(coaching_case__coach=user) | Q(coaching_case__added_coaches=user)
        )
    else:
        return Application.objects.none()
    return _with_events(Application.objects.filter(pk__in=applications.values("pk")))


def cases_visible_to(user) -> QuerySet[Case]:
    """The caseload of the team (with the annotations its filters use); a company's own requests."""
    return coaching_selectors.caseload(user=user).defer(None).select_related("company", "coach")


def upcoming_events() -> QuerySet[Event]:
    return Event.objects.filter(starts_at__gte=timezone.now()).select_related("organiser")
