"""Variety as the pages, API and command line read it: the variety of a colleague's, a
department's or the organisation's ties beside the organisation's own, with labels, charts and
the relations unlike the rest. From the asking member's visible graph."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gilde import visibility
from gilde.accounts.models import Member
from gilde.core.charts import PALETTE, Chart, Series
from gilde.relations.models import Person, Sector, StakeholderType

from .graph import MEMBER
from .loader import network_for
from .selectors import node_objects
from .variety import DIMENSIONS, UNKNOWN, Mix, Variety, variety_of

AGE_LABELS = {
    "0-1": gettext_lazy("under a year"),
    "1-3": gettext_lazy("1–3 years"),
    "3-10": gettext_lazy("3–10 years"),
    "10+": gettext_lazy("10 years or more"),
}
DIMENSION_TITLES = {
    "type": gettext_lazy("Stakeholder types"),
    "sector": gettext_lazy("Sectors"),
    "region": gettext_lazy("Regions"),
    "age": gettext_lazy("Age of the ties"),
}
ROWS_SHOWN = 8  # per chart; the rest is summed as "other"


@dataclass(frozen=True)
class MixRow:
    label: str
    share: float  # percent of this group
    organisation: float  # percent of the organisation


@dataclass(frozen=True)
class Dimension:
    key: str
    title: str
    shannon: float
    blau: float
    organisation_blau: float
    rows: list[MixRow]


@dataclass(frozen=True)
class VarietyReport:
    label: str
    persons: int
    ties: int
    weak_share: float
    strong_share: float
    organisation_weak_share: float
    organisation_strong_share: float
    dimensions: list[Dimension]
    unlike: list[tuple[Person, float]]
    whole: bool = False  # the organisation itself: nothing to compare with


def _names(key: str) -> dict[str, str]:
    if key == "type":
        return {str(t.pk): str(t) for t in StakeholderType.objects.all()}
    if key == "sector":
        return {code: str(label) for code, label in Sector.choices}
    if key == "age":
        return {code: str(label) for code, label in AGE_LABELS.items()}
    return {}


def _rows(key: str, mine: Mix, whole: Mix) -> list[MixRow]:
    names = _names(key)
    total = sum(mine.counts.values()) or 1
    whole_total = sum(whole.counts.values()) or 1
    ordered = [v for v, _n in mine.counts.most_common() if v != UNKNOWN]
    if key == "age":
        ordered = [v for v in AGE_LABELS if v in mine.counts]
    shown, rest = ordered[:ROWS_SHOWN], ordered[ROWS_SHOWN:]
    rows = [
        MixRow(
            names.get(v, v),
            round(100 * mine.counts[v] / total, 1),
            round(100 * whole.counts.get(v, 0) / whole_total, 1),
        )
        for v in shown
    ]
    if rest:
        rows.append(
            MixRow(
                _("other"),
                round(100 * sum(mine.counts[v] for v in rest) / total, 1),
                round(100 * sum(whole.counts.get(v, 0) for v in rest) / whole_total, 1),
            )
        )
    if mine.counts.get(UNKNOWN):
        rows.append(
            MixRow(
                _("not recorded"),
                round(100 * mine.counts[UNKNOWN] / total, 1),
                round(100 * whole.counts.get(UNKNOWN, 0) / whole_total, 1),
            )
        )
    return rows


def variety(
    user: Any, *, member: Member | None = None, department: str | None = None
) -> VarietyReport:
    """The variety of one colleague's, one department's or (without either) the organisation's
    ties, each figure beside the organisation's."""
    net, _built = network_for(user)
    everyone = list(visibility.members(user).filter(user__is_active=True))
    if member is not None:
        chosen, label = [member], member.name
    elif department is not None:
        chosen, label = [m for m in everyone if m.department == department], department
    else:
        chosen, label = everyone, _("the organisation")

    def nodes(members: list[Member]) -> list[int]:
        return [n for m in members if (n := net.node(MEMBER, m.pk)) is not None]

    mine = variety_of(net, nodes(chosen))
    whole = mine if len(chosen) == len(everyone) else variety_of(net, nodes(everyone))
    objects = node_objects(user, net, [p for p, _s in mine.unlike])
    return VarietyReport(
        label=label,
        persons=mine.persons,
        ties=mine.ties,
        weak_share=mine.weak_share,
        strong_share=mine.strong_share,
        organisation_weak_share=whole.weak_share,
        organisation_strong_share=whole.strong_share,
        dimensions=[_dimension(key, mine, whole) for key in DIMENSIONS],
        unlike=[(objects[p], score) for p, score in mine.unlike if p in objects],
        whole=mine is whole,
    )


def _dimension(key: str, mine: Variety, whole: Variety) -> Dimension:
    return Dimension(
        key=key,
        title=str(DIMENSION_TITLES[key]),
        shannon=mine.mixes[key].shannon,
        blau=mine.mixes[key].blau,
        organisation_blau=whole.mixes[key].blau,
        rows=_rows(key, mine.mixes[key], whole.mixes[key]),
    )


def variety_chart(report: VarietyReport, dimension: Dimension) -> Chart:
    """The shares of one dimension, this group beside the organisation (horizontal bars)."""
    series = [Series(report.label, tuple(r.share for r in dimension.rows), PALETTE[0])]
    if not report.whole:
        series.append(
            Series(_("the organisation"), tuple(r.organisation for r in dimension.rows), PALETTE[4])
        )
    return Chart(
        key=f"variety-{dimension.key}",
        title=dimension.title,
        kind="bar",
        labels=tuple(r.label for r in dimension.rows),
        series=tuple(series),
        summary=_("Blau index %(mine)s against %(whole)s for the organisation.")
        % {"mine": dimension.blau, "whole": dimension.organisation_blau},
        unit="%",
        options={"horizontal": True},
    )
