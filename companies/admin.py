from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from . import services
from .models import Company, Invitation, Membership


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Company)
class CompanyAdmin(SimpleHistoryAdmin):
    list_display = ["name", "postcode", "city", "region", "chamber", "size_class"]
    list_filter = ["region", "chamber", "size_class", "wz_section"]
    search_fields = ["name", "city", "postcode"]
    fields = [*services.PROFILE_FIELDS, "founding_date_confirmed", "size_class", "responsible_partner"]
    readonly_fields = ["size_class", "responsible_partner"]
    inlines = [MembershipInline]

    def has_add_permission(self, request):
        """Companies register in the portal (the registering person becomes a member)."""
        return False

    def save_model(self, request, obj, form, change):
        """Through the portal's service: the SME class follows the figures and the history records the change."""
        values = {field: form.cleaned_data[field] for field in [*services.PROFILE_FIELDS, "founding_date_confirmed"]}
        services.company_update(company=obj, by=request.user, **values)


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["email", "company", "created_at", "accepted_at"]
    search_fields = ["email", "company__name"]
