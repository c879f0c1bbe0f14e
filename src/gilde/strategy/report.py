"""The quarterly management report for the board: its figures, computed once on the worker and
kept with the report (so earlier quarters stay as they were reported and can be compared), the
changes since the report before, and its export as CSV or XLSX.

Figures are read through the requesting network manager's scope, as everything else."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections import Counter
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Max, Q
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext as _

from gilde import visibility
from gilde.accounts.models import Member
from gilde.core.models import Job
from gilde.permissions import require_strategist
from gilde.relations.models import Tier
from gilde.strategy.models import Report, Theme, ThemeLink

# The figures compared with the report before, in the order the page and the export show them.
KEY_FIGURES = (
    "persons",
    "new_persons",
    "contacts",
    "key_on_track_percent",
    "favours_given",
    "favours_received",
    "events",
    "attended",
    "signals",
    "key_single",
)


def quarter_bounds(year: int, quarter: int) -> tuple[dt.date, dt.date]:
    """First and last day of a quarter."""
    start = dt.date(year, 3 * quarter - 2, 1)
    end = dt.date(year + (quarter == 4), 1 if quarter == 4 else 3 * quarter + 1, 1)
    return start, end - dt.timedelta(days=1)


def current_quarter(today: dt.date | None = None) -> tuple[int, int]:
    today = today or timezone.localdate()
    return today.year, (today.month - 1) // 3 + 1


def _moment(day: dt.date, end: bool = False) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.max if end else dt.time.min))


def _months_back(end: dt.date, n: int) -> list[dt.date]:
    first = end.replace(day=1)
    months = []
    for _i in range(n):
        months.append(first)
        first = (first - dt.timedelta(days=1)).replace(day=1)
    return months[::-1]


def _tiers(user: Any, end: dt.datetime) -> list[dict[str, Any]]:
    counts = dict(
        visibility.persons(user)
        .filter(created_at__lte=end)
        .order_by()
        .values("tier_id")
        .annotate(n=Count("id"))
        .values_list("tier_id", "n")
    )
    total = sum(counts.values()) or 1
    return [
        {
            "code": t.code,
            "count": counts.get(t.pk, 0),
            "percent": round(100 * counts.get(t.pk, 0) / total, 1),
            "guideline": t.guideline_percent,
        }
        for t in Tier.objects.all()
    ]


def _contacts_per_month(user: Any, end: dt.date) -> list[dict[str, Any]]:
    months = _months_back(end, 12)
    rows = dict(
        visibility.contact_moments(user)
        .filter(occurred_at__gte=_moment(months[0]), occurred_at__lte=_moment(end, True))
        .annotate(month=TruncMonth("occurred_at"))
        .order_by()
        .values("month")
        .annotate(n=Count("id"))
        .values_list("month", "n")
    )
    by_month = {(m.year, m.month): n for m, n in rows.items()}
    return [
        {"month": m.isoformat()[:7], "count": by_month.get((m.year, m.month), 0)} for m in months
    ]


def _key_on_track(user: Any, end: dt.datetime) -> dict[str, Any]:
    """A and B relations whose last contact up to the quarter's end lies within their tier's
    maximum interval (twice the ideal where no maximum is set)."""
    tiers = [t for t in Tier.objects.filter(code__in=["A", "B"]) if t.ideal_interval_days]
    total = on_track = 0
    for tier in tiers:
        limit = tier.max_interval_days or 2 * (tier.ideal_interval_days or 0)
        people = visibility.persons(user).filter(tier=tier, created_at__lte=end)
        last = people.annotate(
            last=Max(
                "contact_moments__occurred_at", filter=Q(contact_moments__occurred_at__lte=end)
            )
        ).values_list("last", flat=True)
        cut = end - dt.timedelta(days=limit)
        for when in last:
            total += 1
            on_track += when is not None and when >= cut
    return {
        "total": total,
        "on_track": on_track,
        "percent": round(100 * on_track / total, 1) if total else 0.0,
    }


def _coverage(user: Any) -> list[dict[str, Any]]:
    from gilde.strategy.selectors import heatmap

    found = heatmap(user=user)
    return [
        {
            "theme": theme.name,
            "linked": sum(c.linked for c in cells),
            "known": sum(c.covered for c in cells),
        }
        for theme, cells in found.table
    ]


def _events(user: Any, start: dt.datetime, end: dt.datetime) -> dict[str, Any]:
    events = visibility.events(user).filter(starts_at__gte=start, starts_at__lte=end)
    guests = visibility.guests(user).filter(event__in=events, role="guest")
    statuses = Counter(guests.order_by().values_list("status", flat=True))
    invited = sum(n for s, n in statuses.items() if s != "proposed")
    attended = statuses.get("attended", 0)
    return {
        "count": events.count(),
        "invited": invited,
        "attended": attended,
        "turnout": round(100 * attended / invited, 1) if invited else 0.0,
    }


def _signals(user: Any, start: dt.datetime, end: dt.datetime) -> tuple[int, list[dict[str, Any]]]:
    moments = visibility.contact_moments(user).filter(
        occurred_at__gte=start, occurred_at__lte=end, signals__gt=""
    )
    total = moments.count()
    per_theme = Counter(
        dict(
            ThemeLink.objects.filter(person__contact_moments__in=moments)
            .order_by()
            .values("theme_id")
            .annotate(n=Count("person__contact_moments", distinct=True))
            .values_list("theme_id", "n")
        )
    )
    names = dict(Theme.objects.values_list("pk", "name"))
    return total, [{"theme": names[t], "count": n} for t, n in per_theme.most_common()]


def _key_single(user: Any) -> int:
    """Key relations (A) known by one colleague only: the organisation's concentration risk."""
    return (
        visibility.persons(user)
        .filter(tier__code="A")
        .annotate(n=Count("ties", filter=Q(ties__member__isnull=False)))
        .filter(n=1)
        .count()
    )


