from django.shortcuts import render
from django.views.decorators.http import require_POST
from django.views.i18n import set_language as django_set_language

from companies.selectors import companies_visible_to

from . import permissions


def dashboard(request):
    """The start page: a landing page for visitors, a dashboard per role for everyone else."""
    user = request.user
    if not user.is_authenticated:
        return render(request, "dashboard/landing.html")
    if permissions.is_company_user(user):
        return render(request, "dashboard/company.html", {"companies": companies_visible_to(user)})
    if permissions.is_coach(user):
        return render(request, "dashboard/coach.html")
    if permissions.is_programme_staff(user):
        return render(request, "dashboard/staff.html")
    return render(request, "dashboard/funder.html")


@require_POST
def set_language(request):
    """Switch the language and remember it for the user's e-mails."""
    response = django_set_language(request)
    language = request.POST.get("language")
    if request.user.is_authenticated and language in dict(request.user._meta.get_field("language").choices):
        request.user.language = language
        request.user.save(update_fields=["language"])
    return response
