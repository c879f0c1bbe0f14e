"""Is the turnout prediction any good? On past events held out one by one, each invited
relation's predicted chance of coming (learnt only from events before it) against what
happened, as a Brier score, beside the same score for a flat rate per tier."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from gilde.events import turnout
from gilde.events.guestlist import history
from gilde.events.models import Event, Guest, GuestStatus

# The outcomes that say whether an invited relation came.
DECIDED = (GuestStatus.ATTENDED, GuestStatus.NO_SHOW, GuestStatus.DECLINED, GuestStatus.NO_ANSWER)


@dataclass(frozen=True)
class Quality:
    events: int
    guests: int
    brier_person: float
    brier_tier: float
    came: float

    @property
    def skill(self) -> float:
        """How much better than the flat tier rate (1 is perfect, 0 no better)."""
        return 1 - self.brier_person / self.brier_tier if self.brier_tier else 0.0


def held_out(events: Iterable[Event], *, paid: bool = False) -> Quality:
    """Score the prediction on `events`: for each, the history is what happened before it."""
    person_p: list[float] = []
    tier_p: list[float] = []
    outcomes: list[int] = []
    count = 0
    for event in events:
        rows = list(
            Guest.objects.filter(event=event, person__isnull=False, status__in=DECIDED).values_list(
                "person_id", "person__tier_id", "status"
            )
        )
        if not rows:
            continue
        count += 1
        per_person, per_tier = history(before=event.starts_at, person_ids=[r[0] for r in rows])
        tiers = turnout.tier_table(per_tier, paid=paid)
        fallback = turnout.tier_rates(turnout.Record(), paid=paid)
        for person_id, tier_id, status in rows:
            tier = tiers.get(tier_id, fallback)
            person_p.append(turnout.person_rates(per_person.get(person_id), tier).attend)
            tier_p.append(tier.attend)
            outcomes.append(1 if status == GuestStatus.ATTENDED else 0)
    return Quality(
        events=count,
        guests=len(outcomes),
        brier_person=turnout.brier(person_p, outcomes),
        brier_tier=turnout.brier(tier_p, outcomes),
        came=sum(outcomes) / len(outcomes) if outcomes else 0.0,
    )
