"""The range of dates Gilde accepts from anyone: forms, the API, query strings and imports.

A date outside it is a typo or a probe, never a relation's history, and arithmetic on it fails
at the calendar's edges (a day before 1 January of the year 1 does not exist)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from pydantic import AfterValidator

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


# The API's date and time inputs: a value outside the range answers 422 before any code runs.
ApiDate = Annotated[dt.date, AfterValidator(_checked)]
ApiDateTime = Annotated[dt.datetime, AfterValidator(_checked)]
