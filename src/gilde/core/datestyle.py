"""Gilde's one date style, in the reader's language: "3 dec. 2026 08:42" in Dutch,
"3 Dec 2026 08:42" in English, and relative words where they help ("vandaag", "gisteren",
"3 dagen geleden"). Pages, e-mails and messages format dates only through these functions
(the template filters in core/templatetags/dates.py call them)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

# Dutch abbreviates months with a full stop and a small letter (Taalunie), "mei" stays whole.
MONTHS = {
    "nl": (
        "jan.",
        "feb.",
        "mrt.",
        "apr.",
        "mei",
        "jun.",
        "jul.",
        "aug.",
        "sep.",
        "okt.",
        "nov.",
        "dec.",
    ),
    "en": ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"),
}
MONTHS_LONG = {
    "nl": (
        "januari",
        "februari",
        "maart",
        "april",
        "mei",
        "juni",
        "juli",
        "augustus",
        "september",
        "oktober",
        "november",
        "december",
    ),
    "en": (
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ),
}
# Relative words only this close to today; further away the date itself reads better.
RELATIVE_DAYS = 13


def _language() -> str:
    code = (translation.get_language() or "nl").split("-")[0]
    return code if code in MONTHS else "en"


def _local(value: dt.date | dt.datetime) -> dt.date | dt.datetime:
    if isinstance(value, dt.datetime) and timezone.is_aware(value):
        return timezone.localtime(value)
    return value


def day_text(value: dt.date | dt.datetime) -> str:
    """'3 dec. 2026'."""
    day = _local(value)
    return f"{day.day} {MONTHS[_language()][day.month - 1]} {day.year}"


def day_month_text(value: dt.date | dt.datetime) -> str:
    """'3 december', for birthdays and other yearly days."""
    day = _local(value)
    return f"{day.day} {MONTHS_LONG[_language()][day.month - 1]}"


def day_short_text(value: dt.date | dt.datetime) -> str:
    """'3 dec.', for chart axes where the year is clear from the neighbours."""
    day = _local(value)
    return f"{day.day} {MONTHS[_language()][day.month - 1]}"


def month_text(value: dt.date | dt.datetime) -> str:
    """'dec. 2026', for chart axes and monthly figures."""
    day = _local(value)
    return f"{MONTHS[_language()][day.month - 1]} {day.year}"


def moment_text(value: dt.date | dt.datetime) -> str:
    """'3 dec. 2026 08:42' for a time, '3 dec. 2026' for a day."""
    local = _local(value)
    if not isinstance(local, dt.datetime):
        return day_text(local)
    return f"{day_text(local)} {local:%H:%M}"


def days_ago(value: dt.date | dt.datetime, *, today: dt.date | None = None) -> int:
    local = _local(value)
    day = local.date() if isinstance(local, dt.datetime) else local
    return ((today or timezone.localdate()) - day).days


def relative_day_text(value: dt.date | dt.datetime, *, today: dt.date | None = None) -> str:
    """'vandaag', 'gisteren', '3 dagen geleden', 'morgen', 'over 3 dagen', or the date when it
    is further away than two weeks."""
    days = days_ago(value, today=today)
    if days == 0:
        return _("today")
    if days == 1:
        return _("yesterday")
    if days == -1:
        return _("tomorrow")
    if 1 < days <= RELATIVE_DAYS:
        return ngettext("%(n)d day ago", "%(n)d days ago", days) % {"n": days}
    if -RELATIVE_DAYS <= days < -1:
        return ngettext("in %(n)d day", "in %(n)d days", -days) % {"n": -days}
    return day_text(value)


def when_text(value: dt.date | dt.datetime, *, today: dt.date | None = None) -> str:
    """A moment as people say it: 'vandaag 08:42', 'gisteren 16:10', '3 dagen geleden', or
    '3 dec. 2026 08:42' further back."""
    local = _local(value)
    if not isinstance(local, dt.datetime):
        return relative_day_text(local, today=today)
    days = days_ago(local, today=today)
    if days in (-1, 0, 1):
        return f"{relative_day_text(local, today=today)} {local:%H:%M}"
    if abs(days) <= RELATIVE_DAYS:
        return relative_day_text(local, today=today)
    return moment_text(local)


def days_ago_text(value: dt.date | dt.datetime, *, today: dt.date | None = None) -> str:
    """'vandaag', 'gisteren' or '412 dagen geleden': always counted in days."""
    days = days_ago(value, today=today)
    if days in (0, 1):
        return relative_day_text(value, today=today)
    return ngettext("%(n)d day ago", "%(n)d days ago", days) % {"n": days}
