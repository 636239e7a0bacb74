from accounts import permissions as roles


def can_see_notifications(user) -> bool:
    return user.is_authenticated


def can_see_task_list(user) -> bool:
    """Staff, coaches and administrators: the people who have programme work waiting."""
    return roles.is_programme_team(user)
