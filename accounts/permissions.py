"""Who may do what, by role. Object-level rules live in each app's permissions.py and build on these."""

from .models import Role


def is_admin(user) -> bool:
    return user.is_authenticated and (user.is_superuser or user.role == Role.ADMIN)


def is_programme_staff(user) -> bool:
    """Staff of a partner organisation; administrators have the same rights."""
    return user.is_authenticated and (user.role == Role.STAFF or is_admin(user))


def is_coach(user) -> bool:
    return user.is_authenticated and user.role == Role.COACH


def is_funder(user) -> bool:
    return user.is_authenticated and user.role == Role.FUNDER


def is_company_user(user) -> bool:
    return user.is_authenticated and user.role == Role.COMPANY


def is_programme_team(user) -> bool:
    """Staff, coaches and admins: the people who run the programme."""
    return is_programme_staff(user) or is_coach(user)


def can_view_reports(user) -> bool:
    return is_programme_staff(user) or is_funder(user)


def can_erase_own_account(user) -> bool:
    """Company members erase their own account; for everyone else an administrator handles the request."""
    return is_company_user(user)
