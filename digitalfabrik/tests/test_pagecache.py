"""Cached pages are never stale: every write Django makes moves the data version on."""

import io
import re

import pytest
from django.contrib import messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.core.management import call_command
from django.db import connection, transaction
from django.http import HttpResponse
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import Role
from accounts.tests.factories import StaffFactory
from companies.models import Company
from companies.tests.factories import CompanyFactory
from digitalfabrik import pagecache

pytestmark = pytest.mark.django_db

CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([A-Za-z0-9]+)"')


@pytest.mark.parametrize(
    ("sql", "table"),
    [
        ('INSERT INTO "coaching_case" ("topic") VALUES (%s)', "coaching_case"),
        ('UPDATE "companies_company" SET "name" = %s', "companies_company"),
        ('  delete from "innoscheck_application" WHERE id = 1', "innoscheck_application"),
        ('TRUNCATE "accounts_user", "companies_company"', "accounts_user"),
        ('SELECT "id" FROM "coaching_case" FOR UPDATE', None),
        ("SELECT 1 WHERE 'UPDATE x' = ''", None),
    ],
)
def test_written_table_finds_the_table_of_each_write_and_nothing_in_reads(sql, table):
    assert pagecache.written_table(sql) == table


def test_each_kind_of_write_moves_the_version_on(world):
    company = world.company_a
    versions = [pagecache.data_version()]
    company.save(update_fields=["name"])
    versions.append(pagecache.data_version())
    Company.objects.filter(pk=company.pk).update(name="Umbenannt GmbH")
    versions.append(pagecache.data_version())
    with connection.cursor() as cursor:
        cursor.execute('UPDATE "companies_company" SET "city" = %s WHERE "id" = %s', ["Bochum", company.pk])
    versions.append(pagecache.data_version())
    assert versions == sorted(set(versions)), versions


def test_reads_and_session_writes_leave_the_version_alone(client, world):
    version = pagecache.data_version()
    list(Company.objects.all())
    client.force_login(world.users["member_a"])  # writes django_session (and last_login: see below)
    version_after_login = pagecache.data_version()
    session = client.session
    session["anything"] = 1
    session.save()
    assert pagecache.data_version() == version_after_login
    assert version_after_login >= version


@pytest.mark.django_db(transaction=True)
def test_a_write_in_a_transaction_moves_the_version_again_when_it_commits():
    company = CompanyFactory()
    before = pagecache.data_version()
    with transaction.atomic():
        company.save(update_fields=["name"])
        company.save(update_fields=["city"])
        during = pagecache.data_version()
        assert [entry[1] for entry in connection.run_on_commit].count(pagecache._bump) == 1
    assert before < during < pagecache.data_version()


def _dashboard(client):
    return client.get(reverse("dashboard"))


def test_a_second_visit_is_served_from_the_cache_with_the_same_page(client, world):
    client.force_login(world.users["member_a"])
    first = _dashboard(client)
    with CaptureQueriesContext(connection) as queries:
        second = _dashboard(client)
    assert second.status_code == 200
    assert second.context is None, "served without rendering a template"
    assert _without_csrf(second) == _without_csrf(first)
    # Only what the middleware needs: the session and the user.
    assert all('"companies_' not in query["sql"] and '"coaching_' not in query["sql"] for query in queries)


def test_a_change_shows_on_the_next_visit(client, world):
    client.force_login(world.users["member_a"])
    assert "Firma A GmbH" in _dashboard(client).text
    Company.objects.filter(name="Firma A GmbH").update(name="Firma A Neu GmbH")
    page = _dashboard(client).text
    assert "Firma A Neu GmbH" in page
    assert "Firma A GmbH" not in page


def test_users_never_see_each_others_cached_page(client, world):
    client.force_login(world.users["member_a"])
    assert "Firma A GmbH" in _dashboard(client).text
    client.force_login(world.users["member_b"])
    page = _dashboard(client).text
    assert "Firma B GmbH" in page
    assert "Firma A GmbH" not in page


