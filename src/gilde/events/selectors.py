"""Reading events: lists, one event, and the figures its page shows (time to meet, costs,
guests per status). Every count goes through the visibility scope, so a confidential guest
hidden from the reader changes no figure they see."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from gilde import visibility
from gilde.events.models import (
    SEATED_STATUSES,
    Event,
    GuestStatus,
    ProgrammeItem,
)

# Guests who were asked: everyone past "proposed".
INVITED_STATUSES = frozenset(GuestStatus) - {GuestStatus.PROPOSED}


def event_list(user: Any, *, when: str = "upcoming", q: str = "") -> QuerySet[Event]:
    now = timezone.now()
    events = visibility.events(user)
    if when == "past":
        events = events.filter(ends_at__lt=now).order_by("-starts_at", "-id")
    else:
        events = events.filter(ends_at__gte=now).order_by("starts_at", "id")
    if q:
        events = events.filter(Q(title__icontains=q) | Q(venue__icontains=q))
    return events


def event_get(user: Any, pk: int) -> Event:
    return visibility.events(user).get(pk=pk)


def status_counts(user: Any, events: list[Event]) -> dict[int, Counter[str]]:
    """Guests per status for each of the given events, as the user may see them."""
    rows = (
        visibility.guests(user)
        .filter(event__in=[e.pk for e in events])
        .values("event_id", "status")
        .annotate(n=Count("pk"))
        .order_by()
    )
    counts: dict[int, Counter[str]] = {e.pk: Counter() for e in events}
    for row in rows:
        counts[row["event_id"]][row["status"]] = row["n"]
    return counts


@dataclass
class TimeToMeet:
    total_minutes: int
    meeting_minutes: int
    threshold: int

    @property
    def share(self) -> int | None:
        if not self.total_minutes:
            return None
        return round(100 * self.meeting_minutes / self.total_minutes)

    @property
    def too_little(self) -> bool:
        return self.share is not None and self.share < self.threshold


def time_to_meet(event: Event, items: list[ProgrammeItem] | None = None) -> TimeToMeet:
    """How much of the event's time is for meeting (networking, meals, breaks). Measured over
    the event's whole span: time the programme leaves open is not counted as meeting time."""
    items = list(event.programme.all()) if items is None else items
    total = int(event.duration.total_seconds() // 60)
    meeting = sum(item.duration_minutes for item in items if item.is_meeting_time)
    return TimeToMeet(
        total_minutes=total,
        meeting_minutes=min(meeting, total),
        threshold=settings.GILDE_EVENT_MEETING_SHARE_MIN,
    )


@dataclass
class Costs:
    planned: Decimal = Decimal("0")
    actual: Decimal = Decimal("0")
    # What the event costs: per item the actual amount where known, the planned one otherwise.
    expected: Decimal = Decimal("0")
    invited: int = 0
    attending: int = 0
    budget: Decimal | None = None

    @property
    def per_invited(self) -> Decimal | None:
        return (self.expected / self.invited).quantize(Decimal("0.01")) if self.invited else None

    @property
    def per_attending(self) -> Decimal | None:
        return (
            (self.expected / self.attending).quantize(Decimal("0.01")) if self.attending else None
        )

    @property
    def over_budget(self) -> bool:
        return self.budget is not None and self.expected > self.budget


def costs(user: Any, event: Event) -> Costs:
    result = Costs(budget=event.budget)
    for item in event.costs.all():
        result.planned += item.planned
        result.actual += item.actual or Decimal(0)
        result.expected += item.planned if item.actual is None else item.actual
    # Colleagues on the list are hosts, not guests the money is spent on.
    per_status = Counter(
        dict(
            visibility.guests(user)
            .filter(event=event, person__isnull=False)
            .values_list("status")
            .annotate(n=Count("pk"))
            .values_list("status", "n")
            .order_by()
        )
    )
    result.invited = sum(n for status, n in per_status.items() if status in INVITED_STATUSES)
    # Who attended once attendance is recorded; who accepted before.
    result.attending = per_status[GuestStatus.ATTENDED] or sum(
        per_status[status] for status in SEATED_STATUSES
    )
    return result


def person_events(user: Any, person_id: int, limit: int = 10) -> list[Any]:
    """The events a relation was on the list of, newest first: their answer and attendance."""
    return list(
        visibility.guests(user)
        .filter(person_id=person_id)
        .select_related("event")
        .order_by("-event__starts_at", "-event_id")[:limit]
    )


def member_events(user: Any, member_id: int, limit: int = 10) -> list[Event]:
    """The events a colleague organises or organised, or is a host at, newest first, each with
    how many of the relations on its list they host (as the user may see them)."""
    hosting = visibility.guests(user).filter(member_id=member_id).values("event_id")
    organising = Event.organisers.through.objects.filter(member_id=member_id).values("event_id")
    events = list(
        visibility.events(user)
        .filter(Q(pk__in=hosting) | Q(pk__in=organising))
        .order_by("-starts_at", "-id")[:limit]
    )
    hosted = dict(
        visibility.guests(user)
        .filter(event__in=[e.pk for e in events], host_id=member_id)
        .values("event_id")
        .annotate(n=Count("pk"))
        .values_list("event_id", "n")
        .order_by()
    )
    organised = set(
        Event.organisers.through.objects.filter(
            member_id=member_id, event_id__in=[e.pk for e in events]
        ).values_list("event_id", flat=True)
    )
    for event in events:
        event.hosted_count = hosted.get(event.pk, 0)  # type: ignore[attr-defined]
        event.is_organiser = event.pk in organised  # type: ignore[attr-defined]
    return events


def attendance_places(user: Any, event: Event) -> list[Any]:
    """The places that can be marked present after the event: those who accepted, and those
    already marked present or absent; colleagues first, then relations by name."""
    places = (
        visibility.guests(user)
        .filter(
            event=event,
            status__in=[GuestStatus.ACCEPTED, GuestStatus.ATTENDED, GuestStatus.NO_SHOW],
        )
        .select_related("person", "member__user", "host__user")
    )
    return sorted(
        places,
        key=lambda g: (g.person_id is not None, g.person.sort_name if g.person else str(g.member)),
    )
