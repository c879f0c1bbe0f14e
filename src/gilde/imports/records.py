"""Parsed rows stored between preview and commit: compact, versioned JSON, zlib-compressed."""

from __future__ import annotations

import datetime as dt
import json
import zlib
from dataclasses import fields
from operator import attrgetter
from typing import Any

from gilde.interchange import ContactRecord

_FIELDS = [f.name for f in fields(ContactRecord)]
_DATES = {"connected_on", "birthday"}
_TUPLES = {"emails", "phones", "tags"}

# One decision per record: what the commit does with it.
NEW, MATCH, PROBABLE = "new", "match", "probable"
Decision = tuple[str, int | None, int]  # (action, existing person id, score)


_GET = attrgetter(*_FIELDS)
_DATE_AT = [i for i, name in enumerate(_FIELDS) if name in _DATES]
_TUPLE_AT = [i for i, name in enumerate(_FIELDS) if name in _TUPLES]


def _row(record: ContactRecord) -> list[Any]:
    """A record as a JSON list in _FIELDS order (tuples are written as lists by json)."""
    row = list(_GET(record))
    for i in _DATE_AT:
        if row[i] is not None:
            row[i] = row[i].isoformat()
    return row


def _record(row: list[Any]) -> ContactRecord:
    for i in _DATE_AT:
        row[i] = dt.date.fromisoformat(row[i]) if row[i] else None
    for i in _TUPLE_AT:
        row[i] = tuple(row[i])
    return ContactRecord(*row)


def pack(records: list[ContactRecord], decisions: list[Decision]) -> bytes:
    """Records and their decisions as compressed JSON."""
    payload = {
        "version": 1,
        "fields": _FIELDS,
        "records": [_row(r) for r in records],
        "decisions": [list(d) for d in decisions],
    }
    return zlib.compress(json.dumps(payload, separators=(",", ":")).encode(), 3)


def unpack(data: bytes) -> tuple[list[ContactRecord], list[Decision]]:
    """The inverse of pack."""
    payload = json.loads(zlib.decompress(data))
    if payload.get("fields") != _FIELDS:
        raise ValueError("The stored preview was made by another version; preview it again.")
    records = [_record(row) for row in payload["records"]]
    decisions: list[Decision] = [(a, e, s) for a, e, s in payload["decisions"]]
    return records, decisions
