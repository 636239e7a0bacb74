from django.contrib import admin

from .models import LegalPage


@admin.register(LegalPage)
class LegalPageAdmin(admin.ModelAdmin):
    """Administrators edit the imprint and the privacy policy; the pages themselves are fixed."""

    list_display = ["__str__", "title_de", "title_en", "updated_at"]
    fields = ["kind", "title_de", "text_de", "title_en", "text_en", "updated_at"]
    readonly_fields = ["kind", "updated_at"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
