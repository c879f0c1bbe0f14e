"""Dates as address books write them: ISO, Dutch day-first, US month-first, LinkedIn "12 Mar 2021"."""

from __future__ import annotations

import re
from datetime import date, datetime

_MONTHS: dict[str, int] = {
    "jan": 1,
    "feb": 2,
    "mar": 3,
    "mrt": 3,
    "maa": 3,
    "apr": 4,
    "may": 5,
    "mei": 5,
    "jun": 6,
    "jul": 7,
    "aug": 8,
    "sep": 9,
    "oct": 10,
    "okt": 10,
    "nov": 11,
    "dec": 12,
}
_ISO_RE = re.compile(r"^(\d{4})-?(\d{1,2})-?(\d{1,2})(?:[T ].*)?$")
_NUMERIC_RE = re.compile(r"^(\d{1,2})[-/.](\d{1,2})[-/.](\d{2}|\d{4})$")
_NAMED_RE = re.compile(r"^(\d{1,2})[\s\-.]+([A-Za-z]{3,})\.?[\s\-,.]+(\d{2}|\d{4})$")
_NAMED_US_RE = re.compile(r"^([A-Za-z]{3,})\.?\s+(\d{1,2}),?\s+(\d{4})$")


def parse_date(text: str, *, month_first: bool = False) -> date | None:
    """A date from text, or None when it holds none (also for Outlook's empty "0/0/00").
    Numeric dates are day-first as in the Netherlands unless ``month_first`` (English Outlook)."""
    text = text.strip()
    if not text or len(text) > 40:
        return None
    try:
        return _parse(text, month_first)
    except ValueError:
        return None


def _parse(text: str, month_first: bool) -> date | None:
    if match := _ISO_RE.match(text):
        return date(int(match[1]), int(match[2]), int(match[3]))
    if match := _NUMERIC_RE.match(text):
        first, second, year = int(match[1]), int(match[2]), _year(match[3])
        day, month = (second, first) if month_first else (first, second)
        return date(year, month, day)
    if match := _NAMED_RE.match(text):
        named = _MONTHS.get(match[2][:3].lower())
        return date(_year(match[3]), named, int(match[1])) if named else None
    if match := _NAMED_US_RE.match(text):
        named = _MONTHS.get(match[1][:3].lower())
        return date(int(match[3]), named, int(match[2])) if named else None
    return None


def _year(text: str) -> int:
    year = int(text)
    if len(text) == 2:
        # Two-digit years in exports: "21" is 2021 but a birthday "58" is 1958.
        year += 2000 if year <= datetime.now().astimezone().year % 100 else 1900
    return year
