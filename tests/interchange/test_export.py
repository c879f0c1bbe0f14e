"""What Gilde exports, Gilde imports back without loss."""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import replace
from datetime import date

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gilde.interchange import ContactRecord, parse_auto
from gilde.interchange.export import ExportPerson, write_csv, write_vcard, write_xlsx
from gilde.interchange.keys import guard_cell, unguard_cell

WRITERS: dict[str, Callable[[list[ContactRecord]], bytes]] = {
    "csv": lambda records: write_csv(records),
    "csv-dutch-excel": lambda records: write_csv(records, dutch_excel=True),
    "csv-english": lambda records: write_csv(records, language="en"),
    "xlsx": lambda records: write_xlsx(records),
    "vcard-3.0": lambda records: write_vcard(records, version="3.0"),
    "vcard-4.0": lambda records: write_vcard(records, version="4.0"),
}
EXTENSIONS = {"csv": ".csv", "xlsx": ".xlsx", "vcard": ".vcf"}

JOSE = ContactRecord(
    given_name="José",
    initials="J.M.",
    tussenvoegsel="van der",
    family_name="Berg",
    title="dr.",
    emails=("jose@berg.example", "j.berg@privé.example"),
    phones=("+31612345678", "+3225551212"),
    organisation='=Berg; Zonen, "B.V."',
    job_title="-Directeur",
    city="’s-Hertogenbosch",
    address="Markt 1\n5211 JV ’s-Hertogenbosch",
    website="https://berg.example",
    linkedin_url="https://www.linkedin.com/in/josevdberg",
    connected_on=date(2021, 3, 12),
    birthday=date(1970, 2, 28),
    notes='@mention; =SUM(A1)\nTweede regel, met ‘quotes’ en "dubbele"',
    tags=("Klant", "Ëxtra"),
    language="nl",
)
INITIALS_ONLY = ContactRecord(
    initials="A.B.", tussenvoegsel="'t", family_name="Hoen", emails=("ab@hoen.example",)
)


def round_trip(kind: str, records: list[ContactRecord]) -> list[ContactRecord]:
    data = WRITERS[kind](records)
    filename = "export" + EXTENSIONS[kind.split("-")[0]]
    result = parse_auto(data, filename=filename)
    assert result.rejected == () and result.warnings == ()
    return [replace(r, line=0, source="") for r in result.records]


@pytest.mark.parametrize("kind", sorted(WRITERS))
def test_accents_tussenvoegsels_and_formula_like_text_survive(kind: str) -> None:
    assert round_trip(kind, [JOSE, INITIALS_ONLY]) == [JOSE, INITIALS_ONLY]


@pytest.mark.parametrize("kind", sorted(WRITERS))
def test_every_fixture_survives_a_round_trip(kind: str, fixture_files: dict[str, bytes]) -> None:
    records = [
        replace(record, line=0, source="")
        for name, data in sorted(fixture_files.items())
        for record in parse_auto(data, filename=name).records
    ]
    assert round_trip(kind, records) == records


def test_dutch_excel_csv_has_bom_and_semicolons() -> None:
    data = write_csv([JOSE], dutch_excel=True)
    assert data.startswith("\ufeffTitel;Voornaam;Voorletters;Tussenvoegsel;Achternaam".encode())


def test_csv_cells_that_would_run_as_formulas_get_an_apostrophe() -> None:
    text = write_csv([JOSE]).decode()
    assert "'+31612345678" in text
    assert "'-Directeur" in text
    assert '"\'=Berg; Zonen, ""B.V."""' in text
    assert "\"'@mention; =SUM(A1)" in text


def test_xlsx_cells_are_text_never_formulas() -> None:
    sheet = openpyxl.load_workbook(io.BytesIO(write_xlsx([JOSE])), read_only=False).active
    assert sheet is not None
    cells = {cell.value: cell for row in sheet.iter_rows() for cell in row if cell.value}
    organisation = cells['=Berg; Zonen, "B.V."']
    assert organisation.data_type == "s"
    assert organisation.quotePrefix
    assert cells["+31612345678"].data_type == "s"


def test_export_carries_tier_and_strongest_tie() -> None:
    text = write_csv(
        [ExportPerson(INITIALS_ONLY, tier="A", tie_strength=87)], language="en"
    ).decode()
    header, row = text.splitlines()[0], text.splitlines()[1]
    assert header.endswith("Tier,Strongest tie")
    assert row.endswith(",A,87")


