"""Charts of the strategy pages as plain data (gilde.core.charts): a theme's relations per role,
and per theme how many linked relations a colleague knows."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from gilde.core.charts import GUIDELINE_COLOUR, PALETTE, TIER_COLOURS, Chart, Series
from gilde.relations.models import Tier
from gilde.strategy.models import ThemeRole
from gilde.strategy.selectors import ColleagueMix, Coverage, Heatmap


def theme_roles_chart(cover: Coverage) -> Chart:
    """Linked relations per role on one theme."""
    labels = tuple(str(label) for _value, label in ThemeRole.choices)
    values = tuple(cover.by_role.get(value, 0) for value, _label in ThemeRole.choices)
    return Chart(
        key="theme-roles",
        title=_("Relations per role"),
        kind="bar",
        labels=labels,
        series=(Series(_("Relations"), values, PALETTE[0]),),
        summary=_("%(n)d relations linked to this theme.") % {"n": sum(values)},
    )


def coverage_chart(heatmap: Heatmap) -> Chart:
    """Per theme: linked relations a colleague knows moderately or well, and the rest."""
    labels = tuple(t.name[:30] for t in heatmap.themes)
    covered, other = [], []
    for _theme, cells in heatmap.table:
        linked = sum(c.linked for c in cells)
        known = sum(c.covered for c in cells)
        covered.append(known)
        other.append(linked - known)
    return Chart(
        key="coverage",
        title=_("Coverage per theme"),
        kind="bar",
        labels=labels,
        stacked=True,
        series=(
            Series(_("known by a colleague"), tuple(covered), PALETTE[2]),
            Series(_("linked, not yet known well"), tuple(other), PALETTE[3]),
        ),
        table_labels=tuple(t.name for t in heatmap.themes),
        summary=_("%(known)d of %(linked)d linked relations are known by a colleague.")
        % {"known": sum(covered), "linked": sum(covered) + sum(other)},
    )


def tier_mix_per_colleague_chart(mixes: list[ColleagueMix]) -> Chart:
    """Per colleague the share of each tier among the relations they know, beside the
    guideline as its own bar: stacked to 100%."""
    tiers = list(Tier.objects.all())
    labels = (_("Guideline"), *(m.name for m in mixes))
    series = tuple(
        Series(
            f"{t.code} – {t.label}",
            (float(t.guideline_percent), *(m.share(t.code) for m in mixes)),
            TIER_COLOURS.get(t.code, PALETTE[i % len(PALETTE)]),
        )
        for i, t in enumerate(tiers)
    )
    return Chart(
        key="tier-mix-colleagues",
        title=_("Tier mix per colleague against the guideline"),
        kind="bar",
        labels=labels,
        series=series,
        stacked=True,
        unit="%",
        summary=_(
            "The tiers of the relations each colleague knows, in percent, beside the "
            "10/50/40 guideline."
        ),
    )


def report_charts(figures: dict[str, Any]) -> list[Chart]:
    """The report page's charts from its stored figures."""
    tiers = figures.get("tiers", [])
    months = figures.get("contacts_per_month", [])
    coverage = figures.get("coverage", [])
    found = [
        Chart(
            key="report-tiers",
            title=_("Tier distribution against the guideline"),
            kind="bar",
            labels=tuple(t["code"] for t in tiers),
            unit="%",
            series=(
                Series(_("Share"), tuple(t["percent"] for t in tiers), PALETTE[0]),
                Series(
                    _("Guideline"), tuple(float(t["guideline"]) for t in tiers), GUIDELINE_COLOUR
                ),
            ),
            summary=_("The share of each tier beside the 10/50/40 guideline."),
        ),
        Chart(
            key="report-contacts",
            title=_("Contact moments per month"),
            kind="bar",
            labels=tuple(m["month"] for m in months),
            series=(
                Series(_("Contact moments"), tuple(int(m["count"]) for m in months), PALETTE[2]),
            ),
            summary=_("%(n)d contact moments in twelve months.")
            % {"n": sum(m["count"] for m in months)},
        ),
    ]
    if coverage:
        found.append(
            Chart(
                key="report-coverage",
                title=_("Coverage per theme"),
                kind="bar",
                labels=tuple(c["theme"][:30] for c in coverage),
                stacked=False,
                series=(
                    Series(_("linked"), tuple(int(c["linked"]) for c in coverage), PALETTE[3]),
                    Series(
                        _("known by a colleague"),
                        tuple(int(c["known"]) for c in coverage),
                        PALETTE[2],
                    ),
                ),
                summary=_("Linked relations per theme and how many a colleague knows."),
            )
        )
    return found
