"""seed_demo: the demo comes from the factories and the services, the same on every run."""

import pytest
from django.apps import apps
from django.core.management import call_command

from accounts.models import User
from companies.models import Company

PORTAL_APPS = ["programme", "accounts", "companies", "coaching", "innoscheck", "reporting"]


def _row_counts() -> dict[str, int]:
    return {
        model._meta.label: model.objects.count()
        for app in PORTAL_APPS
        for model in apps.get_app_config(app).get_models()
    }


@pytest.mark.django_db
def test_the_demo_is_complete_and_a_second_run_changes_nothing():
    call_command("seed_demo", "--quiet")
    first = _row_counts()
    people = sorted(User.objects.values_list("email", "first_name", "last_name", "role"))
    call_command("seed_demo", "--quiet")

    assert _row_counts() == first
    assert sorted(User.objects.values_list("email", "first_name", "last_name", "role")) == people
    assert Company.objects.count() >= 20
    assert first["coaching.Session"] > 0 and first["innoscheck.Application"] > 0
    admin = User.objects.get(email="admin@digitale-fabrik.example")
    assert admin.check_password("Digitale-Fabrik-2026") and admin.is_superuser
