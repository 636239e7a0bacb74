"""Who may do what on the coaching side. Pure functions of the user and the object; views call these.

Company members see only their company's cases and never internal notes; coaches see their own cases,
those they are added to and the unassigned queue; staff see the cases of the companies they look after
(companies.scope: their partner's companies, every company for the lead partner and administrators).
"""

from accounts import permissions as roles
from companies.scope import in_scope

from .choices import SessionStatus
from .models import Case, Event, EventRegistration, Project, Session
from .services import session_is_correctable


def _member_company_ids(user) -> set[int]:
    if not hasattr(user, "_coaching_company_ids"):
        user._coaching_company_ids = set(user.memberships.values_list("company_id", flat=True))
    return user._coaching_company_ids


def is_case_coach(user, case: Case) -> bool:
    return roles.is_coach(user) and case.is_coached_by(user)


def _staff_sees(user, case: Case) -> bool:
    return in_scope(user, case.company)


def can_request_coaching(user) -> bool:
    return roles.is_company_user(user)


def can_list_own_requests(user) -> bool:
    return roles.is_company_user(user)


def can_view_queue(user) -> bool:
    return roles.is_programme_team(user)


def can_view_caseload(user) -> bool:
    return roles.is_programme_team(user)


def can_view_case(user, case: Case) -> bool:
    if roles.is_company_user(user):
        return case.company_id in _member_company_ids(user)
    if roles.is_coach(user):
        return case.coach_id is None or is_case_coach(user, case)
    return _staff_sees(user, case)


def can_view_internal_notes(user, case: Case) -> bool:
    return not roles.is_company_user(user) and can_view_case(user, case)


def can_cancel_case(user, case: Case) -> bool:
    return roles.is_company_user(user) and case.company_id in _member_company_ids(user) and case.is_open


def can_assign_case(user, case: Case) -> bool:
    if not case.is_open:
        return False
    if roles.is_coach(user):
        return case.coach_id is None or case.coach_id == user.pk
    return _staff_sees(user, case)


def can_work_on_case(user, case: Case) -> bool:
    """Plan and record sessions, change the status, close: the case's coaches (and administrators)."""
    return case.is_open and (is_case_coach(user, case) or roles.is_admin(user))


def _works_on_planned(user, session: Session) -> bool:
    return session.status == SessionStatus.PLANNED and can_work_on_case(user, session.case)


def can_reschedule_session(user, session: Session) -> bool:
    return _works_on_planned(user, session)


def can_cancel_session(user, session: Session) -> bool:
    return _works_on_planned(user, session)


def can_correct_session(user, session: Session) -> bool:
    """Only the case's coaches, and only within the correction period after the session was recorded."""
    return is_case_coach(user, session.case) and session_is_correctable(session)


def can_download_invitation(user, session: Session) -> bool:
    """The invitation of a planned or cancelled session: everyone who sees the case."""
    return session.status in (SessionStatus.PLANNED, SessionStatus.CANCELLED) and can_view_case(user, session.case)


def can_view_upcoming_sessions(user) -> bool:
    return roles.is_programme_team(user)


def can_list_events(user) -> bool:
    return roles.is_company_user(user) or roles.is_programme_team(user)


def can_manage_events(user) -> bool:
    return roles.is_programme_team(user)


def can_register_for_event(user, event: Event) -> bool:
    """Company members register their people; whether the event is still open is the service's rule."""
    return roles.is_company_user(user) and bool(_member_company_ids(user))


def can_cancel_registration(user, registration: EventRegistration) -> bool:
    """A member of the registered company, until the event begins."""
    return (
        roles.is_company_user(user)
        and registration.company_id in _member_company_ids(user)
        and not registration.event.has_started
    )


def can_list_projects(user) -> bool:
    return roles.is_programme_team(user)


def can_edit_project(user, project: Project) -> bool:
    return roles.is_programme_staff(user) or (roles.is_coach(user) and project.coach_id == user.pk)
