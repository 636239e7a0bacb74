from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from . import services
from .models import ApiToken


@admin.action(description=_("Revoke the selected tokens"))
def revoke(modeladmin, request, queryset):
    for token in queryset:
        services.token_revoke(token=token, by=request.user)


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["name", "user", "prefix", "created_at", "expires_at", "last_used_at", "revoked_at"]
    list_filter = ["revoked_at"]
    search_fields = ["name", "user__email", "prefix"]
    readonly_fields = ["user", "prefix", "scopes", "created_at", "expires_at", "last_used_at", "revoked_at"]
    exclude = ["key_hash"]
    actions = [revoke]

    def has_add_permission(self, request):
        return False
