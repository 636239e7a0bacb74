"""Durations are written one way everywhere (the ``duration`` filter)."""

import datetime
from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import translation

NOW = datetime.datetime(2027, 5, 30, 12, 0, tzinfo=datetime.UTC)


@pytest.mark.parametrize(
    ("value", "english", "german"),
    [
        (Decimal("1.5"), "1 h 30 min", "1 Std. 30 Min."),
        (Decimal("2"), "2 h", "2 Std."),
        (0.75, "45 min", "45 Min."),
        (datetime.timedelta(days=1, hours=3), "1 day", "1 Tag"),
        (datetime.timedelta(days=12), "12 days", "12 Tage"),
        (NOW - datetime.timedelta(days=3, hours=2), "3 days", "3 Tage"),
        (None, "", ""),
    ],
)
def test_one_way_to_write_a_duration(value, english, german):
    template = Template("{% load portal_format %}{{ value|duration:now }}")
    for language, expected in (("en", english), ("de", german)):
        with translation.override(language):
            assert template.render(Context({"value": value, "now": NOW})) == expected
