from django.contrib import admin

from programme.admin import WorkflowEventInline

from .models import (
    Case,
    CaseAssignment,
    CaseStatusChange,
    Event,
    EventRegistration,
    Project,
    ProjectMeeting,
    Session,
    SessionCorrection,
)


class StatusChangeInline(WorkflowEventInline):
    model = CaseStatusChange
    readonly_fields = ["from_state", "to_state", "actor", "at", "note"]

    def has_add_permission(self, request, obj=None):
        return False


class AssignmentInline(admin.TabularInline):
    model = CaseAssignment
    extra = 0
    can_delete = False
    readonly_fields = ["coach", "previous_coach", "by", "at", "note"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Case)
class CaseAdmin(admin.ModelAdmin):
    """Read-mostly: status and coach change only through the portal's services (with history)."""

    list_display = ["company", "topic", "status", "coach", "created_at"]
    list_filter = ["status", "topic", "company__region"]
    search_fields = ["company__name", "description"]
    readonly_fields = ["status", "outcome", "outcome_note", "coach", "closed_at", "created_at"]
    raw_id_fields = ["company", "requested_by"]
    filter_horizontal = ["added_coaches"]
    inlines = [StatusChangeInline, AssignmentInline]


class CorrectionInline(admin.TabularInline):
    """A held session's corrections are its history: shown, never edited."""

    model = SessionCorrection
    extra = 0
    can_delete = False
    readonly_fields = ["by", "at", "before", "after", "note"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Session)
class SessionAdmin(admin.ModelAdmin):
    list_display = ["case", "starts_at", "status", "form", "duration_hours"]
    list_filter = ["status", "form"]
    raw_id_fields = ["case"]
    readonly_fields = ["status", "sequence", "held_recorded_at", "cancelled_at", "cancellation_note"]
    inlines = [CorrectionInline]


class MeetingInline(admin.TabularInline):
    model = ProjectMeeting
    extra = 0


@admin.register(Project)
class ProjectAdmin(admin.ModelAdmin):
    list_display = ["title", "topic", "coach"]
    filter_horizontal = ["companies"]
    inlines = [MeetingInline]


class RegistrationInline(admin.TabularInline):
    model = EventRegistration
    extra = 0
    readonly_fields = ["attended"]


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "starts_at", "organiser", "capacity"]
    list_filter = ["kind", "organiser"]
    inlines = [RegistrationInline]
