import os

from celery import Celery, signals

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "digitalfabrik.settings.dev")

app = Celery("digitalfabrik")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@signals.setup_logging.connect
def use_django_logging(**kwargs) -> None:
    """Workers and beat log through Django's LOGGING (JSON in production) instead of Celery's own set-up."""
    from logging.config import dictConfig

    from django.conf import settings

    dictConfig(settings.LOGGING)
