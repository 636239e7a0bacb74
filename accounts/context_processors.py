from . import permissions


def roles(request):
    user = request.user
    return {
        "is_company_user": permissions.is_company_user(user),
        "is_coach": permissions.is_coach(user),
        "is_programme_staff": permissions.is_programme_staff(user),
        "is_funder": permissions.is_funder(user),
        "is_admin": permissions.is_admin(user),
    }
