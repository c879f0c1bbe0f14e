"""CSV in its many dialects (plain, Dutch Excel, LinkedIn, Google, Outlook) and Excel .xlsx."""

from __future__ import annotations

import io
from collections.abc import Iterator
from datetime import date, datetime, time
from typing import Any

import openpyxl

from gilde.interchange.build import RowStyle
from gilde.interchange.errors import NoNameColumn, UnreadableFile
from gilde.interchange.limits import ImportLimits
from gilde.interchange.records import ParseResult
from gilde.interchange.table import Row, csv_rows, rows_to_result
from gilde.interchange.text import check_size, decode, sniff_delimiter
from gilde.interchange.zipguard import check_declared, open_zip, read_member

# LinkedIn's "URL" is the member's profile, not a website.
LINKEDIN_COLUMNS = {"URL": "linkedin_url", "Connected On": "connected_on"}


def _parse_text(
    data: bytes,
    *,
    filename: str,
    limits: ImportLimits,
    mapping: dict[str, str] | None,
    delimiter: str | None,
    style: RowStyle,
    overrides: dict[str, str] | None = None,
) -> ParseResult:
    check_size(data, filename=filename, limits=limits)
    text, encoding = decode(data, filename=filename)
    delimiter = delimiter or sniff_delimiter(text)
    return rows_to_result(
        csv_rows(text, delimiter=delimiter, filename=filename, limits=limits),
        filename=filename,
        limits=limits,
        style=style,
        mapping=mapping,
        overrides=overrides,
        encoding=encoding,
        delimiter=delimiter,
    )


def parse_csv(
    data: bytes,
    *,
    filename: str,
    limits: ImportLimits = ImportLimits(),  # noqa: B008 - frozen, so one shared default is safe
    mapping: dict[str, str] | None = None,
    delimiter: str | None = None,
) -> ParseResult:
    """Read a CSV file with any columns: encoding and delimiter are detected, the mapping
    is suggested from the header unless given."""
    style = RowStyle("csv", f"csv:{filename}")
    return _parse_text(
        data, filename=filename, limits=limits, mapping=mapping, delimiter=delimiter, style=style
    )


def parse_linkedin_csv(
    data: bytes,
    *,
    filename: str,
    limits: ImportLimits = ImportLimits(),  # noqa: B008
    mapping: dict[str, str] | None = None,
) -> ParseResult:
    """Read LinkedIn's Connections.csv; the notes above the header are skipped and each record
    carries the date of the connection."""
    style = RowStyle("linkedin", f"linkedin:{filename}")
    return _parse_text(
        data,
        filename=filename,
        limits=limits,
        mapping=mapping,
        delimiter=None,
        style=style,
        overrides=LINKEDIN_COLUMNS,
    )


def parse_google_csv(
    data: bytes,
    *,
    filename: str,
    limits: ImportLimits = ImportLimits(),  # noqa: B008
    mapping: dict[str, str] | None = None,
) -> ParseResult:
    """Read a Google Contacts CSV export, current or legacy headers; cells with several values
    separated by " ::: " give several e-mails, phones or labels."""
    style = RowStyle("google", f"google:{filename}")
    return _parse_text(
        data, filename=filename, limits=limits, mapping=mapping, delimiter=",", style=style
    )


def parse_outlook_csv(
    data: bytes,
    *,
    filename: str,
    limits: ImportLimits = ImportLimits(),  # noqa: B008
    mapping: dict[str, str] | None = None,
) -> ParseResult:
    """Read an Outlook CSV export with English or Dutch headers. English Outlook writes
    birthdays month first (5/17/1980), Dutch Outlook day first."""
    head = data[:4096].replace(b"\x00", b"").lower()
    style = RowStyle("outlook", f"outlook:{filename}", month_first=b"first name" in head)
    return _parse_text(
        data, filename=filename, limits=limits, mapping=mapping, delimiter=None, style=style
    )


def parse_xlsx(
    data: bytes,
    *,
    filename: str,
    limits: ImportLimits = ImportLimits(),  # noqa: B008
    mapping: dict[str, str] | None = None,
    sheet: str | None = None,
) -> ParseResult:
    """Read an Excel .xlsx workbook: the named sheet, or the first sheet with a name column."""
    check_size(data, filename=filename, limits=limits)
    with open_zip(data, filename=filename) as archive:
        check_declared(archive, filename=filename, limits=limits)
        for info in archive.infolist():
            read_member(archive, info.filename, filename=filename, limits=limits)
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises anything from KeyError to XML errors on bad files
        raise _bad_xlsx(filename, exc) from None
    try:
        if sheet and sheet not in workbook.sheetnames:
            raise UnreadableFile(
                f"The workbook has no sheet {sheet!r}.",
                filename=filename,
                code="bad_xlsx",
                params={"sheet": sheet},
            )
        sheets = [workbook[sheet]] if sheet else workbook.worksheets
        first_error: NoNameColumn | None = None
        style = RowStyle("xlsx", f"xlsx:{filename}")
        for worksheet in sheets:
            try:
                return rows_to_result(
                    _sheet_rows(worksheet, filename),
                    filename=filename,
                    limits=limits,
                    style=style,
                    mapping=mapping,
                )
            except NoNameColumn as exc:
                first_error = first_error or exc
            except UnreadableFile as exc:
                if exc.code != "empty_file":
                    raise
        raise first_error or UnreadableFile(
            "The workbook is empty.", filename=filename, code="empty_file"
        )
    finally:
        workbook.close()


def _bad_xlsx(filename: str, exc: Exception) -> UnreadableFile:
    return UnreadableFile(
        "The Excel file is damaged or is not an .xlsx workbook; open it in Excel and save it "
        "again as .xlsx or CSV.",
        filename=filename,
        code="bad_xlsx",
        params={"detail": f"{type(exc).__name__}: {exc}"},
    )


def _sheet_rows(worksheet: Any, filename: str) -> Iterator[Row]:
    # Sheets often claim a range up to column XFD because a whole row was formatted; forget the
    # claimed size so rows are not padded to 16,384 cells.
    if hasattr(worksheet, "reset_dimensions"):
        worksheet.reset_dimensions()
    iterator = worksheet.iter_rows(values_only=True)
    line = 0
    while True:
        try:
            values = next(iterator)
        except StopIteration:
            return
        except Exception as exc:  # damaged sheet XML surfaces only while iterating
            raise _bad_xlsx(filename, exc) from None
        line += 1
        yield line, [_cell_text(value) for value in values]


def _cell_text(value: object) -> str:
    if value is None or isinstance(value, bool):
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date | time):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        # Excel stores 0612345678 typed as a number as 612345678.0.
        return str(int(value))
    return str(value)
