"""The team journey in a real browser, with a real SMTP server on localhost: a network manager
invites a colleague, the colleague opens the mail's link, sets a password and logs in; then the
manager lets another colleague leave and hands their relations to the new colleague, who finds
them on their to-contact list."""

from __future__ import annotations

import email
import email.policy
import re
import socket
import threading
from collections.abc import Iterator
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from django.test import override_settings

from gilde.accounts.models import Role
from gilde.relations.models import Tier
from tests.browser.journey import log_in
from tests.factories import MemberFactory, PersonFactory, TieFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NEW_PASSWORD = "zeilen op de Loosdrechtse plassen"


class Inbox:
    """aiosmtpd's handler: keeps every message it is given."""

    def __init__(self) -> None:
        self.messages: list[email.message.EmailMessage] = []
        self.arrived = threading.Event()

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        self.messages.append(message)  # type: ignore[arg-type]
        self.arrived.set()
        return "250 Message accepted for delivery"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def inbox(live_server: Any) -> Iterator[Inbox]:
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=_free_port())
    controller.start()
    mail_settings = {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": controller.port,
        "EMAIL_USE_TLS": False,
        "GILDE_BASE_URL": live_server.url,
    }
    with override_settings(**mail_settings):
        yield inbox
    controller.stop()


def test_invite_a_colleague_who_then_takes_over_from_a_leaving_one(
    page: Any, browser: Any, live_server: Any, inbox: Inbox
) -> None:
    MemberFactory(user__username="beheer", user__first_name="Marieke", role=Role.NETWORK_MANAGER)
    leaver = MemberFactory(
        user__username="pieter", user__first_name="Pieter", user__last_name="Vos"
    )
    relation = PersonFactory(
        given_name="Joost",
        tussenvoegsel="",
        family_name="Klaassen",
        tier=Tier.objects.get(code="A"),
    )
    TieFactory(person=relation, member=leaver, strength=4)

    # The manager invites Lotte from the team page.
    log_in(page, "beheer")
    page.click("nav >> details.menu-more summary")  # Team is under "Meer"
    page.click("nav >> text=Team")
    page.click("#invite-colleague")
    page.fill("input[name=first_name]", "Lotte")
    page.fill("input[name=last_name]", "de Boer")
    page.fill("input[name=email]", "lotte@example.nl")
    page.fill("input[name=department]", "Advies")
    page.select_option("select[name=role]", Role.NETWORKER.value)
    page.click("form button[type=submit]")
    page.wait_for_selector("#invitations >> text=lotte@example.nl")

    # The mail arrives at the SMTP server, in Dutch, with the link.
    assert inbox.arrived.wait(timeout=15)
    message = inbox.messages[0]
    assert message["To"] == "lotte@example.nl"
    assert message["Subject"] == "U bent uitgenodigd voor Gilde"
    body = message.get_body(preferencelist=("plain",)).get_content()  # type: ignore[union-attr]
    link = re.search(r"http://\S+/join/\S+/", body)
    assert link, body

    # Lotte opens it in her own browser, sets a password and is in.
    lotte = browser.new_context(base_url=live_server.url).new_page()
    lotte.goto(link.group(0))
    lotte.fill("input[name=password1]", NEW_PASSWORD)
    lotte.fill("input[name=password2]", NEW_PASSWORD)
    lotte.click("form button[type=submit]")
    lotte.wait_for_selector("text=Welkom bij Gilde, Lotte de Boer.")
    # And logs in again with her e-mail address and the new password.
    lotte.click("nav >> details.menu-me summary")  # log out is in the colleague's own menu
    lotte.click("form[action='/logout/'] button")
    lotte.wait_for_url("**/login/")
    lotte.fill("input[name=username]", "lotte@example.nl")
    lotte.fill("input[name=password]", NEW_PASSWORD)
    lotte.click("button[type=submit]")
    lotte.wait_for_url(f"{live_server.url}/")

    # Pieter leaves: the manager sees what leaves with him and hands it all to Lotte.
    page.goto("/team/")
    page.click("#team tr:has-text('Pieter Vos') >> text=Vertrekt")
    page.wait_for_selector("#group-known_only >> text=Joost Klaassen")
    for select in page.locator("#leave-form select").all():
        select.select_option(label="Lotte de Boer")
    page.click("#leave-form button[type=submit]")
    page.wait_for_selector("text=Pieter Vos is gedeactiveerd")

    # Lotte finds the relation on her to-contact list.
    lotte.goto("/due/")
    lotte.wait_for_selector("text=Klaassen")
    lotte.context.close()
