"""vCard 2.1, 3.0 and 4.0: several cards per file, folded lines, quoted-printable values in any
charset (as phones and Outlook write 2.1), and Apple's ``itemN.`` groups."""

from __future__ import annotations

import quopri
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from gilde.interchange.build import RowStyle, build_row
from gilde.interchange.errors import LimitExceeded, UnreadableFile
from gilde.interchange.limits import ImportLimits
from gilde.interchange.records import ContactRecord, ParseResult, ParseWarning, RejectedRow
from gilde.interchange.text import check_size, decode

_NAME_RE = re.compile(r"^(?:([A-Za-z0-9_-]+)\.)?([A-Za-z0-9_-]+)")
# Photos and keys can be hundreds of kilobytes of base64 and are never imported.
_SKIPPED = frozenset({"PHOTO", "LOGO", "SOUND", "KEY"})
_ESCAPES = {"n": "\n", "N": "\n", ",": ",", ";": ";", "\\": "\\", ":": ":"}


@dataclass
class Property:
    """One content line of a card after unfolding and decoding."""

    line: int
    group: str
    name: str
    params: dict[str, list[str]]
    value: str


@dataclass
class _Card:
    line: int
    properties: list[Property] = field(default_factory=list)


def _unfold(text: str) -> Iterator[tuple[int, str]]:
    """Logical content lines with the physical line they start on. Folded lines start with a
    space or tab; quoted-printable lines in vCard 2.1 continue after a trailing "="."""
    current: list[str] = []
    start = 0
    skipping = False
    for number, raw in enumerate(text.split("\n"), start=1):
        raw = raw.rstrip("\r")
        if current and raw[:1] in (" ", "\t"):
            if not skipping:
                current.append(raw[1:])
            continue
        if current and not skipping and current[-1].endswith("=") and _is_qp(current[0]):
            current[-1] = current[-1][:-1]
            current.append(raw)
            continue
        if current:
            yield start, "".join(current)
        current, start = [raw], number
        match = _NAME_RE.match(raw)
        skipping = bool(match and match.group(2).upper() in _SKIPPED)
    if current:
        yield start, "".join(current)


def _is_qp(line: str) -> bool:
    head = line.split(":", 1)[0].upper()
    return "QUOTED-PRINTABLE" in head


def parse_property(line: int, text: str) -> Property | None:
    """Split "item1.TEL;TYPE=work,voice:+31 20 123 4567" into its parts; None if not a property."""
    match = _NAME_RE.match(text)
    if not match:
        return None
    group, name = (match.group(1) or "").lower(), match.group(2).upper()
    rest = text[match.end() :]
    params: dict[str, list[str]] = {}
    in_quotes, start, pieces = False, 0, []
    for i, char in enumerate(rest):
        if char == '"':
            in_quotes = not in_quotes
        elif char in ";:" and not in_quotes:
            pieces.append(rest[start:i])
            start = i + 1
            if char == ":":
                break
    else:
        return None
    for piece in pieces[1:]:
        key, sep, value = piece.partition("=")
        if not sep:
            # vCard 2.1 allows bare parameters: "TEL;WORK;VOICE:" and "NOTE;QUOTED-PRINTABLE:".
            key, value = _bare_param(key)
        value = value.strip()
        if len(value) > 1 and value.startswith('"') and value.endswith('"'):
            items = [_param_unescape(value[1:-1])]
        else:
            items = [v.strip().strip('"') for v in value.split(",") if v.strip()]
        params.setdefault(key.strip().upper(), []).extend(items)
    value = rest[start:]
    return Property(line, group, name, params, _decode_value(value, params))


def _param_unescape(value: str) -> str:
    # RFC 6868: ^n newline, ^' double quote, ^^ caret.
    return re.sub(r"\^(.)", lambda m: {"n": "\n", "'": '"', "^": "^"}.get(m[1], m[0]), value)


def _bare_param(key: str) -> tuple[str, str]:
    upper = key.strip().upper()
    if upper in {"QUOTED-PRINTABLE", "BASE64", "8BIT", "7BIT", "B"}:
        return "ENCODING", upper
    return "TYPE", key


def _decode_value(value: str, params: dict[str, list[str]]) -> str:
    encodings = {e.upper() for e in params.get("ENCODING", [])}
    if "QUOTED-PRINTABLE" not in encodings:
        return value
    raw = quopri.decodestring(value.encode("utf-8", "replace"))
    charset = (params.get("CHARSET") or ["utf-8"])[0]
    for candidate in (charset, "utf-8", "cp1252"):
        try:
            return raw.decode(candidate).replace("\r\n", "\n")
        except (LookupError, UnicodeDecodeError):
            continue
    return raw.decode("latin-1").replace("\r\n", "\n")


def split_value(value: str, separator: str = ";") -> list[str]:
    """Split a structured value on unescaped separators and undo backslash escapes."""
    parts, current, i = [], [], 0
    while i < len(value):
        char = value[i]
        if char == "\\" and i + 1 < len(value):
            current.append(_ESCAPES.get(value[i + 1], value[i + 1]))
            i += 2
            continue
        if char == separator:
            parts.append("".join(current))
            current = []
        else:
            current.append(char)
        i += 1
    parts.append("".join(current))
    return parts


def unescape(value: str) -> str:
    """Undo vCard backslash escapes in an unstructured value."""
    return split_value(value, "\x00")[0]


