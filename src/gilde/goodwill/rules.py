"""The goodwill rule, in plain Python: what one favour is worth today.

A favour weighs by its kind (opening a door costs more social capital than passing on a piece of
information) and fades with age: people remember what you did for them this year, half of
what you did last year, a quarter of the year before, and nothing older. The balance of a
relation is the points we gave minus the points we received; a relation with a clear deficit
("we mostly took, rarely gave") is due for something in return. The selectors compute the same
rule in SQL from these constants, so a list of thousands of relations costs one query."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

KIND_WEIGHTS: dict[str, float] = {
    "introduction": 3.0,
    "referral": 3.0,
    "invitation": 2.0,
    "help": 2.0,
    "information": 1.0,
    "gift": 1.0,
}
# (age in days below which, factor): a favour counts fully for a year, then halves each year.
RECENCY_STEPS: tuple[tuple[int, float], ...] = ((365, 1.0), (730, 0.5), (1095, 0.25))
# "Time to give something back": at least this many points short, and given at most this share
# of what was received.
GIVE_BACK_DEFICIT = 2.0
GIVE_BACK_SHARE = 0.5
# Within this many points either way a relation is "in balance".
BALANCED_WITHIN = 1.0


def recency_factor(age_days: int) -> float:
    """How much of a favour's weight is still remembered after age_days."""
    for below, factor in RECENCY_STEPS:
        if age_days < below:
            return factor
    return 0.0


def favour_points(kind: str, occurred_on: dt.date, today: dt.date) -> float:
    """What one favour is worth today (a favour dated in the future counts as today's)."""
    return KIND_WEIGHTS.get(kind, 1.0) * recency_factor(max(0, (today - occurred_on).days))


@dataclass(frozen=True)
class Balance:
    """Give and take with one relation, in points and in numbers of favours."""

    given: float = 0.0
    received: float = 0.0
    given_count: int = 0
    received_count: int = 0

    @property
    def points(self) -> float:
        """Positive: we gave more than we received (goodwill in the bank); negative: we owe."""
        return round(self.given - self.received, 2)

    @property
    def state(self) -> str:
        """ "owe" when it is time to give something back, "ahead" when we gave clearly more,
        "even" otherwise (including no favours at all)."""
        if needs_giving_back(self.given, self.received):
            return "owe"
        if self.points > BALANCED_WITHIN:
            return "ahead"
        return "even"


def needs_giving_back(given: float, received: float) -> bool:
    return received - given >= GIVE_BACK_DEFICIT and given <= GIVE_BACK_SHARE * received


def balance_of(favours: Iterable[tuple[str, str, dt.date]], today: dt.date) -> Balance:
    """The balance of (direction, kind, occurred_on) favours; direction is "given" or "received"."""
    given = received = 0.0
    given_count = received_count = 0
    for direction, kind, occurred_on in favours:
        points = favour_points(kind, occurred_on, today)
        if direction == "given":
            given += points
            given_count += 1
        else:
            received += points
            received_count += 1
    return Balance(round(given, 2), round(received, 2), given_count, received_count)
