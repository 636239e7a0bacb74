"""Liveness and readiness: status codes for everyone, never internals."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_liveness_answers_ok_without_asking_anything(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get(reverse("health:live"))
    assert response.status_code == 200
    assert response.content == b"ok\n"
    assert "no-cache" in response["Cache-Control"]


def test_readiness_checks_database_broker_and_storage(client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    response = client.get(reverse("health:ready"), HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    assert response.content == b"ok\n"
    assert response["Content-Type"].startswith("text/plain")
    # The storage check leaves nothing behind.
    assert not any(path.is_file() for path in (tmp_path / "media").rglob("*"))


@pytest.mark.parametrize("query", ["", "?format=json", "?format=text", "?format=openmetrics", "?format=rss"])
def test_an_unreachable_broker_is_503_and_nothing_more(client, settings, query):
    from digitalfabrik.celery import app

    original = app.conf.broker_write_url
    app.conf.broker_write_url = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    try:
        response = client.get(reverse("health:ready") + query, HTTP_ACCEPT="application/json")
    finally:
        app.conf.broker_write_url = original
    assert response.status_code == 503
    assert response.content == b"unavailable\n"


def test_a_failing_storage_is_503_for_an_administrator_too(client, world, s3_storage, settings):
    from digitalfabrik.settings.storage import s3_storage as s3_backend

    settings.STORAGES = {
        **settings.STORAGES,
        "default": s3_backend(
            bucket="no-such-bucket",
            endpoint_url=s3_storage.endpoint_url,
            access_key=s3_storage.access_key,
            secret_key=s3_storage.secret_key,
            region=s3_storage.region,
        ),
    }
    client.force_login(world.users["admin"])
    response = client.get(reverse("health:ready"))
    assert response.status_code == 503
    assert response.content == b"unavailable\n"
