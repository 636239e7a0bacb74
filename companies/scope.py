"""Which companies programme staff look after: the portal's one scope rule.

- Administrators and staff of the lead partner look after every company of the programme.
- Other staff look after the companies whose responsible partner is their own organisation
  (``Company.responsible_partner``: derived from the place by programme.responsibility, or handed over).
- Nobody else gets a company through this rule: members see their companies through their
  membership, coaches their cases; those rules live in the apps and build on this one.

Lists filter with ``scope_q``; detail pages, downloads and actions ask ``in_scope``. Both say the same.
"""

from django.db.models import Q

from accounts import permissions as roles

NOTHING = Q(pk__in=[])


def sees_whole_programme(user) -> bool:
    if roles.is_admin(user):
        return True
    return roles.is_programme_staff(user) and user.partner_id is not None and user.partner.is_lead


def scope_q(user, *, company: str = "") -> Q:
    """The condition for the companies ``user`` looks after, on a queryset whose path ``company``
    (e.g. ``"company__"``, or ``""`` for companies themselves) leads to the company."""
    if sees_whole_programme(user):
        return Q()
    if roles.is_programme_staff(user) and user.partner_id is not None:
        return Q(**{f"{company}responsible_partner": user.partner_id})
    return NOTHING


def in_scope(user, company) -> bool:
    """Whether ``user`` looks after ``company`` as programme staff (what ``scope_q`` selects)."""
    if sees_whole_programme(user):
        return True
    return (
        roles.is_programme_staff(user)
        and user.partner_id is not None
        and company.responsible_partner_id == user.partner_id
    )
