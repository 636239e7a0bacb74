import datetime
import uuid

from digitalfabrik.testing import Case, expect

_CASE_A = lambda world: {"pk": world.objects["case_a"].pk}  # noqa: E731
_QUEUED_B = lambda world: {"pk": world.objects["case_b"].pk}  # noqa: E731
_EVENT = lambda world: {"pk": world.objects["event"].pk}  # noqa: E731
_PROJECT = lambda world: {"pk": world.objects["project"].pk}  # noqa: E731
_PAST_EVENT = lambda world: {"pk": world.objects["past_event"].pk}  # noqa: E731
_SESSION = lambda world: {"pk": world.objects["case_a"].pk, "session_pk": world.objects["session"].pk}  # noqa: E731
_HELD = lambda world: {"pk": world.objects["case_a"].pk, "session_pk": world.objects["held_session"].pk}  # noqa: E731
# Company A's case: its coach, its partner's staff, the lead's staff (derived) and administrators.
_TEAM = {"coach": 200, "staff": 200, "admin": 200}
# Pages of no single company: the whole programme team.
_ALL_TEAM = {"coach": 200, "staff": 200, "staff_other": 200, "admin": 200}


def _future(days=5):
    from django.utils import timezone

    return (timezone.localtime() + datetime.timedelta(days=days)).strftime("%Y-%m-%dT%H:%M")


def _past(hours):
    from django.utils import timezone

    return (timezone.localtime() - datetime.timedelta(hours=hours)).strftime("%Y-%m-%dT%H:%M")


CASES = [
    Case("coaching:requests", expect(member_a=200, member_b=200)),
    Case("coaching:request_create", expect(member_a=200, member_b=200)),
    Case(
        "coaching:request_create",
        # member_b cannot pick company A: the form shows the error again.
        expect(member_a=302, member_b=200),
        method="post",
        data=lambda world: {
            "company": world.company_a.pk,
            "topic": "ai_data",
            "description": "Predictive maintenance",
            "preferred_form": "online",
            "submission_token": uuid.uuid4(),
        },
        label="send",
    ),
    Case("coaching:queue", expect(**_ALL_TEAM)),
    Case("coaching:caseload", expect(**_ALL_TEAM)),
    # case_a (Dortmund) is assigned to the world's coach; staff's partner is in Dortmund.
    Case("coaching:case_detail", expect(member_a=200, **_TEAM), kwargs=_CASE_A),
    # case_b (Hagen) waits in the queue: coaches see the queue, company A's partner does not see Hagen.
    Case(
        "coaching:case_detail",
        expect(member_b=200, coach=200, staff_other=200, staff_lead=200, admin=200),
        kwargs=_QUEUED_B,
        label="queued",
    ),
    Case(
        "coaching:case_action",
        expect(member_b=302),
        kwargs=lambda world: {"pk": world.objects["case_b"].pk, "action": "cancel"},
        method="post",
        label="cancel",
    ),
    Case("coaching:case_assign", expect(**_TEAM), kwargs=_CASE_A),
    Case(
        "coaching:case_assign",
        expect(coach=200, staff_other=200, staff_lead=200, admin=200),
        kwargs=_QUEUED_B,
        label="queued",
    ),
    Case(
        "coaching:case_add_coach",
        expect(**{"coach": 302, "staff": 302, "admin": 302}),
        kwargs=_CASE_A,
        method="post",
        data=lambda world: {"coach": world.objects["other_coach"].pk},
    ),
    Case(
        "coaching:case_action",
        expect(coach=302, admin=302),
        kwargs=lambda world: {"pk": world.objects["case_a"].pk, "action": "work"},
        method="post",
        data=lambda world: {"note": "Los geht's"},
        label="work",
    ),
    Case(
        "coaching:case_action",
        expect(coach=200, admin=200),
        kwargs=lambda world: {"pk": world.objects["case_a"].pk, "action": "close"},
        label="close",
    ),
    # A case in progress: only its coaches (and administrators) move it on.
    *[
        Case(
            "coaching:case_action",
            expect(coach=200, admin=200),
            kwargs=lambda world, action=action: {"pk": world.objects["working_a"].pk, "action": action},
            label=action,
        )
        for action in ["wait_for_company", "concept_ready", "implement"]
    ],
    Case("coaching:session_plan", expect(coach=200, admin=200), kwargs=_CASE_A),
    Case("coaching:session_record", expect(coach=200, admin=200), kwargs=_CASE_A),
    Case(
        "coaching:session_record_planned",
        expect(coach=200, admin=200),
        kwargs=lambda world: {"pk": world.objects["case_a"].pk, "session_pk": world.objects["session"].pk},
    ),
    # A planned session of case_a: its coaches (and administrators) move or cancel it.
    Case("coaching:session_reschedule", expect(coach=200, admin=200), kwargs=_SESSION),
    Case(
        "coaching:session_reschedule",
        expect(coach=302, admin=302),
        kwargs=_SESSION,
        method="post",
        data=lambda world: {"starts_at": _future(days=9), "duration_hours": "2", "form": "online", "location": ""},
    ),
    Case("coaching:session_cancel", expect(coach=200, admin=200), kwargs=_SESSION),
    Case(
        "coaching:session_cancel",
        expect(coach=302, admin=302),
        kwargs=_SESSION,
        method="post",
        data=lambda world: {"note": "Krankheit"},
    ),
    # A held session, recorded today: only its coach corrects the record (administrators do not).
    Case("coaching:session_correct", expect(coach=200), kwargs=_HELD),
    Case(
        "coaching:session_correct",
        expect(coach=302),
        kwargs=_HELD,
        method="post",
        data=lambda world: {
            "starts_at": _past(hours=3),
            "duration_hours": "1,5",
            "form": "on_site",
            "participants-TOTAL_FORMS": "0",
            "participants-INITIAL_FORMS": "0",
            "steps-TOTAL_FORMS": "0",
            "steps-INITIAL_FORMS": "0",
        },
    ),
    # The invitation: everyone who sees the case (its company, its coach, its partner's and the lead's staff).
    Case("coaching:session_invitation", expect(member_a=200, **_TEAM), kwargs=_SESSION),
    Case("coaching:upcoming_sessions", expect(**_ALL_TEAM)),
    Case(
        "coaching:next_step_toggle",
        expect(coach=302, admin=302),
        kwargs=lambda world: {"pk": world.objects["next_step"].pk},
        method="post",
    ),
    Case("coaching:event_list", expect(member_a=200, member_b=200, **_ALL_TEAM)),
    Case("coaching:event_create", expect(**_ALL_TEAM)),
    Case("coaching:event_detail", expect(member_a=200, member_b=200, **_ALL_TEAM), kwargs=_EVENT),
    Case("coaching:event_register", expect(member_a=200, member_b=200), kwargs=_EVENT),
    # A past event is closed: the form is not shown, a registration is refused with a message.
    Case("coaching:event_register", expect(member_a=302, member_b=302), kwargs=_PAST_EVENT, label="closed"),
    Case(
        "coaching:event_register",
        expect(member_a=302, member_b=302),
        kwargs=_PAST_EVENT,
        method="post",
        data=lambda world: {"name": "Eva", "email": "eva@firma.example", "company": world.company_a.pk},
        label="closed",
    ),
    # Company A's registration for an upcoming event: company A's members cancel it.
    Case(
        "coaching:event_registration_cancel",
        expect(member_a=302),
        kwargs=lambda world: {"pk": world.objects["registration_a"].pk},
        method="post",
    ),
    Case(
        "coaching:event_attendance",
        expect(coach=302, staff=302, staff_other=302, admin=302),
        kwargs=_EVENT,
        method="post",
    ),
    # Projects bring companies of several places together: programme-wide, like events.
    Case("coaching:project_list", expect(**_ALL_TEAM)),
    Case("coaching:project_create", expect(**_ALL_TEAM)),
    Case("coaching:project_detail", expect(**_ALL_TEAM), kwargs=_PROJECT),
    Case("coaching:project_edit", expect(coach=200, staff=200, staff_other=200, admin=200), kwargs=_PROJECT),
    Case(
        "coaching:project_meeting_add",
        expect(coach=302, staff=302, staff_other=302, admin=302),
        kwargs=_PROJECT,
        method="post",
        data=lambda world: {"starts_at": _future()},
    ),
]


