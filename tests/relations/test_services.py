"""The registry's rules: validation, ownership, and history kept."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from gilde.relations.models import Affiliation, Tie
from gilde.relations.services import (
    affiliation_save,
    organisation_update,
    person_create,
    person_update,
    tie_create,
)
from tests.factories import OrganisationFactory, PersonFactory


def test_creating_a_person_makes_the_actor_owner(owner):
    person = person_create(actor=owner, given_name="Kees", family_name="Jansen")
    assert person.owner == owner
    assert person.sort_name.startswith("jansen")


def test_an_invalid_email_is_refused_and_nothing_is_saved(owner):
    from gilde.relations.models import Person

    with pytest.raises(ValidationError):
        person_create(actor=owner, family_name="Fout", emails=["geen-adres"])
    assert not Person.objects.filter(family_name="Fout").exists()


def test_a_networker_cannot_change_a_colleagues_person(owner, colleague):
    person = person_create(actor=owner, family_name="Jansen")
    with pytest.raises(PermissionDenied):
        person_update(actor=colleague, person=person, family_name="Janssen")


def test_a_network_manager_can_change_anyones_person(owner, manager):
    person = person_create(actor=owner, family_name="Jansen")
    person_update(actor=manager, person=person, family_name="Janssen")
    person.refresh_from_db()
    assert person.family_name == "Janssen"


def test_read_only_members_cannot_add_anything(reader):
    with pytest.raises(PermissionDenied):
        person_create(actor=reader, family_name="Jansen")


def test_a_changed_job_keeps_the_old_one_as_history(owner):
    person = person_create(actor=owner, family_name="Jansen")
    old = affiliation_save(
        actor=owner,
        person=person,
        organisation=OrganisationFactory(),
        role="Inkoper",
        start_date=dt.date(2015, 1, 1),
    )
    affiliation_save(
        actor=owner,
        person=person,
        organisation=old.organisation,
        affiliation=old,
        role="Inkoper",
        start_date=dt.date(2015, 1, 1),
        end_date=dt.date(2022, 6, 30),
    )
    affiliation_save(
        actor=owner, person=person, organisation=OrganisationFactory(), role="Directeur"
    )
    assert Affiliation.objects.filter(person=person).count() == 2
    assert [a.role for a in Affiliation.objects.current().filter(person=person)] == ["Directeur"]


def test_an_end_date_before_the_start_date_is_refused(owner):
    person = person_create(actor=owner, family_name="Jansen")
    with pytest.raises(ValidationError):
        affiliation_save(
            actor=owner,
            person=person,
            organisation=OrganisationFactory(),
            start_date=dt.date(2022, 1, 1),
            end_date=dt.date(2021, 1, 1),
        )


def test_a_tie_defaults_to_the_acting_member(owner):
    person = PersonFactory()
    tie = tie_create(actor=owner, person=person, strength=4)
    assert tie.member == owner and tie.strength == 4


def test_a_second_tie_between_the_same_member_and_person_is_refused(owner):
    person = PersonFactory()
    tie_create(actor=owner, person=person)
    with pytest.raises(ValidationError):
        tie_create(actor=owner, person=person)
    assert Tie.objects.filter(person=person).count() == 1


def test_tie_strength_must_be_between_one_and_five(owner):
    with pytest.raises(ValidationError):
        tie_create(actor=owner, person=PersonFactory(), strength=6)


def test_person_to_person_ties_are_stored_once_per_pair(owner):
    a, b = PersonFactory(), PersonFactory()
    tie_create(actor=owner, person=b, other_person=a)
    with pytest.raises(ValidationError):
        tie_create(actor=owner, person=a, other_person=b)


def test_an_organisation_cannot_become_its_own_grandparent(owner):
    parent = OrganisationFactory(owner=owner)
    child = OrganisationFactory(owner=owner, parent=parent)
    with pytest.raises(ValidationError):
        organisation_update(actor=owner, organisation=parent, parent=child)
