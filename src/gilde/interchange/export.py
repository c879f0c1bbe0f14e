"""Writing persons to CSV (plain or Dutch Excel), XLSX and vCard 3.0/4.0, in a shape Gilde's own
importers read back without loss."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

import openpyxl
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from gilde.interchange.keys import FORMULA_STARTS, guard_cell
from gilde.interchange.records import ContactRecord
from gilde.interchange.vcard_export import write_vcard

__all__ = ["ExportPerson", "export_table", "write_csv", "write_vcard", "write_xlsx"]


@dataclass(frozen=True)
class ExportPerson:
    """One person to export: the record plus what only the registry knows."""

    record: ContactRecord
    tier: str = ""
    tie_strength: int | None = None


Getter = Callable[[ExportPerson], str]


def _field(name: str) -> Getter:
    return lambda person: str(getattr(person.record, name) or "")


def _date(name: str) -> Getter:
    def get(person: ExportPerson) -> str:
        value = getattr(person.record, name)
        return value.isoformat() if value else ""

    return get


# (Dutch header, English header, value); the importer's mapping recognises both headers.
_COLUMNS: tuple[tuple[str, str, Getter], ...] = (
    ("Titel", "Title", _field("title")),
    ("Voornaam", "First name", _field("given_name")),
    ("Voorletters", "Initials", _field("initials")),
    ("Tussenvoegsel", "Tussenvoegsel", _field("tussenvoegsel")),
    ("Achternaam", "Last name", _field("family_name")),
    ("Organisatie", "Organisation", _field("organisation")),
    ("Functie", "Job title", _field("job_title")),
)
_TAIL: tuple[tuple[str, str, Getter], ...] = (
    ("Adres", "Address", _field("address")),
    ("Plaats", "City", _field("city")),
    ("Website", "Website", _field("website")),
    ("LinkedIn", "LinkedIn", _field("linkedin_url")),
    ("Geboortedatum", "Birthday", _date("birthday")),
    ("Verbonden op", "Connected on", _date("connected_on")),
    ("Taal", "Language", _field("language")),
    ("Tags", "Tags", lambda p: ", ".join(p.record.tags)),
    ("Notities", "Notes", _field("notes")),
    ("Belang", "Tier", lambda p: p.tier),
    (
        "Sterkste band",
        "Strongest tie",
        lambda p: "" if p.tie_strength is None else str(p.tie_strength),
    ),
)


def _persons(items: Iterable[ExportPerson | ContactRecord]) -> list[ExportPerson]:
    return [i if isinstance(i, ExportPerson) else ExportPerson(i) for i in items]


def export_table(
    items: Iterable[ExportPerson | ContactRecord], *, language: str = "nl"
) -> tuple[list[str], list[list[str]]]:
    """Header and rows as text, with as many E-mail and Telefoon columns as the person with
    the most of them needs."""
    persons = _persons(items)
    dutch = language == "nl"
    emails = max((len(p.record.emails) for p in persons), default=0) or 1
    phones = max((len(p.record.phones) for p in persons), default=0) or 1
    header = [nl if dutch else en for nl, en, _ in _COLUMNS]
    header += [("E-mail" if dutch else "Email") + _n(i) for i in range(emails)]
    header += [("Telefoon" if dutch else "Phone") + _n(i) for i in range(phones)]
    header += [nl if dutch else en for nl, en, _ in _TAIL]
    rows = []
    for person in persons:
        row = [get(person) for _, _, get in _COLUMNS]
        row += _padded(person.record.emails, emails) + _padded(person.record.phones, phones)
        row += [get(person) for _, _, get in _TAIL]
        rows.append(row)
    return header, rows


def _n(index: int) -> str:
    return f" {index + 1}" if index else ""


def _padded(values: Sequence[str], width: int) -> list[str]:
    return [*values, *[""] * (width - len(values))]


def write_csv(
    items: Iterable[ExportPerson | ContactRecord],
    *,
    dutch_excel: bool = False,
    language: str = "nl",
) -> bytes:
    """CSV as UTF-8 with commas, or for Dutch Excel with ";" and a byte-order mark (without
    the BOM Excel reads UTF-8 as Windows-1252 and mangles every accent). Cells that would
    start a formula get an apostrophe, which Gilde's importer takes off again."""
    header, rows = export_table(items, language=language)
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";" if dutch_excel else ",", lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows([guard_cell(cell) for cell in row] for row in rows)
    prefix = "\ufeff" if dutch_excel else ""
    return (prefix + buffer.getvalue()).encode("utf-8")


def write_xlsx(items: Iterable[ExportPerson | ContactRecord], *, language: str = "nl") -> bytes:
    """An .xlsx workbook with one sheet. Every cell is typed text, so "=..." is never a formula;
    cells that look like one are also marked quote-prefixed so Excel keeps them text on edit."""
    header, rows = export_table(items, language=language)
    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet("Relaties" if language == "nl" else "Relations")
    sheet.append(header)
    for row in rows:
        sheet.append([_text_cell(sheet, value) for value in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _text_cell(sheet: object, value: str) -> WriteOnlyCell | None:
    if not value:
        return None
    # A leading apostrophe is doubled like in CSV, so the importer's undo is the same for both.
    # Control characters make a workbook Excel refuses to open; they carry nothing for people.
    value = ILLEGAL_CHARACTERS_RE.sub("", value)
    cell = WriteOnlyCell(sheet, value=guard_cell(value) if value.startswith("'") else value)
    cell.data_type = "s"
    if value.startswith(FORMULA_STARTS):
        cell.quotePrefix = True
    return cell
