"""Statuses look apart and say what they mean: each its own colour, mark and word, and a detail
that agrees with the label ("aan de beurt" counts the days since it became due; "achterstallig"
the days past the maximum interval)."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from django.urls import reverse
from django.utils import translation

from gilde.maintenance import explain
from gilde.maintenance.models import SuggestionReason, TierSuggestion
from gilde.maintenance.rhythm import Rhythm, Status, care_status
from gilde.maintenance.templatetags.maintenance import suggestion_reason
from gilde.relations.models import Tier
from tests.conftest import client_for
from tests.factories import PersonFactory, TieFactory
from tests.maintenance.factories import contact

CSS = Path(__file__).resolve().parents[2] / "src" / "gilde" / "static" / "gilde" / "gilde.css"
TODAY = dt.date(2026, 12, 3)
C_RHYTHM = Rhythm(180, 365)


def test_a_due_relation_counts_the_days_it_has_been_due_not_days_over_time():
    status = care_status(today=TODAY, last_contact=TODAY - dt.timedelta(days=303), rhythm=C_RHYTHM)
    with translation.override("nl"):
        detail = explain.status_detail(status, TODAY)
        label = explain.status_label(status.status)
    assert (label, detail) == ("aan de beurt", "al 123 dagen aan de beurt")


def test_an_overdue_relation_counts_the_days_past_the_maximum_interval():
    status = care_status(today=TODAY, last_contact=TODAY - dt.timedelta(days=400), rhythm=C_RHYTHM)
    with translation.override("nl"):
        assert explain.status_detail(status, TODAY) == "35 dagen over de maximale termijn"


def test_the_due_list_no_longer_says_due_and_over_time_in_one_breath(owner):
    person = PersonFactory(tier=Tier.objects.get(code="C"), owner=owner)
    TieFactory(person=person, member=owner, strength=4)
    contact(person, owner, days=303)

    page = client_for(owner).get(reverse("maintenance_due"), HTTP_ACCEPT_LANGUAGE="nl")
    html = page.content.decode()

    assert "care-due" in html
    assert "al 123 dagen aan de beurt" in html
    assert "over tijd" not in html


def test_each_status_has_its_own_colours_and_mark():
    css = CSS.read_text()
    looks = {}
    for status in (Status.ON_TRACK, Status.DUE, Status.OVERDUE, Status.NEVER):
        rule = re.search(
            rf"\.care-{status.value} \{{ background: ([^;]+); color: ([^;]+); \}}", css
        )
        mark = re.search(
            rf"\.care-{status.value} \.care-icon::before \{{ content: \"(.)\"; \}}", css
        )
        assert rule and mark, status
        looks[status] = (rule.group(1), rule.group(2), mark.group(1))
    for part in range(3):
        assert len({look[part] for look in looks.values()}) == 4


def test_a_suggestion_reason_shows_its_day_in_the_date_style(db):
    suggestion = TierSuggestion(
        reason=SuggestionReason.NO_CONTACT_TWO_YEARS, facts={"last_contact": "2024-10-07"}
    )
    with translation.override("nl"):
        assert suggestion_reason(suggestion) == "geen contact sinds 7 okt. 2024"
