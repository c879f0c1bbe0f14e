"""Contacts per week as charts: the organisation and me (dashboard), a colleague, and a
relation's three-year contact strip."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from gilde.contacts import selectors
from gilde.core.charts import PALETTE, Chart, Series, month_starts, week_starts
from gilde.core.datestyle import day_short_text, day_text, month_text
from gilde.relations.models import Person, Sector

DASHBOARD_WEEKS = 13  # a quarter: the organisation-wide count is one query per week
MEMBER_WEEKS = 26
STRIP_WEEKS = 156  # three years
SIGNAL_MONTHS = 12


def _labels(starts: list[dt.date]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    short = tuple(day_short_text(d) for d in starts)
    full = tuple(_("week of %(day)s") % {"day": day_text(d)} for d in starts)
    return short, full


def _summary(title: str, values: tuple[int, ...], weeks: int) -> str:
    total = sum(values)
    return ngettext(
        "%(title)s: %(n)d contact moment in the last %(weeks)d weeks.",
        "%(title)s: %(n)d contact moments in the last %(weeks)d weeks.",
        total,
    ) % {"title": title, "n": total, "weeks": weeks}


def dashboard_chart(*, user: Any, member_id: int, today: dt.date | None = None) -> Chart:
    starts = week_starts(today=today or timezone.localdate(), weeks=DASHBOARD_WEEKS)
    everyone = selectors.contacts_per_week(user=user, starts=starts)
    mine = selectors.contacts_per_week(user=user, starts=starts, member_id=member_id)
    short, full = _labels(starts)
    title = _("Contact moments per week")
    return Chart(
        key="contacts-per-week",
        title=title,
        kind="line",
        labels=short,
        table_labels=full,
        series=(Series(_("Everyone"), everyone, PALETTE[0]), Series(_("Me"), mine, PALETTE[1])),
        summary=_summary(title, everyone, DASHBOARD_WEEKS),
    )


def member_chart(*, user: Any, member_id: int, today: dt.date | None = None) -> Chart:
    starts = week_starts(today=today or timezone.localdate(), weeks=MEMBER_WEEKS)
    values = selectors.contacts_per_week(user=user, starts=starts, member_id=member_id)
    short, full = _labels(starts)
    title = _("Contact moments per week")
    return Chart(
        key="member-contacts",
        title=title,
        kind="bar",
        labels=short,
        table_labels=full,
        series=(Series(_("Contact moments"), values, PALETTE[0]),),
        summary=_summary(title, values, MEMBER_WEEKS),
    )


def person_strip(*, user: Any, person: Person, today: dt.date | None = None) -> Chart:
    """Three years of contact with one relation, a bar per week: gaps show at a glance."""
    starts = week_starts(today=today or timezone.localdate(), weeks=STRIP_WEEKS)
    values = selectors.contacts_per_week(user=user, starts=starts, person=person)
    _short, full = _labels(starts)
    # Three years along the axis: the month and year of each week say more than its Monday.
    short = tuple(month_text(d) for d in starts)
    title = _("Contact over the last three years")
    return Chart(
        key="contact-strip",
        title=title,
        kind="bar",
        labels=short,
        table_labels=full,
        series=(Series(_("Contact moments"), values, PALETTE[0]),),
        summary=_summary(title, values, STRIP_WEEKS),
        css_class="chart-strip",
        table_skips_empty=True,
        options={"maxTicks": 6},
    )


def signals_chart(*, user: Any) -> Chart:
    starts = month_starts(today=timezone.localdate(), months=SIGNAL_MONTHS)
    found = selectors.signals_per_sector_month(user=user, starts=starts)
    names = dict(Sector.choices)
    # The busiest sectors first, each in its own colour; the rest share one bar segment.
    ranked = sorted((k for k in found if k), key=lambda k: -sum(found[k]))
    shown, rest = ranked[: len(PALETTE) - 1], ranked[len(PALETTE) - 1 :]
    series = [Series(str(names.get(k, k)), found[k], PALETTE[i]) for i, k in enumerate(shown)]
    other = [found[k] for k in rest] + ([found[""]] if "" in found else [])
    if other:
        series.append(
            Series(_("Other or unknown"), tuple(map(sum, zip(*other, strict=True))), PALETTE[-1])
        )
    total = sum(sum(v) for v in found.values())
    return Chart(
        key="signals-per-sector",
        title=_("Signals per sector per month"),
        kind="bar",
        labels=tuple(month_text(d) for d in starts),
        series=tuple(series),
        stacked=True,
        summary=_("%(n)d signals in the last 12 months; most from %(top)s.")
        % {"n": total, "top": names.get(shown[0], "–") if shown else "–"},
    )
