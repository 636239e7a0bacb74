"""What innoscheck shows on other apps' pages (registered with programme.links in InnoscheckConfig.ready())."""

from django.urls import reverse

from programme.links import Link

from .permissions import can_view_application
from .workflow import Status


def applications_of_case(*, obj, user) -> list[Link]:
    """The voucher applications a coaching case led to; drafts stay the company's until submitted."""
    applications = obj.voucher_applications.exclude(status=Status.DRAFT).select_related("company")
    return [
        Link(
            label=str(application),
            status=application.get_status_display(),
            url=reverse("innoscheck:detail", args=[application.pk])
            if can_view_application(user, application)
            else None,
        )
        for application in applications
    ]
