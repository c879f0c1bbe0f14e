"""LMTP delivery: `gilde mail-in --lmtp` as the mail server's LMTP target, spoken to with the
standard library's smtplib.LMTP over a real socket. One answer per recipient: 250 for a logged
and for a dropped message, 451 when the database is unavailable, 552 for a message too big."""

from __future__ import annotations

import datetime as dt
import io
import os
import signal
import smtplib
import subprocess
import sys
import time
from email.message import EmailMessage

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import OperationalError
from django.utils import timezone

from gilde.autolog import lmtp
from gilde.autolog.lmtp import LmtpController, address_parse
from gilde.autolog.models import Entry
from gilde.contacts.models import ContactMoment
from gilde.relations.models import EmailAddress
from tests.autolog.messages import gmail, outlook
from tests.autolog.servers import free_port
from tests.factories import MemberFactory, PersonFactory

# The server answers on its own thread and database connection, so the tests commit; the
# database is restored as the migrations left it (the seeded lists) around each.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

GILDE = "log@gilde.example.nl"


@pytest.fixture(autouse=True)
def _address(settings):
    settings.GILDE_MAIL_IN_ADDRESS = GILDE


@pytest.fixture
def server():
    controller = LmtpController("127.0.0.1", free_port())
    controller.start()
    try:
        yield controller
    finally:
        controller.stop()


@pytest.fixture
def jeroen():
    return MemberFactory(user__username="jeroen", user__email="jeroen@ons-bureau.nl")


def _relation(address: str):
    person = PersonFactory()
    EmailAddress.objects.create(person=person, address=address)
    return person


def _message(sender: str = "jeroen@ons-bureau.nl") -> EmailMessage:
    when = timezone.now() - dt.timedelta(hours=3)
    return outlook(sender=sender, to=["anna@rijnbouw.nl"], subject="Offerte", when=when)


def _deliver(server, message: bytes, recipients: list[str]) -> list[tuple[int, bytes]]:
    """LHLO, MAIL, RCPT per recipient, DATA: the replies after the data, one per recipient
    (smtplib reads the first; the others are read as LMTP sends them). Lines end in CRLF on
    the wire, as a mail server sends them (smtplib passes bytes on unchanged)."""
    message = message.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")
    with smtplib.LMTP(server.hostname, server.port, timeout=20) as client:
        client.ehlo_or_helo_if_needed()
        assert client.mail("jeroen@ons-bureau.nl")[0] == 250
        for recipient in recipients:
            assert client.rcpt(recipient)[0] == 250
        replies = [client.data(message)]
        replies += [client.getreply() for _ in recipients[1:]]
    return replies


def test_a_delivered_message_is_logged_through_the_same_path_as_the_pipe(server, jeroen):
    anna = _relation("anna@rijnbouw.nl")
    replies = _deliver(server, _message().as_bytes(), [GILDE])
    assert replies == [(250, f"2.0.0 logged <{GILDE}>".encode())]
    moment = ContactMoment.objects.get()
    assert list(moment.persons.all()) == [anna] and moment.summary == "Offerte"
    assert moment.autolog.source == "mail_in"


def test_every_recipient_gets_its_own_answer_and_the_message_is_logged_once(server, jeroen):
    _relation("anna@rijnbouw.nl")
    raw = _message().as_bytes()
    recipients = [GILDE, "notities@gilde.example.nl"]
    replies = _deliver(server, raw, recipients)
    assert [code for code, _text in replies] == [250, 250]
    assert replies[0][1].endswith(f"<{GILDE}>".encode())
    assert replies[1][1].endswith(b"<notities@gilde.example.nl>")
    # Delivered again (the mail server retried): still one moment.
    assert _deliver(server, raw, [GILDE])[0][1].startswith(b"2.0.0 already-seen")
    assert ContactMoment.objects.count() == 1


def test_a_dropped_message_is_still_accepted_so_the_server_does_not_retry(server, jeroen):
    replies = _deliver(server, _message(sender="onbekend@elders.nl").as_bytes(), [GILDE])
    assert replies == [(250, f"2.0.0 dropped (unknown-sender) <{GILDE}>".encode())]
    bounce = gmail(sender="mailer-daemon@ons-bureau.nl", to=[GILDE], when=timezone.now())
    bounce["Auto-Submitted"] = "auto-replied"
    assert _deliver(server, bounce.as_bytes(), [GILDE])[0][0] == 250
    assert not ContactMoment.objects.exists() and not Entry.objects.exists()


