"""vCard 3.0 and 4.0 writing. Dutch name parts go where address books show them well
(tussenvoegsel as additional name, so "Jan van der Berg" displays and sorts under B) and in
X-GILDE- properties so Gilde reads them back exactly."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from gilde.interchange.records import ContactRecord

if TYPE_CHECKING:
    from gilde.interchange.export import ExportPerson


def escape(value: str) -> str:
    """Backslash-escape a text value (RFC 6350 section 3.4)."""
    return (
        value.replace("\\", "\\\\")
        .replace(",", "\\,")
        .replace(";", "\\;")
        .replace("\r\n", "\n")
        .replace("\n", "\\n")
    )


def param_escape(value: str) -> str:
    """Quote-safe parameter value (RFC 6868: ^n for newline, ^' for a double quote)."""
    return value.replace("^", "^^").replace("\r\n", "\n").replace("\n", "^n").replace('"', "^'")


def fold(line: str) -> str:
    """Fold a content line at 75 octets without splitting a UTF-8 character."""
    out: list[str] = []
    current: list[str] = []
    size = 0
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > 75:
            out.append("".join(current))
            current, size = [" "], 1
        current.append(char)
        size += width
    out.append("".join(current))
    return "\r\n".join(out)


def _card(record: ContactRecord, version: str) -> list[str]:
    n = ";".join(
        escape(p)
        for p in (
            record.family_name,
            record.given_name or record.initials,
            record.tussenvoegsel,
            record.title,
            "",
        )
    )
    lines = [
        "BEGIN:VCARD",
        f"VERSION:{version}",
        f"N:{n}",
        f"FN:{escape(record.display_name or (record.emails[0] if record.emails else ''))}",
        f"X-GILDE-TUSSENVOEGSEL:{escape(record.tussenvoegsel)}",
        f"X-GILDE-INITIALS:{escape(record.initials)}",
    ]
    if record.organisation:
        lines.append(f"ORG:{escape(record.organisation)}")
    if record.job_title:
        lines.append(f"TITLE:{escape(record.job_title)}")
    email_type = "INTERNET" if version == "3.0" else "work"
    lines += [f"EMAIL;TYPE={email_type}:{escape(e)}" for e in record.emails]
    if version == "4.0":
        lines += [f"TEL;VALUE=uri:tel:{p}" for p in record.phones]
    else:
        lines += [f"TEL;TYPE=VOICE:{p}" for p in record.phones]
    if record.address or record.city:
        adr = f";;{escape(record.address)};{escape(record.city)};;;"
        if version == "4.0":
            lines.append(
                f'ADR;LABEL="{param_escape(record.address)}":{adr}'
                if record.address
                else f"ADR:{adr}"
            )
        else:
            lines.append(f"ADR:{adr}")
            if record.address:
                lines.append(f"LABEL:{escape(record.address)}")
    if record.website:
        lines.append(f"URL:{escape(record.website)}")
    if record.linkedin_url:
        lines.append(f"X-SOCIALPROFILE;TYPE=linkedin:{escape(record.linkedin_url)}")
    if record.birthday:
        bday = record.birthday.isoformat()
        lines.append(f"BDAY:{bday.replace('-', '') if version == '4.0' else bday}")
    if record.connected_on:
        lines.append(f"X-GILDE-CONNECTED-ON:{record.connected_on.isoformat()}")
    if record.language:
        key = "LANG" if version == "4.0" else "X-GILDE-LANGUAGE"
        lines.append(f"{key}:{escape(record.language)}")
    if record.tags:
        lines.append("CATEGORIES:" + ",".join(escape(t) for t in record.tags))
    if record.notes:
        lines.append(f"NOTE:{escape(record.notes)}")
    lines.append("END:VCARD")
    return lines


def write_vcard(items: Iterable[ExportPerson | ContactRecord], *, version: str = "3.0") -> bytes:
    """All persons as one .vcf file in vCard 3.0 or 4.0, UTF-8 with CRLF line ends."""
    if version not in {"3.0", "4.0"}:
        raise ValueError(f"vCard version must be 3.0 or 4.0, not {version!r}")
    out: list[str] = []
    for item in items:
        record = item if isinstance(item, ContactRecord) else item.record
        out += [fold(line) for line in _card(record, version)]
    return ("\r\n".join(out) + "\r\n").encode("utf-8") if out else b""
