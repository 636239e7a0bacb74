"""Query helpers shared by the apps' selectors."""

from django.db.models import Case, CharField, F, Value, When


def choice_label(field: str, choices) -> Case:
    """The display label of ``field``'s value in the active language, computed by the database.

    For list pages: ``get_<field>_display()`` costs a few dozen translation look-ups per row.
    """
    whens = [When(**{field: value}, then=Value(str(label))) for value, label in choices]
    return Case(*whens, default=F(field), output_field=CharField())
