"""Person search finds Dutch names as people type them in a hurry: particles abbreviated, one
half of a double-barrelled name, "'t" without its apostrophe, and an e-mail domain."""

from __future__ import annotations

import pytest

from gilde.imports.services import batch_commit, batch_upload
from gilde.relations.selectors import PersonFilters, person_list
from gilde.relations.services import person_create
from tests.imports.factories import csv_file


def search(user, q: str) -> list[str]:
    return [p.full_name for p in person_list(user=user, filters=PersonFilters(q=q))]


def person(owner, given: str, tussen: str, family: str, **fields):
    return person_create(
        actor=owner, given_name=given, tussenvoegsel=tussen, family_name=family, **fields
    )


@pytest.fixture
def berg(owner):
    return person(owner, "Jan", "van der", "Berg", initials="J.")


@pytest.mark.parametrize("query", ["vd Berg", "v.d. Berg", "v/d Berg", "VD berg"])
def test_vd_finds_van_der(owner, berg, query):
    assert search(owner.user, query) == ["Jan van der Berg"]


@pytest.mark.parametrize("query", ["J.v.d. Berg", "J. v.d. Berg", "j. vd berg"])
def test_initials_with_vd_find_van_der(owner, berg, query):
    assert search(owner.user, query) == ["Jan van der Berg"]


def test_vd_finds_van_de_and_van_den_too(owner):
    for tussen, family in [("van de", "Ven"), ("van den", "Ven"), ("van der", "Ven")]:
        person(owner, "Piet", tussen, family)
    assert sorted(search(owner.user, "vd ven")) == [
        "Piet van de Ven",
        "Piet van den Ven",
        "Piet van der Ven",
    ]


def test_vd_does_not_find_a_plain_van(owner):
    person(owner, "Kees", "van", "Berg")
    assert search(owner.user, "vd berg") == []


def test_v_dot_finds_van(owner):
    person(owner, "Kees", "van", "Dijk")
    assert search(owner.user, "v. Dijk") == ["Kees van Dijk"]


def test_initials_without_initials_field_are_taken_from_the_given_name(owner):
    person(owner, "Jan", "van der", "Berg")
    assert search(owner.user, "J.v.d. Berg") == ["Jan van der Berg"]


def test_a_stored_vd_is_found_by_the_particles_it_stands_for(owner):
    person(owner, "Jan", "vd", "Berg")
    assert search(owner.user, "van den berg") == ["Jan vd Berg"]
    assert search(owner.user, "v.d. berg") == ["Jan vd Berg"]


def test_the_second_half_of_a_double_barrelled_name_finds_the_person(owner):
    person(owner, "Anna", "de", "Vries-Ĳsselmuiden")
    assert search(owner.user, "ijsselmuiden") == ["Anna de Vries-Ĳsselmuiden"]


def test_the_first_half_of_a_double_barrelled_name_is_a_whole_word(owner):
    person(owner, "Anna", "de", "Vries-Ĳsselmuiden")
    assert search(owner.user, "vries anna") == ["Anna de Vries-Ĳsselmuiden"]


def test_the_whole_double_barrelled_name_still_finds_the_person(owner):
    person(owner, "Anna", "de", "Vries-Ĳsselmuiden")
    assert search(owner.user, "de Vries-IJsselmuiden") == ["Anna de Vries-Ĳsselmuiden"]


def test_a_hyphenated_given_name_is_found_by_its_parts(owner):
    person(owner, "Jan-Willem", "ter", "Horst")
    assert search(owner.user, "willem ter horst") == ["Jan-Willem ter Horst"]


@pytest.mark.parametrize("query", ["'t Hooft", "t hooft", "thooft", "Gerard thooft"])
def test_t_without_apostrophe_finds_t_hooft(owner, query):
    person(owner, "Gerard", "'t", "Hooft")
    assert search(owner.user, query) == ["Gerard 't Hooft"]


def test_a_curly_apostrophe_finds_a_straight_one(owner):
    person(owner, "Gerard", "'t", "Hooft")
    assert search(owner.user, "\u2019t Hooft") == ["Gerard 't Hooft"]


def test_van_t_without_apostrophe_finds_van_t_hek(owner):
    person(owner, "Ria", "van 't", "Hek")
    assert search(owner.user, "van t hek") == ["Ria van 't Hek"]


@pytest.mark.parametrize("query", ["example.nl", "@example.nl", "example"])
def test_the_email_domain_finds_the_person(owner, query):
    person(owner, "Jan", "", "Jansen", emails=["jan@example.nl"])
    person(owner, "Piet", "", "Pietersen", emails=["piet@elders.nl"])
    assert search(owner.user, query) == ["Jan Jansen"]


def test_the_parent_domain_of_a_mail_server_finds_the_person(owner):
    person(owner, "Jan", "", "Jansen", emails=["jan@mail.example.nl"])
    assert search(owner.user, "example.nl") == ["Jan Jansen"]


def test_the_whole_email_address_still_finds_the_person(owner):
    person(owner, "Jan", "", "Jansen", emails=["jan@example.nl"])
    assert search(owner.user, "jan@example.nl") == ["Jan Jansen"]


def test_a_top_level_domain_alone_finds_nobody(owner):
    person(owner, "Jan", "", "Jansen", emails=["jan@example.nl"])
    assert search(owner.user, "nl jansen") == []


def imported(manager, *rows: str) -> None:
    batch = batch_upload(actor=manager, content=csv_file(*rows), file_name="relaties.csv")
    batch_commit(actor=manager, batch=batch)


@pytest.mark.parametrize("query", ["vd Berg", "J.v.d. Berg", "berg-t hart", "hart"])
def test_an_imported_person_is_found_by_the_typed_forms(manager, query):
    imported(manager, "Jan;van der;Berg-'t Hart;jan@example.nl;;;;")
    assert search(manager.user, query) == ["Jan van der Berg-'t Hart"]


def test_an_imported_person_is_found_by_the_email_domain(manager):
    imported(manager, "Jan;;Jansen;jan@example.nl;;;;")
    assert search(manager.user, "example.nl") == ["Jan Jansen"]
