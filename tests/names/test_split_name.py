from __future__ import annotations

import pytest

from gilde.names import PersonName, fold, sort_key, split_name
from gilde.names.dutch import is_particles, split_parts, split_title


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Jan van der Berg", PersonName("Jan", "J.", "van der", "Berg")),
        ("Berg, Jan van der", PersonName("Jan", "J.", "van der", "Berg")),
        ("J.P. de Vries", PersonName("", "J.P.", "de", "Vries")),
        ("dr. Anna de Wit", PersonName("Anna", "A.", "de", "Wit")),
        ("Jan-Willem ter Horst", PersonName("Jan-Willem", "J.W.", "ter", "Horst")),
        ("Ria van 't Hek", PersonName("Ria", "R.", "van 't", "Hek")),
        ("Els van den Berg-de Vries", PersonName("Els", "E.", "van den", "Berg-de Vries")),
        ("JP de Vries", PersonName("", "J.P.", "de", "Vries")),
    ],
)
def test_names_split_as_people_write_them(text: str, expected: PersonName) -> None:
    assert split_name(text) == expected


def test_a_name_without_given_name_keeps_its_tussenvoegsel() -> None:
    assert split_name("van der Berg") == PersonName("", "", "van der", "Berg")


def test_particles_before_the_comma_are_the_tussenvoegsel() -> None:
    assert split_name("de Vries, J.P.") == PersonName("", "J.P.", "de", "Vries")


def test_register_style_puts_particles_after_the_family_name() -> None:
    assert split_name("Berg van der, J.") == PersonName("", "J.", "van der", "Berg")


def test_titles_are_not_part_of_the_name_after_the_comma() -> None:
    assert split_name("Berg, dr. Jan van der") == PersonName("Jan", "J.", "van der", "Berg")


def test_empty_and_title_only_names_give_an_empty_name() -> None:
    assert split_name("") == PersonName()
    assert split_name("dr.") == PersonName()


def test_split_title_takes_titles_off_the_front() -> None:
    assert split_title("dr. ir. Anna de Wit") == ("dr. ir.", "Anna de Wit")
    assert split_title("Anna") == ("", "Anna")


@pytest.mark.parametrize(
    ("given", "family", "middle", "expected"),
    [
        ("Jan", "van der Berg", "", PersonName("Jan", "J.", "van der", "Berg")),
        ("Jan van der", "Berg", "", PersonName("Jan", "J.", "van der", "Berg")),
        ("Jan", "Berg", "van der", PersonName("Jan", "J.", "van der", "Berg")),
        ("Jan", "Berg", "Willem", PersonName("Jan Willem", "J.W.", "", "Berg")),
        ("J.P.", "de Vries", "", PersonName("", "J.P.", "de", "Vries")),
        ("Geertje", "Mulder-de Groot", "", PersonName("Geertje", "G.", "", "Mulder-de Groot")),
    ],
)
def test_address_book_columns_find_the_tussenvoegsel(
    given: str, family: str, middle: str, expected: PersonName
) -> None:
    assert split_parts(given, family, middle=middle) == expected


def test_an_explicit_tussenvoegsel_column_is_trusted() -> None:
    name = split_parts("Jan", "De Vries", tussenvoegsel="")
    assert name == PersonName("Jan", "J.", "", "De Vries")


def test_is_particles() -> None:
    assert is_particles("van der")
    assert is_particles("'t")
    assert not is_particles("van Dam")
    assert not is_particles("")


def test_fold_and_sort_key_ignore_accents_and_particles() -> None:
    assert fold("Ëlla Ĳsselmeer") == "ella ijsselmeer"
    assert sort_key(split_name("Piet Bakker")) < sort_key(split_name("Jan van der Berg"))
    assert sort_key(split_name("Jan van der Berg")).startswith("berg|")
