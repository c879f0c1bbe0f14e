"""Parsed rows stored between preview and commit: compact, versioned JSON, zlib-compressed."""

from __future__ import annotations

import datetime as dt
import json
import zlib
from dataclasses import fields
from typing import Any

from gilde.interchange import ContactRecord

_FIELDS = [f.name for f in fields(ContactRecord)]
_DATES = {"connected_on", "birthday"}
_TUPLES = {"emails", "phones", "tags"}

# One decision per record: what the commit does with it.
NEW, MATCH, PROBABLE = "new", "match", "probable"
Decision = tuple[str, int | None, int]  # (action, existing person id, score)


def _value(record: ContactRecord, name: str) -> Any:
    value = getattr(record, name)
    if name in _DATES:
        return value.isoformat() if value else None
    if name in _TUPLES:
        return list(value)
    return value


def _record(row: list[Any]) -> ContactRecord:
    values: dict[str, Any] = {}
    for name, value in zip(_FIELDS, row, strict=True):
        if name in _DATES:
            value = dt.date.fromisoformat(value) if value else None
        elif name in _TUPLES:
            value = tuple(value)
        values[name] = value
    return ContactRecord(**values)


def pack(records: list[ContactRecord], decisions: list[Decision]) -> bytes:
    """Records and their decisions as compressed JSON."""
    payload = {
        "version": 1,
        "fields": _FIELDS,
        "records": [[_value(r, n) for n in _FIELDS] for r in records],
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
