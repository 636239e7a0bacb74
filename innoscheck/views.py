import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from companies.selectors import companies_visible_to
from digitalfabrik.shortcuts import get_permitted_or_404
from digitalfabrik.uploads import accepts_uploads
from programme.models import FundingPhase

from . import permissions, selectors, services
from .eligibility import check_eligibility
from .filters import ApplicationFilter
from .forms import (
    ACTION_FORMS,
    ApplicationStartForm,
    AttachmentForm,
    DeMinimisAidFormSet,
    ExpertChoiceForm,
    ExpertForm,
    PlannedStepFormSet,
    ProjectForm,
    SmeDeclarationForm,
)
from .models import Application, Attachment, DeMinimisDeclaration, Expert
from .workflow import TRANSITIONS, Actor, Status

STEPS = [
    ("project", gettext_lazy("Project")),
    ("steps", gettext_lazy("Planned steps")),
    ("expert", gettext_lazy("Expert and amount")),
    ("declarations", gettext_lazy("Declarations")),
    ("attachments", gettext_lazy("Attachments")),
    ("review", gettext_lazy("Check and submit")),
]
STEP_NAMES = [name for name, _label in STEPS]
QUEUE_PAGE_SIZE = 25


def _application_for(user, pk: int, check) -> Application:
    return get_permitted_or_404(selectors.applications_in_detail(), pk=pk, user=user, check=check)


def _bound(request) -> tuple:
    """(data, files) for a form: bound on POST even when the POST is empty, unbound otherwise."""
    return (request.POST, request.FILES) if request.method == "POST" else (None, None)


def _next_step(step: str) -> str:
    return STEP_NAMES[min(STEP_NAMES.index(step) + 1, len(STEP_NAMES) - 1)]


