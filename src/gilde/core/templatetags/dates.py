"""The date style as template filters, loaded on every page (a builtin in settings.TEMPLATES):

    {{ moment.occurred_at|when }}   vandaag 08:42 · 3 dagen geleden · 3 dec. 2026 08:42
    {{ value|moment }}              3 dec. 2026 08:42
    {{ value|day }}                 3 dec. 2026
    {{ value|ago }}                 vandaag · 3 dagen geleden · 3 dec. 2026
    {{ person.birthday|day_month }} 3 december

`when` and `ago` answer a <time> element whose title holds the full date, so the exact moment
is one hover (or one screen-reader command) away."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

from gilde.core import datestyle

register = template.Library()

Value = dt.date | dt.datetime | None


def _is_date(value: Any) -> bool:
    return isinstance(value, dt.date)


@register.filter
def day(value: Value) -> str:
    return datestyle.day_text(value) if _is_date(value) else ""  # type: ignore[arg-type]


@register.filter
def moment(value: Value) -> str:
    return datestyle.moment_text(value) if _is_date(value) else ""  # type: ignore[arg-type]


@register.filter
def day_month(value: Value) -> str:
    return datestyle.day_month_text(value) if _is_date(value) else ""  # type: ignore[arg-type]


def _time(value: dt.date | dt.datetime, text: str) -> SafeString:
    return format_html(
        '<time datetime="{}" title="{}">{}</time>',
        value.isoformat(),
        datestyle.moment_text(value),
        text,
    )


@register.filter
def when(value: Value) -> str:
    if not _is_date(value):
        return ""
    return _time(value, datestyle.when_text(value))  # type: ignore[arg-type]


@register.filter
def ago(value: Value) -> str:
    if not _is_date(value):
        return ""
    return _time(value, datestyle.relative_day_text(value))  # type: ignore[arg-type]


@register.filter
def days_ago(value: Value) -> str:
    """'412 dagen geleden', always in days: for how long a relation has waited."""
    if not _is_date(value):
        return ""
    return _time(value, datestyle.days_ago_text(value))  # type: ignore[arg-type]
