from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

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
    readonly_fields = ["size_class"]
    inlines = [MembershipInline]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["email", "company", "created_at", "accepted_at"]
    search_fields = ["email", "company__name"]
