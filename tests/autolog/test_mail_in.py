"""Log by e-mail: real messages, in Outlook, Gmail and Apple Mail shapes, through `gilde mail-in`
(the pipe target) and mail_in_receive; and a GILDE_MAIL_IN mailbox that cannot be read."""

from __future__ import annotations

import datetime as dt
import io
import logging
from email.message import EmailMessage

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from gilde.autolog.mailin import mail_in_poll, mail_in_receive
from gilde.autolog.models import Entry, EntryStatus, SyncRun
from gilde.contacts.models import ContactKind, ContactMoment
from gilde.maintenance.models import RelationCare
from gilde.relations.models import EmailAddress
from tests.autolog.messages import apple_mail, gmail, outlook
from tests.autolog.servers import free_port
from tests.factories import MemberFactory, PersonFactory

pytestmark = pytest.mark.django_db

GILDE = "log@gilde.example.nl"


@pytest.fixture(autouse=True)
def _address(settings):
    settings.GILDE_MAIL_IN_ADDRESS = GILDE


@pytest.fixture
def jeroen():
    return MemberFactory(user__username="jeroen", user__email="jeroen@ons-bureau.nl")


def relation(address: str, **kwargs):
    person = PersonFactory(**kwargs)
    EmailAddress.objects.create(person=person, address=address)
    return person


def yesterday() -> dt.datetime:
    return timezone.now() - dt.timedelta(days=1)


def test_a_bcc_from_outlook_becomes_an_email_moment_with_the_relation(jeroen):
    anna = relation("anna@rijnbouw.nl")
    when = yesterday().replace(microsecond=0)
    message = outlook(
        sender="jeroen@ons-bureau.nl",
        to=["Anna <Anna@Rijnbouw.nl>"],
        subject="RE: Offerte dakrenovatie",
        when=when,
    )
    message["Bcc"] = GILDE
    outcome = mail_in_receive(message.as_bytes())
    assert outcome.result == "logged"
    moment = ContactMoment.objects.get()
    assert moment.kind == ContactKind.EMAIL
    assert moment.summary == "Offerte dakrenovatie"
    assert moment.occurred_at == when
    assert list(moment.persons.all()) == [anna]
    assert list(moment.members.all()) == [jeroen]
    assert moment.notes == ""  # the body is not kept unless the member chose to
    assert moment.autolog.source == "mail_in"
    assert RelationCare.objects.get(person=anna).last_contact_at == when


def test_the_body_is_kept_as_the_note_when_the_member_chose_it(jeroen):
    from gilde.autolog.services import settings_update

    settings_update(actor=jeroen, review=True, keep_body=True, start_days=30)
    relation("anna@rijnbouw.nl")
    message = gmail(
        sender="jeroen@ons-bureau.nl",
        to=["anna@rijnbouw.nl", GILDE],
        when=yesterday(),
        body="Afspraak: offerte voor 1 januari.\n",
    )
    mail_in_receive(message.as_bytes())
    assert ContactMoment.objects.get().notes == "Afspraak: offerte voor 1 januari."


def test_a_message_delivered_twice_is_logged_once(jeroen):
    relation("anna@rijnbouw.nl")
    raw = gmail(sender="jeroen@ons-bureau.nl", to=["anna@rijnbouw.nl"], when=yesterday()).as_bytes()
    assert mail_in_receive(raw).result == "logged"
    assert mail_in_receive(raw).result == "already-seen"
    assert ContactMoment.objects.count() == 1


def test_a_forward_from_apple_mail_finds_the_original_sender(jeroen):
    anna = relation("anna@rijnbouw.nl")
    message = apple_mail(
        sender="jeroen@ons-bureau.nl",
        to=[GILDE],
        when=yesterday(),
        forwarded_from="anna@rijnbouw.nl",
    )
    assert mail_in_receive(message.as_bytes()).result == "logged"
    moment = ContactMoment.objects.get()
    assert list(moment.persons.all()) == [anna]
    assert moment.summary == "Voorstel"


def test_unknown_addresses_are_listed_for_the_member_to_add_or_ignore(jeroen):
    anna = relation("anna@rijnbouw.nl")
    message = outlook(
        sender="jeroen@ons-bureau.nl",
        to=["anna@rijnbouw.nl"],
        cc=["nieuw@klant.nl"],
        when=yesterday(),
    )
    mail_in_receive(message.as_bytes())
    entry = Entry.objects.get()
    assert list(entry.persons.all()) == [anna]
    assert entry.unknown_addresses == ["nieuw@klant.nl"]


