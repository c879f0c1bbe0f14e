"""Reading meetings from iCalendar data (a CalDAV server's events or a private ICS feed): who
took part, when it started and ended, the title. Nothing else (no description, no location,
no notes) is read. Plain Python on icalendar; no Django here."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from typing import Any

from dateutil.rrule import rrulestr
from icalendar import Calendar

MAX_OCCURRENCES = 1000


@dataclass(frozen=True)
class Meeting:
    key: str  # sha256 of UID and start: one key per occurrence of a repeating meeting
    start: dt.datetime
    end: dt.datetime
    title: str
    organiser: str
    attendees: tuple[str, ...]
    cancelled: bool = False
    # The meeting as the calendar knows it, wherever it is moved to: sha256 of the UID (a
    # single meeting) or of the UID and the occurrence's original start (RECURRENCE-ID).
    identity: str = ""

    @property
    def participants(self) -> tuple[str, ...]:
        seen: dict[str, None] = {}
        for address in (self.organiser, *self.attendees):
            if address:
                seen.setdefault(address, None)
        return tuple(seen)


def _address(value: Any) -> str:
    text = str(value or "").strip()
    if text.lower().startswith("mailto:"):
        text = text[7:]
    text = text.strip().lower()
    return text if text.count("@") == 1 and not any(c in text for c in " \r\n\t<>,;") else ""


def _aware(value: dt.date | dt.datetime) -> dt.datetime:
    if isinstance(value, dt.datetime):
        return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)
    return dt.datetime.combine(value, dt.time(0), tzinfo=dt.UTC)


def _attendees(component: Any) -> tuple[str, ...]:
    raw = component.get("attendee")
    if raw is None:
        return ()
    values = raw if isinstance(raw, list) else [raw]
    found = []
    for value in values:
        if str(getattr(value, "params", {}).get("PARTSTAT", "")).upper() == "DECLINED":
            continue  # who said no did not take part
        address = _address(value)
        if address:
            found.append(address)
    return tuple(found)


def _key(uid: str, start: dt.datetime) -> str:
    return hashlib.sha256(f"{uid}|{start.isoformat()}".encode()).hexdigest()


def _identity(uid: str, original: dt.datetime | None) -> str:
    text = f"meeting|{uid}" if original is None else f"meeting|{uid}|{original.isoformat()}"
    return hashlib.sha256(text.encode()).hexdigest()


def meetings_parse(data: bytes | str, *, since: dt.datetime, until: dt.datetime) -> list[Meeting]:
    """The meetings in the data that ended in [since, until): repeating meetings expanded,
    their changed occurrences (RECURRENCE-ID) taking the place of the rule's. Raises
    ValueError for data that is not iCalendar."""
    calendar = Calendar.from_ical(data)
    singles: dict[tuple[str, dt.datetime], Any] = {}
    masters = []
    for component in calendar.walk("VEVENT"):
        if component.get("dtstart") is None:
            continue
        uid = str(component.get("uid") or "")
        recurrence = component.get("recurrence-id")
        if recurrence is not None:
            singles[(uid, _aware(recurrence.dt))] = component
        elif component.get("rrule") is not None:
            masters.append(component)
        else:
            singles[(uid, _aware(component.decoded("dtstart")))] = component
    meetings: list[Meeting] = []
    repeating = {str(c.get("uid") or "") for c in masters}
    for (uid, start), component in singles.items():
        occurrence = component.get("recurrence-id") is not None or uid in repeating
        meetings.extend(
            _meeting(component, uid, start, since, until, original=start if occurrence else None)
        )
    for component in masters:
        uid = str(component.get("uid") or "")
        first = component.decoded("dtstart")
        length = _length(component)
        rule = rrulestr(component.get("rrule").to_ical().decode(), dtstart=first)
        starts = rule.between(
            (since - length) if isinstance(first, dt.datetime) else (since - length).date(),
            until if isinstance(first, dt.datetime) else until.date(),
            inc=True,
        )
        for start in starts[:MAX_OCCURRENCES]:
            start = _aware(start)
            if (uid, start) in singles:
                continue
            meetings.extend(
                _meeting(component, uid, start, since, until, length=length, original=start)
            )
    return sorted(meetings, key=lambda m: m.start)


def _length(component: Any) -> dt.timedelta:
    start = _aware(component.decoded("dtstart"))
    if component.get("dtend") is not None:
        return _aware(component.decoded("dtend")) - start
    if component.get("duration") is not None:
        duration: dt.timedelta = component.decoded("duration")
        return duration
    return dt.timedelta(0)


def _meeting(
    component: Any,
    uid: str,
    start: dt.datetime,
    since: dt.datetime,
    until: dt.datetime,
    *,
    length: dt.timedelta | None = None,
    original: dt.datetime | None = None,
) -> list[Meeting]:
    if component.get("recurrence-id") is not None:
        start = _aware(component.decoded("dtstart"))
    end = start + (length if length is not None else _length(component))
    if not since <= end < until:
        return []
    summary = " ".join(str(component.get("summary") or "").split())[:300]
    return [
        Meeting(
            key=_key(uid, start),
            start=start,
            end=end,
            title=summary,
            organiser=_address(component.get("organizer")),
            attendees=_attendees(component),
            cancelled=str(component.get("status") or "").upper() == "CANCELLED",
            identity=_identity(uid, original) if uid else _key(uid, start),
        )
    ]
