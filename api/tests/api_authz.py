"""The API's authorization table: every endpoint × role (each with a token of every scope).

api/tests/test_authorization.py runs it and fails for an API URL without an entry; the token pages
(api_tokens:*) are session pages: api/tests/authz.py, run by accounts/tests/test_authorization.py.
"""

from digitalfabrik.testing import ROLES, Case, expect

EVERYONE = dict.fromkeys(ROLES, 200)
REPORTERS = {"staff": 200, "staff_other": 200, "admin": 200, "funder": 200}
# The PDF reports name companies of every partner: funders, administrators and the lead partner's staff.
READERS = {"staff_lead": 200, "admin": 200, "funder": 200}
# Lists every role but the funder may read (each sees what the portal shows them).
TEAM_AND_COMPANIES = {"member_a": 200, "member_b": 200, "coach": 200, "staff": 200, "staff_other": 200, "admin": 200}
# Objects of company A: its member, its partner's staff, the lead partner's staff, admins.
OF_A = {"member_a": 200, "staff": 200, "admin": 200}
TOKEN = 401  # without a token


def _pk(name):
    return lambda world: {"pk": world.objects[name].pk}


CASES = [
    # Public: schema, docs, events.
    Case("api:schema", expect(**EVERYONE)),
    Case("api:docs", expect(**EVERYONE)),
    Case("api:events", expect(**EVERYONE)),
    Case("api:events_ics", expect(**EVERYONE)),
    Case("api:not_found", expect(**dict.fromkeys(ROLES, 404)), kwargs=lambda world: {}),
    # Reports area: staff, admins, funders.
    Case("api:indicators", expect(anonymous=TOKEN, **REPORTERS)),
    Case("api:reports", expect(anonymous=TOKEN, **READERS)),
    Case(
        "api:reports",
        expect(anonymous=TOKEN, **dict.fromkeys(READERS, 202)),
        method="post",
        data=lambda world: {
            "kind": "indicators",
            "phase": world.objects["phase"].pk,
            "preset": "phase",
            "language": "de",
        },
        label="start",
    ),
    Case("api:report", expect(anonymous=TOKEN, **READERS), kwargs=_pk("report_done")),
    Case("api:report_download", expect(anonymous=TOKEN, **READERS), kwargs=_pk("report_done")),
    Case("api:report_download", expect(anonymous=TOKEN), kwargs=_pk("report_failed"), label="failed report"),
    # Voucher applications: a company its own, staff in scope, the coach of the case it came from.
    Case("api:applications", expect(anonymous=TOKEN, staff_lead=200, **TEAM_AND_COMPANIES)),
    # The coach of an unassigned case is not the case's coach: the portal does not show them its vouchers.
    Case("api:application", expect(anonymous=TOKEN, staff_lead=200, **OF_A), kwargs=_pk("application_a")),
    Case(
        "api:application",
        expect(anonymous=TOKEN, member_b=200, staff_other=200, staff_lead=200, admin=200),
        kwargs=_pk("application_b"),
        label="of company B",
    ),
    Case("api:application", expect(anonymous=TOKEN, member_a=200), kwargs=_pk("draft_a"), label="draft"),
    # Companies: members their own, coaches every company, staff in scope.
    Case("api:companies", expect(anonymous=TOKEN, staff_lead=200, **TEAM_AND_COMPANIES)),
    Case(
        "api:company",
        expect(anonymous=TOKEN, coach=200, staff_lead=200, **OF_A),
        kwargs=lambda w: {"pk": w.company_a.pk},
    ),
    Case(
        "api:company",
        expect(anonymous=TOKEN, member_b=200, coach=200, staff_other=200, staff_lead=200, admin=200),
        kwargs=lambda w: {"pk": w.company_b.pk},
        label="B",
    ),
    # Coaching: a company its own cases, coaches theirs and the open queue, staff in scope.
    Case("api:cases", expect(anonymous=TOKEN, staff_lead=200, **TEAM_AND_COMPANIES)),
    Case(
        "api:cases",
        expect(anonymous=TOKEN, member_a=201, member_b=400),
        method="post",
        data=lambda world: {
            "company": world.company_a.pk,
            "topic": "it_security",
            "description": "Wir brauchen ein Konzept.",
            "preferred_form": "online",
        },
        label="request for company A",
    ),
    Case("api:case", expect(anonymous=TOKEN, coach=200, staff_lead=200, **OF_A), kwargs=_pk("case_a")),
    Case(
        "api:case",
        expect(anonymous=TOKEN, member_b=200, staff_other=200, staff_lead=200, admin=200),
        kwargs=_pk("case_b"),
        label="B, another coach's",
    ),
    Case("api:case_sessions", expect(anonymous=TOKEN, coach=200, staff_lead=200, **OF_A), kwargs=_pk("case_a")),
]


def build(world):
    from accounts.tests.factories import CoachFactory
    from coaching.tests.factories import CaseFactory, EventFactory, SessionFactory
    from innoscheck.tests.factories import ApplicationFactory
    from innoscheck.workflow import Status
    from reporting.tests.factories import failed_report, finished_report

    objects = world.objects
    objects["report_done"] = finished_report()
    objects["phase"] = objects["report_done"].phase
    objects["report_failed"] = failed_report(phase=objects["phase"])
    objects["case_a"] = CaseFactory(company=world.company_a)
    # Company B's case belongs to another coach: the world's coach does not see it.
    objects["case_b"] = CaseFactory(company=world.company_b, coach=CoachFactory(email="coach.other@example.com"))
    SessionFactory(case=objects["case_a"], internal_notes="Nur intern", shared_notes="Für die Firma")
    objects["application_a"] = ApplicationFactory(
        company=world.company_a,
        phase=objects["phase"],
        status=Status.SUBMITTED,
        coaching_case=objects["case_a"],
        with_files=False,
    )
    objects["application_b"] = ApplicationFactory(
        company=world.company_b, phase=objects["phase"], status=Status.SUBMITTED, with_files=False
    )
    objects["draft_a"] = ApplicationFactory(company=world.company_a, phase=objects["phase"], with_files=False)
    EventFactory()
