"""What every document of the programme carries: the granting body with its address and the funding line
(EU emblem, "Co-funded by the European Union", the State of North Rhine-Westphalia)."""

import base64
import functools

from django.contrib.staticfiles import finders

from .models import GrantingBody

EU_EMBLEM = "programme/eu-emblem.svg"


@functools.cache
def eu_emblem_uri() -> str:
    """The EU emblem as a data URI, so a PDF renderer needs no file access or URL fetch to show it."""
    with open(finders.find(EU_EMBLEM), "rb") as handle:
        return "data:image/svg+xml;base64," + base64.b64encode(handle.read()).decode("ascii")


def document_context() -> dict:
    """The granting body (one query) and the emblem, for the templates under programme/pdf/."""
    return {"granting_body": GrantingBody.current(), "eu_emblem": eu_emblem_uri()}
