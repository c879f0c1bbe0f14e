"""Charts as plain data: what a page shows as a picture and, beside it, as a table.

A selector computes the figures (through the visibility scope); a view wraps them in a `Chart`;
the template `core/_chart.html` writes the canvas, the figures as JSON (read by gilde.js, which
loads Chart.js only on pages that have a chart: no inline script under the CSP) and a table with
the same numbers for screen readers and anyone who prefers them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

# Colours of docs/design.md: distinct in hue and lightness, so a series is told apart in grey too,
# and each at least 3:1 against the white page (WCAG 1.4.11; tests/core/test_charts.py checks).
PALETTE = ("#0172ad", "#b3263a", "#2f6b4f", "#c27c0e", "#6b7280", "#7c3aed", "#db2777", "#a16207")
TIER_COLOURS = {"A": "#b3263a", "B": "#c27c0e", "C": "#2f6b4f", "D": "#6b7280"}
GUIDELINE_COLOUR = "#7b8494"


@dataclass(frozen=True)
class Series:
    name: str
    values: tuple[float, ...]
    colour: str = PALETTE[0]
    kind: str = ""  # "line" over a bar chart (a guideline); empty: the chart's own kind


@dataclass(frozen=True)
class Chart:
    """One chart: its kind (bar, line), labels along the x axis and one or more series."""

    key: str
    title: str
    kind: str
    labels: tuple[str, ...]
    series: tuple[Series, ...]
    summary: str = ""  # one sentence for screen readers: what the picture says
    stacked: bool = False
    unit: str = ""
    css_class: str = ""
    options: dict[str, Any] = field(default_factory=dict)
    table_labels: tuple[str, ...] = ()  # fuller labels for the table (the axis has little room)
    table_skips_empty: bool = False  # a long, mostly empty series: the table lists the rest

    @property
    def data_id(self) -> str:
        return f"chart-{self.key}-data"

    @property
    def is_empty(self) -> bool:
        return not any(any(s.values) for s in self.series)

    @property
    def rows(self) -> list[tuple[str, list[float]]]:
        """The table equivalent: one row per label, one column per series."""
        labels = self.table_labels or self.labels
        rows = [(label, [s.values[i] for s in self.series]) for i, label in enumerate(labels)]
        if self.table_skips_empty:
            rows = [(label, values) for label, values in rows if any(values)]
        return rows

    @property
    def config(self) -> dict[str, Any]:
        """What gilde.js hands to Chart.js."""
        datasets = []
        for s in self.series:
            data: dict[str, Any] = {
                "label": s.name,
                "data": list(s.values),
                "backgroundColor": s.colour,
                "borderColor": s.colour,
            }
            if s.kind:
                data |= {"type": s.kind, "fill": False, "borderDash": [6, 4], "pointRadius": 0}
            datasets.append(data)
        return {
            "type": self.kind,
            "labels": list(self.labels),
            "datasets": datasets,
            "stacked": self.stacked,
            "unit": self.unit,
            "legend": len(self.series) > 1,
            **self.options,
        }


def week_starts(*, today: dt.date, weeks: int) -> list[dt.date]:
    """The Mondays of the last `weeks` weeks, oldest first, the current week last."""
    monday = today - dt.timedelta(days=today.weekday())
    return [monday - dt.timedelta(weeks=n) for n in range(weeks - 1, -1, -1)]


def month_starts(*, today: dt.date, months: int) -> list[dt.date]:
    """The first days of the last `months` months, oldest first, the current month last."""
    firsts = []
    year, month = today.year, today.month
    for _ in range(months):
        firsts.append(dt.date(year, month, 1))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return firsts[::-1]
