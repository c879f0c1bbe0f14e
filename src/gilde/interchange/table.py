"""Rows of cells (from CSV or Excel) to a ParseResult: find the header, map the columns,
build the records, and enforce row and column limits along the way."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator

from gilde.interchange.build import RowStyle, build_row
from gilde.interchange.errors import LimitExceeded, MalformedFile, NoNameColumn, UnreadableFile
from gilde.interchange.limits import ImportLimits
from gilde.interchange.mapping import (
    IGNORE,
    check_mapping,
    has_name_column,
    suggest_mapping,
    unique_columns,
)
from gilde.interchange.records import ContactRecord, ParseResult, ParseWarning, RejectedRow

# Above the header there may be notes (LinkedIn) or a title row (hand-made sheets).
HEADER_SEARCH_ROWS = 30
Row = tuple[int, list[str]]


def csv_rows(text: str, *, delimiter: str, filename: str, limits: ImportLimits) -> Iterator[Row]:
    """Rows of a delimited text with the line each starts on; quoting errors name that line."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    reader = csv.reader(io.StringIO(text), delimiter=delimiter, strict=True)
    start = 1
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise _csv_error(exc, start, filename, limits) from None
        yield start, row
        start = reader.line_num + 1


def _csv_error(exc: csv.Error, line: int, filename: str, limits: ImportLimits) -> Exception:
    text = str(exc)
    if "field limit" in text:
        return LimitExceeded(
            f"A cell holds more than {min(limits.max_cell_chars, csv.field_size_limit()):,} "
            "characters; is a quote missing?",
            filename=filename,
            line=line,
            code="cell_too_large",
        )
    if "end of data" in text or "expected after" in text:
        return MalformedFile(
            'A quote (") opens a field here that is not closed properly; check the quotes '
            "on this line.",
            filename=filename,
            line=line,
            code="unbalanced_quotes",
        )
    return MalformedFile(
        f"The CSV file cannot be read here ({text}).",
        filename=filename,
        line=line,
        code="malformed_csv",
        params={"detail": text},
    )


def rows_to_result(
    rows: Iterable[Row],
    *,
    filename: str,
    limits: ImportLimits,
    style: RowStyle,
    mapping: dict[str, str] | None = None,
    overrides: dict[str, str] | None = None,
    encoding: str = "",
    delimiter: str = "",
) -> ParseResult:
    """Read a table: the header is the first row with a name column (or with every column of
    an explicit mapping); each later row becomes a record or a rejected row."""
    iterator = iter(_checked(rows, filename, limits))
    columns, header_line = _find_header(iterator, mapping, overrides or {}, filename)
    if mapping is None:
        mapping = {**suggest_mapping(columns), **(overrides or {})}
        mapping = {c: t for c, t in mapping.items() if c in columns}
    check_mapping(mapping, columns, filename=filename)
    used = [(i, mapping[c]) for i, c in enumerate(columns) if mapping.get(c, IGNORE) != IGNORE]
    records: list[ContactRecord] = []
    rejected: list[RejectedRow] = []
    warnings: list[ParseWarning] = []
    count = 0
    samples: dict[str, list[str]] = {column: [] for column in columns}
    for line, row in iterator:
        if not any(cell.strip() for cell in row):
            continue
        count += 1
        if count <= SAMPLE_ROWS:
            _add_samples(samples, columns, row)
        if count > limits.max_rows:
            raise LimitExceeded(
                f"The file has more than {limits.max_rows:,} rows; split it into smaller files.",
                filename=filename,
                line=line,
                code="too_many_rows",
                params={"limit": limits.max_rows},
            )
        values: dict[str, list[str]] = {}
        for index, field in used:
            values.setdefault(field, []).append(row[index] if index < len(row) else "")
        built = build_row(values, line=line, style=style, warnings=warnings)
        if isinstance(built, ContactRecord):
            records.append(built)
        else:
            rejected.append(built)
    return ParseResult(
        format=style.format,
        records=tuple(records),
        rejected=tuple(rejected),
        columns=columns,
        mapping=dict(mapping),
        warnings=tuple(warnings),
        encoding=encoding,
        delimiter=delimiter,
        samples={column: tuple(values) for column, values in samples.items()},
    )


# Rows read for sample values, and values kept per column (each cut to a readable length).
SAMPLE_ROWS, SAMPLES_PER_COLUMN, SAMPLE_CHARS = 20, 3, 60


def _add_samples(samples: dict[str, list[str]], columns: tuple[str, ...], row: list[str]) -> None:
    for index, column in enumerate(columns):
        value = row[index].strip() if index < len(row) else ""
        kept = samples[column]
        if value and len(kept) < SAMPLES_PER_COLUMN and value[:SAMPLE_CHARS] not in kept:
            kept.append(value[:SAMPLE_CHARS])


def _checked(rows: Iterable[Row], filename: str, limits: ImportLimits) -> Iterator[Row]:
    for line, row in rows:
        if len(row) > limits.max_columns:
            # Trailing empty cells are how spreadsheets pad rows; only real columns count.
            while row and not row[-1].strip():
                row = row[:-1]
            if len(row) > limits.max_columns:
                raise LimitExceeded(
                    f"This row has {len(row):,} columns; at most {limits.max_columns:,} "
                    "are allowed.",
                    filename=filename,
                    line=line,
                    code="too_many_columns",
                    params={"columns": len(row), "limit": limits.max_columns},
                )
        for cell in row:
            if len(cell) > limits.max_cell_chars:
                raise LimitExceeded(
                    f"A cell holds {len(cell):,} characters; at most {limits.max_cell_chars:,} "
                    "are allowed.",
                    filename=filename,
                    line=line,
                    code="cell_too_large",
                    params={"limit": limits.max_cell_chars},
                )
        yield line, row


def _find_header(
    rows: Iterator[Row], mapping: dict[str, str] | None, overrides: dict[str, str], filename: str
) -> tuple[tuple[str, ...], int]:
    first: tuple[tuple[str, ...], int] | None = None
    for seen, (line, row) in enumerate(rows):
        if any(cell.strip() for cell in row):
            columns = unique_columns(row)
            first = first or (columns, line)
            if mapping is not None:
                if set(mapping) <= set(columns):
                    return columns, line
            elif has_name_column({**suggest_mapping(columns), **overrides}):
                return columns, line
        if seen >= HEADER_SEARCH_ROWS:
            break
    if first is None:
        raise UnreadableFile("The file holds no rows.", filename=filename, code="empty_file")
    if mapping is not None:
        return first
    raise NoNameColumn(
        "No column holds names; the first row should be a header with a column such as Naam, "
        "Voornaam, Achternaam, Name, First Name or Last Name. Found: " + ", ".join(first[0][:12]),
        filename=filename,
        line=first[1],
        code="no_name_column",
        params={"columns": list(first[0])},
    )
