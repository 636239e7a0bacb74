"""The role dashboards' panels: each app registers what it shows on which role's dashboard.

accounts renders the dashboard (accounts.views.dashboard) but knows no app above it, so coaching,
innoscheck and reporting each register their ``Panel`` in their ``AppConfig.ready()``: a template and,
where it shows figures, a selector of the user that reads them. The view calls the selectors and
passes their results; templates and template tags do not query. Panels appear in the order of
INSTALLED_APPS.
"""

from collections.abc import Callable
from dataclasses import dataclass

COMPANY, COACH, STAFF, FUNDER = "company", "coach", "staff", "funder"


@dataclass(frozen=True)
class Panel:
    template: str  # rendered with ``figures`` in its context
    figures: Callable[..., dict] | None = None  # selector(user) -> dict


_panels: dict[str, list[Panel]] = {COMPANY: [], COACH: [], STAFF: [], FUNDER: []}


def register(dashboard: str, panel: Panel) -> Panel:
    """Add ``panel`` to the dashboard of one role (COMPANY, COACH, STAFF, FUNDER). Idempotent."""
    if panel not in _panels[dashboard]:
        _panels[dashboard].append(panel)
    return panel


def panels(dashboard: str, *, user) -> list[dict]:
    """Each panel's template and figures, read now for ``user``."""
    return [
        {"template": panel.template, "figures": panel.figures(user) if panel.figures else {}}
        for panel in _panels[dashboard]
    ]
