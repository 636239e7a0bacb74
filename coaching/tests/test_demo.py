import pytest

from coaching.choices import CaseStatus
from coaching.models import Case, Event, EventRegistration, Project, Session, SessionParticipant


@pytest.mark.django_db
def test_demo_has_every_status_and_running_it_twice_changes_nothing():
    from accounts import demo as accounts_demo
    from coaching import demo
    from companies import demo as companies_demo
    from programme import demo as programme_demo

    programme_demo.seed()
    accounts_demo.seed()
    companies_demo.seed()
    demo.seed()

    def counts():
        return [m.objects.count() for m in (Case, Session, SessionParticipant, Project, Event, EventRegistration)]

    first = counts()
    demo.seed()
    assert counts() == first
    assert set(Case.objects.values_list("status", flat=True)) == set(CaseStatus.values)
    assert Project.objects.count() == 1 and Event.objects.count() == 2
    assert Session.objects.filter(status="held").exists() and Session.objects.filter(status="planned").exists()
