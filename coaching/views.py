from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from digitalfabrik import once
from digitalfabrik.paging import paginate
from digitalfabrik.shortcuts import get_permitted_or_404
from innoscheck.permissions import can_view_application
from programme.views import transition_page

from . import permissions, selectors, services
from .filters import CaseFilter, ProjectFilter, QueueFilter, RequestFilter
from .forms import (
    AddCoachForm,
    AssignForm,
    CaseRequestForm,
    EventForm,
    EventRegistrationForm,
    NextStepFormSet,
    ParticipantFormSet,
    ProjectForm,
    ProjectMeetingForm,
    SessionPlanForm,
    SessionRecordForm,
)
from .models import Case, Event, NextStep, Project, Session
from .workflow import CASE, MOVES

PAGE_SIZE = 50
# The caseload is the coaches' everyday page: a shorter page renders in half the time.
CASELOAD_PAGE_SIZE = 25


def _case_for(user, pk: int, check) -> Case:
    return get_permitted_or_404(
        Case.objects.select_related("company", "coach", "requested_by"), pk=pk, user=user, check=check
    )


def _add_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


# Companies --------------------------------------------------------------------------------------


@login_required
def request_list(request):
    if not permissions.can_list_own_requests(request.user):
        raise PermissionDenied
    cases = RequestFilter(request.GET or None, queryset=selectors.company_requests(user=request.user))
    return render(request, "coaching/request_list.html", {"filter": cases, **paginate(request, cases.qs)})


@login_required
@require_http_methods(["GET", "POST"])
def request_create(request):
    if not permissions.can_request_coaching(request.user):
        raise PermissionDenied
    if sent := once.redirect_if_sent(request):
        return sent
    form = CaseRequestForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data

        def send_request() -> str:
            case = services.case_request(
                company=data["company"],
                by=request.user,
                topic=data["topic"],
                description=data["description"],
                preferred_form=data["preferred_form"],
                preferred_dates=data["preferred_dates"],
            )
            return reverse("coaching:case_detail", args=[case.pk])

        try:
            url, done_now = once.submit_once(token=data[once.TOKEN_FIELD], user=request.user, perform=send_request)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            if not done_now:
                return once.repeated(url, request)
            messages.success(request, _("Your request has been sent. A coach will contact you."))
            return redirect(url)
    return render(request, "coaching/request_form.html", {"form": form})


# Coaches and staff -------------------------------------------------------------------------------


@login_required
def queue(request):
    if not permissions.can_view_queue(request.user):
        raise PermissionDenied
    cases = QueueFilter(request.GET or None, queryset=selectors.queue(user=request.user))
    listing = paginate(request, cases.qs, per_page=PAGE_SIZE)
    defaults = selectors.default_coaches_by_region()
    for case in listing["page"]:
        case.default_coach = defaults.get(case.company.region)
    return render(request, "coaching/queue.html", {"filter": cases, **listing})


@login_required
def caseload(request):
    if not permissions.can_view_caseload(request.user):
        raise PermissionDenied
    cases = selectors.caseload(user=request.user)
    case_filter = CaseFilter(request.GET, queryset=cases)
    page = Paginator(case_filter.qs, CASELOAD_PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "coaching/caseload.html",
        {
            "filter": case_filter,
            "page": page,
            "query": query.urlencode(),
            "counts": selectors.status_counts(cases),
        },
    )


