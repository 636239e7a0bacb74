from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from coaching.models import Case
from digitalfabrik.paging import paginate
from digitalfabrik.shortcuts import stored_file_response
from digitalfabrik.uploads import accepts_uploads
from innoscheck.models import Application

from . import conversations, permissions, selectors, services
from .forms import KindFilterForm, MessageForm, PreferencesForm
from .models import MessageAttachment, Notification

FILE_ERRORS = {"empty", "too_large", "wrong_type"}


@login_required
def notification_list(request):
    form = KindFilterForm(request.GET or None)
    kind = form.cleaned_data["kind"] if form.is_valid() else ""
    page = paginate(request, services.notifications_for(request.user, kind=kind))["page"]
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


def _thread(request, subject, *, back: str):
    if not conversations.can_view_thread(request.user, subject):
        raise PermissionDenied
    may_write_internal = conversations.can_write_internal(request.user, subject)
    form = MessageForm(request.POST or None, request.FILES or None, may_write_internal=may_write_internal)
    if request.method == "POST" and form.is_valid():
        try:
            conversations.message_post(
                subject=subject,
                author=request.user,
                text=form.cleaned_data["text"],
                internal=form.cleaned_data.get("internal", False),
                files=form.cleaned_data["files"],
            )
        except ValidationError as error:
            form.add_error("files" if error.code in FILE_ERRORS else None, error)
        else:
            messages.success(request, _("Your message has been sent."))
            return redirect(request.path)
    return render(
        request,
        "notifications/thread.html",
        {
            "subject": subject,
            "back": back,
            "thread": conversations.thread_messages(user=request.user, subject=subject),
            "form": form,
        },
    )


@login_required
@accepts_uploads
def case_thread(request, pk: int):
    case = get_object_or_404(Case.objects.select_related("company"), pk=pk)
    return _thread(request, case, back=reverse("coaching:case_detail", args=[pk]))


@login_required
@accepts_uploads
def application_thread(request, pk: int):
    application = get_object_or_404(Application.objects.select_related("company"), pk=pk)
    return _thread(request, application, back=reverse("innoscheck:detail", args=[pk]))


@login_required
def message_attachment(request, pk: int):
    attachment = get_object_or_404(
        MessageAttachment.objects.select_related("message__case__company", "message__application__company"), pk=pk
    )
    if not conversations.can_download(request.user, attachment):
        raise PermissionDenied
    return stored_file_response(
        attachment.file, filename=attachment.original_name, content_type=attachment.content_type
    )