def build(world):
    from django.utils import timezone

    from accounts.tests.factories import CoachFactory
    from coaching import services
    from coaching.tests.factories import (
        CaseFactory,
        EventFactory,
        EventRegistrationFactory,
        NextStepFactory,
        ProjectFactory,
        SessionFactory,
    )

    coach = world.users["coach"]
    case_a = CaseFactory(company=world.company_a, requested_by=world.users["member_a"])
    services.case_assign(case=case_a, coach=coach, by=world.users["staff"])
    world.objects["case_a"] = case_a
    working_a = CaseFactory(company=world.company_a, requested_by=world.users["member_a"])
    services.case_assign(case=working_a, coach=coach, by=world.users["staff"])
    world.objects["working_a"] = services.case_work(case=working_a, by=coach)
    world.objects["case_b"] = CaseFactory(company=world.company_b, requested_by=world.users["member_b"])
    world.objects["session"] = SessionFactory(case=case_a)
    world.objects["next_step"] = NextStepFactory(case=case_a)
    world.objects["other_coach"] = CoachFactory()
    world.objects["held_session"] = services.session_record_held(
        case=case_a,
        by=coach,
        starts_at=timezone.now() - datetime.timedelta(hours=2),
        duration_hours=2,
        form="online",
        participants=[{"name": "Eva", "email": "eva@firma-a.example"}],
    )
    world.objects["event"] = EventFactory()
    world.objects["past_event"] = EventFactory(starts_at=timezone.now() - datetime.timedelta(days=1))
    world.objects["registration_a"] = EventRegistrationFactory(
        event=world.objects["event"], company=world.company_a, registered_by=world.users["member_a"]
    )
    world.objects["project"] = ProjectFactory(coach=coach)
