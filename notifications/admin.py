from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .models import OutboxMail, OutboxStatus
from .outbox import outbox_resend


class FailedFirst(admin.SimpleListFilter):
    title = _("delivery")
    parameter_name = "delivery"

    def lookups(self, request, model_admin):
        return [("problem", _("Failed or retrying"))]

    def queryset(self, request, queryset):
        if self.value() == "problem":
            return queryset.exclude(status=OutboxStatus.SENT).filter(attempts__gt=0)
        return queryset


@admin.register(OutboxMail)
class OutboxMailAdmin(admin.ModelAdmin):
    list_display = ["created_at", "recipient", "kind", "subject", "status", "attempts", "last_error", "sent_at"]
    list_filter = ["status", FailedFirst, "kind", "language"]
    search_fields = ["recipient", "subject"]
    date_hierarchy = "created_at"
    actions = ["resend"]
    readonly_fields = [field.name for field in OutboxMail._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    @admin.action(description=_("Resend the selected e-mails"))
    def resend(self, request, queryset):
        count = outbox_resend(mail_ids=list(queryset.values_list("pk", flat=True)))
        self.message_user(
            request,
            ngettext("%(count)d e-mail queued again.", "%(count)d e-mails queued again.", count) % {"count": count},
            messages.SUCCESS,
        )
