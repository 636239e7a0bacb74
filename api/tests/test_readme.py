"""The README's curl examples (section "API") work as written: each one, sent with the token of a role
that may use it, gets a 2xx. The ids in the examples stand for objects of the test world."""

import json
import re
import shlex
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.conf import settings

from api.tests import api_authz
from api.tests.factories import bearer, token_for

pytestmark = pytest.mark.django_db

README = Path(settings.BASE_DIR) / "README.md"
# Who sends which example: the roles the README's scope table names for the endpoint.
SENDER = [
    (r"^/api/v1/(indicators|reports)/", "funder"),
    (r"^/api/v1/coaching/cases/$", None),  # POST: a company member; GET: staff
    (r"^/api/v1/(applications|companies|coaching)/", "staff_lead"),
    (r"^/api/v1/events", "anonymous"),
]


def _examples() -> list[tuple[str, str, dict | None]]:
    """(method, path with query, JSON body) of each curl command in the API section's shell block."""
    section = README.read_text().split("\n## API\n", 1)[1].split("\n## ", 1)[0]
    block = section.split("```sh\n", 1)[1].split("```", 1)[0]
    commands = re.sub(r"\\\n\s*", " ", block).splitlines()
    examples = []
    for command in commands:
        if not command.startswith("curl "):
            continue
        words = shlex.split(command, comments=True)
        body = json.loads(words[words.index("-d") + 1]) if "-d" in words else None
        url = urlsplit(next(word for word in words if word.startswith("https://")))
        path = url.path + (f"?{url.query}" if url.query else "")
        examples.append(("post" if body is not None else "get", path, body))
    return examples


def test_the_readme_has_a_curl_example_per_main_endpoint():
    paths = {urlsplit(path).path for _, path, _ in _examples()}
    for endpoint in ("indicators", "reports", "applications", "companies", "coaching/cases", "events", "events.ics"):
        assert any(path.startswith(f"/api/v1/{endpoint}") for path in paths), endpoint


def _sender(method: str, path: str) -> str:
    for pattern, role in SENDER:
        if re.match(pattern, urlsplit(path).path):
            return role or ("member_a" if method == "post" else "staff_lead")
    raise AssertionError(f"no sender for {path}")


def test_the_readme_examples_work_as_written(client, world, settings, tmp_path):
    import datetime

    from django.utils import timezone

    from coaching.tests.factories import EventFactory

    settings.MEDIA_ROOT = tmp_path / "media"
    api_authz.build(world)
    objects = world.objects
    EventFactory(starts_at=timezone.now() + datetime.timedelta(days=3))
    # The example ids stand for: phase 1, report 42, case 7, company 3.
    ids = {
        "phase": objects["phase"].pk,
        "reports": objects["report_done"].pk,
        "cases": objects["case_a"].pk,
        "company": world.company_a.pk,
    }
    failed = []
    for method, path, body in _examples():
        path = re.sub(r"phase=1\b", f"phase={ids['phase']}", path)
        path = re.sub(r"/reports/42/", f"/reports/{ids['reports']}/", path)
        path = re.sub(r"/cases/7/", f"/cases/{ids['cases']}/", path)
        role = _sender(method, path)
        headers = {} if role == "anonymous" else bearer(token_for(world.users[role]))
        if method == "post":
            body = {**body, **{key: ids[key] for key in ("phase", "company") if key in body}}
            response = client.post(path, body, content_type="application/json", **headers)
        else:
            response = client.get(path, **headers)
        if not 200 <= response.status_code < 300:
            failed.append(f"{method.upper()} {path} as {role}: {response.status_code} {response.content[:300]!r}")
    assert not failed, "\n".join(failed)


def test_the_readme_scope_table_names_every_scope_and_the_scope_each_endpoint_needs():
    from django.urls import resolve

    from api.scopes import Scope

    section = README.read_text().split("\n## API\n", 1)[1].split("\n## ", 1)[0]
    rows = re.findall(r"^\| `([a-z]+:[a-z]+)` \| (.+?) \|", section, flags=re.MULTILINE)
    assert sorted(scope for scope, _ in rows) == sorted(Scope.values)
    for scope, endpoints in rows:
        for method, path in re.findall(r"`(GET|POST) (/api/v1/[^`]+)`", endpoints):
            view = resolve(path.replace("{id}", "1")).func.view_class
            assert view.required_scopes[method] == scope, (method, path)
