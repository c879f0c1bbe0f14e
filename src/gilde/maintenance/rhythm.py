"""Contact rhythm: whether a relation is on track, due or overdue on a given day. Plain Python,
no Django: the rules are tested and reused by pages, the API, the digest and the calendar feed."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum


class Status(StrEnum):
    ON_TRACK = "on_track"
    DUE = "due"
    OVERDUE = "overdue"
    NEVER = "never"
    NO_RHYTHM = "no_rhythm"


@dataclass(frozen=True)
class Rhythm:
    """Ideal and maximum days between contacts; no ideal means no personal reminders."""

    ideal_days: int | None
    max_days: int | None

    @property
    def active(self) -> bool:
        return self.ideal_days is not None

    @property
    def max_or_default(self) -> int | None:
        # A tier with an ideal but no maximum becomes overdue at twice the ideal.
        if self.ideal_days is None:
            return None
        return self.max_days if self.max_days is not None else 2 * self.ideal_days


NO_RHYTHM = Rhythm(None, None)


@dataclass(frozen=True)
class CareStatus:
    status: Status
    due_on: dt.date | None
    overdue_on: dt.date | None
    days_since: int | None

    @property
    def needs_contact(self) -> bool:
        return self.status in (Status.DUE, Status.OVERDUE, Status.NEVER)

    def days_past_due(self, today: dt.date) -> int:
        return (today - self.due_on).days if self.due_on else 0

    def days_overdue(self, today: dt.date) -> int:
        """Days past the maximum interval (0 while it has not passed)."""
        return max((today - self.overdue_on).days, 0) if self.overdue_on else 0


def due_dates(
    last_contact: dt.date | None, rhythm: Rhythm
) -> tuple[dt.date | None, dt.date | None]:
    """The day a relation becomes due and the day it becomes overdue."""
    if last_contact is None or not rhythm.active:
        return None, None
    assert rhythm.ideal_days is not None and rhythm.max_or_default is not None
    return (
        last_contact + dt.timedelta(days=rhythm.ideal_days),
        last_contact + dt.timedelta(days=rhythm.max_or_default),
    )


def care_status(*, today: dt.date, last_contact: dt.date | None, rhythm: Rhythm) -> CareStatus:
    """Due once the ideal interval has passed since the last contact, overdue once the maximum
    has; a relation with a rhythm that nobody ever contacted is 'never contacted'."""
    days_since = (today - last_contact).days if last_contact else None
    if not rhythm.active:
        return CareStatus(Status.NO_RHYTHM, None, None, days_since)
    if last_contact is None:
        return CareStatus(Status.NEVER, None, None, None)
    due_on, overdue_on = due_dates(last_contact, rhythm)
    assert due_on is not None and overdue_on is not None
    if today >= overdue_on:
        status = Status.OVERDUE
    elif today >= due_on:
        status = Status.DUE
    else:
        status = Status.ON_TRACK
    return CareStatus(status, due_on, overdue_on, days_since)
