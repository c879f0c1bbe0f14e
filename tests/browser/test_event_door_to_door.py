"""One event from start to finish in the browser, as its organiser and one guest live it: the
organiser creates the event, gives it a programme and publishes it, builds the guest list from
Gilde's suggestions, and sends the invitations through a real SMTP server; the guest opens the
link from the received e-mail on a phone, not logged in, and accepts; at the door, on a phone,
the organiser checks the guest in; the relation's page then shows the event and the contact
moment it made."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from gilde.events.models import Event, Guest, GuestStatus
from gilde.relations.models import EmailAddress, Tier
from tests.browser.journey import log_in
from tests.browser.test_invitations_journey import PHONE, Inbox, inbox  # noqa: F401
from tests.factories import PersonFactory
from tests.jobs import run_jobs

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_from_a_new_event_to_the_guest_at_the_door(page, browser, networker, inbox: Inbox):  # noqa: F811
    anouk = PersonFactory(
        given_name="Anouk",
        tussenvoegsel="",
        family_name="Waterman",
        tier=Tier.objects.get(code="A"),
        language="nl",
    )
    EmailAddress.objects.create(person=anouk, address="anouk@waterman.example")
    log_in(page, "jeroen")

    # The event, its programme, published.
    page.goto("/events/")
    page.get_by_role("button", name="Nieuwe bijeenkomst").click()
    start = (timezone.localtime() + dt.timedelta(days=3)).replace(hour=16, minute=0)
    page.fill("input[name=title]", "Waterstofborrel Noord")
    page.select_option("select[name=kind]", "reception")
    page.fill("input[name=starts_at]", start.strftime("%Y-%m-%dT%H:%M"))
    page.fill("input[name=ends_at]", (start + dt.timedelta(hours=3)).strftime("%Y-%m-%dT%H:%M"))
    page.fill("input[name=venue]", "Loods 6")
    page.fill("input[name=capacity]", "30")
    page.click("form button[type=submit]")
    expect(page.locator("h1")).to_contain_text("Waterstofborrel Noord")
    event = Event.objects.get(title="Waterstofborrel Noord")
    page.locator("#programme summary").click()
    page.fill("#programme input[name=starts_at]", start.strftime("%Y-%m-%dT%H:%M"))
    page.fill("#programme input[name=duration_minutes]", "150")
    page.select_option("#programme select[name=kind]", "networking")
    page.fill("#programme input[name=title]", "Borrel aan statafels")
    page.click("#programme button[type=submit]")
    expect(page.locator("#programme .meeting-share")).to_contain_text(
        "83% van de tijd is netwerktijd"
    )
    page.goto(f"/events/{event.pk}/edit/")
    page.select_option("select[name=status]", "published")
    page.click("form button[type=submit]")
    expect(page.locator(".messages")).to_contain_text("opgeslagen")

    # The guest list from the suggestions: the key relation is suggested with a reason.
    page.goto(f"/events/{event.pk}/guests/")
    suggestion = page.locator("#guest-suggestions tr", has_text="Anouk Waterman")
    expect(suggestion).to_contain_text("nieuwe relatie sinds")
    suggestion.get_by_role("button").first.click()
    expect(page.locator("#guest-list")).to_contain_text("Anouk Waterman")

    # Invitations through the SMTP server, sent by the worker.
    page.goto(f"/events/{event.pk}/invitations/")
    page.click("#send-invitations")
    expect(page.locator("#invitation-progress")).to_contain_text("0 van 1 e-mails")
    run_jobs()
    expect(page.locator("#invitation-progress [data-count=sent]")).to_have_text("1")
    message = next(m for m in inbox.messages if m["To"] == "anouk@waterman.example")
    text = message.get_body(preferencelist=("plain",)).get_content()
    link = re.search(r"(http://\S+/rsvp/\S+/)", text).group(1)  # type: ignore[union-attr]

    # The guest accepts on her phone, not logged in.
    phone = browser.new_context(viewport=PHONE, is_mobile=True)
    guest_page = phone.new_page()
    guest_page.goto(link)
    expect(guest_page.locator("h1")).to_have_text("Waterstofborrel Noord")
    guest_page.check("input[name=attending][value=yes]")
    guest_page.click("button[type=submit]")
    expect(guest_page.locator("[role=status]")).to_contain_text("u bent aangemeld")
    phone.close()

    # At the door, on a phone.
    page.set_viewport_size(PHONE)
    page.goto(f"/events/{event.pk}/check-in/")
    expect(page.locator("[data-count=expected]")).to_have_text("1")
    page.fill("#checkin-search", "water")
    guest = Guest.objects.get(event=event, person=anouk)
    row = page.locator(f"#guest-{guest.pk}")
    row.locator("button", has_text="Registreren").click()
    expect(row).to_contain_text("Binnen om")
    expect(page.locator("[data-count=arrived]")).to_have_text("1")

    # The relation's page: the event, her attendance and the contact moment it made.
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"/persons/{anouk.pk}/")
    expect(page.locator(".person-events")).to_contain_text("Waterstofborrel Noord")
    expect(page.locator(".person-events")).to_contain_text("Aanwezig")
    expect(page.locator("#timeline")).to_contain_text("Waterstofborrel Noord")
    guest.refresh_from_db()
    assert guest.status == GuestStatus.ATTENDED and guest.contact_moment is not None
