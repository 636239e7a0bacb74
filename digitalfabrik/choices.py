"""Choice labels for pages that list many rows."""

from functools import cache

from django.utils.encoding import force_str


@cache
def _labels(field) -> dict:
    """The field's choices as {value: label}, the labels still lazy (translated when shown)."""
    return dict(field.flatchoices)


class ChoiceLabelsMixin:
    """``get_<field>_display`` from a dictionary built once per field.

    Django's own builds the dictionary of every choice on each call and hashes the lazy labels, which
    translates each of them: with three such columns on a 25-row list that was about a third of the
    page's time. Models whose choices never change at run time (all of ours) mix this in.
    """

    def _get_FIELD_display(self, field):  # noqa: N802 - Django's name
        value = getattr(self, field.attname)
        return force_str(_labels(field).get(value, value), strings_only=True)
