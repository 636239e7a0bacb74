from django.contrib import admin

from programme.admin import WorkflowEventInline

from .models import Report, ReportDownload, ReportEvent


class ReportEventInline(WorkflowEventInline):
    model = ReportEvent
    readonly_fields = ["at", "actor", "from_state", "to_state", "note"]


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin):
    list_display = ["pk", "kind", "phase", "period_start", "period_end", "status", "requested_by", "requested_at"]
    list_filter = ["kind", "status", "phase"]
    readonly_fields = [
        "status",
        "failure_reason",
        "attempts",
        "started_at",
        "heartbeat_at",
        "finished_at",
        "file",
        "checksum",
        "size",
        "page_count",
        "timings",
    ]
    inlines = [ReportEventInline]

    def has_add_permission(self, request):
        # Reports are requested in the portal, which queues the PDF task; an admin-made row would never be built.
        return False

    def has_change_permission(self, request, obj=None):
        # A stored report matches its parameters and checksum; it is only looked at here.
        return False


@admin.register(ReportDownload)
class ReportDownloadAdmin(admin.ModelAdmin):
    list_display = ["report", "user", "at"]
    readonly_fields = ["report", "user", "at"]

    def has_add_permission(self, request):
        return False