def _cards(text: str, filename: str, limits: ImportLimits) -> Iterator[tuple[_Card, bool]]:
    card: _Card | None = None
    depth = 0
    count = 0
    for line, content in _unfold(text):
        upper = content.strip().upper()
        if upper == "BEGIN:VCARD":
            depth += 1
            if depth == 1:
                count += 1
                if count > limits.max_rows:
                    raise LimitExceeded(
                        f"The file has more than {limits.max_rows:,} cards.",
                        filename=filename,
                        line=line,
                        code="too_many_rows",
                        params={"limit": limits.max_rows},
                    )
                card = _Card(line)
            continue
        if upper == "END:VCARD":
            depth = max(depth - 1, 0)
            if depth == 0 and card is not None:
                yield card, True
                card = None
            continue
        if card is None or depth != 1:
            continue
        if len(content) > limits.max_cell_chars:
            raise LimitExceeded(
                f"A line holds more than {limits.max_cell_chars:,} characters.",
                filename=filename,
                line=line,
                code="cell_too_large",
                params={"limit": limits.max_cell_chars},
            )
        prop = parse_property(line, content)
        if prop is not None and prop.name not in _SKIPPED:
            card.properties.append(prop)
            if len(card.properties) > limits.max_columns:
                raise LimitExceeded(
                    f"A card has more than {limits.max_columns:,} properties.",
                    filename=filename,
                    line=line,
                    code="too_many_columns",
                    params={"limit": limits.max_columns},
                )
    if card is not None:
        yield card, False


def parse_vcard(
    data: bytes,
    *,
    filename: str,
    limits: ImportLimits = ImportLimits(),  # noqa: B008 - frozen, so one shared default is safe
    mapping: dict[str, str] | None = None,
) -> ParseResult:
    """Read a .vcf file with one or more cards of any vCard version; ``mapping`` is accepted for
    a uniform signature and ignored, since vCard properties have fixed meanings."""
    check_size(data, filename=filename, limits=limits)
    text, encoding = decode(data, filename=filename)
    if "BEGIN:VCARD" not in text.upper():
        raise UnreadableFile(
            "The file holds no vCard (no BEGIN:VCARD line).", filename=filename, code="no_vcards"
        )
    style = RowStyle("vcard", f"vcard:{filename}")
    records: list[ContactRecord] = []
    rejected: list[RejectedRow] = []
    warnings: list[ParseWarning] = []
    for card, ended in _cards(text, filename, limits):
        if not ended:
            warnings.append(
                ParseWarning(
                    card.line,
                    "missing_end",
                    f"Line {card.line}: the last card has no END:VCARD; it was read anyway.",
                )
            )
        built = build_row(
            card_values(card.properties), line=card.line, style=style, warnings=warnings
        )
        if isinstance(built, ContactRecord):
            records.append(built)
        else:
            rejected.append(built)
    return ParseResult(
        format="vcard",
        records=tuple(records),
        rejected=tuple(rejected),
        warnings=tuple(warnings),
        encoding=encoding,
    )


def _is_linkedin(prop: Property) -> bool:
    types = [t.lower() for t in prop.params.get("TYPE", [])]
    return "linkedin" in types or "linkedin" in prop.value.lower()


def card_values(properties: list[Property]) -> dict[str, list[str]]:
    """The cells of one card by import field, as build_row expects them."""
    labels = {p.group: p.value.lower() for p in properties if p.name == "X-ABLABEL" and p.group}
    explicit = any(p.name == "X-GILDE-TUSSENVOEGSEL" for p in properties)
    values: dict[str, list[str]] = {}

    def add(field_name: str, *cells: str) -> None:
        values.setdefault(field_name, []).extend(cells)

    for prop in properties:
        name, value = prop.name, prop.value
        if name == "N":
            parts = [*split_value(value), "", "", "", ""]
            add("family_name", parts[0].replace(",", " "))
            add("given_name", parts[1].replace(",", " "))
            add("title", parts[3].replace(",", " "))
            if not explicit:
                add("middle_name", parts[2].replace(",", " "))
        elif name == "FN":
            add("full_name", unescape(value))
        elif name == "ORG":
            add("organisation", split_value(value)[0])
        elif name in {"EMAIL", "TEL", "TITLE", "NOTE", "BDAY", "LANG"}:
            target = {
                "EMAIL": "email",
                "TEL": "phone",
                "TITLE": "job_title",
                "NOTE": "notes",
                "BDAY": "birthday",
                "LANG": "language",
            }[name]
            add(target, unescape(value))
        elif name == "LABEL":
            add("address", unescape(value))
        elif name == "ADR":
            parts = [*split_value(value), *[""] * 7]
            add("address", *prop.params.get("LABEL", [])[:1])
            add("street", parts[2].replace("\n", ", "))
            add("city", parts[3])
            add("postal_code", parts[5])
            add("country", parts[6])
        elif name == "URL" or (name == "X-SOCIALPROFILE" and _is_linkedin(prop)):
            linkedin = "linkedin" in labels.get(prop.group, "") or name == "X-SOCIALPROFILE"
            add("linkedin_url" if linkedin else "website", unescape(value))
        elif name == "CATEGORIES":
            add("tags", *split_value(value, ","))
        elif name.startswith("X-GILDE-"):
            target = name.removeprefix("X-GILDE-").lower().replace("-", "_")
            if target in {"tussenvoegsel", "initials", "connected_on", "language"}:
                add(target, unescape(value))
    return values
