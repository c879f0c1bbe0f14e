"""Turnout prediction: how many of a guest list will come, with its uncertainty, and how many
more to invite to reach a target. Plain Python and NumPy, no Django.

A guest comes when they accept the invitation and then show up. Each step has a rate per tier,
learnt from the organisation's past events and drawn towards documented defaults while there is
little history; each relation's own record draws their rates away from their tier's (a beta
prior: `PRIOR_WEIGHT` past invitations' worth of the tier's rate). The spread comes from drawing
both the rates (from their beta posteriors) and the guests' answers many times.

Defaults with no history at all: published event data puts the median no-show rate near 28% for
free and 17% for paid events (DEFAULT_NO_SHOW); of those invited personally to a free networking
event about half accept (DEFAULT_ACCEPT, an assumption to be replaced by the organisation's own
figures as soon as its events have history)."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

import numpy as np

DEFAULT_ACCEPT = 0.5
DEFAULT_NO_SHOW = {"free": 0.28, "paid": 0.17}
# How many invitations' worth the tier's rate counts against a relation's own record, and the
# defaults' worth against a tier's record.
PRIOR_WEIGHT = 4.0
TIER_PRIOR_WEIGHT = 20.0
DRAWS = 2000
INTERVAL = (0.1, 0.9)


class Outcome:
    """Where one invitation ended: what the history counts."""

    ACCEPTED = "accepted"  # accepted, the event not held yet (counts as accepted only)
    DECLINED = "declined"
    NO_ANSWER = "no_answer"
    ATTENDED = "attended"
    NO_SHOW = "no_show"


@dataclass
class Record:
    """A relation's (or a tier's) history: invitations, accepts among them, and of the accepts
    whose event was held, how many came."""

    invited: int = 0
    accepted: int = 0
    held_accepts: int = 0
    attended: int = 0

    def add(self, outcome: str) -> None:
        self.invited += 1
        if outcome in (Outcome.ACCEPTED, Outcome.ATTENDED, Outcome.NO_SHOW):
            self.accepted += 1
        if outcome in (Outcome.ATTENDED, Outcome.NO_SHOW):
            self.held_accepts += 1
        if outcome == Outcome.ATTENDED:
            self.attended += 1


@dataclass(frozen=True)
class Rates:
    """Beta posteriors of the two steps: accepting when invited, showing up when accepted."""

    accept_a: float
    accept_b: float
    show_a: float
    show_b: float

    @property
    def accept(self) -> float:
        return self.accept_a / (self.accept_a + self.accept_b)

    @property
    def show(self) -> float:
        return self.show_a / (self.show_a + self.show_b)

    @property
    def attend(self) -> float:
        return self.accept * self.show


def _posterior(
    successes: int, trials: int, prior_rate: float, weight: float
) -> tuple[float, float]:
    return successes + prior_rate * weight, trials - successes + (1 - prior_rate) * weight


def tier_rates(history: Record, *, paid: bool = False) -> Rates:
    """A tier's rates: its own record drawn towards the documented defaults."""
    show_default = 1 - DEFAULT_NO_SHOW["paid" if paid else "free"]
    accept = _posterior(history.accepted, history.invited, DEFAULT_ACCEPT, TIER_PRIOR_WEIGHT)
    show = _posterior(history.attended, history.held_accepts, show_default, TIER_PRIOR_WEIGHT)
    return Rates(*accept, *show)


def person_rates(history: Record | None, tier: Rates) -> Rates:
    """A relation's rates: their own record drawn towards their tier's rates."""
    history = history or Record()
    accept = _posterior(history.accepted, history.invited, tier.accept, PRIOR_WEIGHT)
    show = _posterior(history.attended, history.held_accepts, tier.show, PRIOR_WEIGHT)
    return Rates(*accept, *show)


class Stage:
    """How far a guest on the list has come: what is still uncertain about them."""

    TO_ANSWER = "to_answer"  # proposed, invited, or not answered yet: accept and show uncertain
    ACCEPTED = "accepted"  # only showing up is uncertain
    CERTAIN = "certain"  # attended (or a host colleague): counted as coming
    OUT = "out"  # declined, no-show, waiting list: not coming


@dataclass(frozen=True)
class GuestChance:
    key: int
    stage: str
    rates: Rates

    @property
    def probability(self) -> float:
        if self.stage == Stage.CERTAIN:
            return 1.0
        if self.stage == Stage.OUT:
            return 0.0
        if self.stage == Stage.ACCEPTED:
            return self.rates.show
        return self.rates.attend


@dataclass(frozen=True)
class Prediction:
    expected: float
    low: int
    high: int
    target: int | None
    more_to_invite: int | None
    chances: dict[int, float] = field(default_factory=dict)

    @property
    def rounded(self) -> int:
        return round(self.expected)


def predict(
    guests: Iterable[GuestChance], *, target: int | None = None,
    new_guest: Rates | None = None, seed: int = 0,
) -> Prediction:  # fmt: skip
    """Expected attendance of a list, an 80% interval, and how many more (like `new_guest`) to
    invite to expect `target` guests."""
    guests = list(guests)
    chances = {g.key: g.probability for g in guests}
    expected = float(sum(chances.values()))
    low, high = _interval(guests, seed)
    more = None
    if target is not None and new_guest is not None:
        gap = target - expected
        more = max(0, math.ceil(gap / new_guest.attend)) if new_guest.attend > 0 else None
    return Prediction(expected, low, high, target, more, chances)


def _interval(guests: list[GuestChance], seed: int) -> tuple[int, int]:
    """Simulated: each draw takes every uncertain rate from its beta posterior, then every
    guest's answer; the 10th and 90th percentile of the total."""
    certain = sum(1 for g in guests if g.stage == Stage.CERTAIN)
    open_ = [g for g in guests if g.stage in (Stage.TO_ANSWER, Stage.ACCEPTED)]
    if not open_:
        return certain, certain
    rng = np.random.default_rng(seed)
    shape = (DRAWS, len(open_))
    show = rng.beta([g.rates.show_a for g in open_], [g.rates.show_b for g in open_], shape)
    accept = rng.beta([g.rates.accept_a for g in open_], [g.rates.accept_b for g in open_], shape)
    answered = np.array([g.stage == Stage.ACCEPTED for g in open_])
    probability = np.where(answered, show, accept * show)
    totals = (rng.random(shape) < probability).sum(axis=1) + certain
    low, high = np.quantile(totals, INTERVAL)
    return int(math.floor(low)), int(math.ceil(high))


def brier(predictions: Iterable[float], outcomes: Iterable[int]) -> float:
    """Mean squared difference between predicted chance and what happened (0 is perfect)."""
    pairs = list(zip(predictions, outcomes, strict=True))
    return sum((p - y) ** 2 for p, y in pairs) / len(pairs) if pairs else 0.0


def records_by(outcomes: Iterable[tuple[int, str]]) -> dict[int, Record]:
    """Histories keyed by whoever the outcomes belong to (a person, a tier)."""
    found: dict[int, Record] = {}
    for key, outcome in outcomes:
        found.setdefault(key, Record()).add(outcome)
    return found


def tier_table(
    records: Mapping[int | None, Record], *, paid: bool = False
) -> dict[int | None, Rates]:
    return {tier: tier_rates(record, paid=paid) for tier, record in records.items()}
