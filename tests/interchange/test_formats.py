from __future__ import annotations

import io
import os
import zipfile
from datetime import date

import pytest

from gilde.interchange import (
    ContactRecord,
    detect_format,
    parse_auto,
    parse_csv,
    parse_linkedin_zip,
    parse_vcard,
)


def by_family(records: tuple[ContactRecord, ...]) -> dict[str, ContactRecord]:
    return {r.family_name: r for r in records}


@pytest.mark.parametrize(
    ("name", "fmt"),
    [
        ("dutch_excel.csv", "csv"),
        ("unicode_text.txt", "csv"),
        ("Connections.csv", "linkedin"),
        ("linkedin_export.zip", "linkedin_zip"),
        ("google.csv", "google"),
        ("google_legacy.csv", "google"),
        ("outlook_en.csv", "outlook"),
        ("outlook_nl.csv", "outlook"),
        ("contacts21.vcf", "vcard"),
        ("contacts40.vcf", "vcard"),
        ("relaties.xlsx", "xlsx"),
    ],
)
def test_formats_are_detected_from_content(
    fixture_files: dict[str, bytes], name: str, fmt: str
) -> None:
    assert detect_format(fixture_files[name], filename=name) == fmt


def test_dutch_excel_csv_keeps_accents_and_tussenvoegsels(fixture_files: dict[str, bytes]) -> None:
    result = parse_auto(fixture_files["dutch_excel.csv"], filename="dutch_excel.csv")
    assert (result.encoding, result.delimiter) == ("cp1252", ";")
    people = by_family(result.records)
    jose = people["Berg"]
    assert (jose.given_name, jose.tussenvoegsel) == ("José", "van der")
    assert jose.phones == ("+31612345678",)
    assert jose.address == "Stadsplateau 1, 3521 AZ Utrecht"
    assert jose.birthday == date(1980, 5, 17)
    assert people["Ëlsen"].organisation == "Café ’t Hoekje"
    assert people["Ëlsen"].notes == "Eerste regel;\ntweede regel"


def test_rows_without_name_and_email_are_rejected_with_their_line(
    fixture_files: dict[str, bytes],
) -> None:
    result = parse_auto(fixture_files["dutch_excel.csv"], filename="dutch_excel.csv")
    assert [(r.line, r.reason_code) for r in result.rejected] == [(7, "no_name_or_email")]


def test_utf16_tab_file_with_full_names(fixture_files: dict[str, bytes]) -> None:
    result = parse_csv(fixture_files["unicode_text.txt"], filename="unicode_text.txt")
    assert result.delimiter == "\t"
    names = [
        (r.title, r.initials, r.given_name, r.tussenvoegsel, r.family_name) for r in result.records
    ]
    assert names == [
        ("", "J.", "Jan", "van der", "Berg"),
        ("", "J.P.", "", "de", "Vries"),
        ("dr.", "A.", "Anna", "de", "Wit"),
    ]
    assert result.records[1].phones == ("+31201234567",)


def test_linkedin_connections_skip_the_notes_and_carry_the_date(
    fixture_files: dict[str, bytes],
) -> None:
    result = parse_auto(fixture_files["Connections.csv"], filename="Connections.csv")
    jan, marieke, stephanie = result.records
    assert (jan.tussenvoegsel, jan.family_name, jan.connected_on) == (
        "van der",
        "Berg",
        date(2021, 3, 12),
    )
    assert jan.linkedin_url == "https://www.linkedin.com/in/janvdberg"
    assert (marieke.tussenvoegsel, marieke.family_name, marieke.emails) == ("de", "Vries", ())
    assert stephanie.given_name == "Stéphanie"
    assert [r.line for r in result.rejected] == [7]


def test_linkedin_zip_reads_connections_csv(fixture_files: dict[str, bytes]) -> None:
    result = parse_linkedin_zip(fixture_files["linkedin_export.zip"], filename="export.zip")
    assert result.format == "linkedin_zip"
    assert len(result.records) == 3
    assert result.records[0].source == "linkedin:export.zip/Connections.csv"


def test_google_multi_values_and_labels(fixture_files: dict[str, bytes]) -> None:
    eva, kees = parse_auto(fixture_files["google.csv"], filename="google.csv").records
    assert eva.emails == ("eva@nh.example", "eva.jansen@home.example")
    assert eva.phones == ("+31622233344", "+31235123456")
    assert eva.tags == ("Overheid", "VIP")
    assert eva.linkedin_url == "https://www.linkedin.com/in/evajansen"
    assert (eva.city, eva.address) == ("Haarlem", "Dreef 3\n2012 HR Haarlem")
    assert (kees.title, kees.tussenvoegsel, kees.family_name) == ("dr.", "van", "Dam")


def test_google_legacy_headers(fixture_files: dict[str, bytes]) -> None:
    (lotte,) = parse_auto(fixture_files["google_legacy.csv"], filename="g.csv").records
    assert (lotte.tussenvoegsel, lotte.family_name) == ("ter", "Horst")
    assert (lotte.organisation, lotte.job_title) == ("Ter Horst Catering", "Eigenaar")
    assert lotte.tags == ("Leveranciers",)


