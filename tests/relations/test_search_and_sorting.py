"""Dutch names sort under the family name and are found the way people type them."""

from __future__ import annotations

import pytest

from gilde.relations.selectors import PersonFilters, person_list
from gilde.relations.services import person_create
from tests.factories import OrganisationFactory


@pytest.fixture
def berg(owner):
    organisation = OrganisationFactory(name="Rijnbouw Groep")
    return person_create(
        actor=owner,
        given_name="Jan",
        tussenvoegsel="van der",
        family_name="Berg",
        initials="J.",
        emails=["jan@rijnbouw.nl"],
        tags=["bestuur"],
        passions="zeilen, jazz",
        organisation=organisation,
        role="Directeur",
    )


def search(user, q: str) -> list[str]:
    return [p.full_name for p in person_list(user=user, filters=PersonFilters(q=q))]


@pytest.mark.parametrize(
    "query",
    [
        "berg",
        "Berg",
        "van der berg",
        "J. van der Berg",
        "jan van der berg",
        "Berg, Jan",
        "rijnbouw",
        "jan@rijnbouw.nl",
        "bestuur",
        "zeilen",
    ],
)
def test_jan_van_der_berg_is_found_by_what_people_type(owner, berg, query):
    assert search(owner.user, query) == ["Jan van der Berg"]


def test_a_search_that_matches_nobody_returns_nobody(owner, berg):
    assert search(owner.user, "de berg") == []
    assert search(owner.user, "pietersen") == []


def test_accents_do_not_matter_for_search(owner):
    person_create(actor=owner, given_name="Hélène", family_name="Lefèvre")
    assert search(owner.user, "helene lefevre") == ["Hélène Lefèvre"]


def test_persons_sort_under_the_family_name_not_the_tussenvoegsel(owner):
    for given, tussen, family in [
        ("Jan", "van der", "Berg"),
        ("Piet", "", "Aalders"),
        ("Kees", "de", "Vries"),
        ("Anna", "", "Dekker"),
    ]:
        person_create(actor=owner, given_name=given, tussenvoegsel=tussen, family_name=family)
    names = [p.listed_name for p in person_list(user=owner.user, filters=PersonFilters())]
    assert names == ["Aalders, Piet", "Berg, Jan van der", "Dekker, Anna", "Vries, Kees de"]


def test_renaming_an_organisation_updates_the_search_of_its_people(owner, berg):
    from gilde.relations.models import Organisation
    from gilde.relations.services import organisation_update

    organisation = Organisation.objects.get(name="Rijnbouw Groep")
    organisation_update(actor=owner, organisation=organisation, name="Deltabouw")
    assert search(owner.user, "deltabouw") == ["Jan van der Berg"]
    # "groep": "rijnbouw" still finds him by his e-mail domain, rijnbouw.nl.
    assert search(owner.user, "groep") == []
