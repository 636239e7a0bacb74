import pytest

from accounts import demo as accounts_demo
from companies import demo as companies_demo
from innoscheck import demo_vouchers
from innoscheck.models import Application, ApplicationEvent, Attachment, Expert
from innoscheck.workflow import Status
from programme import demo as programme_demo
from programme.models import FundingPhase

pytestmark = pytest.mark.django_db


def _seed():
    programme_demo.seed()
    accounts_demo.seed()
    companies_demo.seed()
    demo_vouchers.seed()


def _counts():
    return [model.objects.count() for model in (FundingPhase, Expert, Application, ApplicationEvent, Attachment)]


def test_demo_holds_applications_in_every_state_and_is_idempotent(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _seed()
    assert set(Application.objects.values_list("status", flat=True)) == set(Status.values)
    assert all(a.voucher_pdf for a in Application.objects.filter(status=Status.APPROVED))
    phase = FundingPhase.objects.get(name__contains="2025")
    assert phase.reserved_amount > 0 and phase.spent_amount > 0
    before = _counts()
    with django_capture_on_commit_callbacks(execute=True):
        _seed()
    assert _counts() == before
