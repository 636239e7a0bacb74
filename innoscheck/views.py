import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from companies.selectors import companies_visible_to
from digitalfabrik.paging import paginate
from digitalfabrik.shortcuts import get_permitted_or_404, stored_file_response
from digitalfabrik.uploads import accepts_uploads
from programme.models import FundingPhase
from programme.views import transition_page

from . import permissions, selectors, services, wizard
from .eligibility import check_eligibility
from .filters import ApplicationFilter, ExpertFilter, OwnApplicationFilter
from .forms import (
    ApplicationStartForm,
    ExpertForm,
)
from .models import Application, Attachment, Expert
from .workflow import VOUCHER, Status

# (name, label) of each step, for the pages' step navigation.
STEPS = [(step.name, step.label) for step in wizard.STEPS]


def _application_for(user, pk: int, check) -> Application:
    return get_permitted_or_404(selectors.applications_in_detail(), pk=pk, user=user, check=check)


def _bound(request) -> tuple:
    """(data, files) for a form: bound on POST even when the POST is empty, unbound otherwise."""
    return (request.POST, request.FILES) if request.method == "POST" else (None, None)


@login_required
def application_list(request):
    if not permissions.can_list_own_applications(request.user):
        raise PermissionDenied
    applications = OwnApplicationFilter(request.GET or None, queryset=selectors.applications_of(request.user))
    return render(
        request, "innoscheck/application_list.html", {"filter": applications, **paginate(request, applications.qs)}
    )


@login_required
@require_http_methods(["GET", "POST"])
def application_create(request):
    if not permissions.can_apply(request.user):
        raise PermissionDenied
    companies = companies_visible_to(request.user)
    phase = FundingPhase.objects.running()
    form = ApplicationStartForm(*_bound(request)[:1], companies=companies, initial={"client_token": uuid.uuid4()})
    if request.method == "POST" and phase and form.is_valid():
        application = services.application_create(
            company=form.cleaned_data["company"],
            by=request.user,
            phase=phase,
            client_token=form.cleaned_data["client_token"],
        )
        return redirect("innoscheck:edit", pk=application.pk, step="project")
    return render(
        request,
        "innoscheck/application_create.html",
        {"form": form, "phase": phase, "has_company": companies.exists()},
    )


@accepts_uploads
@login_required
@require_http_methods(["GET", "POST"])
def application_edit(request, pk: int, step: str):
    step = wizard.BY_NAME.get(step)
    if step is None:
        raise Http404
    application = _application_for(request.user, pk, permissions.can_view_application)
    if not permissions.can_edit_application(request.user, application):
        raise PermissionDenied
    forms = step.forms(application, *_bound(request))
    if request.method == "POST" and all(form.is_valid() for form in forms.values()):
        try:
            step.save(application, request.user, forms)
        except ValidationError as error:
            if "form" in forms:
                forms["form"].add_error(None, error)
            else:
                messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, step.saved_message)
            return redirect("innoscheck:edit", pk=pk, step=wizard.next_step(step).name)
    if request.method == "POST":
        # Validating set the forms' values on it: the page shows what is stored, read again.
        application = selectors.applications_in_detail().get(pk=pk)
    return render(
        request,
        step.template,
        {
            "application": application,
            "steps": STEPS,
            "step": step.name,
            "missing": services.application_missing_items(application),
            **forms,
            **step.context(application),
        },
    )


@login_required
def application_detail(request, pk: int):
    application = _application_for(request.user, pk, permissions.can_view_application)
    events = list(application.events.all())
    change_request = events[-1].note if events and application.status == Status.CHANGES_REQUESTED else ""
    decided = application.approved_at or application.decided_at
    decision_date = timezone.localdate(decided) if decided else timezone.localdate()
    eligibility = check_eligibility(application, decision_date=decision_date, amount=application.approved_amount)
    return render(
        request,
        "innoscheck/application_detail.html",
        {
            "application": application,
            "is_staff": permissions.reviews(request.user, application),
            "actions": VOUCHER.available(request.user, application),
            "eligibility": eligibility,
            "deminimis": eligibility.deminimis,
            "events": events,
            "change_request": change_request,
            "can_edit": permissions.can_edit_application(request.user, application),
            "can_delete": permissions.can_delete_draft(request.user, application),
            "can_download": permissions.can_download_voucher(request.user, application) and application.voucher_pdf,
            "documents_pending": permissions.can_download_voucher(request.user, application)
            and application.voucher_number
            and not (application.voucher_pdf and application.certificate_pdf),
            "steps": STEPS,
        },
    )


