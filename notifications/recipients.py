"""The audiences of notifications.table: who "the company", "the coaches", ... of an event are."""

from django.contrib.auth import get_user_model
from django.db.models import Q

from accounts.models import Role

from .table import COACHES, COMPANY, FUNDERS, PARTNER_STAFF, REGISTRANT, REQUESTER


def _users():
    return get_user_model().objects.filter(is_active=True)


def company_members(company):
    return _users().filter(memberships__company=company)


def case_coaches(case):
    coach_ids = [case.coach_id, *case.added_coaches.values_list("pk", flat=True)] if case.pk else []
    coach_ids = [pk for pk in coach_ids if pk]
    if not coach_ids:
        return _users().filter(role=Role.COACH)
    return _users().filter(pk__in=coach_ids)


def partner_staff(company):
    """Staff of the responsible partner and of the lead partner (companies.scope's rule, read the other way)."""
    rule = Q(partner__is_lead=True)
    if company.responsible_partner_id:
        rule |= Q(partner=company.responsible_partner_id)
    return _users().filter(role=Role.STAFF).filter(rule)


def audience(name: str, *, subject, payload: dict):
    """The users of audience ``name`` for the event's object ``subject`` (an application, case, report)."""
    company = getattr(subject, "company", None)
    if name == COMPANY:
        return company_members(company) if company else _users().none()
    if name == COACHES:
        case = payload.get("case") or getattr(subject, "case", None)
        return case_coaches(case) if case is not None else _users().none()
    if name == PARTNER_STAFF:
        return partner_staff(company) if company else _users().none()
    if name == FUNDERS:
        return _users().filter(role=Role.FUNDER) if getattr(subject, "notify_funders", False) else _users().none()
    if name == REQUESTER:
        requester_id = getattr(subject, "requested_by_id", None)
        return _users().filter(pk=requester_id) if requester_id else _users().none()
    if name == REGISTRANT:
        registrant_id = getattr(subject, "registered_by_id", None)
        return _users().filter(pk=registrant_id) if registrant_id else _users().none()
    raise ValueError(f"unknown audience {name!r}")
