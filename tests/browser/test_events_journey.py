"""An organiser plans an event in the browser: creates it, builds the programme and sees the
share of time to meet change without a reload, adds costs and sees the cost per guest; after
the event, records attendance and finds it on the relation's page. Screenshots of the event page
at desktop and phone width, in Dutch and English, go to GILDE_SCREENSHOTS when it is set."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from gilde.events.models import Event, Guest, GuestRole, GuestStatus
from tests.browser.journey import log_in
from tests.factories import GuestFactory, PersonFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _shoot(page, name: str) -> None:  # type: ignore[no-untyped-def]
    folder = os.environ.get("GILDE_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)


def test_plan_an_event_with_its_programme_and_costs(page, networker):  # type: ignore[no-untyped-def]
    log_in(page, "jeroen")
    page.goto("/events/")
    page.get_by_role("button", name="Nieuwe bijeenkomst").click()
    start = (timezone.localtime() + dt.timedelta(days=21)).replace(hour=16, minute=0)
    page.fill("input[name=title]", "Netwerkbijeenkomst Energietransitie")
    page.select_option("select[name=kind]", "network_meeting")
    page.fill("input[name=starts_at]", start.strftime("%Y-%m-%dT%H:%M"))
    page.fill("input[name=ends_at]", (start + dt.timedelta(hours=3)).strftime("%Y-%m-%dT%H:%M"))
    page.fill("input[name=venue]", "Het Zuiderhuis")
    page.fill("input[name=capacity]", "60")
    page.fill("input[name=themes]", "energie, regio")
    page.click("form button[type=submit]")
    expect(page.locator("h1")).to_contain_text("Netwerkbijeenkomst Energietransitie")

    def add_item(offset_minutes: int, minutes: int, kind: str, title: str) -> None:
        page.locator("#programme summary").click() if not page.locator(
            "#programme details[open]"
        ).count() else None
        when = start + dt.timedelta(minutes=offset_minutes)
        page.fill("#programme input[name=starts_at]", when.strftime("%Y-%m-%dT%H:%M"))
        page.fill("#programme input[name=duration_minutes]", str(minutes))
        page.select_option("#programme select[name=kind]", kind)
        page.fill("#programme input[name=title]", title)
        page.click("#programme button[type=submit]")
        expect(page.locator("#programme table")).to_contain_text(title)

    add_item(0, 90, "speaker", "Keynote en panel")
    share = page.locator("#programme .meeting-share")
    expect(share).to_contain_text("0% van de tijd is netwerktijd")
    expect(share).to_contain_text("Minder dan 40%")
    add_item(90, 90, "networking", "Netwerkborrel aan statafels")
    expect(share).to_contain_text("50% van de tijd is netwerktijd")
    expect(share).not_to_contain_text("Minder dan")

    page.locator("#costs summary").click()
    page.select_option("#costs select[name=category]", "catering")
    page.fill("#costs input[name=description]", "Borrel en hapjes")
    page.fill("#costs input[name=planned]", "900")
    page.click("#costs button[type=submit]")
    expect(page.locator("#costs")).to_contain_text("900,00")
    event = Event.objects.get(title="Netwerkbijeenkomst Energietransitie")
    assert event.programme.count() == 2 and event.costs.count() == 1

    for name, width in (("desktop", 1280), ("phone", 390)):
        page.set_viewport_size({"width": width, "height": 844 if width == 390 else 900})
        page.goto(f"/events/{event.pk}/")
        _shoot(page, f"event-{name}-nl")
        widest = page.evaluate("document.documentElement.scrollWidth")
        assert widest <= width + 1, f"the event page scrolls sideways at {width}px ({widest}px)"
    page.click("[data-menu-toggle]")  # on a phone the language switch is in the menu
    page.get_by_role("button", name="English", exact=True).click()
    expect(page.locator("#programme")).to_contain_text("50% of the time is for meeting")
    _shoot(page, "event-phone-en")
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto("/events/")
    _shoot(page, "events-desktop-en")
    expect(page.locator("table")).to_contain_text("Netwerkbijeenkomst Energietransitie")


def test_attendance_after_the_event_reaches_the_relation_page(page, networker):  # type: ignore[no-untyped-def]
    start = timezone.now() - dt.timedelta(days=1)
    event = Event.objects.create(
        title="Open Coffee Zuidas",
        starts_at=start,
        ends_at=start + dt.timedelta(hours=2),
        created_by=networker,
    )
    event.organisers.add(networker)
    Guest.objects.create(
        event=event, member=networker, role=GuestRole.HOST, status=GuestStatus.ACCEPTED
    )
    person = PersonFactory(given_name="Iris", family_name="Koffiedrinker")
    GuestFactory(event=event, person=person, host=networker, status=GuestStatus.ACCEPTED)
    log_in(page, "jeroen")
    page.goto(f"/events/{event.pk}/")
    page.get_by_role("link", name="Aanwezigheid").click()
    page.get_by_label("Koffiedrinker").check()
    page.get_by_label(networker.name).check()
    page.get_by_role("button", name="Aanwezigheid opslaan").click()
    expect(page.locator(".messages")).to_contain_text("Aanwezigheid opgeslagen")
    _shoot(page, "attendance-desktop-nl")
    page.goto(f"/persons/{person.pk}/")
    expect(page.locator(".person-events")).to_contain_text("Open Coffee Zuidas")
    expect(page.locator(".person-events")).to_contain_text("Aanwezig")
    expect(page.locator("#timeline")).to_contain_text("Open Coffee Zuidas")
