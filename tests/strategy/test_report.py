"""The quarterly management report: drawn up on the worker, kept per quarter and compared with
the one before, as a page, a PDF with charts and an export of its figures."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from gilde.strategy.models import Report
from gilde.strategy.report import quarter_bounds, report_figures, report_request
from tests.factories import ContactMomentFactory, PersonFactory
from tests.jobs import run_jobs
from tests.strategy.factories import ThemeLinkFactory


def _quarter_ago(n):
    day = timezone.localdate()
    year, quarter = day.year, (day.month - 1) // 3 + 1
    for _i in range(n):
        year, quarter = (year - 1, 4) if quarter == 1 else (year, quarter - 1)
    return year, quarter


def test_quarter_bounds():
    assert quarter_bounds(2026, 4) == (dt.date(2026, 10, 1), dt.date(2026, 12, 31))
    assert quarter_bounds(2026, 1) == (dt.date(2026, 1, 1), dt.date(2026, 3, 31))


def test_a_report_is_drawn_up_in_the_background_and_compared(manager, manager_client):
    person = PersonFactory()
    ThemeLinkFactory(person=person, theme__name="Energietransitie")
    ContactMomentFactory(persons=[person], signals="Markt trekt aan")
    year, quarter = _quarter_ago(1)
    earlier = report_request(actor=manager, year=year, quarter=quarter)
    now = report_request(actor=manager, year=_quarter_ago(0)[0], quarter=_quarter_ago(0)[1])
    page = manager_client.get(reverse("strategy:report", args=[now.pk])).content.decode()
    assert "wordt opgesteld" in page
    assert run_jobs() == 2
    now.refresh_from_db()
    assert now.ready and bytes(now.pdf).startswith(b"%PDF")
    assert now.figures["key"]["signals"] == 1
    page = manager_client.get(reverse("strategy:report", args=[now.pk])).content.decode()
    assert f"vergeleken met {Report.objects.get(pk=earlier.pk).label}" in page
    assert "chart-report-tiers-data" in page and "Energietransitie" in page
    pdf = manager_client.get(reverse("strategy:report_pdf", args=[now.pk]))
    assert pdf["Content-Type"] == "application/pdf"


def test_the_figures_export_as_csv_and_xlsx(manager, manager_client):
    year, quarter = _quarter_ago(0)
    report = report_request(actor=manager, year=year, quarter=quarter)
    run_jobs()
    csv_body = manager_client.get(reverse("strategy:report_csv", args=[report.pk])).content
    assert "Kerncijfers" in csv_body.decode("utf-8-sig")
    xlsx = manager_client.get(reverse("strategy:report_xlsx", args=[report.pk])).content
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(xlsx)).active
    assert sheet.cell(1, 1).value == "Onderdeel"


def test_only_a_network_manager_asks_for_a_report(owner):
    with pytest.raises(PermissionDenied):
        report_request(actor=owner, year=2026, quarter=1)


def test_a_future_quarter_is_refused_with_a_clear_message(manager, manager_client):
    year = timezone.localdate().year + 1
    with pytest.raises(ValidationError):
        report_request(actor=manager, year=year, quarter=1)
    response = manager_client.post(reverse("strategy:reports"), {"year": year, "quarter": 1})
    assert response.status_code == 422 and "nog niet begonnen" in response.content.decode()
    assert not Report.objects.exists()


def test_a_hidden_person_changes_no_figure_for_a_colleague(owner, colleague):
    year, quarter = _quarter_ago(0)
    before = report_figures(user=colleague.user, year=year, quarter=quarter)
    secret = PersonFactory(confidential=True, owner=owner)
    ThemeLinkFactory(person=secret)
    ContactMomentFactory(persons=[secret], signals="Geheim")
    after = report_figures(user=colleague.user, year=year, quarter=quarter)
    after["coverage"] = [c for c in after["coverage"] if c["linked"]]
    before["coverage"] = [c for c in before["coverage"] if c["linked"]]
    assert after == before
