"""Turnout prediction: documented defaults without history, each relation's own record, the
uncertainty, how many more to invite, and the history taken only from earlier events."""

from __future__ import annotations

import pytest

from gilde.accounts.models import Member
from gilde.events import guestlist, turnout
from gilde.events.models import GuestStatus
from gilde.events.turnout import GuestChance, Outcome, Record, Stage
from tests.events.guests import event_at, place
from tests.factories import PersonFactory


def _guests(n: int, stage: str, rates: turnout.Rates) -> list[GuestChance]:
    return [GuestChance(i, stage, rates) for i in range(n)]


def test_without_history_the_documented_defaults_apply() -> None:
    free = turnout.tier_rates(Record())
    assert free.accept == pytest.approx(0.5)
    assert free.show == pytest.approx(0.72)
    assert turnout.tier_rates(Record(), paid=True).show == pytest.approx(0.83)
    prediction = turnout.predict(_guests(100, Stage.TO_ANSWER, free))
    assert prediction.expected == pytest.approx(36.0)
    assert prediction.low < 36 < prediction.high


def test_accepted_guests_only_have_to_show_up() -> None:
    free = turnout.tier_rates(Record())
    prediction = turnout.predict(_guests(50, Stage.ACCEPTED, free))
    assert prediction.expected == pytest.approx(36.0)


def test_certain_and_out_guests_are_counted_as_they_are() -> None:
    free = turnout.tier_rates(Record())
    guests = _guests(3, Stage.CERTAIN, free) + [GuestChance(9, Stage.OUT, free)]
    prediction = turnout.predict(guests)
    assert (prediction.expected, prediction.low, prediction.high) == (3.0, 3, 3)


def test_a_relations_own_record_moves_their_chance_away_from_their_tier() -> None:
    tier = turnout.tier_rates(Record())
    faithful = Record()
    for _ in range(6):
        faithful.add(Outcome.ATTENDED)
    absent = Record()
    for _ in range(6):
        absent.add(Outcome.DECLINED)
    assert turnout.person_rates(faithful, tier).attend > 0.6 > tier.attend
    assert turnout.person_rates(absent, tier).attend < 0.15
    assert turnout.person_rates(None, tier) == turnout.Rates(2.0, 2.0, 2.88, 1.12)


def test_more_to_invite_to_reach_the_target() -> None:
    free = turnout.tier_rates(Record())
    prediction = turnout.predict(_guests(50, Stage.TO_ANSWER, free), target=40, new_guest=free)
    # 18 expected; 22 short at 0.36 each
    assert prediction.more_to_invite == 62
    assert (
        turnout.predict(
            _guests(200, Stage.TO_ANSWER, free), target=40, new_guest=free
        ).more_to_invite
        == 0
    )


def test_more_uncertain_rates_give_a_wider_interval() -> None:
    sure = turnout.Rates(500, 500, 720, 280)
    unsure = turnout.Rates(1, 1, 1.44, 0.56)
    narrow = turnout.predict(_guests(100, Stage.TO_ANSWER, sure))
    wide = turnout.predict(_guests(100, Stage.TO_ANSWER, unsure))
    assert (wide.high - wide.low) > (narrow.high - narrow.low)


def test_the_brier_score() -> None:
    assert turnout.brier([1.0, 0.0], [1, 0]) == 0.0
    assert turnout.brier([0.5, 0.5], [1, 0]) == 0.25


@pytest.mark.django_db
def test_turnout_of_a_list_learns_from_earlier_events_only(owner: Member) -> None:
    event = event_at(owner, days=30, capacity=10)
    loyal, fresh = PersonFactory(), PersonFactory()
    for i in range(5):
        place(event_at(owner, days=-40 * (i + 1), title=f"Borrel {i}"), loyal, GuestStatus.ATTENDED)
    later = event_at(owner, days=60, title="Later")
    place(later, fresh, GuestStatus.DECLINED)  # after the event: not history for it
    place(event, loyal, GuestStatus.INVITED)
    place(event, fresh, GuestStatus.INVITED)
    result = guestlist.turnout_for(user=owner.user, event=event)
    chances = result.prediction.chances
    by_person = {g.person_id: chances[g.pk] for g in event.guests.all()}
    assert by_person[loyal.pk] > by_person[fresh.pk]
    assert result.history_size == 5
    assert result.target == 10
    assert result.prediction.more_to_invite is not None and result.prediction.more_to_invite > 0


@pytest.mark.django_db
def test_host_colleagues_count_as_coming(owner: Member, colleague: Member) -> None:
    from gilde.events.services import guest_add

    event = event_at(owner, days=30)
    guest_add(member=owner, event=event, colleague=colleague)
    assert guestlist.turnout_for(user=owner.user, event=event).prediction.expected == 1.0


def test_a_tier_with_history_gives_a_narrower_interval_than_the_defaults() -> None:
    learnt = turnout.tier_rates(Record(invited=400, accepted=200, held_accepts=200, attended=150))
    guests = [turnout.person_chance(i, Stage.TO_ANSWER, None, learnt) for i in range(100)]
    known = turnout.predict(guests)
    unknown = turnout.predict(_guests(100, Stage.TO_ANSWER, turnout.tier_rates(Record())))
    assert known.high - known.low < unknown.high - unknown.low
    assert known.low < known.expected < known.high


def test_without_history_a_long_list_has_a_wide_interval_around_its_expectation() -> None:
    free = turnout.tier_rates(Record())
    prediction = turnout.predict(_guests(2000, Stage.TO_ANSWER, free))
    assert prediction.expected == pytest.approx(720)
    assert prediction.low < 600 and prediction.high > 840
