import datetime

from celery import shared_task

from digitalfabrik.schedule import every, run_once_per_slot

from . import services
from .budget import budget_check_and_report


@shared_task(name="innoscheck.tasks.render_voucher_documents", max_retries=3, default_retry_delay=30)
def render_voucher_documents(application_id: int) -> str:
    """Render the voucher and the de-minimis certificate PDFs (idempotent); returns the voucher's name."""
    return services.voucher_documents_render(application_id=application_id).voucher_pdf.name


@shared_task(name="innoscheck.tasks.expire_vouchers")
@run_once_per_slot(every(datetime.timedelta(hours=1)))
def expire_vouchers() -> int | None:
    """Periodic (Celery beat): approved vouchers past their validity expire and release their amount."""
    return services.vouchers_expire_due()


@shared_task(name="innoscheck.tasks.check_budget")
@run_once_per_slot(every(datetime.timedelta(days=1)))
def check_budget() -> int | None:
    """Periodic (Celery beat, daily): mail the administrators if a phase's budget totals are off."""
    return len(budget_check_and_report())