@accepts_uploads
@login_required
@require_http_methods(["GET", "POST"])
def application_action(request, pk: int, action: str):
    application = _application_for(request.user, pk, permissions.can_view_application)
    return transition_page(
        request,
        workflow=VOUCHER,
        obj=application,
        name=action,
        template="innoscheck/application_action.html",
        back=reverse("innoscheck:detail", args=[pk]),
        context={"application": application},
    )


@login_required
@require_http_methods(["GET", "POST"])
def application_delete(request, pk: int):
    """The company deletes a draft it never submitted, after confirming on this page."""
    application = _application_for(request.user, pk, permissions.can_delete_draft)
    if request.method == "POST":
        services.application_delete_draft(application=application, by=request.user)
        messages.success(
            request,
            _("The draft “%(title)s” has been deleted.") % {"title": application.title or _("(untitled draft)")},
        )
        return redirect("innoscheck:list")
    return render(request, "innoscheck/application_delete.html", {"application": application})


@login_required
def attachment_download(request, pk: int):
    attachment = get_object_or_404(Attachment.objects.select_related("application__company"), pk=pk)
    if not permissions.can_view_attachment(request.user, attachment):
        raise PermissionDenied
    return stored_file_response(
        attachment.file, filename=attachment.original_name, content_type=attachment.content_type
    )


@login_required
@require_POST
def attachment_delete(request, pk: int):
    attachment = get_object_or_404(Attachment.objects.select_related("application__company"), pk=pk)
    if not permissions.can_delete_attachment(request.user, attachment):
        raise PermissionDenied
    services.attachment_delete(attachment=attachment, by=request.user)
    messages.success(request, _("The file “%(name)s” has been removed.") % {"name": attachment.original_name})
    return redirect("innoscheck:edit", pk=attachment.application_id, step="attachments")


@login_required
def voucher_document(request, pk: int, kind: str):
    application = _application_for(request.user, pk, permissions.can_download_voucher)
    field = {"voucher": application.voucher_pdf, "certificate": application.certificate_pdf}.get(kind)
    if field is None:
        raise Http404
    filename = f"{application.voucher_number}-{'Gutschein' if kind == 'voucher' else 'De-minimis'}.pdf"
    return stored_file_response(field, filename=filename, content_type="application/pdf")


@login_required
def review_queue(request):
    if not permissions.can_review(request.user):
        raise PermissionDenied
    applications = ApplicationFilter(request.GET or None, queryset=selectors.review_queue(user=request.user))
    return render(
        request,
        "innoscheck/review_queue.html",
        {"filter": applications, **paginate(request, applications.qs), "today": timezone.now()},
    )


@login_required
def expert_list(request):
    if not permissions.can_manage_experts(request.user):
        raise PermissionDenied
    experts = ExpertFilter(request.GET or None, queryset=Expert.objects.order_by("confirmed", "name"))
    return render(request, "innoscheck/expert_list.html", {"filter": experts, **paginate(request, experts.qs)})


@login_required
@require_http_methods(["GET", "POST"])
def expert_edit(request, pk: int | None = None):
    if not permissions.can_manage_experts(request.user):
        raise PermissionDenied
    expert = get_object_or_404(Expert, pk=pk) if pk else None
    form = ExpertForm(*_bound(request)[:1], instance=expert)
    if request.method == "POST" and form.is_valid():
        services.expert_save(by=request.user, expert=expert, **form.cleaned_data)
        messages.success(
            request, _("%(expert)s has been saved in the expert register.") % {"expert": form.cleaned_data["name"]}
        )
        return redirect("innoscheck:experts")
    return render(request, "innoscheck/expert_form.html", {"form": form, "expert": expert})


@login_required
@require_POST
def expert_confirm(request, pk: int):
    if not permissions.can_manage_experts(request.user):
        raise PermissionDenied
    expert = get_object_or_404(Expert, pk=pk)
    services.expert_confirm(expert=expert, by=request.user)
    messages.success(request, _("%(expert)s is now confirmed in the register.") % {"expert": expert})
    next_url = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return redirect(next_url)
    return redirect("innoscheck:experts")
