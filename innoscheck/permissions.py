"""Who may do what with voucher applications. Views call these; nothing else decides."""

from accounts import permissions as roles
from companies.permissions import is_member
from companies.scope import in_scope

from .models import Application, Attachment, AttachmentKind
from .workflow import EDITABLE_BY_COMPANY, RESERVING, Status


def acts_for_company(user, application: Application) -> bool:
    """A member of the applying company: takes the company's steps (submit, resubmit, withdraw, proof)."""
    return roles.is_company_user(user) and is_member(user, application.company)


def can_apply(user) -> bool:
    return roles.is_company_user(user)


def can_list_own_applications(user) -> bool:
    return roles.is_company_user(user)


def can_review(user) -> bool:
    """Programme staff review applications (each one only within their scope: ``reviews``)."""
    return roles.is_programme_staff(user)


def reviews(user, application: Application) -> bool:
    """Staff who look after the company review its submitted applications; drafts stay the company's."""
    return can_review(user) and application.status != Status.DRAFT and in_scope(user, application.company)


def can_manage_experts(user) -> bool:
    return roles.is_programme_staff(user)


def _is_coach_of_linked_case(user, application: Application) -> bool:
    """The coach of the coaching case that led to this application follows it (read-only)."""
    return (
        application.coaching_case_id is not None
        and application.status != Status.DRAFT
        and roles.is_coach(user)
        and application.coaching_case.is_coached_by(user)
    )


def can_view_application(user, application: Application) -> bool:
    return (
        reviews(user, application) or acts_for_company(user, application) or _is_coach_of_linked_case(user, application)
    )


def can_edit_application(user, application: Application) -> bool:
    return acts_for_company(user, application) and application.status in EDITABLE_BY_COMPANY


def can_delete_draft(user, application: Application) -> bool:
    """The company deletes a draft it never submitted (a submitted application is withdrawn instead)."""
    return acts_for_company(user, application) and application.status == Status.DRAFT


def can_view_attachment(user, attachment: Attachment) -> bool:
    application = attachment.application
    return reviews(user, application) or acts_for_company(user, application)


def can_delete_attachment(user, attachment: Attachment) -> bool:
    return can_edit_application(user, attachment.application) and attachment.kind in {
        AttachmentKind.QUOTE,
        AttachmentKind.OTHER,
    }


def can_download_voucher(user, application: Application) -> bool:
    has_voucher = application.status in RESERVING | {Status.PAID}
    return has_voucher and (reviews(user, application) or acts_for_company(user, application))