def test_languages_are_cached_apart(client, world):
    client.force_login(world.users["member_a"])
    german = client.get(reverse("dashboard"), headers={"accept-language": "de"})
    english = client.get(reverse("dashboard"), headers={"accept-language": "en"})
    assert "Ihr Dashboard" in german.text or "Übersicht" in german.text
    assert "Your dashboard" in english.text


def test_permission_withdrawn_is_refused_at_once(client):
    staff = StaffFactory()
    client.force_login(staff)
    assert client.get(reverse("innoscheck:queue")).status_code == 200
    staff.role = Role.COMPANY
    staff.save(update_fields=["role"])
    assert client.get(reverse("innoscheck:queue")).status_code == 403


def test_each_visitor_gets_their_own_valid_csrf_token_from_the_cached_login_page():
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    first_page = first.get(reverse("account_login"))
    second_page = second.get(reverse("account_login"))
    assert second_page.context is None, "the second visitor's page came from the cache"
    token = CSRF_INPUT.search(second_page.text)[1]
    assert token != CSRF_INPUT.search(first_page.text)[1]
    response = second.post(
        reverse("account_login"), {"login": "nobody@example.com", "password": "x", "csrfmiddlewaretoken": token}
    )
    assert response.status_code == 200, "the form was checked, not refused by the CSRF check (403)"
    assert "csrfmiddlewaretoken" in response.text


def test_pending_messages_are_shown_not_a_cached_page(world):
    request = _get_request(world.users["member_a"])
    renders = []

    @pagecache.cache_page_per_user
    def view(request):
        renders.append(1)
        shown = " ".join(str(message) for message in messages.get_messages(request))
        return HttpResponse(f"<p>{shown}</p>", content_type="text/html; charset=utf-8")

    view(request)
    messages.success(request, "Gespeichert.")
    assert view(request).content == b"<p>Gespeichert.</p>"
    assert len(renders) == 2


def test_switched_off_every_visit_renders(client, world, settings):
    settings.PAGE_CACHE_ENABLED = False
    client.force_login(world.users["member_a"])
    _dashboard(client)
    assert _dashboard(client).context is not None


def _get_request(user):
    request = RequestFactory().get("/")
    request.user = user
    request.session = {}
    request._messages = FallbackStorage(request)
    return request


def _without_csrf(response) -> str:
    return CSRF_INPUT.sub("", response.text)


def test_data_changed_command_makes_cached_pages_out_of_date(client, world):
    client.force_login(world.users["member_a"])
    _dashboard(client)
    with connection.cursor() as cursor:
        # As a restore or psql would: past Django's connection wrapper, so no version change.
        cursor.cursor.execute("UPDATE companies_company SET name = 'Von außen GmbH' WHERE name = 'Firma A GmbH'")
    assert "Von außen GmbH" not in _dashboard(client).text
    call_command("data_changed", stdout=io.StringIO())
    assert "Von außen GmbH" in _dashboard(client).text


def test_an_update_that_matches_no_row_leaves_the_version_alone(world):
    """A periodic sweep with nothing to do must not empty everyone's cache."""
    version = pagecache.data_version()
    assert Company.objects.filter(name="Gibt es nicht GmbH").update(city="Hagen") == 0
    Company.objects.filter(name="Gibt es nicht GmbH").delete()
    assert pagecache.data_version() == version


def test_a_page_with_a_token_written_another_way_is_not_cached(world):
    request = _get_request(world.users["member_a"])
    renders = []

    @pagecache.cache_page_per_user
    def view(request):
        renders.append(1)
        body = '<form><input name="csrfmiddlewaretoken" type="hidden" value="abc"></form>'
        return HttpResponse(body, content_type="text/html; charset=utf-8")

    view(request)
    view(request)
    assert len(renders) == 2


def test_visitors_cannot_fill_the_cache_with_made_up_addresses(client):
    client.get(reverse("account_login"), {"next": "/x/"})
    assert client.get(reverse("account_login"), {"next": "/x/"}).context is not None
    client.get(reverse("account_login"))
    assert client.get(reverse("account_login")).context is None
