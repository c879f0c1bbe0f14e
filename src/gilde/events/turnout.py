"""Turnout prediction: how many of a guest list will come, with its uncertainty, and how many
more to invite to reach a target. Plain Python and NumPy, no Django.

A guest comes when they accept the invitation and then show up. Each step has a rate per tier,
learnt from the organisation's past events and drawn towards documented defaults while there is
little history; each relation's own record draws their rates away from their tier's (a beta
prior: `PRIOR_WEIGHT` past invitations' worth of the tier's rate). The spread adds the guests'
own chance to the uncertainty of the rates (see `_interval`).

Defaults with no history at all: published event data puts the median no-show rate near 28% for
free and 17% for paid events (DEFAULT_NO_SHOW); of those invited personally to a free networking
event about half accept (DEFAULT_ACCEPT, an assumption to be replaced by the organisation's own
figures as soon as its events have history)."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

DEFAULT_ACCEPT = 0.5
DEFAULT_NO_SHOW = {"free": 0.28, "paid": 0.17}
# How many invitations' worth the tier's rate counts against a relation's own record, and the
# defaults' worth against a tier's record.
PRIOR_WEIGHT = 4.0
TIER_PRIOR_WEIGHT = 20.0
# The 90th percentile of the standard normal: 80% of outcomes lie within this many sds.
Z_80 = 1.2816


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
    """One place on the list: how far the guest has come and their rates. `tier` and `share`
    say where the rates' uncertainty comes from: the tier's rates, which weigh `share` in the
    guest's own (see `person_chance`); without them the guest's own rates count as shared."""

    key: int
    stage: str
    rates: Rates
    tier: Rates | None = None
    share: tuple[float, float] = (1.0, 1.0)

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
    guests: Iterable[GuestChance],
    *,
    target: int | None = None,
    new_guest: Rates | None = None,
) -> Prediction:
    """Expected attendance of a list, an 80% interval, and how many more (like `new_guest`) to
    invite to expect `target` guests."""
    guests = list(guests)
    chances = {g.key: g.probability for g in guests}
    expected = float(sum(chances.values()))
    low, high = _interval(guests)
    more = None
    if target is not None and new_guest is not None:
        gap = target - expected
        more = max(0, math.ceil(gap / new_guest.attend)) if new_guest.attend > 0 else None
    return Prediction(expected, low, high, target, more, chances)


def _beta_moments(a: float, b: float) -> tuple[float, float]:
    """Mean and second moment of a beta distribution."""
    mean = a / (a + b)
    variance = a * b / ((a + b) ** 2 * (a + b + 1))
    return mean, variance + mean**2


def _shared_spread(guest: GuestChance) -> float:
    """The standard deviation of a guest's chance that comes from rates shared with others: the
    tier's, scaled by how much the tier weighs in the guest's rates."""
    rates = guest.tier or guest.rates
    share_accept, share_show = guest.share if guest.tier else (1.0, 1.0)
    show, show_2 = _beta_moments(rates.show_a, rates.show_b)
    show_sd = share_show * math.sqrt(max(show_2 - show**2, 0.0))
    if guest.stage == Stage.ACCEPTED:
        return show_sd
    accept, accept_2 = _beta_moments(rates.accept_a, rates.accept_b)
    accept_sd = share_accept * math.sqrt(max(accept_2 - accept**2, 0.0))
    # the product of two independent uncertain rates, each around the guest's own
    own_accept, own_show = guest.rates.accept, guest.rates.show
    return math.sqrt(
        (own_accept * show_sd) ** 2 + (own_show * accept_sd) ** 2 + (accept_sd * show_sd) ** 2
    )


def _interval(guests: list[GuestChance]) -> tuple[int, int]:
    """The 80% interval of the total, by a normal approximation: every guest's answer varies on
    its own (a Bernoulli variance), while the uncertainty of the rates is taken as shared (when
    a tier's rate is wrong it is wrong for all its guests alike), so their spreads add up."""
    certain = sum(1 for g in guests if g.stage == Stage.CERTAIN)
    open_ = [g for g in guests if g.stage in (Stage.TO_ANSWER, Stage.ACCEPTED)]
    if not open_:
        return certain, certain
    answers = sum(g.probability * (1 - g.probability) for g in open_)
    rates = sum(_shared_spread(g) for g in open_)
    expected = certain + sum(g.probability for g in open_)
    spread = Z_80 * math.sqrt(answers + rates**2)
    low = max(certain, math.floor(expected - spread))
    high = min(certain + len(open_), math.ceil(expected + spread))
    return low, high


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


def person_chance(key: int, stage: str, history: Record | None, tier: Rates) -> GuestChance:
    """A relation's place with their rates, and how much of each rate is their tier's (the
    prior's weight against their own record: accepting, then showing up)."""
    history = history or Record()
    share = (
        PRIOR_WEIGHT / (PRIOR_WEIGHT + history.invited),
        PRIOR_WEIGHT / (PRIOR_WEIGHT + history.held_accepts),
    )
    return GuestChance(key, stage, person_rates(history, tier), tier, share)
