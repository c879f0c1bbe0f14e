"""Building a guest list in the browser: accepting a suggestion, dismissing one and adding a
relation found by the filters change the list, its balance and the expected turnout in place,
without a reload; on a phone the page fits the screen."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from gilde.events.models import Event, Guest, SuggestionDismissal
from gilde.relations.models import Tag, Tier
from tests.browser.journey import log_in
from tests.factories import PersonFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _event(networker) -> Event:
    starts = timezone.now() + dt.timedelta(days=20)
    event = Event.objects.create(
        title="Waterstofborrel",
        starts_at=starts,
        capacity=30,
        ends_at=starts + dt.timedelta(hours=3),
        created_by=networker,
    )
    event.organisers.add(networker)
    theme = Tag.objects.create(name="waterstof")
    event.themes.add(theme)
    for name in ("Anouk", "Bart"):
        person = PersonFactory(
            given_name=name,
            tussenvoegsel="",
            family_name="Waterman",
            tier=Tier.objects.get(code="A"),
        )
        person.tags.add(theme)
    PersonFactory(given_name="Carla", tussenvoegsel="", family_name="Zoekmans")
    return event


def test_accepting_dismissing_and_adding_update_the_page_in_place(page, networker):
    event = _event(networker)
    log_in(page, "jeroen")
    page.goto(f"/events/{event.pk}/guests/")
    page.evaluate("window.notReloaded = true")
    suggestions = page.locator("#guest-suggestions")
    expect(suggestions).to_contain_text("Anouk Waterman")
    expect(page.locator("#guest-balance")).to_contain_text("0")

    suggestions.locator("tr", has_text="Anouk Waterman").get_by_role("button").first.click()
    expect(suggestions.locator("tr.guest-done")).to_contain_text("Anouk Waterman")
    expect(page.locator("#guest-list")).to_contain_text("Anouk Waterman")
    expect(page.locator("#guest-list")).to_contain_text("waterstof")
    expect(page.locator("#guest-balance")).to_contain_text("1")
    expect(page.locator("#guest-turnout strong")).to_have_text("0")  # 0.36 expected: rounds to 0

    suggestions.locator("tr", has_text="Bart Waterman").get_by_role("button").nth(1).click()
    expect(suggestions).not_to_contain_text("Bart Waterman")

    page.fill("#id_q", "zoekmans")
    found = page.locator("#guest-candidates")
    expect(found).to_contain_text("Carla Zoekmans")
    found.get_by_role("button").first.click()
    expect(page.locator("#guest-list")).to_contain_text("Carla Zoekmans")
    expect(page.locator("#guest-turnout strong")).to_have_text("1")  # two at 0.36
    assert page.evaluate("window.notReloaded") is True
    assert Guest.objects.filter(event=event).count() == 2
    assert SuggestionDismissal.objects.filter(event=event).count() == 1


def test_the_guest_list_fits_a_phone(page, networker):
    event = _event(networker)
    page.set_viewport_size({"width": 390, "height": 800})
    log_in(page, "jeroen")
    page.goto(f"/events/{event.pk}/guests/")
    expect(page.locator("#guest-suggestions")).to_contain_text("Anouk Waterman")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
