from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from . import permissions, selectors, services
from .forms import KindFilterForm, PreferencesForm
from .models import Notification


@login_required
def notification_list(request):
    form = KindFilterForm(request.GET or None)
    kind = form.cleaned_data["kind"] if form.is_valid() else ""
    page = Paginator(services.notifications_for(request.user, kind=kind), 25).get_page(request.GET.get("page"))
    return render(request, "notifications/list.html", {"form": form, "page": page, "kind": kind})


@login_required
@require_POST
def notification_read(request, pk: int):
    notification = Notification.objects.filter(pk=pk).first()
    if notification is None or notification.user_id != request.user.pk:
        raise PermissionDenied
    services.notification_mark_read(user=request.user, notification_id=pk)
    target = notification.url if request.POST.get("open") else ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect("notifications:list")


@login_required
@require_POST
def notification_read_all(request):
    count = services.notification_mark_read(user=request.user)
    messages.success(request, _("%(count)d notifications marked as read.") % {"count": count})
    return redirect("notifications:list")


@login_required
def preferences(request):
    form = PreferencesForm(request.POST or None, initial_choices=services.preferences_of(request.user))
    if request.method == "POST" and form.is_valid():
        services.preferences_set(user=request.user, choices=form.cleaned_data)
        messages.success(request, _("Your notification settings have been saved."))
        return redirect("notifications:preferences")
    return render(request, "notifications/preferences.html", {"form": form})


@csrf_exempt  # The one-click POST of a mail client (RFC 8058) carries no CSRF token; the signed token guards it.
def unsubscribe(request, token: str):
    """No login: the signed token names the person and the kind. GET asks, POST (one click) unsubscribes."""
    if request.method == "POST":
        result = services.unsubscribe(token=token)
        if result is None:
            return render(request, "notifications/unsubscribe.html", {"invalid": True}, status=400)
        return render(request, "notifications/unsubscribe.html", {"done": True})
    if request.method != "GET":
        return render(request, "notifications/unsubscribe.html", {"invalid": True}, status=405)
    return render(request, "notifications/unsubscribe.html", {"token": token})


@login_required
def task_list(request):
    if not permissions.can_see_task_list(request.user):
        raise PermissionDenied
    return render(request, "notifications/tasks.html", {"tasks": selectors.task_list(user=request.user)})