def test_outlook_english_reads_month_first_birthdays(fixture_files: dict[str, bytes]) -> None:
    result = parse_auto(fixture_files["outlook_en.csv"], filename="contacts.csv")
    hendrik, tom = result.records
    assert (hendrik.tussenvoegsel, hendrik.family_name) == ("van den", "Broek")
    assert hendrik.birthday == date(1980, 5, 17)
    assert hendrik.phones == ("+31101234567", "+31628765432")
    assert hendrik.tags == ("Leverancier", "Logistiek")
    assert (tom.title, tom.birthday) == ("Mr.", None)
    assert result.warnings == ()


def test_outlook_dutch_headers(fixture_files: dict[str, bytes]) -> None:
    (geertje,) = parse_auto(fixture_files["outlook_nl.csv"], filename="contacten.csv").records
    assert geertje.family_name == "Mulder-de Groot"
    assert geertje.city == "’s-Hertogenbosch"
    assert geertje.birthday == date(1968, 11, 3)
    assert geertje.emails == ("g.mulder@zorg.example",)


def test_vcard_21_quoted_printable_in_two_charsets(fixture_files: dict[str, bytes]) -> None:
    renee, francois = parse_vcard(fixture_files["contacts21.vcf"], filename="c.vcf").records
    assert (renee.given_name, renee.tussenvoegsel, renee.family_name) == ("Renée", "van", "Björk")
    assert renee.notes == "Eerste regel\nTweede regel met één accent"
    assert renee.organisation == "Café Noord"
    assert (francois.given_name, francois.family_name) == ("François", "Gaël")
    assert francois.job_title == "Coördinator"
    assert francois.phones == ("+31201234567",)


def test_vcard_30_folding_groups_and_escapes(fixture_files: dict[str, bytes]) -> None:
    result = parse_vcard(fixture_files["contacts30.vcf"], filename="c.vcf")
    maartje, bram = result.records
    assert maartje.organisation == "Boer, Bakker & Co"
    assert maartje.linkedin_url == "https://www.linkedin.com/in/maartjedeboer"
    assert maartje.website == "https://boer.example"
    assert "vijfenzeventig tekens mogen zijn, zegt" in maartje.notes
    assert maartje.tags == ("Klant", "Netwerk")
    assert (maartje.city, maartje.birthday) == ("Den Haag", date(1985, 7, 4))
    assert (bram.tussenvoegsel, bram.family_name) == ("'t", "Hooft")
    assert [r.line for r in result.rejected] == [25]


def test_vcard_40(fixture_files: dict[str, bytes]) -> None:
    (ingrid,) = parse_vcard(fixture_files["contacts40.vcf"], filename="c.vcf").records
    assert (ingrid.title, ingrid.tussenvoegsel, ingrid.family_name) == ("dr.", "van 't", "Veld")
    assert ingrid.phones == ("+31644455566",)
    assert (ingrid.language, ingrid.birthday) == ("nl", date(1970, 1, 1))


def test_xlsx_with_title_row_number_phone_and_date(fixture_files: dict[str, bytes]) -> None:
    femke, groot = parse_auto(fixture_files["relaties.xlsx"], filename="relaties.xlsx").records
    assert femke.line == 3
    assert (femke.tussenvoegsel, femke.family_name) == ("van 't", "Hof")
    assert femke.phones == ("+31612345678",)
    assert femke.birthday == date(1982, 4, 9)
    assert (groot.initials, groot.tussenvoegsel, groot.family_name) == ("P.", "de", "Groot")
    assert groot.phones == ("+31201234567",)


def test_an_explicit_mapping_overrides_the_suggestion() -> None:
    data = b"Wie;Contact;Waar\nJan van der Berg;jan@berg.example;Utrecht\n"
    mapping = {"Wie": "full_name", "Contact": "email", "Waar": "organisation"}
    result = parse_csv(data, filename="x.csv", mapping=mapping)
    assert result.mapping == mapping
    (jan,) = result.records
    assert (jan.family_name, jan.emails, jan.organisation) == (
        "Berg",
        ("jan@berg.example",),
        "Utrecht",
    )


def test_bad_values_become_warnings_not_errors() -> None:
    data = b"Naam,E-mail,Telefoon,Geboortedatum\nJan Berg,geen-mail,123,31-02-1980\n"
    result = parse_csv(data, filename="x.csv")
    assert len(result.records) == 1
    assert [w.code for w in result.warnings] == [
        "invalid_email",
        "invalid_phone",
        "invalid_birthday",
    ]
    assert all(w.line == 2 for w in result.warnings)


def test_an_xlsx_is_recognised_by_its_members_wherever_they_sit() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("xl/worksheets/sheet1.xml", os.urandom(100_000))
        archive.writestr("[Content_Types].xml", b"<Types/>")
    assert detect_format(buffer.getvalue(), filename="upload") == "xlsx"
    assert detect_format(b"PK\x03\x04damaged", filename="relaties.xlsx") == "xlsx"
    assert detect_format(b"PK\x03\x04damaged", filename="export.zip") == "linkedin_zip"
