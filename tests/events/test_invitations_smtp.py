"""The invitation through a real SMTP server (aiosmtpd on localhost): the guest's link is read
from the received message and followed; a refused address marks the invitation bounced; a
server that cannot be reached leaves the mails waiting for the next try."""

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
from django.test import Client, override_settings

from gilde.core.models import Job, JobStatus
from gilde.events import invitations, services
from gilde.events.models import EventMail, EventMailStatus, Guest, GuestStatus
from tests.events.invitation_fixtures import published_event, relation
from tests.jobs import run_jobs

pytestmark = pytest.mark.django_db


class Inbox:
    """Keeps every message; refuses the addresses in `unknown` at RCPT TO."""

    def __init__(self, unknown: set[str]) -> None:
        self.messages: list[email.message.EmailMessage] = []
        self.unknown = unknown
        self.lock = threading.Lock()

    async def handle_RCPT(
        self,
        server: Any,
        session: Any,
        envelope: Any,
        address: str,  # noqa: N802
        options: Any,
    ) -> str:
        if address in self.unknown:
            return "550 5.1.1 User unknown"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        with self.lock:
            self.messages.append(message)  # type: ignore[arg-type]
        return "250 Message accepted for delivery"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def inbox() -> Iterator[Inbox]:
    inbox = Inbox({"weg@example.org"})
    controller = Controller(inbox, hostname="127.0.0.1", port=_free_port())
    controller.start()
    with override_settings(
        EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=controller.port,
        GILDE_BASE_URL="http://testserver",
    ):
        yield inbox
    controller.stop()


def test_the_link_in_the_received_invitation_works(manager, inbox):
    event = published_event(manager)
    guest = services.guest_add(
        member=manager, event=event, person=relation("Bakker", given_name="Joost")
    )
    gone = services.guest_add(
        member=manager, event=event, person=relation("Weg", email="weg@example.org")
    )
    invitations.invitations_send(member=manager, event=event)
    run_jobs()
    (message,) = inbox.messages
    assert message["To"] == "bakker@example.org"
    assert message["Subject"] == "Uitnodiging: Netwerkborrel Haven"
    text = message.get_body(preferencelist=("plain",)).get_content()
    html = message.get_body(preferencelist=("html",)).get_content()
    kinds = [part.get_content_type() for part in message.walk()]
    assert "text/calendar" in kinds and "image/png" in kinds and "cid:checkin-qr" in html
    link = re.search(r"http://testserver(/rsvp/[^\s]+/)", text)
    assert link, text
    client = Client()
    page = client.get(link.group(1))
    assert page.status_code == 200 and "Joost" in page.content.decode()
    stamp = re.search(r'name="stamp" value="([^"]+)"', page.content.decode()).group(1)
    client.post(link.group(1), {"attending": "yes", "stamp": stamp})
    guest.refresh_from_db()
    assert guest.status == GuestStatus.ACCEPTED
    gone.refresh_from_db()
    assert gone.bounced_at is not None and "User unknown" in gone.bounce_reason
    assert gone.status == GuestStatus.PROPOSED
    assert EventMail.objects.get(guest=gone).status == EventMailStatus.BOUNCED


def test_an_unreachable_server_leaves_the_mails_waiting_for_the_next_try(manager, inbox):
    event = published_event(manager)
    for name in ("Een", "Twee"):
        services.guest_add(member=manager, event=event, person=relation(name))
    invitations.invitations_send(member=manager, event=event)
    with override_settings(EMAIL_PORT=_free_port()):
        run_jobs()
    job = Job.objects.get(kind=invitations.MAIL_JOB)
    assert job.status == JobStatus.FAILED and "niet bereikbaar" in job.error
    assert set(EventMail.objects.values_list("status", flat=True)) == {EventMailStatus.QUEUED}
    assert invitations.mails_resend(member=manager, event=event) is not None
    run_jobs()
    assert len(inbox.messages) == 2
    assert set(Guest.objects.values_list("status", flat=True)) == {GuestStatus.INVITED}
