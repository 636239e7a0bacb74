"""Who may do what with a company. Views call these; nothing else decides."""

from accounts import permissions as roles

from .models import Company, Invitation
from .scope import in_scope


def is_member(user, company: Company) -> bool:
    return user.is_authenticated and company.memberships.filter(user=user).exists()


def can_register_company(user) -> bool:
    return roles.is_company_user(user)


def can_list_companies(user) -> bool:
    return roles.is_company_user(user) or roles.is_programme_team(user)


def can_view_company(user, company: Company) -> bool:
    """Members their own; coaches every company (they take requests from the whole programme); staff in scope."""
    if roles.is_company_user(user):
        return is_member(user, company)
    return roles.is_coach(user) or in_scope(user, company)


def can_edit_company(user, company: Company) -> bool:
    return (roles.is_company_user(user) and is_member(user, company)) or in_scope(user, company)


def can_invite_to_company(user, company: Company) -> bool:
    return roles.is_company_user(user) and is_member(user, company)


def can_revoke_invitation(user, invitation: Invitation) -> bool:
    """The company's members take back an invitation nobody has accepted yet."""
    return invitation.accepted_at is None and can_invite_to_company(user, invitation.company)


def can_hand_over_company(user, company: Company) -> bool:
    """Staff who look after the company hand it to another partner organisation."""
    return in_scope(user, company)
