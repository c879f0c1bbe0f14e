"""Limits that keep one upload from exhausting the server; the web side fills them from settings."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ImportLimits:
    """Upper bounds a parser enforces while it reads, before anything is stored."""

    max_bytes: int = 50 * 1024 * 1024
    max_rows: int = 200_000
    max_columns: int = 500
    # A zip may expand at most this many times its compressed size, and at most max_zip_bytes.
    max_zip_ratio: int = 100
    max_zip_bytes: int = 200 * 1024 * 1024
    max_cell_chars: int = 100_000
