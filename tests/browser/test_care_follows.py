"""Logging a contact on an overdue relation changes, without a reload, everything the page shows
that the moment affects: the status and its colour, the last contact, the strength of the tie,
and the new follow-up."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from gilde.maintenance.services import network_recompute
from gilde.relations.models import Tier
from tests.browser.journey import log_in
from tests.factories import ContactMomentFactory, PersonFactory, TieFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_quick_log_on_an_overdue_relation_updates_status_strength_and_follow_ups(page, networker):
    person = PersonFactory(
        given_name="Eva", family_name="Achterstal", tier=Tier.objects.get(code="A")
    )
    TieFactory(member=networker, person=person, strength=3)
    ContactMomentFactory(
        persons=[person],
        members=[networker],
        created_by=networker,
        occurred_at=timezone.now() - dt.timedelta(days=725),
    )
    network_recompute()
    log_in(page, "jeroen")
    page.goto(f"/persons/{person.pk}/")
    status = page.locator("#care-area mark.care")
    expect(status).to_have_class("care care-overdue")
    expect(page.locator("#care-area")).to_contain_text("725")
    score_before = page.locator("#care-area li strong").first.inner_text()

    page.fill("#quick-log-form input[name=summary]", "Eindelijk weer gesproken")
    page.locator("#quick-log-form details summary").click()
    page.fill("#quick-log-form input[name=follow_up]", "Offerte sturen")
    page.click("#quick-log-form button[type=submit]")

    expect(page.locator("#timeline")).to_contain_text("Eindelijk weer gesproken")
    expect(status).to_have_class("care care-on_track")
    expect(page.locator("#care-area")).to_contain_text("laatste contact vandaag")
    expect(page.locator("#person-follow-ups")).to_contain_text("Offerte sturen")
    assert int(page.locator("#care-area li strong").first.inner_text()) > int(score_before)
