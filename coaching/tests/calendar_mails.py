"""The session invitations in Django's test outbox (the portal's outbox sends one mail per recipient)."""

import icalendar
from django.core import mail


def invitations_to(address: str) -> list:
    """The calendar mails one address got, in order."""
    return [
        message
        for message in mail.outbox
        if message.to == [address] and any(mimetype == "text/calendar" for _n, _c, mimetype in message.attachments)
    ]


def calendar_of(message) -> icalendar.Calendar:
    """The one calendar attached to an invitation mail."""
    ((filename, content, mimetype),) = message.attachments
    assert filename == "session.ics" and mimetype == "text/calendar"
    return icalendar.Calendar.from_ical(content)
