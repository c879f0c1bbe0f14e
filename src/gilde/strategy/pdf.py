"""The management report as a print-ready A4 PDF, with its charts drawn as vector graphics.

ReportLab rather than WeasyPrint: it is already Gilde's PDF library (badges, guest lists), is
pure Python with no system libraries (WeasyPrint needs Pango and friends on every server and in
CI), and draws charts natively, so the PDF needs no browser or image step."""

from __future__ import annotations

import io
from typing import Any

from django.utils import translation
from django.utils.translation import gettext as _
from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from gilde.core.charts import GUIDELINE_COLOUR, PALETTE
from gilde.strategy.models import Report
from gilde.strategy.report import changes

WIDTH = A4[0] - 36 * mm


def _bar_chart(
    title: str, labels: list[str], series: list[tuple[str, list[float], str]]
) -> Drawing:
    drawing = Drawing(WIDTH, 62 * mm)
    chart = VerticalBarChart()
    chart.x, chart.y, chart.width, chart.height = 12 * mm, 10 * mm, WIDTH - 20 * mm, 42 * mm
    chart.data = [values or [0] for _name, values, _colour in series]
    chart.categoryAxis.categoryNames = labels or [""]
    chart.categoryAxis.labels.fontSize = 7
    chart.valueAxis.labels.fontSize = 7
    chart.valueAxis.valueMin = 0
    for i, (_name, _values, colour) in enumerate(series):
        chart.bars[i].fillColor = colors.HexColor(colour)
        chart.bars[i].strokeColor = None
    drawing.add(chart)
    drawing.add(String(0, 57 * mm, title, fontName="Helvetica-Bold", fontSize=10))
    x = WIDTH - 60 * mm
    for name, _values, colour in series:
        drawing.add(String(x, 57 * mm, f"■ {name}", fontSize=8, fillColor=colors.HexColor(colour)))
        x += 30 * mm
    return drawing


def _table(rows: list[list[Any]], widths: list[float] | None = None) -> Table:
    table = Table(rows, colWidths=widths, hAlign="LEFT")
    table.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, 0), "Helvetica-Bold", 9),
                ("FONT", (0, 1), (-1, -1), "Helvetica", 9),
                ("LINEBELOW", (0, 0), (-1, 0), 0.5, colors.grey),
                ("ALIGN", (1, 1), (-1, -1), "RIGHT"),
                ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, colors.HexColor("#f3f4f6")]),
            ]
        )
    )
    return table


def _sign(value: float | None) -> str:
    if value is None:
        return "—"
    return f"+{value:g}" if value > 0 else f"{value:g}"


def _story(report: Report, before: Report | None) -> list[Any]:
    styles = getSampleStyleSheet()
    f = report.figures
    story: list[Any] = [
        Paragraph(_("Management report %(q)s") % {"q": report.label}, styles["Title"]),
        Paragraph(
            _("The network strategy in figures, %(start)s to %(end)s.")
            % {"start": f["period"]["start"], "end": f["period"]["end"]},
            styles["Normal"],
        ),
        Spacer(1, 5 * mm),
        Paragraph(_("Key figures and changes since the last quarter"), styles["Heading2"]),
    ]
    rows = [[_("Figure"), report.label, before.label if before else "", _("Change")]]
    for c in changes(report, before):
        rows.append(
            [c.label, f"{c.now:g}", "" if c.before is None else f"{c.before:g}", _sign(c.delta)]
        )
    story += [_table(rows, [95 * mm, 25 * mm, 25 * mm, 25 * mm]), Spacer(1, 5 * mm)]
    tiers = f["tiers"]
    story.append(
        _bar_chart(
            _("Tier distribution against the guideline (%)"),
            [t["code"] for t in tiers],
            [
                (_("Share"), [t["percent"] for t in tiers], PALETTE[0]),
                (_("Guideline"), [float(t["guideline"]) for t in tiers], GUIDELINE_COLOUR),
            ],
        )
    )
    months = f["contacts_per_month"]
    story.append(
        _bar_chart(
            _("Contact moments per month"),
            [m["month"][2:] for m in months],
            [(_("Contact moments"), [m["count"] for m in months], PALETTE[2])],
        )
    )
    key = f["maintenance"]
    story.append(
        Paragraph(
            _(
                "Maintenance: %(on)d of %(total)d key relations (A and B) were contacted within their "
                "rhythm (%(p)s%%)."
            )
            % {"on": key["on_track"], "total": key["total"], "p": key["percent"]},
            styles["Normal"],
        )
    )
    coverage = f["coverage"]
    if coverage:
        story.append(
            _bar_chart(
                _("Coverage per theme"),
                [c["theme"][:18] for c in coverage],
                [
                    (_("linked"), [c["linked"] for c in coverage], PALETTE[3]),
                    (_("known by a colleague"), [c["known"] for c in coverage], PALETTE[2]),
                ],
            )
        )
    events = f["events_detail"]
    story += [
        Paragraph(_("Goodwill, events and signals"), styles["Heading2"]),
        Paragraph(
            _(
                "Favours: %(g)d given, %(r)d received. Events: %(e)d, %(i)d invited, "
                "%(a)d came (turnout %(t)s%%)."
            )
            % {
                "g": f["key"]["favours_given"],
                "r": f["key"]["favours_received"],
                "e": events["count"],
                "i": events["invited"],
                "a": events["attended"],
                "t": events["turnout"],
            },
            styles["Normal"],
        ),
    ]
    signals = f["signals_per_theme"]
    if signals:
        story.append(
            _table([[_("Theme"), _("Signals")]] + [[s["theme"], s["count"]] for s in signals])
        )
    story.append(
        Paragraph(
            _("Concentration risk: %(n)d key relations are known by one colleague only.")
            % {"n": f["key"]["key_single"]},
            styles["Normal"],
        )
    )
    return story


def report_pdf(report: Report, before: Report | None) -> bytes:
    """The PDF in the language of the manager who asked for it."""
    language = report.created_by.language if report.created_by else "nl"
    buffer = io.BytesIO()
    with translation.override(language):
        document = SimpleDocTemplate(
            buffer,
            pagesize=A4,
            leftMargin=18 * mm,
            rightMargin=18 * mm,
            topMargin=16 * mm,
            bottomMargin=16 * mm,
            title=_("Management report %(q)s") % {"q": report.label},
            author="Gilde",
        )
        document.build(_story(report, before))
    return buffer.getvalue()
