"""The event report's figures as charts (core.charts: Chart.js with a table beside it)."""

from __future__ import annotations

from django.utils import formats, timezone
from django.utils.translation import gettext as _

from gilde.core.charts import GUIDELINE_COLOUR, PALETTE, Chart, Series
from gilde.events.models import MeetingGoalPriority, ProgrammeItemKind
from gilde.events.report import HIGH_PRIORITY_TARGET, Report, TrendRow


def report_charts(report: Report) -> dict[str, Chart]:
    charts = {}
    funnel = [report.invited, report.accepted, report.attended, report.no_shows]
    labels = (_("Invited"), _("Accepted"), _("Attended"), _("No-show"))
    series = [Series(_("Guests"), tuple(funnel), PALETTE[0])]
    if report.predicted is not None:
        series.append(Series(_("Predicted attendance"), (0, 0, round(report.predicted, 1), 0),
                             GUIDELINE_COLOUR))  # fmt: skip
    charts["turnout"] = Chart(
        key="turnout", title=_("Turnout"), kind="bar", labels=labels, series=tuple(series),
        summary=_("%(attended)d of %(invited)d invited guests came.")
        % {"attended": report.attended, "invited": report.invited},
    )  # fmt: skip
    priorities = [p for p in MeetingGoalPriority if report.by_priority[p.value].total]
    charts["goals"] = Chart(
        key="goals", title=_("Meeting goals by priority"), kind="bar",
        labels=tuple(str(p.label) for p in priorities),
        series=(
            Series(_("Met"), tuple(report.by_priority[p.value].met for p in priorities), PALETTE[2]),
            Series(_("Not met"), tuple(report.by_priority[p.value].not_met for p in priorities),
                   PALETTE[1]),
            Series(_("Not yet known"), tuple(report.by_priority[p.value].open for p in priorities),
                   PALETTE[4]),
        ),
        stacked=True,
        summary=_("%(met)d of %(total)d meeting goals were met.")
        % {"met": report.goals.met, "total": report.goals.total},
    )  # fmt: skip
    charts["nps"] = Chart(
        key="nps", title=_("How likely guests are to recommend the event (0-10)"), kind="bar",
        labels=tuple(str(n) for n in range(11)),
        series=(Series(_("Answers"), tuple(report.survey.nps_counts), PALETTE[0]),),
        summary=_("%(n)d guests answered the survey.") % {"n": report.survey.answers},
    )  # fmt: skip
    kinds = dict(ProgrammeItemKind.choices)
    charts["programme"] = Chart(
        key="programme", title=_("Programme time by kind"), kind="bar",
        labels=tuple(str(kinds[k]) for k in report.minutes_by_kind),
        series=(Series(_("Minutes"), tuple(report.minutes_by_kind.values()), PALETTE[3]),),
        summary=_("%(share)s%% of the time is time to meet.") % {"share": report.time.share},
    )  # fmt: skip
    return charts


def trend_charts(rows: list[TrendRow]) -> dict[str, Chart]:
    labels = tuple(
        f"{formats.date_format(timezone.localtime(r.event.starts_at), 'SHORT_DATE_FORMAT')}"
        for r in rows
    )
    full = tuple(r.event.title for r in rows)
    target = tuple(float(HIGH_PRIORITY_TARGET) for _r in rows)
    return {
        "goals": Chart(
            key="trend-goals", title=_("Meeting goals realised"), kind="bar", labels=labels,
            series=(
                Series(_("All goals"), tuple(float(r.goals.share or 0) for r in rows), PALETTE[0]),
                Series(_("High priority"), tuple(float(r.high.share or 0) for r in rows),
                       PALETTE[2]),
                Series(_("Target"), target, GUIDELINE_COLOUR, kind="line"),
            ),
            unit="%", table_labels=full,
            summary=_("The share of meeting goals realised per event, oldest first."),
        ),
        "turnout": Chart(
            key="trend-turnout", title=_("Turnout and recommendation"), kind="bar",
            labels=labels,
            series=(
                Series(_("Turnout"), tuple(float(r.turnout or 0) for r in rows), PALETTE[0]),
                Series(_("NPS"), tuple(float(r.survey.nps or 0) for r in rows), PALETTE[3]),
            ),
            table_labels=full,
            summary=_("Turnout (per cent of invited) and Net Promoter Score per event, oldest first."),
        ),
    }  # fmt: skip
