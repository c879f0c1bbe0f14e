"""Invitations to the door, in the browser: the manager sends the invitations (progress
updates in place), the guest opens the link from the e-mail the SMTP server received, on a
phone and not logged in, and accepts; at the door, on a phone, the guest is found as the
name is typed and checked in, and the count goes up without a reload.

With GILDE_SCREENSHOTS=<folder>, every step is photographed there."""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import os
import re
import socket
import threading
from collections.abc import Iterator
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from django.test import override_settings
from django.utils import timezone
from playwright.sync_api import expect

from gilde.accounts.models import Role
from gilde.events import services
from gilde.events.models import EventStatus, Guest, GuestStatus
from gilde.relations.models import EmailAddress
from tests.browser.journey import log_in
from tests.factories import MemberFactory, PersonFactory
from tests.jobs import run_jobs

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 390, "height": 844}


class Inbox:
    def __init__(self) -> None:
        self.messages: list[email.message.EmailMessage] = []
        self.lock = threading.Lock()

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        with self.lock:
            self.messages.append(message)  # type: ignore[arg-type]
        return "250 OK"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def inbox(live_server: Any) -> Iterator[Inbox]:
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=_free_port())
    controller.start()
    with override_settings(
        EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=controller.port,
        GILDE_BASE_URL=live_server.url,
    ):
        yield inbox
    controller.stop()


def _shot(page: Any, name: str) -> None:
    folder = os.environ.get("GILDE_SCREENSHOTS")
    if folder:
        page.screenshot(path=os.path.join(folder, f"{name}.png"), full_page=True)


def _set_language(page: Any, language: str) -> None:
    """As the NL/EN switch does (on a phone it sits in the menu): the language cookie."""
    from django.conf import settings

    page.context.add_cookies(
        [{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": page.url}]
    )
    page.reload()


def test_invitation_answer_and_check_in_at_the_door(page, browser, live_server, inbox):
    manager = MemberFactory(
        user__username="beheer", user__first_name="Marieke", role=Role.NETWORK_MANAGER
    )
    start = (timezone.now() + dt.timedelta(days=10)).replace(
        hour=17, minute=0, second=0, microsecond=0
    )
    event = services.event_create(
        member=manager,
        title="Haringparty Haven",
        starts_at=start,
        ends_at=start + dt.timedelta(hours=3),
        venue="Loods 6",
        address="Havenstraat 6, Amsterdam",
        capacity=40,
        status=EventStatus.PUBLISHED,
        description="Nieuwe haring, oude bekenden en nieuwe gezichten.",
    )
    names = [("Joost", "Bakker", "nl"), ("Kate", "Smith", "en"), ("Fatima", "El Amrani", "nl")]
    for given, family, language in names:
        person = PersonFactory(
            given_name=given, tussenvoegsel="", family_name=family, language=language
        )
        EmailAddress.objects.create(person=person, address=f"{given.lower()}@example.org")
        services.guest_add(member=manager, event=event, person=person)

    log_in(page, "beheer")
    page.goto(f"/events/{event.pk}/invitations/")
    _shot(page, "invitations-nl-desktop")
    page.click("#send-invitations")
    expect(page.locator("#invitation-progress")).to_contain_text("3 uitnodigingen")
    run_jobs()  # the worker
    expect(page.locator("#invitation-progress [data-count=sent]")).to_have_text("3")
    # What the sending changed elsewhere on the page follows without a reload.
    expect(page.locator("#invitation-guests tbody")).to_contain_text("Uitnodiging: Verstuurd")
    expect(page.locator("#send-invitations")).to_be_disabled()
    expect(page.locator("[data-count=invited]")).to_have_text("3")
    _shot(page, "invitations-sent-nl-desktop")
    _set_language(page, "en")
    page.locator("a", has_text="English").first.click()
    expect(page.locator("#invitation-preview")).to_contain_text("Dear Kate")
    _shot(page, "invitations-en-desktop")

    # The guest, on a phone, not logged in, through the link in the mail.
    joost = next(m for m in inbox.messages if m["To"] == "joost@example.org")
    text = joost.get_body(preferencelist=("plain",)).get_content()
    link = re.search(r"(http://\S+/rsvp/\S+/)", text).group(1)  # type: ignore[union-attr]
    phone = browser.new_context(viewport=PHONE, is_mobile=True)
    guest_page = phone.new_page()
    guest_page.goto(link)
    expect(guest_page.locator("h1")).to_have_text("Haringparty Haven")
    _shot(guest_page, "rsvp-nl-phone")
    guest_page.check("input[name=attending][value=yes]")
    guest_page.check("input[name=companion]")
    guest_page.fill("input[name=companion_name]", "Marloes Bakker")
    guest_page.fill("textarea[name=wish_to_meet]", "Iemand uit de logistiek")
    guest_page.click("button[type=submit]")
    expect(guest_page.locator("[role=status]")).to_contain_text("u bent aangemeld")
    _shot(guest_page, "rsvp-accepted-nl-phone")
    kate = next(m for m in inbox.messages if m["To"] == "kate@example.org")
    kate_link = re.search(
        r"(http://\S+/rsvp/\S+/)", kate.get_body(preferencelist=("plain",)).get_content()
    ).group(1)  # type: ignore[union-attr]
    guest_page.goto(kate_link)
    expect(guest_page.locator("legend")).to_have_text("Will you come?")
    _shot(guest_page, "rsvp-en-phone")
    phone.close()
    accepted = Guest.objects.get(person__family_name="Bakker")
    assert accepted.status == GuestStatus.ACCEPTED and accepted.companion_name == "Marloes Bakker"

    # At the door, on a phone.
    page.set_viewport_size(PHONE)
    _set_language(page, "nl")
    page.goto(f"/events/{event.pk}/check-in/")
    expect(page.locator("[data-count=arrived]")).to_have_text("0")
    expect(page.locator("[data-count=expected]")).to_have_text("2")  # with the companion
    page.fill("#checkin-search", "bakk")
    row = page.locator(f"#guest-{accepted.pk}")
    expect(row).to_contain_text("Joost Bakker")
    _shot(page, "checkin-search-nl-phone")
    row.locator("button", has_text="Registreren").click()
    expect(page.locator(f"#guest-{accepted.pk}")).to_contain_text("Binnen om")
    expect(page.locator("[data-count=arrived]")).to_have_text("2")
    _shot(page, "checkin-arrived-nl-phone")
    page.locator("#walk-in summary").click()
    page.fill("#walk-in input[name=given_name]", "Wim")
    page.fill("#walk-in input[name=family_name]", "Binnenloper")
    page.locator("#walk-in button[type=submit]").click()
    expect(page.locator("#checkin-results")).to_contain_text("Wim Binnenloper")
    expect(page.locator("[data-count=arrived]")).to_have_text("3")
    _set_language(page, "en")
    _shot(page, "checkin-en-phone")
    page.set_viewport_size({"width": 1280, "height": 900})
    _shot(page, "checkin-en-desktop")
