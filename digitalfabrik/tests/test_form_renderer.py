"""Forms and widgets rendered by Jinja2 (digitalfabrik.forms.FormRenderer) look exactly as before."""

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates, get_default_renderer
from django_filters.widgets import RangeWidget
from pytest_django.asserts import assertHTMLEqual

from digitalfabrik.forms import FormRenderer


class EveryWidget(forms.Form):
    text = forms.CharField(help_text="Help with <b>markup</b>", max_length=10)
    email = forms.EmailField(required=False)
    amount = forms.DecimalField(max_digits=5, decimal_places=2)
    choice = forms.ChoiceField(choices=[("", "—"), ("a", "A & B"), ("b", "B")])
    grouped = forms.ChoiceField(choices=[("Group", [("x", "X")]), ("y", "Y")])
    boxes = forms.MultipleChoiceField(choices=[("a", "A"), ("b", "B")], widget=forms.CheckboxSelectMultiple)
    radio = forms.ChoiceField(choices=[("a", "A"), ("b", "B")], widget=forms.RadioSelect)
    several = forms.MultipleChoiceField(choices=[("a", "A"), ("b", "B")])
    flag = forms.BooleanField(required=False)
    notes = forms.CharField(widget=forms.Textarea)
    day = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    upload = forms.FileField(required=False)
    hidden = forms.CharField(widget=forms.HiddenInput, required=False)
    secret = forms.CharField(widget=forms.PasswordInput)
    when = forms.SplitDateTimeField(required=False)


INVALID = {
    "text": "x" * 11,
    "choice": "a",
    "boxes": ["a"],
    "radio": "b",
    "several": ["a", "b"],
    "flag": "on",
    "notes": "<script>",
    "day": "2026-13-01",
}


def test_the_portal_renders_forms_with_it(settings):
    assert settings.FORM_RENDERER == "digitalfabrik.forms.FormRenderer"
    assert isinstance(get_default_renderer(), FormRenderer)


@pytest.mark.parametrize("data", [None, INVALID], ids=["empty", "with errors"])
@pytest.mark.parametrize("layout", ["as_div", "as_p", "as_table", "as_ul"])
def test_every_widget_gives_the_markup_of_djangos_own_templates(data, layout):
    jinja2 = getattr(EveryWidget(data, renderer=FormRenderer()), layout)()
    django = getattr(EveryWidget(data, renderer=DjangoTemplates()), layout)()
    assertHTMLEqual(jinja2, django)
    assert "&lt;script&gt;" in jinja2 or data is None  # still escaped


def test_a_widget_template_only_django_templates_have_is_rendered_by_them():
    widget = RangeWidget()  # django-filter's, with a template for Django's engine only
    jinja2 = widget.render("amount", ["1", "9"], renderer=FormRenderer())
    assertHTMLEqual(jinja2, widget.render("amount", ["1", "9"], renderer=DjangoTemplates()))
    assert 'name="amount_min"' in jinja2
