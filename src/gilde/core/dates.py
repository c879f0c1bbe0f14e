"""The range of dates Gilde accepts from anyone: forms, the API, query strings and imports.

A date outside it is a typo or a probe, never a relation's history, and arithmetic on it fails
at the calendar's edges (a day before 1 January of the year 1 does not exist)."""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from pydantic import AfterValidator, BeforeValidator, WithJsonSchema

EARLIEST = dt.date(1900, 1, 1)
LATEST = dt.date(2100, 12, 31)


def in_range(value: dt.date | dt.datetime | None) -> bool:
    """Whether a date (or the day of a time) lies within EARLIEST and LATEST; None does."""
    if value is None:
        return True
    day = value.date() if isinstance(value, dt.datetime) else value
    return EARLIEST <= day <= LATEST


def date_in_range(value: dt.date | dt.datetime | None) -> None:
    """Validator for model and form fields: refuses a date outside the range with its reason."""
    if not in_range(value):
        raise ValidationError(
            _("Enter a date between %(earliest)s and %(latest)s."),
            code="date_out_of_range",
            params={"earliest": EARLIEST.year, "latest": LATEST.year},
        )


def _checked(value: dt.date) -> dt.date:
    if not in_range(value):
        raise ValueError(f"a date between {EARLIEST.year} and {LATEST.year} is expected")
    return value


_YEAR = r"(19[0-9]{2}|20[0-9]{2}|2100)"
DATE_PATTERN = rf"^{_YEAR}-[0-9]{{2}}-[0-9]{{2}}$"
# A time without its offset is read in Gilde's time zone (TIME_ZONE), as the pages do.
DATETIME_PATTERN = (
    rf"^{_YEAR}-[0-9]{{2}}-[0-9]{{2}}[Tt ][0-9]{{2}}:[0-9]{{2}}(:[0-9]{{2}}(\.[0-9]+)?)?"
    r"([Zz]|[+-][0-9]{2}:[0-9]{2})?$"
)
_ISO_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
_ISO_DATETIME = re.compile(
    r"^[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt ][0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]+)?)?"
    r"([Zz]|[+-][0-9]{2}:[0-9]{2})?$"
)


def _aware(value: dt.datetime) -> dt.datetime:
    """A time without its offset, read in Gilde's time zone (TIME_ZONE), as the pages read one."""
    return timezone.make_aware(value) if timezone.is_naive(value) else value


def _iso(pattern: re.Pattern[str], what: str) -> Any:
    """Only the ISO 8601 spelling the schema names: pydantic would also read a number (or a
    string of digits) as seconds since 1970."""

    def check(value: Any) -> Any:
        if isinstance(value, dt.date):
            return value
        if not isinstance(value, str) or not pattern.match(value):
            raise ValueError(f"{what} in ISO 8601 is expected")
        return value

    return check


# The API's date and time inputs: ISO 8601 within the range, else 422 before any code runs; the
# schema states the range as a pattern on the year.
ApiDate = Annotated[
    dt.date,
    BeforeValidator(_iso(_ISO_DATE, "a date (YYYY-MM-DD)")),
    AfterValidator(_checked),
    WithJsonSchema({"type": "string", "format": "date", "pattern": DATE_PATTERN}),
]
ApiDateTime = Annotated[
    dt.datetime,
    BeforeValidator(_iso(_ISO_DATETIME, "a date and time (YYYY-MM-DDTHH:MM:SS+01:00)")),
    AfterValidator(_checked),
    AfterValidator(_aware),
    WithJsonSchema({"type": "string", "format": "date-time", "pattern": DATETIME_PATTERN}),
]
