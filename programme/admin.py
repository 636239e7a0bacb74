from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from . import responsibility
from .models import FundingPhase, GrantingBody, PartnerOrganisation, Responsibility


class WorkflowEventInline(admin.TabularInline):
    """The steps of a workflow (``programme.models.WorkflowEvent``), read-only: "actor" names the person who
    took each step, or "System" when nobody did (the hourly expiry, the schedule)."""

    extra = 0
    can_delete = False
    exclude = ["by"]

    @admin.display(description=_("by"))
    def actor(self, event) -> str:
        return event.by_display


class TableChangeMixin:
    """Every change of the responsibility table or of the lead partner moves the companies whose partner
    is derived from their place (not those handed over by staff) to the partner their place now has."""

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        responsibility.table_changed()

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        responsibility.table_changed()

    def delete_queryset(self, request, queryset):
        super().delete_queryset(request, queryset)
        responsibility.table_changed()


@admin.register(PartnerOrganisation)
class PartnerOrganisationAdmin(TableChangeMixin, admin.ModelAdmin):
    list_display = ["name", "short_name", "kind", "city", "is_lead"]


@admin.register(Responsibility)
class ResponsibilityAdmin(TableChangeMixin, admin.ModelAdmin):
    """The table administrators edit: which partner looks after the companies of a city or region."""

    list_display = ["__str__", "city", "region", "partner"]
    list_filter = ["partner", "region"]
    search_fields = ["city"]


@admin.register(FundingPhase)
class FundingPhaseAdmin(admin.ModelAdmin):
    """Administrators edit the programme settings of each phase; the budget figures move only through services."""

    list_display = [
        "name",
        "start",
        "end",
        "total_budget",
        "voucher_budget",
        "reserved_amount",
        "spent_amount",
        "max_voucher_amount",
        "voucher_validity_months",
        "max_active_vouchers",
    ]
    readonly_fields = ["reserved_amount", "spent_amount"]


@admin.register(GrantingBody)
class GrantingBodyAdmin(admin.ModelAdmin):
    """The one row naming the granting body on vouchers and certificates: edited, never added twice or deleted."""

    list_display = ["name", "street", "postcode", "city"]

    def has_add_permission(self, request):
        return super().has_add_permission(request) and not GrantingBody.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False
