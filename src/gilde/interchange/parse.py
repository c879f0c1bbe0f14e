"""One entry point for any uploaded file: detect the format, then hand it to its parser."""

from __future__ import annotations

import io
import posixpath
import zipfile
from collections.abc import Callable
from dataclasses import replace

from gilde.interchange.build import forget_names
from gilde.interchange.errors import UnreadableFile
from gilde.interchange.limits import ImportLimits
from gilde.interchange.records import ParseResult
from gilde.interchange.tabular import (
    parse_csv,
    parse_google_csv,
    parse_linkedin_csv,
    parse_outlook_csv,
    parse_xlsx,
)
from gilde.interchange.text import check_size
from gilde.interchange.vcard import parse_vcard
from gilde.interchange.zipguard import check_declared, open_zip, read_member

FORMATS = ("csv", "xlsx", "linkedin", "linkedin_zip", "google", "outlook", "vcard")

# Header cells that only one program writes, compared case-insensitively.
_LINKEDIN_HEADER = ("first name", "last name", "connected on")
_GOOGLE_HEADERS = (
    "e-mail 1 - value",
    "organization 1 - name",
    "organization name",
    "given name",
    "phone 1 - value",
    "group membership",
)
_OUTLOOK_HEADERS = (
    "e-mail address",
    "business phone",
    "mobile phone",
    "middle name",
    "e-mailadres",
    "middelste naam",
    "mobiele telefoon",
    "telefoon op werk",
)


def parse_linkedin_zip(
    data: bytes,
    *,
    filename: str,
    limits: ImportLimits = ImportLimits(),  # noqa: B008 - frozen, so one shared default is safe
    mapping: dict[str, str] | None = None,
) -> ParseResult:
    """Read the Connections.csv inside LinkedIn's data export zip, guarding against zip bombs."""
    check_size(data, filename=filename, limits=limits)
    with open_zip(data, filename=filename) as archive:
        check_declared(archive, filename=filename, limits=limits)
        names = [
            n for n in archive.namelist() if posixpath.basename(n).lower() == "connections.csv"
        ]
        if not names:
            raise UnreadableFile(
                "The zip file holds no Connections.csv; download LinkedIn's data export with "
                "'Connections' selected.",
                filename=filename,
                code="no_connections_csv",
            )
        member = min(names, key=len)
        content = read_member(archive, member, filename=filename, limits=limits)
    result = parse_linkedin_csv(
        content, filename=f"{filename}/{member}", limits=limits, mapping=mapping
    )
    return replace(result, format="linkedin_zip")


def parse_linkedin(
    data: bytes,
    *,
    filename: str,
    limits: ImportLimits = ImportLimits(),  # noqa: B008
    mapping: dict[str, str] | None = None,
) -> ParseResult:
    """Read a LinkedIn export, whether the whole zip or the Connections.csv taken out of it."""
    parser = parse_linkedin_zip if data.startswith(b"PK") else parse_linkedin_csv
    return parser(data, filename=filename, limits=limits, mapping=mapping)


def detect_format(data: bytes, *, filename: str = "") -> str:
    """Guess the format from the content (and only then the file name): one of FORMATS."""
    if data.startswith(b"PK"):
        # Both an .xlsx workbook and LinkedIn's export are zip files; their contents differ.
        return _zip_format(data, filename)
    sample = data[:8192]
    if sample.startswith((b"\xff\xfe", b"\xfe\xff")):
        sample = sample.decode("utf-16", "ignore").encode("utf-8")
    lowered = sample.lower()
    if b"begin:vcard" in lowered:
        return "vcard"
    if lowered.lstrip(b"\xef\xbb\xbf \r\n").startswith(b"notes:") or all(
        h.encode() in lowered for h in _LINKEDIN_HEADER
    ):
        return "linkedin"
    first_line = lowered.split(b"\n", 1)[0]
    if any(h.encode() in first_line for h in _GOOGLE_HEADERS):
        return "google"
    if sum(h.encode() in first_line for h in _OUTLOOK_HEADERS) >= 2:
        return "outlook"
    if filename.lower().endswith((".vcf", ".vcard")):
        return "vcard"
    return "csv"


def _zip_format(data: bytes, filename: str) -> str:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = archive.namelist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
        # Let the parser the name points to report the damage.
        return "xlsx" if filename.lower().endswith((".xlsx", ".xlsm")) else "linkedin_zip"
    if any(n.startswith("xl/") or n == "[Content_Types].xml" for n in names):
        return "xlsx"
    return "linkedin_zip"


Parser = Callable[..., ParseResult]
PARSERS: dict[str, Parser] = {
    "csv": parse_csv,
    "xlsx": parse_xlsx,
    "linkedin": parse_linkedin,
    "linkedin_zip": parse_linkedin_zip,
    "google": parse_google_csv,
    "outlook": parse_outlook_csv,
    "vcard": parse_vcard,
}


def parse_auto(
    data: bytes,
    *,
    filename: str,
    limits: ImportLimits = ImportLimits(),  # noqa: B008
    mapping: dict[str, str] | None = None,
    format: str = "auto",
) -> ParseResult:
    """Parse any supported file; ``format`` forces a parser ("auto" detects it). Raises only
    ImportFileError subclasses."""
    check_size(data, filename=filename, limits=limits)
    if format == "auto":
        format = detect_format(data, filename=filename)
    parser = PARSERS.get(format)
    if parser is None:
        raise UnreadableFile(
            f"Unknown import format {format!r}.",
            filename=filename,
            code="unknown_format",
            params={"format": format},
        )
    try:
        return parser(data, filename=filename, limits=limits, mapping=mapping)
    finally:
        forget_names()  # names are personal data: not kept in the process after the parse
