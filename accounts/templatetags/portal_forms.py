"""Plain Bootstrap 5 form markup for simple, error-free forms: a fraction of crispy's rendering time.

Forms with errors, and fields crispy lays out specially (radio buttons, multiple checkboxes, files),
still go through crispy and its accessible error markup.
"""

from django import forms, template

from digitalfabrik.forms import bootstrap_classes

register = template.Library()

_CRISPY_ONLY = (forms.RadioSelect, forms.CheckboxSelectMultiple, forms.FileInput)


@register.filter
def renders_plain(form) -> bool:
    """True for an error-free form with only inputs, selects, text areas and single checkboxes."""
    return not form.errors and not any(isinstance(field.widget, _CRISPY_ONLY) for field in form.fields.values())


@register.filter
def bootstrap_widget(bound_field):
    """The field's widget with its Bootstrap class."""
    return bound_field.as_widget(attrs={"class": bootstrap_classes(bound_field.field.widget)})
