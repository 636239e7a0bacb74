from django.contrib import admin

from .models import FundingPhase, GrantingBody, PartnerOrganisation, Responsibility


@admin.register(PartnerOrganisation)
class PartnerOrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "short_name", "kind", "city", "is_lead"]


@admin.register(Responsibility)
class ResponsibilityAdmin(admin.ModelAdmin):
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
