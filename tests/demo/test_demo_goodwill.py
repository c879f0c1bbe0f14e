"""The demo network has give and take, and relations that tell us about the market."""

from __future__ import annotations

from collections import Counter

import pytest

from gilde.accounts.models import Member
from gilde.contacts.models import ContactMoment
from gilde.demo.generator import build_demo
from gilde.goodwill.models import Favour
from gilde.goodwill.selectors import give_back_list


@pytest.fixture
def demo(db):
    return build_demo(size="small", seed=7)


def test_key_relations_have_a_few_favours_both_ways(demo):
    key = Favour.objects.filter(person__tier__code="A")
    per_person = Counter(key.values_list("person_id", flat=True))
    assert per_person and max(per_person.values()) <= 5
    assert set(key.values_list("direction", flat=True)) == {"given", "received"}
    assert len(set(key.values_list("kind", flat=True))) == 6
    assert not Favour.objects.filter(person__tier__code="D").exists()


def test_favours_are_made_by_colleagues_who_know_the_relation(demo):
    favour = Favour.objects.filter(person__isnull=False).select_related("person").first()
    assert favour.person.ties.filter(member=favour.member).exists()


def test_some_relations_are_due_for_something_in_return(demo):
    manager = Member.objects.get(user__username="beheer")
    assert give_back_list(user=manager.user).exists()


def test_some_contact_moments_carry_signals(demo):
    with_signals = ContactMoment.objects.exclude(signals="").count()
    assert 0.03 < with_signals / ContactMoment.objects.count() < 0.2
