"""From the cells of one row, already sorted by field, to a ContactRecord or a RejectedRow."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from gilde.interchange.dates import parse_date
from gilde.interchange.keys import (
    fold_email,
    is_email,
    normalise_linkedin,
    split_emails,
    unguard_cell,
)
from gilde.interchange.phones import normalise_phone, split_phones
from gilde.interchange.records import ContactRecord, ParseWarning, RejectedRow
from gilde.names import PersonName, split_name
from gilde.names.dutch import split_parts, split_title

# Google's own groups, which say nothing the user chose.
_SYSTEM_GROUPS = frozenset({"mycontacts", "starred", "other contacts"})
# LinkedIn members put degrees behind their last name: "Vries, MSc", "Berg, MBA RC".
_CREDENTIAL_RE = re.compile(
    r",\s*((MSc|MBA|EMBA|PhD|MA|BA|BSc|LLM|LL\.M\.|MD|RA|RC|CPA|CFA|PMP|AA|RI|MPA|MSc\.)\s*)+$",
    re.I,
)


@dataclass(frozen=True)
class RowStyle:
    """How one exporting program writes its cells."""

    format: str
    source: str
    month_first: bool = False


def build_row(
    values: dict[str, list[str]], *, line: int, style: RowStyle, warnings: list[ParseWarning]
) -> ContactRecord | RejectedRow:
    """Turn one row's cells (field -> cells in column order) into a record; problems with single
    values become warnings, a row without name and e-mail becomes a RejectedRow."""
    # Only spreadsheet cells carry the formula guard (a vCard note "'=" means exactly that), and
    # only a cell that starts with an apostrophe can be a guarded one.
    guarded = style.format != "vcard"
    cells = {
        field: [
            c
            for c in ((unguard_cell(v) if guarded and v[:1] == "'" else v).strip() for v in raw)
            if c
        ]
        for field, raw in values.items()
    }
    title, name = _name(cells, "tussenvoegsel" in values)
    emails = _emails(cells.get("email", []), line, warnings)
    if not (name.given_name or name.initials or name.family_name or emails):
        return RejectedRow(line, "no_name_or_email", f"Line {line} has no name and no e-mail.")
    websites = cells.get("website", [])
    linkedin = [*cells.get("linkedin_url", []), *(w for w in websites if normalise_linkedin(w))]
    return ContactRecord(
        line=line,
        given_name=name.given_name,
        initials=name.initials,
        tussenvoegsel=name.tussenvoegsel,
        family_name=name.family_name,
        title=title,
        emails=emails,
        phones=_phones(cells.get("phone", []), line, warnings),
        organisation=_first(cells, "organisation"),
        job_title=_first(cells, "job_title"),
        city=_first(cells, "city"),
        address=_address(cells),
        website=next((w for w in websites if not normalise_linkedin(w)), ""),
        linkedin_url=normalise_linkedin(linkedin[0]) or linkedin[0] if linkedin else "",
        connected_on=_date(cells, "connected_on", style, line, warnings),
        birthday=_date(cells, "birthday", style, line, warnings),
        notes="\n".join(cells.get("notes", [])),
        tags=_tags(cells.get("tags", [])),
        language=_first(cells, "language"),
        source=style.source,
    )


def _first(cells: dict[str, list[str]], field: str) -> str:
    found = cells.get(field)
    return found[0] if found else ""


def _name(cells: dict[str, list[str]], has_tussenvoegsel_column: bool) -> tuple[str, PersonName]:
    return _name_from(
        _first(cells, "title"),
        _first(cells, "given_name"),
        _first(cells, "family_name"),
        tuple(cells.get("middle_name", ())),
        _first(cells, "tussenvoegsel") if has_tussenvoegsel_column else None,
        tuple(cells.get("full_name", ())),
        _first(cells, "initials"),
    )


# Large files repeat the same names (and name cells) many times: each is split once.
@lru_cache(maxsize=65536)
def _name_from(
    title: str,
    given: str,
    family: str,
    middle: tuple[str, ...],
    tussenvoegsel: str | None,
    full_names: tuple[str, ...],
    initials: str,
) -> tuple[str, PersonName]:
    family = _CREDENTIAL_RE.sub("", family)
    if given or family:
        given_title, given = split_title(given) if " " in given else ("", given)
        name = split_parts(given, family, middle=" ".join(middle), tussenvoegsel=tussenvoegsel)
        title = title or given_title
    else:
        # Some programs put the e-mail address in the display name when there is no name.
        full = next((f for f in full_names if "@" not in f), "")
        full_title, full = split_title(full)
        name, title = split_name(full), title or full_title
    if initials:
        name = PersonName(name.given_name, _dotted(initials), name.tussenvoegsel, name.family_name)
    return title, name


def forget_names() -> None:
    """Empty the cache of split names (personal data) once a file has been read."""
    _name_from.cache_clear()


def _dotted(initials: str) -> str:
    """ "JP" and "J P" become "J.P."; initials already with dots are kept as written."""
    if "." in initials:
        return initials.replace(" ", "")
    return "".join(c + "." for c in initials if c.isalpha())


def _emails(cells: list[str], line: int, warnings: list[ParseWarning]) -> tuple[str, ...]:
    found: dict[str, str] = {}
    for cell in cells:
        for address in split_emails(cell):
            if is_email(address):
                found.setdefault(fold_email(address), address)
            else:
                warnings.append(
                    ParseWarning(
                        line,
                        "invalid_email",
                        f"Line {line}: {address!r} is not an e-mail address and was left out.",
                        address,
                    )
                )
    return tuple(found.values())


def _phones(cells: list[str], line: int, warnings: list[ParseWarning]) -> tuple[str, ...]:
    found: list[str] = []
    for cell in cells:
        for raw in split_phones(cell):
            result = normalise_phone(raw)
            if result.e164:
                if result.e164 not in found:
                    found.append(result.e164)
            else:
                warnings.append(
                    ParseWarning(
                        line,
                        "invalid_phone",
                        f"Line {line}: {raw!r} is not a valid phone number and was left out.",
                        raw,
                    )
                )
    return tuple(found)


def _address(cells: dict[str, list[str]]) -> str:
    if full := _first(cells, "address"):
        return full
    place = " ".join(p for p in (_first(cells, "postal_code"), _first(cells, "city")) if p)
    parts = (_first(cells, "street"), place, _first(cells, "country"))
    return ", ".join(p for p in parts if p) if _first(cells, "street") else ""


def _date(
    cells: dict[str, list[str]],
    field: str,
    style: RowStyle,
    line: int,
    warnings: list[ParseWarning],
) -> date | None:
    raw = _first(cells, field)
    if not raw:
        return None
    parsed = parse_date(raw, month_first=style.month_first)
    if parsed is None and raw not in {"0/0/00", "0-0-00", "00-00-0000"}:
        warnings.append(
            ParseWarning(
                line,
                f"invalid_{field}",
                f"Line {line}: {raw!r} is not a date that could be read and was left out.",
                raw,
            )
        )
    return parsed


def _tags(cells: list[str]) -> tuple[str, ...]:
    found: dict[str, str] = {}
    for cell in cells:
        for tag in re.split(r"\s*:::\s*|\s*[;,]\s*", cell):
            tag = tag.strip().removeprefix("* ").strip()
            if tag and tag.casefold() not in _SYSTEM_GROUPS:
                found.setdefault(tag.casefold(), tag)
    return tuple(found.values())
