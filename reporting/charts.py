"""The report's charts as SVG (pygal), the same in the PDF and on the funders' dashboard."""

import math

import pygal
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _
from pygal.style import Style

from programme.choices import Topic

STYLE = Style(
    font_family="DejaVu Sans, sans-serif",
    background="white",
    plot_background="white",
    colors=("#1f5f99", "#e07b1f", "#3a9a5b", "#a33b3b"),
    title_font_size=16,
    label_font_size=11,
    major_label_font_size=11,
    legend_font_size=12,
    value_font_size=11,
)
CHART_NAMES = ("vouchers_by_topic", "companies_by_city", "budget_burndown")
_FIXED_OPTIONS = {"style": STYLE, "js": [], "disable_xml_declaration": True, "width": 800, "height": 400}


def _options() -> dict:
    """The options of every chart, with the texts in the active language (pygal's own are English)."""
    return {**_FIXED_OPTIONS, "no_data_text": _("No data")}


def _count_ticks(values: list[int]) -> list[int]:
    """Whole-number ticks for counts (pygal would divide a small range into fractions)."""
    top = max(values, default=0) or 1
    step = max(1, math.ceil(top / 8))
    return list(range(0, top + step, step))


def _topic_label(key: str) -> str:
    return str(Topic(key).label) if key in Topic.values else key or _("not given")


def vouchers_by_topic(data: dict) -> str:
    rows = data["by_topic"]
    ticks = _count_ticks([row[key] for row in rows for key in ("submitted", "approved", "paid")])
    chart = pygal.HorizontalBar(title=_("Vouchers by topic"), legend_at_bottom=True, y_labels=ticks, **_options())
    chart.x_labels = [_topic_label(row["key"]) for row in rows]
    chart.add(_("submitted"), [row["submitted"] for row in rows])
    chart.add(_("approved"), [row["approved"] for row in rows])
    chart.add(_("paid"), [row["paid"] for row in rows])
    return chart.render(is_unicode=True)


def companies_by_city(data: dict) -> str:
    rows = data["companies_by_city"][:12]
    ticks = _count_ticks([row["companies"] for row in rows])
    chart = pygal.Bar(title=_("Supported companies by city"), show_legend=False, y_labels=ticks, **_options())
    chart.x_labels = [row["city"] for row in rows]
    chart.add(_("companies"), [row["companies"] for row in rows])
    return chart.render(is_unicode=True)


def budget_burndown(data: dict) -> str:
    chart = pygal.Line(
        title=_("Free voucher budget (EUR)"),
        show_legend=False,
        x_label_rotation=30,
        value_formatter=lambda value: number_format(value, 0, force_grouping=True),
        **_options(),
    )
    points = data["burndown"]
    chart.x_labels = [date_format(point, "SHORT_DATE_FORMAT") for point, _free in points]
    chart.add(_("free"), [float(free) for _point, free in points])
    return chart.render(is_unicode=True)


def render_chart(name: str, data: dict) -> str:
    return {
        "vouchers_by_topic": vouchers_by_topic,
        "companies_by_city": companies_by_city,
        "budget_burndown": budget_burndown,
    }[name](data)


def render_charts(data: dict) -> dict[str, str]:
    return {name: render_chart(name, data) for name in CHART_NAMES}
