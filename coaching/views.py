from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from digitalfabrik import once
from digitalfabrik.paging import paginate
from digitalfabrik.shortcuts import get_permitted_or_404
from programme import links
from programme.views import transition_page

from . import permissions, selectors, services
from .filters import CaseFilter, EventFilter, ProjectFilter, QueueFilter, RequestFilter
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
    SessionCancelForm,
    SessionCorrectForm,
    SessionPlanForm,
    SessionRecordForm,
    SessionRescheduleForm,
    filled_rows,
)
from .models import Case, Event, EventRegistration, NextStep, Project, Session
from .workflow import CASE, MOVES


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
    listing = paginate(request, cases.qs)
    defaults = selectors.default_coaches_by_region()
    for case in listing["page"]:
        case.default_coach = services.default_coach(company=case.company, by_city=defaults)
    return render(request, "coaching/queue.html", {"filter": cases, **listing})


@login_required
def caseload(request):
    if not permissions.can_view_caseload(request.user):
        raise PermissionDenied
    cases = selectors.caseload(user=request.user)
    case_filter = CaseFilter(request.GET, queryset=cases)
    return render(
        request,
        "coaching/caseload.html",
        {"filter": case_filter, **paginate(request, case_filter.qs), "counts": selectors.status_counts(cases)},
    )


