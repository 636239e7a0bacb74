import pytest

from accounts.tests.factories import CoachFactory
from coaching import permissions
from coaching.tests.factories import CaseFactory, EventFactory, ProjectFactory

pytestmark = pytest.mark.django_db


def test_case_visibility_by_role(world):
    coach, staff = world.users["coach"], world.users["staff"]
    own = CaseFactory(company=world.company_a, coach=coach)
    added = CaseFactory(company=world.company_b, coach=CoachFactory())
    added.added_coaches.add(coach)
    foreign = CaseFactory(company=world.company_b, coach=CoachFactory())
    queued = CaseFactory(company=world.company_b)

    assert permissions.can_view_case(coach, own) and permissions.can_view_case(coach, added)
    assert permissions.can_view_case(coach, queued) and not permissions.can_view_case(coach, foreign)
    assert permissions.can_view_case(staff, own) and not permissions.can_view_case(staff, foreign)
    assert permissions.can_view_case(world.users["admin"], foreign)
    assert permissions.can_view_case(world.users["member_a"], own)
    assert not permissions.can_view_case(world.users["member_a"], foreign)
    assert not permissions.can_view_case(world.users["funder"], own)


def test_internal_notes_never_for_company_members(world):
    case = CaseFactory(company=world.company_a, coach=world.users["coach"])
    assert not permissions.can_view_internal_notes(world.users["member_a"], case)
    assert permissions.can_view_internal_notes(world.users["coach"], case)
    assert permissions.can_view_internal_notes(world.users["staff"], case)


def test_work_on_case_only_for_its_coaches_and_admins(world):
    case = CaseFactory(company=world.company_a, coach=world.users["coach"])
    other = CoachFactory()
    assert permissions.can_work_on_case(world.users["coach"], case)
    assert not permissions.can_work_on_case(other, case)
    case.added_coaches.add(other)
    assert permissions.can_work_on_case(other, case)
    assert permissions.can_work_on_case(world.users["admin"], case)
    assert not permissions.can_work_on_case(world.users["staff"], case)


def test_assignment_by_staff_of_the_city_or_a_coach_for_queue_and_own_cases(world):
    queued = CaseFactory(company=world.company_a)
    foreign = CaseFactory(company=world.company_a, coach=CoachFactory())
    assert permissions.can_assign_case(world.users["staff"], queued)
    assert permissions.can_assign_case(world.users["coach"], queued)
    assert not permissions.can_assign_case(world.users["coach"], foreign)
    assert not permissions.can_assign_case(world.users["staff"], CaseFactory(company=world.company_b))


def test_events_and_projects(world):
    event = EventFactory()
    assert permissions.can_register_for_event(world.users["member_a"], event)
    assert not permissions.can_register_for_event(world.users["coach"], event)
    assert permissions.can_manage_events(world.users["coach"]) and not permissions.can_manage_events(
        world.users["member_a"]
    )
    project = ProjectFactory(coach=world.users["coach"])
    assert permissions.can_edit_project(world.users["coach"], project)
    assert not permissions.can_edit_project(CoachFactory(), project)
    assert permissions.can_edit_project(world.users["staff"], project)
