"""Turning uploaded bytes into text: which encoding, is it text at all, which delimiter."""

from __future__ import annotations

import re

from gilde.interchange.errors import LimitExceeded, UnreadableFile
from gilde.interchange.limits import ImportLimits

# Signatures of files people rename to .csv by accident, with what to tell them.
_SIGNATURES: tuple[tuple[bytes, str, str], ...] = (
    (b"PK\x03\x04", "spreadsheet_file", "This is a zip or Excel (.xlsx) file, not a CSV file."),
    (
        b"\xd0\xcf\x11\xe0",
        "binary_file",
        "This is an old Excel (.xls) or Word file; save it as .xlsx or CSV first.",
    ),
    (b"%PDF", "binary_file", "This is a PDF document, not a contact list."),
    (b"\x89PNG", "binary_file", "This is an image, not a contact list."),
    (b"\xff\xd8\xff", "binary_file", "This is an image, not a contact list."),
    (b"GIF8", "binary_file", "This is an image, not a contact list."),
)
_HTML_RE = re.compile(r"^\s*(<!--.*?-->\s*)*<(!doctype\s+html|html|head|body)\b", re.I | re.S)
# C0 control characters other than tab, newline, carriage return and form feed.
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
DELIMITERS = (";", ",", "\t")


def check_size(data: bytes, *, filename: str, limits: ImportLimits) -> None:
    """Refuse files over max_bytes before any work is done on them."""
    if len(data) > limits.max_bytes:
        raise LimitExceeded(
            f"The file is {len(data):,} bytes; at most {limits.max_bytes:,} bytes can be imported.",
            filename=filename,
            code="file_too_large",
            params={"size": len(data), "limit": limits.max_bytes},
        )


def decode(data: bytes, *, filename: str) -> tuple[str, str]:
    """Return (text, encoding) for an uploaded text file, or raise UnreadableFile for binary,
    HTML and empty files. Tries UTF-8 first and falls back to Windows-1252 as Dutch Excel
    writes CSV."""
    if not data.strip(b" \t\r\n\x00\xef\xbb\xbf\xff\xfe"):
        raise UnreadableFile("The file is empty.", filename=filename, code="empty_file")
    text, encoding = _decode_bytes(data, filename)
    if _CONTROL_RE.search(text[:65536]) and _control_share(text[:65536]) > 0.001:
        raise UnreadableFile(
            "The file holds binary data, not text; choose the CSV, Excel or vCard file itself.",
            filename=filename,
            code="binary_file",
        )
    if _HTML_RE.match(text[:4096]):
        raise UnreadableFile(
            "The file is a web page (HTML), not a contact list; download the export again.",
            filename=filename,
            code="html_file",
        )
    return text, encoding


def _control_share(sample: str) -> float:
    return len(_CONTROL_RE.findall(sample)) / max(len(sample), 1)


def _decode_bytes(data: bytes, filename: str) -> tuple[str, str]:
    if data.startswith(b"\xef\xbb\xbf"):
        return _strict(data[3:], "utf-8", filename), "utf-8-sig"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        # Excel's "Unicode text" and some Outlook exports are UTF-16 with a byte-order mark.
        encoding = "utf-16-le" if data.startswith(b"\xff\xfe") else "utf-16-be"
        return _strict(data[2:], encoding, filename), "utf-16"
    for signature, code, message in _SIGNATURES:
        if data.startswith(signature):
            raise UnreadableFile(message, filename=filename, code=code)
    if b"\x00" in data:
        raise UnreadableFile(
            "The file holds binary data, not text; choose the CSV, Excel or vCard file itself.",
            filename=filename,
            code="binary_file",
        )
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:
        # The five bytes cp1252 leaves undefined: read them as Latin-1 rather than refuse.
        return data.decode("latin-1"), "latin-1"


def _strict(data: bytes, encoding: str, filename: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise UnreadableFile(
            f"The file claims to be {encoding.upper()} but byte {exc.start + 1} is not valid "
            "text; save it again as UTF-8.",
            filename=filename,
            code="binary_file",
            params={"encoding": encoding, "offset": exc.start},
        ) from None


def logical_lines(text: str, limit: int = 50) -> list[str]:
    """The first lines of a delimited file, keeping newlines inside quoted fields in one line."""
    lines: list[str] = []
    start, in_quotes = 0, False
    for i, char in enumerate(text):
        if char == '"':
            in_quotes = not in_quotes
        elif char == "\n" and not in_quotes:
            lines.append(text[start:i].rstrip("\r"))
            start = i + 1
            if len(lines) >= limit:
                return lines
    if start < len(text):
        lines.append(text[start:])
    return lines


def _count_outside_quotes(line: str, delimiter: str) -> int:
    count, in_quotes = 0, False
    for char in line:
        if char == '"':
            in_quotes = not in_quotes
        elif char == delimiter and not in_quotes:
            count += 1
    return count


def sniff_delimiter(text: str) -> str:
    """Pick ``;``, ``,`` or tab: the one that splits most lines into the same number of fields.
    Dutch Excel writes ``;`` and leaves commas in addresses unquoted, so consistency counts
    before frequency."""
    lines = [line for line in logical_lines(text[:200_000]) if line.strip()]
    best, best_score = ",", (0, 0)
    for delimiter in DELIMITERS:
        counts = [_count_outside_quotes(line, delimiter) for line in lines]
        nonzero = [c for c in counts if c]
        if not nonzero:
            continue
        mode = max(set(nonzero), key=lambda c: (nonzero.count(c), c))
        score = (counts.count(mode), mode)
        if score > best_score:
            best, best_score = delimiter, score
    return best