@login_required
def case_detail(request, pk: int):
    case = get_permitted_or_404(selectors.cases_in_detail(), pk=pk, user=request.user, check=permissions.can_view_case)
    can_work = permissions.can_work_on_case(request.user, case)
    internal = permissions.can_view_internal_notes(request.user, case)
    sessions = list(case.sessions.all())
    for session in sessions:
        session.case = case
        session.can_reschedule = permissions.can_reschedule_session(request.user, session)
        session.can_cancel = permissions.can_cancel_session(request.user, session)
        session.can_correct = permissions.can_correct_session(request.user, session)
        session.can_download = permissions.can_download_invitation(request.user, session)
    return render(
        request,
        "coaching/case_detail.html",
        {
            "case": case,
            "sessions": sessions,
            "next_steps": case.next_steps.all(),
            "show_internal": internal,
            "can_work": can_work,
            "can_assign": permissions.can_assign_case(request.user, case),
            "moves": [transition for transition in CASE.available(request.user, case) if transition.name in MOVES],
            "can_close": CASE.can(request.user, case, "close"),
            "can_cancel": CASE.can(request.user, case, "cancel"),
            "voucher_applications": links.linked("coaching.case", obj=case, user=request.user),
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


def _session_for(user, pk: int, session_pk: int, check) -> Session:
    """The session ``session_pk`` of case ``pk``: 404 if there is none, 403 unless ``check(user, session)``."""
    return get_permitted_or_404(
        Session.objects.select_related("case__company", "case__coach", "case__requested_by").filter(case_id=pk),
        pk=session_pk,
        user=user,
        check=check,
    )


def _held_record_forms(request, *, form_class, initial: dict, people=(), steps=()):
    """The record form with its growing lists of participants and next steps."""
    form = form_class(request.POST or None, initial=initial)
    participant_kwargs = {"prefix": "participants", "initial": list(people) or None}
    step_kwargs = {"prefix": "steps", "initial": list(steps) or None}
    participants = ParticipantFormSet(request.POST or None, **participant_kwargs)
    next_steps = NextStepFormSet(request.POST or None, **step_kwargs)
    return form, participants, next_steps


def _session_initial(session: Session) -> dict:
    return {
        "starts_at": timezone.localtime(session.starts_at),
        "duration_hours": session.duration_hours,
        "form": session.form,
        "location": session.location,
        "shared_notes": session.shared_notes,
        "internal_notes": session.internal_notes,
    }


@login_required
@require_http_methods(["GET", "POST"])
def session_record(request, pk: int, session_pk: int | None = None):
    case = _case_for(request.user, pk, permissions.can_work_on_case)
    session = get_object_or_404(Session, pk=session_pk, case=case, status="planned") if session_pk else None
    initial = _session_initial(session) if session else {"form": case.preferred_form}
    form, participants, next_steps = _held_record_forms(request, form_class=SessionRecordForm, initial=initial)
    if request.method == "POST" and form.is_valid() and participants.is_valid() and next_steps.is_valid():
        try:
            services.session_record_held(
                case=case,
                by=request.user,
                session=session,
                participants=filled_rows(participants),
                next_steps=filled_rows(next_steps),
                **form.cleaned_data,
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
@require_http_methods(["GET", "POST"])
def session_reschedule(request, pk: int, session_pk: int):
    session = _session_for(request.user, pk, session_pk, permissions.can_reschedule_session)
    initial = _session_initial(session)
    form = SessionRescheduleForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.session_reschedule(session=session, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("The session has been rescheduled; the company has the updated invitation."))
            return redirect("coaching:case_detail", pk=pk)
    return render(request, "coaching/session_reschedule.html", {"case": session.case, "session": session, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def session_cancel(request, pk: int, session_pk: int):
    session = _session_for(request.user, pk, session_pk, permissions.can_cancel_session)
    form = SessionCancelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.session_cancel(session=session, by=request.user, note=form.cleaned_data["note"])
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("The session has been cancelled and the company informed."))
            return redirect("coaching:case_detail", pk=pk)
    return render(request, "coaching/session_cancel.html", {"case": session.case, "session": session, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def session_correct(request, pk: int, session_pk: int):
    session = _session_for(request.user, pk, session_pk, permissions.can_correct_session)
    people = [{"name": person.name, "email": person.email} for person in session.participants.order_by("pk")]
    steps = [{"description": step.description, "due_date": step.due_date} for step in session.next_steps.order_by("pk")]
    form, participants, next_steps = _held_record_forms(
        request, form_class=SessionCorrectForm, initial=_session_initial(session), people=people, steps=steps
    )
    if request.method == "POST" and form.is_valid() and participants.is_valid() and next_steps.is_valid():
        try:
            services.session_correct(
                session=session,
                by=request.user,
                participants=filled_rows(participants),
                next_steps=filled_rows(next_steps),
                **form.cleaned_data,
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("The session record has been corrected; the previous version is kept."))
            return redirect("coaching:case_detail", pk=pk)
    return render(
        request,
        "coaching/session_record.html",
        {
            "case": session.case,
            "session": session,
            "form": form,
            "participants": participants,
            "next_steps": next_steps,
            "correcting": True,
            "deadline": services.session_correction_deadline(session),
        },
    )


@login_required
def session_invitation(request, pk: int, session_pk: int):
    """The session's current invitation as an .ics file (an update or a cancellation, as it stands)."""
    session = _session_for(request.user, pk, session_pk, permissions.can_download_invitation)
    response = HttpResponse(services.session_calendar(session=session), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="session-{session.pk}.ics"'
    return response


@login_required
def upcoming_sessions(request):
    """The planned sessions of the cases on the user's desk, soonest first (``?days=7``: the next week)."""
    if not permissions.can_view_upcoming_sessions(request.user):
        raise PermissionDenied
    days = request.GET.get("days", "")
    days = int(days) if days.isdigit() and 0 < int(days) <= 366 else None
    sessions = selectors.upcoming_sessions(user=request.user, days=days)
    page = paginate(request, sessions)["page"]
    return render(
        request,
        "coaching/upcoming_sessions.html",
        {"page": page, "days": days, "query": f"days={days}" if days else ""},
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


EVENT_LISTS = {"upcoming": True, "past": False}
ATTENDANCE_LABELS = [("yes", gettext_lazy("yes")), ("no", gettext_lazy("no")), ("unknown", gettext_lazy("unknown"))]


@login_required
def event_list(request):
    if not permissions.can_list_events(request.user):
        raise PermissionDenied
    when = request.GET.get("when", "upcoming")
    if when not in EVENT_LISTS:
        when = "upcoming"
    events = EventFilter(
        request.GET or None, queryset=selectors.event_list(user=request.user, upcoming=EVENT_LISTS[when])
    )
    return render(
        request,
        "coaching/event_list.html",
        {
            "filter": events,
            "when": when,
            "can_manage": permissions.can_manage_events(request.user),
            **paginate(request, events.qs),
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
    values = {attended: value for value, attended in services.ATTENDANCE_VALUES.items()}
    for registration in registrations:
        registration.event = event
        registration.can_cancel = permissions.can_cancel_registration(request.user, registration)
        registration.attendance_value = values[registration.attended]
    return render(
        request,
        "coaching/event_detail.html",
        {
            "event": event,
            "registrations": registrations,
            "registered": event.registrations.count(),
            "started": event.has_started,
            "can_manage": permissions.can_manage_events(request.user),
            "can_register": permissions.can_register_for_event(request.user, event),
            "show_cancel": any(registration.can_cancel for registration in registrations),
            "attendance_labels": ATTENDANCE_LABELS,
        },
    )


def _closed_for_registration(request, event: Event):
    messages.error(request, _("Registration has closed: this event has already begun."))
    return redirect("coaching:event_detail", pk=event.pk)


@login_required
@require_http_methods(["GET", "POST"])
def event_register(request, pk: int):
    event = get_object_or_404(Event, pk=pk)
    if not permissions.can_register_for_event(request.user, event):
        raise PermissionDenied
    if event.has_started:
        return _closed_for_registration(request, event)
    form = EventRegistrationForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.event_register(event=event, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            if error.code == "closed":
                return _closed_for_registration(request, event)
            _add_errors(form, error)
        else:
            messages.success(request, _("%(name)s is registered.") % {"name": form.cleaned_data["name"]})
            return redirect("coaching:event_detail", pk=event.pk)
    return render(request, "coaching/event_register.html", {"event": event, "form": form})


@login_required
@require_POST
def event_registration_cancel(request, pk: int):
    registration = get_object_or_404(EventRegistration.objects.select_related("event"), pk=pk)
    if not permissions.can_cancel_registration(request.user, registration):
        raise PermissionDenied
    try:
        services.event_registration_cancel(registration=registration, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The registration of %(name)s has been cancelled.") % {"name": registration.name})
    return redirect("coaching:event_detail", pk=registration.event_id)


@login_required
@require_POST
def event_attendance(request, pk: int):
    if not permissions.can_manage_events(request.user):
        raise PermissionDenied
    event = get_object_or_404(Event, pk=pk)
    attendance = {}
    for key, value in request.POST.items():
        name, _sep, registration = key.partition("-")
        if name == "attendance" and registration.isdigit() and value in services.ATTENDANCE_VALUES:
            attendance[int(registration)] = services.ATTENDANCE_VALUES[value]
    try:
        services.event_record_attendance(event=event, attendance=attendance)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
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