def test_a_database_error_answers_451_for_every_recipient(server, jeroen, monkeypatch):
    def unavailable(raw, **kwargs):
        raise OperationalError("database is locked")

    monkeypatch.setattr(lmtp, "mail_in_receive", unavailable)
    replies = _deliver(server, _message().as_bytes(), [GILDE, "b@gilde.example.nl"])
    assert [code for code, _text in replies] == [451, 451]
    assert b"try again later" in replies[0][1]


def test_a_database_error_while_recording_is_not_swallowed(jeroen, monkeypatch):
    """The moment's own write failing is the database's fault, not the message's: 451."""
    _relation("anna@rijnbouw.nl")
    from gilde.autolog import mailin

    def locked(**kwargs):
        raise OperationalError("database is locked")

    monkeypatch.setattr(mailin, "found_record", locked)
    assert lmtp.replies_for(_message().as_bytes(), [GILDE])[0].startswith("451 4.3.0")


def test_a_message_too_big_is_refused_with_552_for_every_recipient(settings, jeroen):
    settings.GILDE_MAIL_IN_MAX_BYTES = 20_000
    controller = LmtpController("127.0.0.1", free_port())
    controller.start()
    try:
        message = _message()
        message.add_attachment(b"x" * 40_000, maintype="application", subtype="pdf")
        replies = _deliver(controller, message.as_bytes(), [GILDE, "b@gilde.example.nl"])
        # The session stays usable after the refusal.
        assert [code for code, _text in replies] == [552, 552], replies
        assert _deliver(controller, _message().as_bytes(), [GILDE])[0][0] == 250
    finally:
        controller.stop()
    assert Entry.objects.count() == 1  # the second message only: the refused one left nothing


def test_helo_and_ehlo_are_refused_as_lmtp_asks(server):
    with smtplib.SMTP(server.hostname, server.port, timeout=10) as client:
        assert client.ehlo()[0] == 500
        assert client.helo()[0] == 500


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("127.0.0.1:2424", ("127.0.0.1", 2424)),
        ("[::1]:2424", ("::1", 2424)),
        (":2424", ("127.0.0.1", 2424)),
        ("mail.intern:24", ("mail.intern", 24)),
    ],
)
def test_listening_addresses(value, expected):
    assert address_parse(value) == expected


@pytest.mark.parametrize("value", ["2424", "host:", "host:99999", "host:0", "a:b:c"])
def test_a_bad_listening_address_is_refused_with_the_reason(value):
    with pytest.raises(CommandError, match="HOST:PORT|port"):
        call_command("mail-in", lmtp=value, stdout=io.StringIO())


def test_the_command_serves_lmtp_until_it_is_stopped(tmp_path):
    """`gilde mail-in --lmtp` as the mail server's service runs it: a process of its own,
    answering LHLO, stopped by SIGTERM. Its database has no tables yet: a real database error,
    answered 451 so the mail server keeps the message and delivers it again later."""
    port = free_port()
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'empty.sqlite3'}"}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    process = subprocess.Popen(
        [sys.executable, "-m", "gilde", "mail-in", "--lmtp", f"127.0.0.1:{port}"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                client = smtplib.LMTP("127.0.0.1", port, timeout=10)
                break
            except OSError:
                if time.monotonic() > deadline or process.poll() is not None:
                    raise
                time.sleep(0.2)
        with client:
            assert client.ehlo_or_helo_if_needed() is None
            client.mail("onbekend@elders.nl")
            client.rcpt(GILDE)
            code, text = client.data(_message(sender="onbekend@elders.nl").as_bytes())
        assert code == 451 and text.startswith(b"4.3.0") and text.endswith(f"<{GILDE}>".encode())
    finally:
        process.send_signal(signal.SIGTERM)
        output, _ = process.communicate(timeout=30)
    assert process.returncode == 0, output
    assert b"LMTP on 127.0.0.1" in output and b"LMTP stopped" in output
