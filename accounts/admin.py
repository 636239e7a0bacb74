from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .models import AccountErasure, User
from .privacy import account_erase


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "first_name", "last_name", "role", "partner", "is_active"]
    list_filter = ["role", "partner", "is_active", "is_superuser"]
    search_fields = ["email", "first_name", "last_name"]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Personal info"), {"fields": ("first_name", "last_name", "phone", "language")}),
        (_("Role"), {"fields": ("role", "partner", "responsible_for")}),
        (_("Permissions"), {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")}),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "role", "password1", "password2")}),)
    actions = ["erase_accounts"]

    @admin.action(description=_("Erase selected accounts (GDPR)"), permissions=["change"])
    def erase_accounts(self, request, queryset):
        """Erasure requests of staff, coaches and funders (company members erase their own account)."""
        users = list(queryset.exclude(pk=request.user.pk).filter(erasure__isnull=True))
        if request.POST.get("confirmed") != "yes":
            context = {
                **self.admin_site.each_context(request),
                "title": _("Erase accounts"),
                "users": users,
                "opts": self.model._meta,
                "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
            }
            return TemplateResponse(request, "admin/accounts/user/erase_confirmation.html", context)
        for user in users:
            account_erase(user=user)
        count = len(users)
        self.message_user(
            request, ngettext("%(count)d account erased.", "%(count)d accounts erased.", count) % {"count": count}
        )
        return None


@admin.register(AccountErasure)
class AccountErasureAdmin(admin.ModelAdmin):
    """The audit trail of erasures: read-only."""

    list_display = ["user_id", "erased_at"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


# The admin's own login form would skip allauth's second factor and rate limits: send it to allauth's.
admin.site.login = secure_admin_login(admin.site.login)
