from __future__ import annotations

import pytest

from gilde.interchange.mapping import suggest_field, suggest_mapping


@pytest.mark.parametrize(
    ("header", "field"),
    [
        ("Voornaam", "given_name"),
        ("First name", "given_name"),
        ("Given Name", "given_name"),
        ("Tussenvoegsel", "tussenvoegsel"),
        ("Achternaam", "family_name"),
        ("Last Name", "family_name"),
        ("Naam", "full_name"),
        ("Name", "full_name"),
        ("Organisatie", "organisation"),
        ("Bedrijf", "organisation"),
        ("Company", "organisation"),
        ("Organization 1 - Name", "organisation"),
        ("Functie", "job_title"),
        ("Job Title", "job_title"),
        ("Organization Title", "job_title"),
        ("E-mail", "email"),
        ("Email", "email"),
        ("E-mailadres", "email"),
        ("E-mail 2 Address", "email"),
        ("E-mail 1 - Value", "email"),
        ("Telefoon", "phone"),
        ("Mobiel", "phone"),
        ("Mobile Phone", "phone"),
        ("Telefoon op werk", "phone"),
        ("Phone 1 - Value", "phone"),
        ("Plaats", "city"),
        ("Woonplaats", "city"),
        ("City", "city"),
        ("Werkadres, plaats", "city"),
        ("Adres", "address"),
        ("Website", "website"),
        ("LinkedIn", "linkedin_url"),
        ("Notities", "notes"),
        ("Notes", "notes"),
        ("Tags", "tags"),
        ("Labels", "tags"),
        ("Categorieën", "tags"),
        ("Geboortedatum", "birthday"),
        ("Birthday", "birthday"),
        ("Voorletters", "initials"),
        ("Middelste naam", "middle_name"),
        ("Connected On", "connected_on"),
    ],
)
def test_headers_in_dutch_and_english_are_recognised(header: str, field: str) -> None:
    assert suggest_field(header) == field


@pytest.mark.parametrize(
    "header",
    [
        "E-mail 1 - Label",
        "Phone 1 - Type",
        "Business Fax",
        "E-mail Display Name",
        "Geslacht",
        "Phonetic First Name",
        "Geboorteplaats",
        "Belang",
    ],
)
def test_look_alike_columns_are_ignored(header: str) -> None:
    assert suggest_field(header) == "ignore"


def test_suggest_mapping_covers_every_column() -> None:
    assert suggest_mapping(["Naam", "Iets"]) == {"Naam": "full_name", "Iets": "ignore"}
