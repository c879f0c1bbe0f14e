"""Tie strength: recent, frequent, one-to-one contact makes a tie strong; it fades with time;
it explains itself."""

from __future__ import annotations

import datetime as dt

import numpy as np
from django.utils import timezone, translation

from gilde.contacts.services import contact_moment_delete, contact_moment_log, contact_moment_update
from gilde.maintenance import strength
from gilde.maintenance.explain import explanation
from gilde.maintenance.models import TieStrength
from gilde.maintenance.selectors import person_care
from tests.factories import PersonFactory, TieFactory
from tests.maintenance.factories import contact, days_ago


def score(ages, kinds, others=None, declared=3, known=np.nan):
    n = len(ages)
    contacts = strength.Contacts(
        tie=np.zeros(n, dtype=np.int64),
        age_days=np.array(ages, dtype=float),
        kind=np.array([strength.KINDS.index(k) for k in kinds], dtype=np.int64),
        others=np.array(others or [0] * n, dtype=np.int64),
    )
    return int(strength.compute(contacts, np.array([declared]), np.array([known])).score[0])


def test_a_tie_without_contact_rests_on_what_was_declared():
    assert score([], []) < score([], [], declared=5)


def test_recent_contact_weighs_more_than_old_contact():
    assert score([10], ["meeting"]) > score([300], ["meeting"])


def test_frequent_contact_weighs_more_than_a_single_one():
    assert score([10, 40, 70, 100], ["call"] * 4) > score([10], ["call"])


def test_a_one_to_one_meeting_weighs_more_than_a_call_or_an_email():
    assert score([10], ["meeting"]) > score([10], ["call"]) > score([10], ["email"])


def test_a_group_event_weighs_less_than_a_one_to_one_meeting():
    assert score([10], ["meeting"], others=[0]) > score([10], ["meeting"], others=[20])


def test_a_long_relationship_counts():
    assert score([], [], known=3650) > score([], [], known=30)


def test_scores_stay_between_0_and_100():
    assert (
        score([], [], declared=1) >= 0
        and score([1] * 200, ["meeting"] * 200, declared=5, known=9999) <= 100
    )


def test_a_tie_fades_when_time_passes_and_the_nightly_recompute_runs(owner):
    from gilde.maintenance.services import network_recompute

    person = PersonFactory()
    TieFactory(person=person, member=owner)
    contact(person, owner, days=5, kind="meeting")
    fresh = person_care(user=owner.user, person_id=person.pk).ties[0].facts.score
    network_recompute(now=timezone.now() + dt.timedelta(days=400))
    later = person_care(user=owner.user, person_id=person.pk).ties[0].facts.score
    assert later < fresh


def test_editing_or_removing_a_contact_moment_updates_the_stored_strength(owner):
    person = PersonFactory()
    TieFactory(person=person, member=owner)
    moment = contact_moment_log(
        actor=owner, persons=[person], summary="Koffie", kind="meeting", occurred_at=days_ago(3)
    )
    strong = TieStrength.objects.get().score
    contact_moment_update(actor=owner, moment=moment, kind="email")
    assert TieStrength.objects.get().score < strong
    contact_moment_delete(actor=owner, moment=moment)
    assert TieStrength.objects.get().contacts_total == 0


def test_the_explanation_names_the_facts_in_english_and_dutch(owner):
    person = PersonFactory()
    tie = TieFactory(person=person, member=owner, strength=4)
    for days in (12, 50, 90, 130, 200, 300):
        contact(person, owner, days=days, kind="meeting")
    facts = TieStrength.objects.get(tie=tie)
    now = timezone.now()
    with translation.override("en"):
        text = explanation(facts, declared=4, since=None, now=now)
        assert text.startswith("strong because: 6 meetings in the last year, last one 12 days ago")
    with translation.override("nl"):
        text = explanation(facts, declared=4, since=None, now=now)
        assert text.startswith(
            "sterk omdat: 6 afspraken in het afgelopen jaar, laatste 12 dagen geleden"
        )
