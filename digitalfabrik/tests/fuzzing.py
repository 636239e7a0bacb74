"""Reusable hostile-input fuzzing of forms and POST endpoints (hypothesis).

An :class:`Endpoint` names a URL, the role that submits it and one payload the endpoint accepts.
hypothesis then replaces, drops and adds fields with hostile values and checks, for every example:

- no 5xx, neither for the submission nor for the page a redirect leads to;
- redirects stay on this site (no open redirect);
- hostile markup never comes back unescaped (in the re-rendered form, the detail page, ``show``);
- a submission that is not accepted (no redirect) stores nothing in ``models``; one that is
  accepted stores only rows that pass the model's ``full_clean()``.

Each example runs in a savepoint that is rolled back, so examples do not see each other's rows.
Add an endpoint of a new app with one line in ENDPOINTS of test_fuzz_forms.py.
"""

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from digitalfabrik.testing import World

# Markup that must never reach a page unescaped. The names are unique so the page's own markup
# (e.g. <script src=...> in base.html) cannot match.
SCRIPT = "<script>fuzzpwn()</script>"
ATTRIBUTE_BREAKOUT = '"><b onmouseover=fuzzpwn()>x</b>'
UNESCAPED_MARKERS = (b"<script>fuzzpwn()", b"<b onmouseover=fuzzpwn()")

HOSTILE_TEXT = [
    "",
    " ",
    "\x00",
    "abc\x00def",
    "\x01\x02\x07\x08\x0b\x0c\x1b[31m\x7f",
    "\r\n\r\nSet-Cookie: pwned=1",
    "\u202egnp.exe",
    "\ufeff\u200b\u2028\u2029",
    "😀" * 300,
    "A" * 100_000,
    "ä" * 5_000,
    SCRIPT,
    ATTRIBUTE_BREAKOUT,
    "{{ 7*7 }}{% debug %}",
    "'; DROP TABLE companies_company; --",
    "1' OR '1'='1",
    '" OR ""="',
    "%00%27%22",
    "../../../../etc/passwd",
    "//evil.example/",
    "https://evil.example/login",
    "javascript:fuzzpwn()",
    "9" * 400,
    "-9" * 50,
    "1e308",
    "-1",
    "-0",
    "NaN",
    "Infinity",
    "0x7fffffffffffffff",
    "99999999999999999999999999999999.999999",
    "1.234.567,89",
    "1,5",
    "12.345,678.9",
    "2147483648",
    "-2147483649",
    "9223372036854775808",
    "true",
    "null",
    "[]",
    "{}",
]


def _wrong_type():
    """Values of the wrong shape: several values for one field, or a file where text is expected."""
    return st.one_of(
        st.lists(st.sampled_from(HOSTILE_TEXT), min_size=2, max_size=3),
        st.builds(lambda: SimpleUploadedFile("x.exe", b"MZ\x00\x01" * 64, content_type="application/octet-stream")),
    )


HOSTILE_VALUE = st.one_of(
    st.sampled_from(HOSTILE_TEXT),
    st.text(max_size=80),
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    _wrong_type(),
)


@dataclass
class Endpoint:
    url_name: str
    role: str
    valid: Callable[[World], dict]
    kwargs: Callable[[World], dict] = lambda world: {}
    method: str = "post"
    models: tuple[str, ...] = ()
    show: Callable[[World], str] | None = None
    label: str = ""
    # Whether the valid payload is accepted with a redirect (False for GET searches and the like).
    accepts: bool = True
    examples: int = field(default_factory=lambda: int(os.environ.get("FUZZ_EXAMPLES", "20")))

    @property
    def id(self) -> str:
        return f"{self.method.upper()} {self.url_name} as {self.role}{' ' + self.label if self.label else ''}"


def hostile_payloads(valid: dict):
    """A valid payload with some fields replaced by hostile values, some dropped, maybe one extra."""
    keys = sorted(valid)
    return st.builds(
        lambda overrides, dropped, extra: {
            **{key: value for key, value in valid.items() if key not in dropped},
            **overrides,
            **({"unexpected_field": extra} if extra is not None else {}),
        },
        st.dictionaries(st.sampled_from(keys), HOSTILE_VALUE, min_size=1, max_size=len(keys)),
        st.sets(st.sampled_from(keys), max_size=2),
        st.none() | HOSTILE_VALUE,
    )


def _counts(models: tuple[str, ...]) -> dict[str, int]:
    return {label: apps.get_model(label).objects.count() for label in models}


def _last_pks(models: tuple[str, ...]) -> dict[str, int]:
    return {label: apps.get_model(label).objects.aggregate(last=Max("pk"))["last"] or 0 for label in models}


def _assert_new_rows_valid(models: tuple[str, ...], last_pks: dict[str, int], what: str) -> None:
    """Accepted input may only store rows that pass the model's own validation."""
    for label in models:
        for row in apps.get_model(label).objects.filter(pk__gt=last_pks[label]):
            try:
                row.full_clean()
            except ValidationError as error:
                raise AssertionError(f"{what}: stored an invalid {label}: {error.message_dict}") from error


def _assert_safe_page(response, what: str) -> None:
    assert response.status_code < 500, f"{what}: {response.status_code}"
    content = response.content
    for marker in UNESCAPED_MARKERS:
        assert marker not in content, f"{what}: unescaped {marker!r} in the page"


def _on_site(location: str) -> bool:
    """As a browser reads it: browsers drop tabs and newlines and treat backslashes as slashes."""
    seen = "".join(char for char in location if char not in "\t\r\n").replace("\\", "/").strip()
    parts = urlsplit(seen)
    return parts.scheme in ("", "http", "https") and parts.netloc in ("", "testserver") and not seen.startswith("//")


def fuzz(endpoint: Endpoint, client, world: World) -> None:
    url = reverse(endpoint.url_name, kwargs=endpoint.kwargs(world))
    send = getattr(client, endpoint.method)
    valid = endpoint.valid(world)

    def check(payload) -> int:
        with transaction.atomic():
            # Logged in afresh each time: an example may have logged the user out (or erased them).
            if endpoint.role != "anonymous":
                client.force_login(world.users[endpoint.role])
            before, last_pks = _counts(endpoint.models), _last_pks(endpoint.models)
            response = send(url, payload)
            _assert_safe_page(response, f"{endpoint.id} {payload!r:.300}")
            if response.status_code in (301, 302, 303):
                location = response["Location"]
                assert _on_site(location), f"{endpoint.id}: redirect off-site to {location!r}"
                _assert_safe_page(client.get(location), f"{endpoint.id} → {location}")
                _assert_new_rows_valid(endpoint.models, last_pks, endpoint.id)
            else:
                assert _counts(endpoint.models) == before, f"{endpoint.id}: rejected input stored rows"
            if endpoint.show:
                _assert_safe_page(client.get(endpoint.show(world)), f"{endpoint.id} show")
            transaction.set_rollback(True)
        return response.status_code

    # The valid payload must pass, or the fuzzing below would only ever test the rejection path.
    status = check(valid)
    assert (status in (301, 302, 303)) == endpoint.accepts, f"{endpoint.id}: valid payload gave {status}"
    # Markup in each field on its own, the rest valid: stored text must come back escaped.
    for key in valid:
        check({**valid, key: SCRIPT + ATTRIBUTE_BREAKOUT})

    @settings(
        max_examples=endpoint.examples,
        deadline=None,
        database=None,
        derandomize=os.environ.get("FUZZ_RANDOM") != "1",
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(payload=hostile_payloads(valid))
    def example(payload):
        check(payload)

    example()