@login_required
def case_detail(request, pk: int):
    case = _case_for(request.user, pk, permissions.can_view_case)
    case = selectors.case_detail(pk=case.pk)
    can_work = permissions.can_work_on_case(request.user, case)
    internal = permissions.can_view_internal_notes(request.user, case)
    return render(
        request,
        "coaching/case_detail.html",
        {
            "case": case,
            "sessions": case.sessions.all(),
            "next_steps": case.next_steps.all(),
            "show_internal": internal,
            "can_work": can_work,
            "can_assign": permissions.can_assign_case(request.user, case),
            "moves": [transition for transition in CASE.available(request.user, case) if transition.name in MOVES],
            "can_close": CASE.can(request.user, case, "close"),
            "can_cancel": CASE.can(request.user, case, "cancel"),
            "voucher_applications": [
                (application, can_view_application(request.user, application))
                for application in case.voucher_applications.all()
            ],
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def case_assign(request, pk: int):
    case = _case_for(request.user, pk, permissions.can_assign_case)
    initial = {"coach": case.coach or services.default_coach(company=case.company)}
    form = AssignForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.case_assign(
                case=case, coach=form.cleaned_data["coach"], by=request.user, note=form.cleaned_data["note"]
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("The coach has been assigned and the company informed."))
            return redirect("coaching:case_detail", pk=case.pk)
    return render(
        request,
        "coaching/case_assign.html",
        {"case": case, "form": form, "add_form": AddCoachForm() if case.coach_id else None},
    )


@login_required
@require_POST
def case_add_coach(request, pk: int):
    case = _case_for(request.user, pk, permissions.can_assign_case)
    form = AddCoachForm(request.POST)
    if form.is_valid():
        try:
            services.case_add_coach(case=case, coach=form.cleaned_data["coach"], by=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The coach has been added to the case."))
    return redirect("coaching:case_detail", pk=case.pk)


@login_required
@require_http_methods(["GET", "POST"])
def case_action(request, pk: int, action: str):
    """Any step of the case's workflow (coaching.workflow.CASE): the declaration says who and with what."""
    case = _case_for(request.user, pk, permissions.can_view_case)
    return transition_page(
        request,
        workflow=CASE,
        obj=case,
        name=action,
        template="coaching/case_action.html",
        back=reverse("coaching:case_detail", args=[case.pk]),
        context={"case": case},
    )


@login_required
@require_http_methods(["GET", "POST"])
def session_plan(request, pk: int):
    case = _case_for(request.user, pk, permissions.can_work_on_case)
    form = SessionPlanForm(request.POST or None, initial={"form": case.preferred_form})
    if request.method == "POST" and form.is_valid():
        try:
            services.session_plan(case=case, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("The session has been planned and the company invited."))
            return redirect("coaching:case_detail", pk=case.pk)
    return render(request, "coaching/session_plan.html", {"case": case, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def session_record(request, pk: int, session_pk: int | None = None):
    case = _case_for(request.user, pk, permissions.can_work_on_case)
    session = get_object_or_404(Session, pk=session_pk, case=case, status="planned") if session_pk else None
    initial = (
        {
            "starts_at": timezone.localtime(session.starts_at),
            "duration_hours": session.duration_hours,
            "form": session.form,
            "location": session.location,
        }
        if session
        else {"form": case.preferred_form}
    )
    form = SessionRecordForm(request.POST or None, initial=initial)
    participants = ParticipantFormSet(request.POST or None, prefix="participants")
    next_steps = NextStepFormSet(request.POST or None, prefix="steps")
    if request.method == "POST" and form.is_valid() and participants.is_valid() and next_steps.is_valid():
        people = [f.cleaned_data for f in participants if f.cleaned_data]
        steps = [f.cleaned_data for f in next_steps if f.cleaned_data]
        try:
            services.session_record_held(
                case=case, by=request.user, session=session, participants=people, next_steps=steps, **form.cleaned_data
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("The session has been recorded."))
            return redirect("coaching:case_detail", pk=case.pk)
    return render(
        request,
        "coaching/session_record.html",
        {"case": case, "session": session, "form": form, "participants": participants, "next_steps": next_steps},
    )


@login_required
@require_POST
def next_step_toggle(request, pk: int):
    step = get_object_or_404(NextStep.objects.select_related("case"), pk=pk)
    if not permissions.can_work_on_case(request.user, step.case):
        raise PermissionDenied
    services.next_step_set_done(step=step, done=not step.done)
    return redirect("coaching:case_detail", pk=step.case_id)


# Events ------------------------------------------------------------------------------------------


@login_required
def event_list(request):
    if not permissions.can_list_events(request.user):
        raise PermissionDenied
    page = Paginator(selectors.event_list(user=request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "coaching/event_list.html",
        {
            "page": page,
            "query": "",
            "now": timezone.now(),
            "can_manage": permissions.can_manage_events(request.user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def event_create(request):
    if not permissions.can_manage_events(request.user):
        raise PermissionDenied
    form = EventForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        event = services.event_create(**form.cleaned_data)
        messages.success(request, _("The event has been saved."))
        return redirect("coaching:event_detail", pk=event.pk)
    return render(request, "coaching/event_form.html", {"form": form})


@login_required
def event_detail(request, pk: int):
    if not permissions.can_list_events(request.user):
        raise PermissionDenied
    event = get_object_or_404(Event.objects.select_related("organiser"), pk=pk)
    registrations = list(selectors.event_registrations(event=event, user=request.user))
    return render(
        request,
        "coaching/event_detail.html",
        {
            "event": event,
            "registrations": registrations,
            "registered": event.registrations.count(),
            "started": event.starts_at <= timezone.now(),
            "can_manage": permissions.can_manage_events(request.user),
            "can_register": permissions.can_register_for_event(request.user, event),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def event_register(request, pk: int):
    event = get_object_or_404(Event, pk=pk)
    if not permissions.can_register_for_event(request.user, event):
        raise PermissionDenied
    form = EventRegistrationForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.event_register(event=event, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("%(name)s is registered.") % {"name": form.cleaned_data["name"]})
            return redirect("coaching:event_detail", pk=event.pk)
    return render(request, "coaching/event_register.html", {"event": event, "form": form})


@login_required
@require_POST
def event_attendance(request, pk: int):
    if not permissions.can_manage_events(request.user):
        raise PermissionDenied
    event = get_object_or_404(Event, pk=pk)
    try:
        ids = [int(value) for value in request.POST.getlist("attended")]
        services.event_record_attendance(event=event, attended_ids=ids)
    except (ValueError, ValidationError) as error:
        messages.error(request, " ".join(getattr(error, "messages", [_("Invalid selection.")])))
    else:
        messages.success(request, _("The attendance has been saved."))
    return redirect("coaching:event_detail", pk=event.pk)


# Projects ----------------------------------------------------------------------------------------


@login_required
def project_list(request):
    if not permissions.can_list_projects(request.user):
        raise PermissionDenied
    projects = ProjectFilter(request.GET or None, queryset=selectors.project_list())
    return render(request, "coaching/project_list.html", {"filter": projects, **paginate(request, projects.qs)})


@login_required
@require_http_methods(["GET", "POST"])
def project_create(request):
    if not permissions.can_list_projects(request.user):
        raise PermissionDenied
    form = ProjectForm(request.POST or None, initial={"coach": request.user if request.user.role == "coach" else None})
    if request.method == "POST" and form.is_valid():
        project = services.project_save(**form.cleaned_data)
        messages.success(request, _("The project has been saved."))
        return redirect("coaching:project_detail", pk=project.pk)
    return render(request, "coaching/project_form.html", {"form": form})


@login_required
def project_detail(request, pk: int):
    if not permissions.can_list_projects(request.user):
        raise PermissionDenied
    project = get_object_or_404(
        Project.objects.select_related("coach").prefetch_related("companies", "meetings"), pk=pk
    )
    can_edit = permissions.can_edit_project(request.user, project)
    return render(
        request,
        "coaching/project_detail.html",
        {"project": project, "can_edit": can_edit, "meeting_form": ProjectMeetingForm() if can_edit else None},
    )


@login_required
@require_http_methods(["GET", "POST"])
def project_edit(request, pk: int):
    project = get_object_or_404(Project, pk=pk)
    if not permissions.can_edit_project(request.user, project):
        raise PermissionDenied
    form = ProjectForm(request.POST or None, instance=project)
    if request.method == "POST" and form.is_valid():
        services.project_save(project=project, **form.cleaned_data)
        messages.success(request, _("The project has been saved."))
        return redirect("coaching:project_detail", pk=project.pk)
    return render(request, "coaching/project_form.html", {"form": form, "project": project})


@login_required
@require_POST
def project_meeting_add(request, pk: int):
    project = get_object_or_404(Project, pk=pk)
    if not permissions.can_edit_project(request.user, project):
        raise PermissionDenied
    form = ProjectMeetingForm(request.POST)
    if form.is_valid():
        services.project_meeting_add(project=project, **form.cleaned_data)
        messages.success(request, _("The meeting has been added."))
    else:
        messages.error(request, _("Enter the date and time of the meeting."))
    return redirect("coaching:project_detail", pk=project.pk)
