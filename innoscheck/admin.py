from django.contrib import admin

from programme.admin import WorkflowEventInline

from .models import Application, ApplicationEvent, Expert


@admin.register(Expert)
class ExpertAdmin(admin.ModelAdmin):
    list_display = ["name", "firm", "email", "daily_rate", "confirmed"]
    list_filter = ["confirmed"]
    search_fields = ["name", "firm", "email"]


class ApplicationEventInline(WorkflowEventInline):
    model = ApplicationEvent
    readonly_fields = ["at", "actor", "action", "from_state", "to_state", "note"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Application)
class ApplicationAdmin(admin.ModelAdmin):
    """Read-only: applications change only through the portal's services (audit trail, budget, e-mails)."""

    list_display = ["__str__", "company", "status", "requested_amount", "approved_amount", "submitted_at"]
    list_filter = ["status", "topic", "phase"]
    search_fields = ["title", "voucher_number", "company__name"]
    inlines = [ApplicationEventInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
