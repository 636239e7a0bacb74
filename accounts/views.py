from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST
from django.views.i18n import set_language as django_set_language

from companies.selectors import companies_visible_to

from . import dashboard as panels
from . import permissions, privacy
from .forms import AccountErasureForm


def dashboard(request):
    """The start page: a landing page for visitors, a dashboard per role for everyone else."""
    user = request.user
    if not user.is_authenticated:
        return render(request, "dashboard/landing.html")
    if permissions.is_company_user(user):
        context = {"companies": companies_visible_to(user), "panels": panels.panels(panels.COMPANY, user=user)}
        return render(request, "dashboard/company.html", context)
    if permissions.is_coach(user):
        return render(request, "dashboard/coach.html", {"panels": panels.panels(panels.COACH, user=user)})
    if permissions.is_programme_staff(user):
        return render(request, "dashboard/staff.html", {"panels": panels.panels(panels.STAFF, user=user)})
    return render(request, "dashboard/funder.html", {"panels": panels.panels(panels.FUNDER, user=user)})


@require_POST
def set_language(request):
    """Switch the language and remember it for the user's e-mails."""
    response = django_set_language(request)
    language = request.POST.get("language")
    if request.user.is_authenticated and language in dict(request.user._meta.get_field("language").choices):
        request.user.language = language
        request.user.save(update_fields=["language"])
    return response


def _render_privacy(request, form=None):
    can_erase = permissions.can_erase_own_account(request.user)
    if can_erase and form is None:
        form = AccountErasureForm(user=request.user)
    return render(request, "accounts/privacy.html", {"can_erase": can_erase, "form": form})


@login_required
@require_GET
def privacy_page(request):
    """What the portal stores, the data export and, for company members, the erasure of the account."""
    return _render_privacy(request)


@login_required
@require_GET
@never_cache
def privacy_export(request):
    """All data about the user and their companies as a ZIP of JSON files (and their application files)."""
    archive = privacy.personal_data_zip(user=request.user)
    response = HttpResponse(archive, content_type="application/zip")
    filename = f"digitale-fabrik-personal-data-{timezone.localdate():%Y-%m-%d}.zip"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
@require_POST
def privacy_erase(request):
    """Erase the logged-in company member's account after password re-entry; staff roles: 403."""
    if not permissions.can_erase_own_account(request.user):
        raise PermissionDenied
    form = AccountErasureForm(request.POST, user=request.user)
    if not form.is_valid():
        return _render_privacy(request, form)
    privacy.account_erase(user=request.user)
    logout(request)
    return render(request, "accounts/privacy_erased.html")
