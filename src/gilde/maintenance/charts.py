"""Charts of care: the tier mix against the 10/50/40 guideline, and how long relations of each
tier have waited since their last contact."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from gilde.core.charts import GUIDELINE_COLOUR, PALETTE, Chart, Series
from gilde.maintenance import selectors
from gilde.relations.models import Tier


def tier_mix_chart(*, key: str, counts: dict[str | None, int]) -> Chart:
    """Share per tier (bars) beside the guideline share (grey bars)."""
    tiers = list(Tier.objects.all())
    total = sum(counts.values()) or 1
    shares = tuple(round(100 * counts.get(t.code, 0) / total, 1) for t in tiers)
    guideline = tuple(float(t.guideline_percent) for t in tiers)
    labels = tuple(f"{t.code} – {t.label}" for t in tiers)
    summary = "; ".join(
        _("%(tier)s %(share)s%% (guideline %(guide)s%%)")
        % {"tier": t.code, "share": share, "guide": t.guideline_percent}
        for t, share in zip(tiers, shares, strict=True)
    )
    return Chart(
        key=key,
        title=_("Tier mix against the guideline"),
        kind="bar",
        labels=labels,
        series=(
            Series(_("Share"), shares, PALETTE[0]),
            Series(_("Guideline"), guideline, GUIDELINE_COLOUR),
        ),
        summary=summary,
        unit="%",
    )


# From good (green) to bad (red), grey for never; each at least 3:1 against the white page.
DAYS_SINCE_COLOURS = ("#2f6b4f", "#5a8f72", "#c27c0e", "#b45309", "#b3263a", "#6b7280")


def days_since_chart(*, user: Any) -> Chart:
    """Per tier, how many relations were last contacted within a month, a quarter, half a year,
    a year, longer ago, or never: stacked bars, one per tier."""
    found = selectors.days_since_contact_by_tier(user=user)
    steps = (
        _("under 30 days"),
        _("30–90 days"),
        _("90–180 days"),
        _("180–365 days"),
        _("over a year"),
        _("never"),
    )
    tiers = [t for t in Tier.objects.all() if t.code in found]
    labels = tuple(f"{t.code} – {t.label}" for t in tiers)
    series = tuple(
        Series(step, tuple(found[t.code][i] for t in tiers), DAYS_SINCE_COLOURS[i])
        for i, step in enumerate(steps)
    )
    old = sum(found[t.code][4] + found[t.code][5] for t in tiers)
    return Chart(
        key="days-since",
        title=_("Days since the last contact, per tier"),
        kind="bar",
        labels=labels,
        series=series,
        stacked=True,
        summary=_("%(n)d relations with a tier were not contacted for over a year, or never.")
        % {"n": old},
    )
