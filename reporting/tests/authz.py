from digitalfabrik.testing import Case, expect

# Programme staff, administrators and funders use the figures (dashboard, charts, exports); company users
# and coaches get 403 everywhere.
REPORTERS = {"staff": 200, "staff_other": 200, "admin": 200, "funder": 200}
# The PDF reports name companies of every partner: funders, administrators and the lead partner's staff.
READERS = {"staff_lead": 200, "admin": 200, "funder": 200}
REDIRECT = {"staff_lead": 302, "admin": 302, "funder": 302}
_DONE = lambda world: {"pk": world.objects["report_done"].pk}  # noqa: E731
_FAILED = lambda world: {"pk": world.objects["report_failed"].pk}  # noqa: E731

CASES = [
    Case("reporting:list", expect(**READERS)),
    Case("reporting:create", expect(**READERS)),
    Case(
        "reporting:create",
        expect(**REDIRECT),
        method="post",
        data=lambda world: {
            "kind": "indicators",
            "phase": world.objects["phase"].pk,
            "preset": "phase",
            "language": "de",
        },
        label="start",
    ),
    Case("reporting:detail", expect(**READERS), kwargs=_DONE),
    Case("reporting:status", expect(**READERS), kwargs=_DONE),
    Case("reporting:download", expect(**READERS), kwargs=_DONE),
    Case("reporting:download", expect(), kwargs=_FAILED, label="failed report"),
    Case("reporting:retry", expect(**REDIRECT), kwargs=_FAILED, method="post"),
    Case("reporting:retry", expect(), kwargs=_DONE, method="post", label="done report"),
    Case("reporting:dashboard", expect(**REPORTERS)),
    Case("reporting:chart", expect(**REPORTERS), kwargs=lambda world: {"name": "budget_burndown"}),
    Case("reporting:export", expect(**REPORTERS), kwargs=lambda world: {"dataset": "vouchers", "fmt": "csv"}),
    Case(
        "reporting:export",
        expect(**REPORTERS),
        kwargs=lambda world: {"dataset": "companies", "fmt": "xlsx"},
        label="xlsx",
    ),
]


def build(world):
    from reporting.tests.factories import failed_report, finished_report

    world.objects["report_done"] = finished_report()
    world.objects["phase"] = world.objects["report_done"].phase
    world.objects["report_failed"] = failed_report(phase=world.objects["phase"])
