"""What other apps link to a thing, shown on that thing's page without its app importing theirs.

coaching and innoscheck are independent layers, yet a voucher application may name the coaching case
that led to it and the case page lists those applications. So innoscheck registers a provider for
"coaching.case" in its ``AppConfig.ready()``, and the case page asks
``linked("coaching.case", obj=case, user=user)``. A provider returns only what the user may know of;
``Link.url`` is None where the user may see that the thing exists but not open it.
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Link:
    label: str
    status: str
    url: str | None


Provider = Callable[..., list[Link]]
_providers: dict[str, list[Provider]] = {}


def register(kind: str, provider: Provider) -> Provider:
    """Add ``provider(*, obj, user) -> list[Link]`` for things of ``kind`` ("<app>.<model>"). Idempotent."""
    providers = _providers.setdefault(kind, [])
    if provider not in providers:
        providers.append(provider)
    return provider


def linked(kind: str, *, obj, user) -> list[Link]:
    return [link for provider in _providers.get(kind, []) for link in provider(obj=obj, user=user)]
