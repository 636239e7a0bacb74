"""The programme's domain events: services publish what happened, higher apps subscribe.

A service calls ``publish("voucher.approve", application=..., event=..., by=...)`` inside its
transaction, after its writes. Every subscriber runs at once, in that transaction, so what it writes
(maintained figures, notifications, outbox mails) commits or rolls back with the change itself;
anything slow or external it hands to ``transaction.on_commit`` (a Celery task by id).

Lower apps (coaching, innoscheck, companies) publish; higher apps (reporting, notifications, api)
subscribe in their ``AppConfig.ready()``. So no lower app imports a higher one, and what a higher app
does about an event is written in that app, once. Names are ``<thing>.<what happened>``; the names in
use are listed in ``NAMES`` (publishing an unknown name is a programming error).
"""

from collections.abc import Callable

# Every event a service may publish. Workflow transitions publish "<workflow>.<transition name>".
NAMES: set[str] = set()
_subscribers: list[Callable[..., None]] = []


def declare(*names: str) -> None:
    """Make event names known (each app declares those it publishes, at import of its services)."""
    NAMES.update(names)


def subscribe(handler: Callable[..., None]) -> Callable[..., None]:
    """Register ``handler(name, **payload)`` for every event; usable as a decorator. Idempotent."""
    if handler not in _subscribers:
        _subscribers.append(handler)
    return handler


def unsubscribe(handler: Callable[..., None]) -> None:
    if handler in _subscribers:
        _subscribers.remove(handler)


def publish(name: str, **payload) -> None:
    """Tell every subscriber that ``name`` happened (inside the caller's transaction)."""
    if name not in NAMES:
        raise ValueError(f"unknown event {name!r}: declare it with programme.events.declare()")
    for handler in list(_subscribers):
        handler(name, **payload)