def test_only_unknown_addresses_wait_in_the_review_inbox(jeroen):
    message = outlook(sender="jeroen@ons-bureau.nl", to=["nieuw@klant.nl"], when=yesterday())
    assert mail_in_receive(message.as_bytes()).result == "to-review"
    entry = Entry.objects.get()
    assert entry.status == EntryStatus.PENDING
    assert ContactMoment.objects.count() == 0


def test_colleagues_and_gilde_itself_are_never_relations(jeroen):
    MemberFactory(user__email="sanne@ons-bureau.nl")
    anna = relation("anna@rijnbouw.nl")
    message = outlook(
        sender="jeroen@ons-bureau.nl",
        to=["sanne@ons-bureau.nl", "anna@rijnbouw.nl", GILDE],
        when=yesterday(),
    )
    mail_in_receive(message.as_bytes())
    entry = Entry.objects.get()
    assert list(entry.persons.all()) == [anna]
    assert entry.unknown_addresses == []


def test_a_confidential_relation_is_never_logged_automatically(jeroen):
    relation("geheim@rijnbouw.nl", confidential=True)
    message = outlook(sender="jeroen@ons-bureau.nl", to=["geheim@rijnbouw.nl"], when=yesterday())
    outcome = mail_in_receive(message.as_bytes())
    assert ContactMoment.objects.count() == 0
    # Listed like any address without a relation the member may see: nothing tells them apart.
    assert outcome.result == "to-review"
    assert Entry.objects.get().unknown_addresses == ["geheim@rijnbouw.nl"]


@pytest.mark.parametrize(
    ("headers", "reason"),
    [
        ({"Auto-Submitted": "auto-replied"}, "auto-reply"),
        ({"X-Autoreply": "yes"}, "auto-reply"),
        ({"Return-Path": "<>"}, "bounce"),
        ({"Precedence": "bulk"}, "bulk"),
        ({"X-Gilde-Loop": "1"}, "loop"),
    ],
)
def test_automatic_messages_are_dropped_with_a_reason(jeroen, headers, reason, caplog):
    caplog.set_level(logging.INFO, "gilde.autolog")
    relation("anna@rijnbouw.nl")
    message = outlook(sender="jeroen@ons-bureau.nl", to=["anna@rijnbouw.nl"], when=yesterday())
    for name, value in headers.items():
        message[name] = value
    assert mail_in_receive(message.as_bytes()).result == reason
    assert ContactMoment.objects.count() == 0
    assert reason in caplog.text


def test_a_bounce_from_the_mailer_daemon_is_dropped(jeroen):
    message = EmailMessage()
    message["From"] = "Mail Delivery System <MAILER-DAEMON@mx.example.nl>"
    message["To"] = GILDE
    message["Subject"] = "Undelivered Mail Returned to Sender"
    message.set_content("This is the mail system.")
    assert mail_in_receive(message.as_bytes()).result == "bounce"


def test_an_unknown_sender_is_dropped(jeroen, caplog):
    caplog.set_level(logging.INFO, "gilde.autolog")
    relation("anna@rijnbouw.nl")
    message = outlook(sender="vreemde@elders.nl", to=["anna@rijnbouw.nl"], when=yesterday())
    assert mail_in_receive(message.as_bytes()).result == "unknown-sender"
    assert "unknown-sender" in caplog.text
    assert ContactMoment.objects.count() == 0


def test_a_message_that_gilde_sent_itself_is_a_loop(jeroen):
    message = outlook(sender=GILDE, to=["jeroen@ons-bureau.nl"], when=yesterday())
    assert mail_in_receive(message.as_bytes()).result == "loop"