def test_vcard_folds_long_lines_without_splitting_characters() -> None:
    record = replace(JOSE, notes="é" * 200)
    lines = write_vcard([record]).split(b"\r\n")
    assert max(len(line) for line in lines) <= 75
    for line in lines:
        line.decode("utf-8")


@pytest.mark.parametrize(
    "value",
    ["", "Jan", "=1+1", "+31612345678", "-", "@x", "'", "'=1", "''+3", "\tx", "a=b", " =1", "\n=1"],
)
def test_unguard_undoes_guard(value: str) -> None:
    assert unguard_cell(guard_cell(value)) == value


# Records the registry could hold: names with particles and accents, valid Dutch phones.
WORDS = (
    st.text(alphabet="abcdeéëijklmnoöprstuvwyzĲÅß’-' ", min_size=1, max_size=12)
    .map(lambda s: s.strip(" -'"))
    .filter(lambda s: bool(s) and s[0].isalpha() and "  " not in s)
)
CAPITALISED = WORDS.map(lambda s: s[0].upper() + s[1:]).filter(
    lambda s: not s.isupper() and len(s) > 3 and " " not in s
)
TEXT = st.text(
    alphabet=st.characters(
        codec="utf-8",
        exclude_categories=("Cc", "Cs", "Co", "Cn", "Zl", "Zp"),
        include_characters="\n",
    ),
    max_size=40,
).map(str.strip)
FREE = TEXT.filter(lambda s: "\n" not in s)
# Google's system groups ("myContacts", "starred") are not tags: the reader leaves them out.
SYSTEM_GROUPS = {"mycontacts", "starred", "other contacts"}
TAG = (
    FREE.filter(
        lambda s: "," not in s and ";" not in s and ":::" not in s and not s.startswith("* ")
    )
    .map(str.strip)
    .filter(lambda s: s.casefold() not in SYSTEM_GROUPS)
)


@st.composite
def records(draw: st.DrawFn) -> ContactRecord:
    given = draw(st.sampled_from(["", "Jan", "Ëlla", "Jan-Willem", "Ümit", "Sophie Anne"]))
    initials = draw(st.sampled_from(["", "J.", "J.W.", "A.B.C."])) if not given else ""
    family = draw(CAPITALISED)
    phones = draw(
        st.lists(
            st.sampled_from(["+31612345678", "+31201234567", "+442079460958"]),
            unique=True,
            max_size=2,
        )
    )
    tags = draw(st.lists(TAG.filter(bool), max_size=3, unique_by=str.casefold))
    return ContactRecord(
        given_name=given,
        initials=initials or ("".join(w[0] + "." for w in given.replace("-", " ").split())),
        tussenvoegsel=draw(st.sampled_from(["", "van", "van der", "de", "'t", "ter", "van 't"])),
        family_name=family,
        title=draw(st.sampled_from(["", "dr.", "mr. drs.", "ir."])),
        emails=tuple(
            draw(st.lists(st.sampled_from(["a@b.nl", "x.y@z.example"]), unique=True, max_size=2))
        ),
        phones=tuple(phones),
        organisation=draw(FREE),
        job_title=draw(FREE),
        city=draw(FREE),
        address=draw(TEXT),
        notes=draw(TEXT),
        tags=tuple(tags),
        birthday=draw(st.none() | st.dates(date(1900, 1, 1), date(2020, 12, 31))),
        connected_on=draw(st.none() | st.dates(date(2003, 1, 1), date(2030, 12, 31))),
        language=draw(st.sampled_from(["", "nl", "en"])),
    )


@pytest.mark.parametrize("kind", sorted(WRITERS))
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(batch=st.lists(records(), min_size=1, max_size=4))
def test_any_registry_record_survives_a_round_trip(kind: str, batch: list[ContactRecord]) -> None:
    assert round_trip(kind, batch) == batch


@pytest.mark.parametrize("kind", sorted(WRITERS))
def test_a_note_starting_with_an_apostrophe_and_equals_sign_survives(kind: str) -> None:
    record = ContactRecord(given_name="Jan", initials="J.", family_name="Berg", notes="'=")

    assert round_trip(kind, [record]) == [record]
