"""Charts of goodwill and signals: favours given against received, signals per sector."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from gilde.core.charts import PALETTE, Chart, Series, month_starts
from gilde.core.datestyle import month_text
from gilde.goodwill import selectors
from gilde.relations.models import Sector

MONTHS = 12


def favours_chart(*, user: Any) -> Chart:
    starts = month_starts(today=timezone.localdate(), months=MONTHS)
    found = selectors.favours_per_month(user=user, starts=starts)
    given, received = found["given"], found["received"]
    return Chart(
        key="given-received",
        title=_("Favours given and received per month"),
        kind="bar",
        labels=tuple(month_text(d) for d in starts),
        series=(Series(_("Given"), given, PALETTE[2]), Series(_("Received"), received, PALETTE[3])),
        summary=_("In the last 12 months we gave %(g)d favours and received %(r)d.")
        % {"g": sum(given), "r": sum(received)},
    )


def signals_chart(*, user: Any) -> Chart:
    starts = month_starts(today=timezone.localdate(), months=MONTHS)
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