def test_broken_mime_bad_charsets_huge_attachments_and_injected_headers_are_skipped(jeroen):
    relation("anna@rijnbouw.nl")
    broken = (
        b"From: jeroen@ons-bureau.nl\r\nTo: anna@rijnbouw.nl\r\nSubject: =?x-unknown?B?////?=\r\n"
        b'Content-Type: multipart/mixed; boundary="nooit"\r\n\r\n--nooit\r\n'
        b"Content-Type: text/plain; charset=x-klingon\r\n\r\n\xff\xfe garbage\r\n"
    )
    outcome = mail_in_receive(broken)  # either logged from its headers or skipped; never raises
    assert outcome.result in {"logged", "unreadable-body"}
    big = outlook(sender="jeroen@ons-bureau.nl", to=["anna@rijnbouw.nl"], when=yesterday())
    big.add_attachment(
        b"\0" * (20 * 1024 * 1024), maintype="application", subtype="pdf", filename="groot.pdf"
    )
    assert mail_in_receive(big.as_bytes()).result == "too-large"
    injected = (
        b"From: jeroen@ons-bureau.nl\r\nTo: anna@rijnbouw.nl\r\nBcc: x@y.nl\r\n"
        b'Subject: hallo\r\nTo: "a\r\nBcc: evil@attacker.example" <anna@rijnbouw.nl\r\n'
        b"Date: Thu, 03 Dec 2026 10:00:00 +0100\r\n\r\nhi\r\n"
    )
    mail_in_receive(injected)
    for moment in ContactMoment.objects.all():
        assert "\n" not in moment.summary and "\r" not in moment.summary
        assert not moment.persons.filter(emails__address__icontains="attacker").exists()


def test_the_pipe_command_reads_one_message_from_standard_input(jeroen, monkeypatch):
    relation("anna@rijnbouw.nl")
    raw = outlook(sender="jeroen@ons-bureau.nl", to=["anna@rijnbouw.nl"], when=yesterday())
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(raw.as_bytes())))
    out = io.StringIO()
    call_command("mail-in", stdout=out)
    assert out.getvalue().strip() == "logged"
    assert ContactMoment.objects.count() == 1


def test_the_pipe_command_accepts_a_dropped_message_without_error(jeroen, monkeypatch):
    raw = outlook(sender="vreemde@elders.nl", to=["anna@rijnbouw.nl"], when=yesterday())
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(raw.as_bytes())))
    out = io.StringIO()
    call_command("mail-in", stdout=out)  # no exception: exit 0, the mail server does not retry
    assert out.getvalue().strip() == "unknown-sender"


# ---- polling a mailbox that cannot be read ------------------------------------------------------


def test_polling_a_mailbox_nothing_listens_on_is_one_line_without_the_password(settings):
    port = free_port()
    settings.GILDE_MAIL_IN = f"imaps://log:geheim-wachtwoord@127.0.0.1:{port}/INBOX"
    with pytest.raises(CommandError) as raised:
        call_command("mail-in", poll=True, stdout=io.StringIO())
    message = str(raised.value)
    assert message == f"Cannot open the mailbox at 127.0.0.1:{port}: Connection refused."
    assert "geheim" not in message


def test_a_mailbox_that_cannot_be_reached_ends_its_run_as_failed(settings):
    settings.GILDE_MAIL_IN = f"imaps://log:geheim@127.0.0.1:{free_port()}/INBOX"
    with pytest.raises(CommandError):
        call_command("mail-in", poll=True, stdout=io.StringIO())
    run = SyncRun.objects.get()
    assert run.outcome == "failed" and run.finished_at is not None
    assert run.counts == {"error:ConnectionRefusedError": 1}


def test_a_host_that_does_not_exist_is_named_with_the_reason(settings):
    settings.GILDE_MAIL_IN = "nonsense.invalid"
    with pytest.raises(CommandError, match=r"^Cannot open the mailbox at nonsense.invalid:993: "):
        call_command("mail-in", poll=True, stdout=io.StringIO())
    assert SyncRun.objects.get().counts == {"error:gaierror": 1}


def test_a_malformed_mailbox_address_never_quotes_the_password(settings):
    # Without "@" the parser takes the password for a port and says so in its error.
    settings.GILDE_MAIL_IN = "imaps://log:geheim/INBOX"
    with pytest.raises(CommandError, match="not a mailbox address") as raised:
        call_command("mail-in", poll=True, stdout=io.StringIO())
    assert "geheim" not in str(raised.value)
    assert SyncRun.objects.get().outcome == "failed"


def test_the_worker_records_an_unreachable_mailbox_and_carries_on(settings, caplog):
    port = free_port()
    settings.GILDE_MAIL_IN = f"imaps://log:geheim@127.0.0.1:{port}/INBOX"
    assert mail_in_poll() == {"failed": 1}  # no exception: the connections run after it
    assert f"127.0.0.1:{port}: Connection refused" in caplog.text
    assert SyncRun.objects.get().outcome == "failed"
