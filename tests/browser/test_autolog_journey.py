"""Contact moments that log themselves, in the browser: connect a calendar (a real CalDAV server,
Radicale, started by the test), yesterday's meeting with a relation appears in the review inbox,
keep it, and the relation's status changes from "never contacted" to on track. Screenshots of
the settings page and the review inbox (desktop and phone) go to GILDE_SCREENSHOTS when set."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from gilde.relations.models import EmailAddress
from tests.autolog.servers import PASSWORD, radicale  # noqa: F401 - the fixture
from tests.browser.journey import log_in
from tests.factories import PersonFactory
from tests.jobs import run_jobs

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _shoot(page, name: str) -> None:  # type: ignore[no-untyped-def]
    folder = os.environ.get("GILDE_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        for width, suffix in ((1280, "desktop"), (390, "phone")):
            page.set_viewport_size({"width": width, "height": 900})
            page.screenshot(path=str(Path(folder) / f"{name}-{suffix}.png"), full_page=True)
        page.set_viewport_size({"width": 1280, "height": 900})


def _meeting(start: dt.datetime) -> str:
    fmt = "%Y%m%dT%H%M%SZ"
    return "\r\n".join(
        [
            "BEGIN:VCALENDAR",
            "VERSION:2.0",
            "PRODID:-//Gilde tests//NL",
            "BEGIN:VEVENT",
            "UID:jaargesprek-1",
            f"DTSTAMP:{start.strftime(fmt)}",
            f"DTSTART:{start.strftime(fmt)}",
            f"DTEND:{(start + dt.timedelta(hours=1)).strftime(fmt)}",
            "SUMMARY:Jaargesprek Rijnbouw",
            "ORGANIZER:mailto:jeroen@ons-bureau.nl",
            "ATTENDEE;PARTSTAT=ACCEPTED:mailto:anna@rijnbouw.nl",
            "END:VEVENT",
            "END:VCALENDAR",
            "",
        ]
    )


def test_connect_a_calendar_keep_yesterdays_meeting_and_the_status_changes(  # type: ignore[no-untyped-def]
    page,
    networker,
    radicale,  # noqa: F811
):
    networker.user.email = "jeroen@ons-bureau.nl"
    networker.user.save()
    anna = PersonFactory(given_name="Anna", family_name="Aalders", tussenvoegsel="")
    EmailAddress.objects.create(person=anna, address="anna@rijnbouw.nl")
    calendar = radicale.calendar("jeroen", name="journey")
    yesterday = (timezone.now() - dt.timedelta(days=1)).replace(hour=10, minute=0, second=0)
    calendar.save_event(_meeting(yesterday))

    log_in(page, "jeroen")
    page.goto(f"/persons/{anna.pk}/")
    expect(page.locator("#care-area mark.care")).to_have_class("care care-never")

    page.goto("/me/mail-and-calendar/")
    page.get_by_text("Een mailbox of agenda koppelen").click()
    page.select_option("select[name=kind]", "caldav")
    page.fill("input[name=server]", str(calendar.url))
    page.fill("input[name=username]", "jeroen")
    page.fill("input[name=secret]", PASSWORD)
    page.get_by_role("button", name="Koppelen", exact=True).click()
    expect(page.locator(".messages")).to_contain_text("Gekoppeld")
    expect(page.locator("main")).to_contain_text("Agenda (CalDAV)")
    assert PASSWORD not in page.content()
    assert run_jobs() == 1  # the worker reads the calendar

    page.goto("/review/")
    entry = page.locator(".autolog-entry").first
    expect(entry).to_contain_text("Jaargesprek Rijnbouw")
    expect(entry).to_contain_text("Anna Aalders")
    expect(entry).to_contain_text("via agenda")
    expect(page.locator("#review-count")).to_contain_text("1 contact wacht op beoordeling")
    _shoot(page, "autolog-review-nl")
    entry.get_by_role("button", name="Bewaren").click()
    expect(entry).to_contain_text("Bewaard als contactmoment")
    expect(page.locator("#review-count")).to_contain_text("0 contacten wachten op beoordeling")

    page.goto(f"/persons/{anna.pk}/")
    expect(page.locator("#care-area mark.care")).to_have_class("care care-on_track")
    expect(page.locator("main")).to_contain_text("via agenda")
    page.goto("/me/mail-and-calendar/")
    _shoot(page, "autolog-settings-nl")
