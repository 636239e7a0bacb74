"""English pages: European dates (30 May 2027) and the 24-hour clock, never month first."""

import datetime

from django.template import Context, Template
from django.utils import formats, translation

MOMENT = datetime.datetime(2027, 5, 30, 17, 5)


def _render(source: str) -> str:
    return Template(source).render(Context({"moment": MOMENT, "day": MOMENT.date()}))


def test_english_dates_put_the_day_first_and_use_the_24_hour_clock():
    with translation.override("en"):
        assert _render('{{ day|date:"DATE_FORMAT" }}') == "30 May 2027"
        assert _render('{{ day|date:"SHORT_DATE_FORMAT" }}') == "30 May 2027"
        assert _render('{{ moment|date:"DATETIME_FORMAT" }}') == "30 May 2027, 17:05"
        assert _render('{{ moment|date:"SHORT_DATETIME_FORMAT" }}') == "30 May 2027, 17:05"
        assert _render("{{ moment|time }}") == "17:05"
        assert _render("{{ day }}") == "30 May 2027"


def test_german_dates_stay_german():
    with translation.override("de"):
        assert _render('{{ day|date:"SHORT_DATE_FORMAT" }}') == "30.05.2027"
        assert _render('{{ moment|date:"SHORT_DATETIME_FORMAT" }}') == "30.05.2027 17:05"


def test_english_input_never_reads_a_date_month_first():
    with translation.override("en"):
        input_formats = formats.get_format("DATE_INPUT_FORMATS")
    assert "%m/%d/%Y" not in input_formats and "%m/%d/%y" not in input_formats
    assert input_formats[0] == "%d.%m.%Y"
