"""Migration 0009 rebuilds the stored search words of existing persons exactly as saving them
would, and leaves erased persons unfindable."""

from __future__ import annotations

import importlib

from django.apps import apps

from gilde.privacy.erasure import person_erase
from gilde.relations.models import Person, PersonSearchToken
from gilde.relations.selectors import PersonFilters, person_list
from gilde.relations.services import person_create
from tests.factories import OrganisationFactory

rebuild = importlib.import_module(
    "gilde.relations.migrations.0009_rebuild_person_search_words"
).rebuild_search_words


def stored(person: Person) -> tuple[str, set[str]]:
    person.refresh_from_db()
    return person.search_text, set(person.search_tokens.values_list("token", flat=True))


def forget_search_words(person: Person) -> None:
    """The state before the migration: the old text, without the words it now adds."""
    PersonSearchToken.objects.filter(person=person).delete()
    Person.objects.filter(pk=person.pk).update(search_text=" van der berg ~ jan@example.nl ")
    PersonSearchToken.objects.create(person=person, token="berg")


def test_rebuilding_gives_the_words_a_saved_person_has(owner):
    organisation = OrganisationFactory(name="Rijnbouw Groep")
    jan = person_create(
        actor=owner,
        given_name="Jan",
        tussenvoegsel="van der",
        family_name="Berg-'t Hart",
        emails=["jan@example.nl", "j.berg@mail.rijnbouw.nl"],
        tags=["bestuur", "alumni"],
        passions="zeilen, jazz",
        organisation=organisation,
        role="Directeur",
    )
    saved = stored(jan)
    forget_search_words(jan)
    rebuild(apps, None)
    assert stored(jan) == saved


def test_after_rebuilding_vd_and_the_domain_find_the_person(owner):
    jan = person_create(
        actor=owner,
        given_name="Jan",
        tussenvoegsel="van der",
        family_name="Berg",
        emails=["jan@example.nl"],
    )
    forget_search_words(jan)
    rebuild(apps, None)
    for query in ("vd berg", "example.nl"):
        assert [p.pk for p in person_list(user=owner.user, filters=PersonFilters(q=query))] == [
            jan.pk
        ]


def test_rebuilding_leaves_an_erased_person_without_search_words(manager):
    femke = person_create(
        actor=manager, given_name="Femke", family_name="Visser", emails=["femke@example.nl"]
    )
    person_erase(actor=manager, person=femke)
    rebuild(apps, None)
    assert stored(femke) == ("", set())
