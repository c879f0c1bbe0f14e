"""A relation's status follows its tier's rhythm and resets the moment contact is logged."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from gilde.contacts.services import contact_moment_delete, contact_moment_log
from gilde.maintenance.rhythm import Rhythm, Status, care_status
from gilde.maintenance.selectors import due_for_member, status_of
from gilde.maintenance.services import relation_rhythm_set
from gilde.relations.models import Tier
from tests.factories import PersonFactory, TieFactory
from tests.maintenance.factories import contact

TODAY = dt.date(2026, 3, 2)
A = Rhythm(30, 60)


def test_a_relation_is_on_track_until_the_ideal_interval_has_passed():
    assert (
        care_status(today=TODAY, last_contact=TODAY - dt.timedelta(days=29), rhythm=A).status
        == Status.ON_TRACK
    )


def test_past_the_ideal_interval_a_relation_is_due():
    assert (
        care_status(today=TODAY, last_contact=TODAY - dt.timedelta(days=30), rhythm=A).status
        == Status.DUE
    )


def test_past_the_maximum_interval_a_relation_is_overdue():
    assert (
        care_status(today=TODAY, last_contact=TODAY - dt.timedelta(days=60), rhythm=A).status
        == Status.OVERDUE
    )


def test_a_relation_nobody_contacted_is_never_contacted():
    assert care_status(today=TODAY, last_contact=None, rhythm=A).status == Status.NEVER


def test_de_intensified_relations_have_no_rhythm():
    assert (
        care_status(today=TODAY, last_contact=None, rhythm=Rhythm(None, None)).status
        == Status.NO_RHYTHM
    )


def test_status_moves_with_time(owner):
    person = PersonFactory(tier=Tier.objects.get(code="A"))
    contact(person, owner, days=10)
    today = timezone.localdate()
    assert status_of(person, today).status == Status.ON_TRACK
    assert status_of(person, today + dt.timedelta(days=20)).status == Status.DUE
    assert status_of(person, today + dt.timedelta(days=50)).status == Status.OVERDUE


def test_logging_a_call_resets_the_status_at_once(owner):
    person = PersonFactory(tier=Tier.objects.get(code="A"), owner=owner)
    contact(person, owner, days=90)
    assert [i.person for i in due_for_member(user=owner.user, member=owner)] == [person]
    contact_moment_log(actor=owner, persons=[person], summary="Even gebeld", kind="call")
    person.refresh_from_db()
    assert status_of(person).status == Status.ON_TRACK
    assert due_for_member(user=owner.user, member=owner) == []


def test_deleting_the_last_contact_brings_the_relation_back(owner):
    person = PersonFactory(tier=Tier.objects.get(code="A"), owner=owner)
    contact(person, owner, days=90)
    moment = contact_moment_log(actor=owner, persons=[person], summary="Koffie")
    contact_moment_delete(actor=owner, moment=moment)
    person.refresh_from_db()
    assert status_of(person).status == Status.OVERDUE


def test_a_person_rhythm_overrides_the_tier(owner):
    person = PersonFactory(tier=Tier.objects.get(code="C"), owner=owner)
    contact(person, owner, days=20)
    assert status_of(person).status == Status.ON_TRACK
    relation_rhythm_set(actor=owner, person=person, ideal_interval_days=14, max_interval_days=28)
    person.refresh_from_db()
    assert status_of(person).status == Status.DUE


def test_the_strongest_tie_decides_who_is_reminded(owner, colleague):
    person = PersonFactory(tier=Tier.objects.get(code="A"), owner=owner)
    TieFactory(person=person, member=owner, strength=2)
    TieFactory(person=person, member=colleague, strength=5)
    contact(person, colleague, days=45, kind="meeting")
    assert [i.person for i in due_for_member(user=colleague.user, member=colleague)] == [person]
    assert due_for_member(user=owner.user, member=owner) == []


def test_a_full_recompute_agrees_with_the_single_changes(owner, colleague):
    from gilde.maintenance.models import RelationCare, TieStrength
    from gilde.maintenance.services import network_recompute

    people = [PersonFactory(owner=owner) for _ in range(3)]
    for person in people:
        TieFactory(person=person, member=owner, strength=3)
    TieFactory(person=people[0], member=colleague, strength=4)
    contact(people[0], [owner, colleague], days=5, kind="meeting")
    contact(people[:2], owner, days=40, kind="event")
    contact(people[2], colleague, days=400, kind="email")
    before = {(s.tie_id, s.score, s.contacts_year) for s in TieStrength.objects.all()}
    care = {
        (c.person_id, c.last_contact_at, c.contact_member_id) for c in RelationCare.objects.all()
    }
    network_recompute()
    assert {(s.tie_id, s.score, s.contacts_year) for s in TieStrength.objects.all()} == before
    assert {
        (c.person_id, c.last_contact_at, c.contact_member_id) for c in RelationCare.objects.all()
    } == care


def test_history_loaded_in_bulk_counts_before_the_first_recompute(owner):
    person = PersonFactory(tier=Tier.objects.get(code="A"), owner=owner)
    contact(person, owner, days=90, refresh=False)
    [item] = due_for_member(user=owner.user, member=owner)
    assert item.status.status == Status.OVERDUE and item.last_contact_at is not None
