"""Who may do what with voucher applications. Views call these; nothing else decides."""

from accounts import permissions as roles
from companies.permissions import is_member

from .models import Application, Attachment, AttachmentKind
from .workflow import EDITABLE_BY_COMPANY, RESERVING, TRANSITIONS, Actor, Status


def _is_own(user, application: Application) -> bool:
    return roles.is_company_user(user) and is_member(user, application.company)


def can_apply(user) -> bool:
    return roles.is_company_user(user)


def can_list_own_applications(user) -> bool:
    return roles.is_company_user(user)


def can_review(user) -> bool:
    return roles.is_programme_staff(user)


def can_manage_experts(user) -> bool:
    return roles.is_programme_staff(user)


def can_view_application(user, application: Application) -> bool:
    return can_review(user) or _is_own(user, application)


def can_edit_application(user, application: Application) -> bool:
    return _is_own(user, application) and application.status in EDITABLE_BY_COMPANY


def can_take_action(user, application: Application, action: str) -> bool:
    """Whether the user's role may take ``action`` on this application at all (the state is checked by services)."""
    transition = TRANSITIONS.get(action)
    if transition is None:
        return False
    if transition.actor == Actor.STAFF:
        return can_review(user)
    if transition.actor == Actor.COMPANY:
        return _is_own(user, application)
    return False


def can_view_attachment(user, attachment: Attachment) -> bool:
    return can_view_application(user, attachment.application)


def can_delete_attachment(user, attachment: Attachment) -> bool:
    return can_edit_application(user, attachment.application) and attachment.kind in {
        AttachmentKind.QUOTE,
        AttachmentKind.OTHER,
    }


def can_download_voucher(user, application: Application) -> bool:
    return can_view_application(user, application) and application.status in RESERVING | {Status.PAID}
