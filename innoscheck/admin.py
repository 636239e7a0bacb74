from django.contrib import admin

from .models import FundingPhase


@admin.register(FundingPhase)
class FundingPhaseAdmin(admin.ModelAdmin):
    list_display = ["name", "start", "end", "total_budget", "voucher_budget", "max_voucher_amount"]
