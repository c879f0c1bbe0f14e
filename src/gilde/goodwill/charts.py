"""The goodwill chart: favours given against received per month."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from gilde.core.charts import PALETTE, Chart, Series, month_starts
from gilde.core.datestyle import month_text
from gilde.goodwill import selectors

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
