"""Helpers for guest-list tests: events at a chosen time and guests with a past outcome."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from gilde.accounts.models import Member
from gilde.events.models import Event, Guest, GuestStatus, GuestStatusChange
from gilde.relations.models import Person


def event_at(member: Member, *, days: float, title: str = "Netwerkborrel", **fields: Any) -> Event:
    """An event `days` from now (negative: in the past), organised by `member`."""
    starts = timezone.now() + dt.timedelta(days=days)
    event = Event.objects.create(
        title=title,
        starts_at=starts,
        ends_at=starts + dt.timedelta(hours=3),
        created_by=member,
        **fields,
    )
    event.organisers.add(member)
    return event


def place(event: Event, person: Person, status: str = GuestStatus.PROPOSED, **fields: Any) -> Guest:
    """A relation on the list with `status`; invited at the event's announcement unless only
    proposed."""
    invited = None if status == GuestStatus.PROPOSED else event.starts_at - dt.timedelta(days=21)
    guest = Guest.objects.create(
        event=event, person=person, status=status, invited_at=invited, **fields
    )
    GuestStatusChange.objects.create(guest=guest, status=status)
    return guest