@login_required
def application_list(request):
    if not permissions.can_list_own_applications(request.user):
        raise PermissionDenied
    return render(
        request, "innoscheck/application_list.html", {"applications": selectors.applications_of(request.user)}
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


def _save_step(request, application: Application, step: str) -> dict | None:
    """Handle one step of the application form; returns the template context, or None after saving."""
    post = request.POST if request.method == "POST" else None
    by = request.user
    if step == "project":
        form = ProjectForm(post, instance=application)
        if post is not None and form.is_valid():
            services.application_update(application=application, by=by, data=form.cleaned_data)
            return None
        return {"form": form}
    if step == "steps":
        initial = [
            {"description": s.description, "start": s.start, "end": s.end} for s in application.planned_steps.all()
        ]
        formset = PlannedStepFormSet(post, initial=initial, prefix="steps")
        if post is not None and formset.is_valid():
            steps = [f.cleaned_data for f in formset.forms if f.cleaned_data and not f.cleaned_data.get("DELETE")]
            services.application_set_steps(
                application=application,
                by=by,
                steps=[{k: s[k] for k in ("description", "start", "end")} for s in steps],
            )
            return None
        return {"formset": formset}
    if step == "expert":
        form = ExpertChoiceForm(
            post,
            application=application,
            initial={
                "expert": application.expert_id,
                "expert_days": application.expert_days,
                "daily_rate": application.daily_rate,
            },
        )
        if post is not None and form.is_valid():
            data = form.cleaned_data
            proposal = None
            if not data["expert"]:
                proposal = {
                    "name": data["new_expert_name"],
                    "firm": data["new_expert_firm"],
                    "email": data["new_expert_email"],
                    "phone": data["new_expert_phone"],
                }
            services.application_choose_expert(
                application=application,
                by=by,
                expert=data["expert"],
                proposal=proposal,
                days=data["expert_days"],
                daily_rate=data["daily_rate"],
            )
            return None
        return {"form": form}
    if step == "declarations":
        form = SmeDeclarationForm(
            post,
            initial={
                "sme_confirmed": application.sme_confirmed,
                "deminimis_declaration": application.deminimis_declaration,
            },
        )
        initial = [
            {"granted_on": a.granted_on, "grantor": a.grantor, "amount": a.amount}
            for a in application.deminimis_aids.all()
        ]
        formset = DeMinimisAidFormSet(post, initial=initial, prefix="aids")
        if post is not None and form.is_valid() and formset.is_valid():
            aids = [
                {k: f.cleaned_data[k] for k in ("granted_on", "grantor", "amount")}
                for f in formset.forms
                if f.cleaned_data and not f.cleaned_data.get("DELETE")
            ]
            try:
                services.application_update(
                    application=application, by=by, data={"sme_confirmed": form.cleaned_data["sme_confirmed"]}
                )
                if form.cleaned_data["deminimis_declaration"]:
                    services.application_set_deminimis(
                        application=application,
                        by=by,
                        declaration=form.cleaned_data["deminimis_declaration"],
                        aids=aids,
                    )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                return None
        return {
            "form": form,
            "formset": formset,
            "company": application.company,
            "aids_choice": DeMinimisDeclaration.AIDS,
        }
    if step == "attachments":
        form = AttachmentForm(*_bound(request))
        if post is not None and form.is_valid():
            services.attachment_add(
                application=application, by=by, kind=form.cleaned_data["kind"], upload=form.cleaned_data["file"]
            )
            messages.success(request, _("The file has been uploaded."))
            return None
        return {"form": form}
    return {"blockers": services.submission_blockers(application)}


@accepts_uploads
@login_required
@require_http_methods(["GET", "POST"])
def application_edit(request, pk: int, step: str):
    if step not in STEP_NAMES:
        raise Http404
    application = _application_for(request.user, pk, permissions.can_view_application)
    if not permissions.can_edit_application(request.user, application):
        raise PermissionDenied
    try:
        context = _save_step(request, application, step)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("innoscheck:edit", pk=pk, step=step)
    if context is None:
        messages.success(request, _("Your draft has been saved."))
        next_step = step if step == "attachments" else _next_step(step)
        return redirect("innoscheck:edit", pk=pk, step=next_step)
    application = selectors.applications_in_detail().get(pk=pk)
    return render(
        request,
        f"innoscheck/steps/{step}.html",
        {
            "application": application,
            "steps": STEPS,
            "step": step,
            "missing": services.application_missing_items(application),
            **context,
        },
    )


@login_required
def application_detail(request, pk: int):
    application = _application_for(request.user, pk, permissions.can_view_application)
    is_staff = permissions.can_review(request.user)
    actor = Actor.STAFF if is_staff else Actor.COMPANY
    actions = [
        transition
        for transition in TRANSITIONS.values()
        if application.status in transition.sources
        and transition.actor == actor
        and transition.action in ACTION_FORMS
        and permissions.can_take_action(request.user, application, transition.action)
    ]
    events = list(application.events.all())
    change_request = events[-1].note if events and application.status == Status.CHANGES_REQUESTED else ""
    eligibility = check_eligibility(
        application,
        decision_date=timezone.localdate(application.decided_at) if application.decided_at else timezone.localdate(),
        amount=application.approved_amount,
    )
    return render(
        request,
        "innoscheck/application_detail.html",
        {
            "application": application,
            "is_staff": is_staff,
            "actions": actions,
            "eligibility": eligibility,
            "events": events,
            "change_request": change_request,
            "can_edit": permissions.can_edit_application(request.user, application),
            "can_download": permissions.can_download_voucher(request.user, application) and application.voucher_pdf,
            "steps": STEPS,
        },
    )


@accepts_uploads
@login_required
@require_http_methods(["GET", "POST"])
def application_action(request, pk: int, action: str):
    if action not in ACTION_FORMS:
        raise Http404
    application = _application_for(request.user, pk, permissions.can_view_application)
    if not permissions.can_take_action(request.user, application, action):
        raise PermissionDenied
    transition = TRANSITIONS[action]
    if application.status not in transition.sources:
        messages.error(
            request,
            _("“%(action)s” is not possible: the application is “%(status)s”.")
            % {"action": transition.label, "status": application.get_status_display()},
        )
        return redirect("innoscheck:detail", pk=pk)
    form_class = ACTION_FORMS[action]
    initial = {}
    if action == "approve":
        initial["amount"] = application.requested_amount
    elif action == "verify":
        initial["amount"] = min(application.actual_amount or 0, application.approved_amount or 0) or None
    form = form_class(*_bound(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            _perform(action, application=application, by=request.user, data=form.cleaned_data)
        except services.TransitionNotAllowed as error:
            messages.error(request, " ".join(error.messages))
            return redirect("innoscheck:detail", pk=pk)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Done: %(action)s.") % {"action": transition.label})
            return redirect("innoscheck:detail", pk=pk)
    return render(
        request,
        "innoscheck/application_action.html",
        {"application": application, "transition": transition, "form": form},
    )


def _perform(action: str, *, application: Application, by, data: dict) -> None:
    note = data.get("note", "")
    if action == "submit":
        services.application_submit(application=application, by=by)
    elif action == "resubmit":
        services.application_resubmit(application=application, by=by, note=note)
    elif action == "withdraw":
        services.application_withdraw(application=application, by=by, note=note)
    elif action == "submit_proof":
        services.application_submit_proof(
            application=application,
            by=by,
            actual_days=data["actual_days"],
            actual_amount=data["actual_amount"],
            report=data["report"],
            invoice=data["invoice"],
            note=note,
        )
    elif action == "start_review":
        services.application_start_review(application=application, by=by, note=note)
    elif action == "request_changes":
        services.application_request_changes(application=application, by=by, message=data["message"])
    elif action == "approve":
        services.application_approve(application=application, by=by, amount=data["amount"], note=note)
    elif action == "reject":
        services.application_reject(application=application, by=by, reason=data["reason"])
    elif action == "verify":
        services.application_verify(application=application, by=by, amount=data["amount"], note=note)
    elif action == "mark_paid":
        services.application_mark_paid(application=application, by=by, note=note)
    elif action == "cancel":
        services.application_cancel(application=application, by=by, reason=data["reason"])


def _file_response(field_file, *, filename: str, content_type: str) -> FileResponse:
    if not field_file or not field_file.storage.exists(field_file.name):
        raise Http404
    return FileResponse(
        field_file.open("rb"), as_attachment=True, filename=get_valid_filename(filename), content_type=content_type
    )


@login_required
def attachment_download(request, pk: int):
    attachment = get_object_or_404(Attachment.objects.select_related("application__company"), pk=pk)
    if not permissions.can_view_attachment(request.user, attachment):
        raise PermissionDenied
    return _file_response(attachment.file, filename=attachment.original_name, content_type=attachment.content_type)


@login_required
@require_POST
def attachment_delete(request, pk: int):
    attachment = get_object_or_404(Attachment.objects.select_related("application__company"), pk=pk)
    if not permissions.can_delete_attachment(request.user, attachment):
        raise PermissionDenied
    services.attachment_delete(attachment=attachment, by=request.user)
    messages.success(request, _("The file has been removed."))
    return redirect("innoscheck:edit", pk=attachment.application_id, step="attachments")


@login_required
def voucher_document(request, pk: int, kind: str):
    application = _application_for(request.user, pk, permissions.can_download_voucher)
    field = {"voucher": application.voucher_pdf, "certificate": application.certificate_pdf}.get(kind)
    if field is None:
        raise Http404
    filename = f"{application.voucher_number}-{'Gutschein' if kind == 'voucher' else 'De-minimis'}.pdf"
    return _file_response(field, filename=filename, content_type="application/pdf")


@login_required
def review_queue(request):
    if not permissions.can_review(request.user):
        raise PermissionDenied
    applications = ApplicationFilter(request.GET or None, queryset=selectors.review_queue(user=request.user))
    page = Paginator(applications.qs, QUEUE_PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "innoscheck/review_queue.html",
        {"filter": applications, "page": page, "query": query.urlencode(), "today": timezone.now()},
    )


@login_required
def expert_list(request):
    if not permissions.can_manage_experts(request.user):
        raise PermissionDenied
    return render(request, "innoscheck/expert_list.html", {"experts": Expert.objects.order_by("confirmed", "name")})


@login_required
@require_http_methods(["GET", "POST"])
def expert_edit(request, pk: int | None = None):
    if not permissions.can_manage_experts(request.user):
        raise PermissionDenied
    expert = get_object_or_404(Expert, pk=pk) if pk else None
    form = ExpertForm(*_bound(request)[:1], instance=expert)
    if request.method == "POST" and form.is_valid():
        services.expert_save(by=request.user, data=form.cleaned_data, expert=expert)
        messages.success(request, _("The expert has been saved."))
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
