"""`id_in`: ids passed as one parameter, on SQLite and PostgreSQL alike."""

from __future__ import annotations

import pytest

from gilde.core.lookups import IdList
from gilde.relations.models import Person, Tie
from tests.factories import PersonFactory, TieFactory


@pytest.fixture
def people(db):
    return [PersonFactory() for _ in range(4)]


def test_a_list_and_an_id_list_find_the_same_rows(people):
    wanted = [people[0].pk, people[2].pk]
    assert set(Person.objects.filter(pk__id_in=wanted)) == {people[0], people[2]}
    assert set(Person.objects.filter(pk__id_in=IdList(wanted))) == {people[0], people[2]}
    assert set(Person.objects.exclude(pk__id_in=IdList(wanted))) == {people[1], people[3]}


def test_an_empty_list_matches_nothing(people):
    assert not Person.objects.filter(pk__id_in=[]).exists()
    assert Person.objects.exclude(pk__id_in=IdList([])).count() == 4


def test_a_negated_nullable_column_keeps_its_empty_rows(people):
    TieFactory(person=people[0], member=None, other_person=people[1])
    between = Tie.objects.filter(other_person__isnull=False).get()
    knows = TieFactory(person=people[2])  # a colleague's tie: no other person
    kept = Tie.objects.exclude(other_person_id__id_in=IdList([people[1].pk]))
    assert knows in kept and between not in kept


def test_anything_but_integers_is_refused(people):
    with pytest.raises((TypeError, ValueError)):
        list(Person.objects.filter(pk__id_in="12"))
    with pytest.raises(ValueError):
        IdList(["x"])


def test_id_not_in_is_the_opposite_and_keeps_empty_columns(people):
    TieFactory(person=people[0], member=None, other_person=people[1])
    knows = TieFactory(person=people[2])  # a colleague's tie: no other person
    ids = IdList([people[1].pk])
    assert list(Tie.objects.filter(other_person_id__id_not_in=ids)) == [knows]
    assert set(Person.objects.filter(pk__id_not_in=[people[0].pk, people[3].pk])) == {
        people[1],
        people[2],
    }
    assert Person.objects.filter(pk__id_not_in=IdList([])).count() == 4