def report_figures(*, user: Any, year: int, quarter: int) -> dict[str, Any]:
    """Every figure of one quarter's report, as plain JSON data."""
    first, last = quarter_bounds(year, quarter)
    start, end = _moment(first), _moment(last, True)
    persons = visibility.persons(user)
    months = _contacts_per_month(user, last)
    key = _key_on_track(user, end)
    favours = visibility.favours(user).filter(occurred_on__gte=first, occurred_on__lte=last)
    events = _events(user, start, end)
    signals_total, signals = _signals(user, start, end)
    key_single = _key_single(user)
    return {
        "period": {
            "year": year,
            "quarter": quarter,
            "start": first.isoformat(),
            "end": last.isoformat(),
        },
        "tiers": _tiers(user, end),
        "contacts_per_month": months,
        "maintenance": key,
        "coverage": _coverage(user),
        "events_detail": events,
        "signals_per_theme": signals,
        "key": {
            "persons": persons.filter(created_at__lte=end).count(),
            "new_persons": persons.filter(created_at__gte=start, created_at__lte=end).count(),
            "contacts": sum(m["count"] for m in months[-3:]),
            "key_on_track_percent": key["percent"],
            "favours_given": favours.filter(direction="given").count(),
            "favours_received": favours.filter(direction="received").count(),
            "events": events["count"],
            "attended": events["attended"],
            "signals": signals_total,
            "key_single": key_single,
        },
    }


@transaction.atomic
def report_request(*, actor: Member, year: int, quarter: int) -> Report:
    """Ask for a quarter's report: it is drawn up on the worker (figures and PDF)."""
    from gilde.core.jobs import job_enqueue

    require_strategist(actor)
    if not 1 <= quarter <= 4 or not 2000 <= year <= 2100:
        raise ValidationError(_("Choose a quarter from 1 to 4 of a year from 2000 to 2100."))
    if quarter_bounds(year, quarter)[0] > timezone.localdate():
        raise ValidationError(_("This quarter has not begun yet."))
    report = Report.objects.create(year=year, quarter=quarter, created_by=actor)
    report.job = job_enqueue(kind="strategy.report", params={"report": report.pk}, actor=actor)
    report.save(update_fields=["job"])
    return report


def report_draw_up(report: Report) -> Report:
    """The worker's part: compute the figures as the requesting manager sees them, make the PDF."""
    from gilde.strategy.pdf import report_pdf

    if report.created_by is None:
        raise ValidationError(_("The colleague who asked for this report is gone."))
    report.figures = report_figures(
        user=report.created_by.user, year=report.year, quarter=report.quarter
    )
    report.pdf = report_pdf(report, previous_report(report))
    report.save(update_fields=["figures", "pdf"])
    return report


def reports() -> Any:
    return Report.objects.select_related("created_by__user", "job")


def previous_report(report: Report) -> Report | None:
    """The last finished report of an earlier quarter: what 'changes since' compares with."""
    return (
        Report.objects.exclude(figures={})
        .filter(Q(year__lt=report.year) | Q(year=report.year, quarter__lt=report.quarter))
        .first()
    )


@dataclass(frozen=True)
class Change:
    key: str
    label: str
    now: float
    before: float | None

    @property
    def delta(self) -> float | None:
        return None if self.before is None else round(self.now - self.before, 1)


def key_labels() -> dict[str, str]:
    return {
        "persons": _("Relations"),
        "new_persons": _("New relations this quarter"),
        "contacts": _("Contact moments this quarter"),
        "key_on_track_percent": _("Key relations (A/B) on track, %"),
        "favours_given": _("Favours given"),
        "favours_received": _("Favours received"),
        "events": _("Events"),
        "attended": _("Guests who came"),
        "signals": _("Signals received"),
        "key_single": _("Key relations known by one colleague only"),
    }


def changes(report: Report, before: Report | None) -> list[Change]:
    now = report.figures.get("key", {})
    then = before.figures.get("key", {}) if before else {}
    labels = key_labels()
    return [Change(k, labels[k], now.get(k, 0), then.get(k)) for k in KEY_FIGURES]


def export_rows(report: Report) -> list[list[Any]]:
    """The report's figures as rows: section, item, value (and the guideline or before)."""
    f = report.figures
    rows: list[list[Any]] = [[_("Section"), _("Item"), _("Value"), _("Compared with")]]
    for change in changes(report, previous_report(report)):
        rows.append([_("Key figures"), change.label, change.now, change.before])
    for t in f.get("tiers", []):
        rows.append([_("Tier distribution"), t["code"], t["percent"], t["guideline"]])
    for m in f.get("contacts_per_month", []):
        rows.append([_("Contact moments per month"), m["month"], m["count"], None])
    for c in f.get("coverage", []):
        rows.append([_("Coverage per theme"), c["theme"], c["known"], c["linked"]])
    for s in f.get("signals_per_theme", []):
        rows.append([_("Signals per theme"), s["theme"], s["count"], None])
    return rows


def export_csv(report: Report) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")  # Dutch Excel reads semicolons
    for row in export_rows(report):
        writer.writerow(["" if v is None else v for v in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")  # the BOM makes Excel read UTF-8


def export_xlsx(report: Report) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = report.label
    for row in export_rows(report):
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def job_of(report: Report) -> Job | None:
    return report.job
