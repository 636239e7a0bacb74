"""Form fields shared by every app."""

import re
from decimal import Decimal, InvalidOperation
from functools import reduce
from operator import or_

from django import forms
from django.db.models import Q, QuerySet
from django.forms.renderers import DjangoTemplates, Jinja2
from django.template import TemplateDoesNotExist
from django.utils import translation
from django.utils.translation import gettext_lazy as _


class FormRenderer(Jinja2):
    """Django's form and widget templates rendered with Jinja2 (settings.FORM_RENDERER).

    Django ships each of its form templates for both engines, with the same markup; Jinja2 renders a
    select of a few dozen options in a fraction of the time (the staff's companies list: its filter
    form 3.7 -> 1.9 ms, the whole page 12.1 -> 9.8 ms at 10 k companies). A template that exists only
    for Django's engine (a third-party widget's) is rendered by it, as before.
    """

    def __init__(self):
        super().__init__()
        self.fallback = DjangoTemplates()

    def get_template(self, template_name):
        try:
            return super().get_template(template_name)
        except TemplateDoesNotExist:
            return self.fallback.get_template(template_name)


_CURRENCY = re.compile(r"(€|eur|euro)", re.IGNORECASE)


def parse_decimal(text: str, *, language: str | None = None) -> Decimal:
    """Parse an amount typed the German or the English way: "1.234.567,89", "1,234,567.89", "1234,5".

    Where both separators occur, the last one is the decimal mark. A single separator followed by
    exactly three digits ("1.234") is a thousands separator in the active language's convention.
    Thousands separators must group by three digits. Raises ValueError for anything else.
    """
    cleaned = _CURRENCY.sub("", str(text)).replace("\u00a0", "").replace(" ", "").replace("'", "")
    if not re.fullmatch(r"[+-]?[\d.,]+", cleaned) or not re.search(r"\d", cleaned):
        raise ValueError(text)
    language = (language or translation.get_language() or "de")[:2]
    commas, dots = cleaned.count(","), cleaned.count(".")
    if commas and dots:
        decimal_mark = "," if cleaned.rfind(",") > cleaned.rfind(".") else "."
    elif commas or dots:
        separator = "," if commas else "."
        tail = cleaned.rsplit(separator, 1)[1]
        if commas + dots > 1:
            decimal_mark = None
        elif len(tail) == 3:
            decimal_mark = separator if (separator == ",") == (language == "de") else None
        else:
            decimal_mark = separator
    else:
        decimal_mark = None
    integer_part = cleaned.rsplit(decimal_mark, 1)[0] if decimal_mark else cleaned
    grouped = re.sub(r"[^\d.,]", "", integer_part)
    if re.search(r"[.,]", grouped) and not re.fullmatch(r"\d{1,3}([.,]\d{3})+", grouped):
        # Thousands separators must group by three: "1.23.4" is a typo, not 1234.
        raise ValueError(text)
    thousands = {",", "."} - {decimal_mark}
    for mark in thousands:
        cleaned = cleaned.replace(mark, "")
    if decimal_mark:
        cleaned = cleaned.replace(decimal_mark, ".")
    try:
        return Decimal(cleaned)
    except InvalidOperation as exc:
        raise ValueError(text) from exc


class AmountField(forms.DecimalField):
    """A DecimalField that accepts German and English number formatting."""

    default_error_messages = {"invalid": _("Enter a number, e.g. 1.234.567,89.")}

    def __init__(self, **kwargs):
        kwargs.setdefault("localize", True)
        super().__init__(**kwargs)

    def widget_attrs(self, widget):
        # A text input (so "1.234,56" can be typed) that still brings up a number keyboard on phones.
        return {**super().widget_attrs(widget), "inputmode": "decimal"}

    def to_python(self, value):
        if value in self.empty_values:
            return None
        try:
            return parse_decimal(value)
        except ValueError:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None


def bootstrap_classes(widget: forms.Widget) -> str:
    """The widget's CSS classes with Bootstrap's class for its kind of input added."""
    if isinstance(widget, forms.CheckboxInput):
        css = "form-check-input"
    elif isinstance(widget, forms.Select):
        css = "form-select"
    else:
        css = "form-control"
    return f"{widget.attrs.get('class', '')} {css}".strip()


def with_bootstrap_classes(form: forms.Form) -> forms.Form:
    """Give each widget its Bootstrap class, for forms rendered with templates/_filter_field.html
    (plain markup: a list page's filter renders in a fraction of crispy's time)."""
    for field in form.fields.values():
        field.widget.attrs["class"] = bootstrap_classes(field.widget)
    return form


def text_search(queryset: QuerySet, value: str, *fields: str) -> QuerySet:
    """The rows in which any of ``fields`` contains ``value`` (ignoring case); every row for an empty value.

    The search box of every list page's filter. NUL bytes are dropped: PostgreSQL cannot compare text
    with them, and no name contains one.
    """
    value = value.replace("\x00", "").strip()
    if not value:
        return queryset
    return queryset.filter(reduce(or_, (Q(**{f"{field}__icontains": value}) for field in fields)))
