"""Mailbox and calendar sync against real servers started by the tests: Dovecot for IMAP,
Radicale for CalDAV. Metadata only, grouped per thread and meeting, incremental, idempotent,
and a refused login marks the connection and mails the member once."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from django.core import mail
from django.utils import timezone

from gilde.autolog.models import Connection, ConnectionStatus, Entry, EntryStatus, SyncRun
from gilde.autolog.services import (
    connection_create,
    connection_disconnect,
    entry_keep,
    never_log_add,
    settings_update,
)
from gilde.autolog.sync import connection_sync
from gilde.contacts.models import ContactMoment
from gilde.maintenance.models import RelationCare
from gilde.relations.models import EmailAddress
from tests.autolog.messages import gmail, outlook
from tests.autolog.servers import PASSWORD, dovecot, radicale  # noqa: F401 - fixtures
from tests.factories import MemberFactory, PersonFactory

pytestmark = pytest.mark.django_db
_users = itertools.count(1)


def relation(address: str, **kwargs):
    person = PersonFactory(**kwargs)
    EmailAddress.objects.create(person=person, address=address)
    return person


def ago(**kwargs) -> dt.datetime:
    return (timezone.now() - dt.timedelta(**kwargs)).replace(microsecond=0)


@pytest.fixture
def mailbox(dovecot):  # noqa: F811
    """A fresh mailbox on the Dovecot server, its member and a connection to it."""
    address = f"jeroen{next(_users)}@ons-bureau.nl"
    dovecot.add_user(address)
    member = MemberFactory(user__email=address)
    connection = connection_create(
        actor=member, kind="imap", server=dovecot.url, username=address, secret=PASSWORD
    )
    client = dovecot.client(address)

    def put(message, folder="INBOX"):
        client.append(folder, None, None, message.as_bytes())

    yield member, connection, put
    client.logout()


def test_a_thread_with_a_relation_becomes_one_entry_in_the_review_inbox(mailbox):
    member, connection, put = mailbox
    anna = relation("anna@rijnbouw.nl")
    first = outlook(
        sender="anna@rijnbouw.nl", to=[member.user.email], subject="Offerte", when=ago(days=3)
    )
    put(first)
    put(
        outlook(
            sender=member.user.email,
            to=["anna@rijnbouw.nl"],
            subject="RE: Offerte",
            when=ago(days=2),
            reply_to=first["Message-ID"],
        ),
        "Sent",
    )
    put(gmail(sender="nieuwsbrief@winkel.nl", to=[member.user.email], when=ago(days=1)))
    run = connection_sync(connection)
    assert run.outcome == "done"
    entry = Entry.objects.get(member=member)
    assert entry.status == EntryStatus.PENDING
    assert entry.message_count == 2
    assert entry.summary == "Offerte"
    assert entry.occurred_at == ago(days=2) or abs(entry.occurred_at - ago(days=2)).seconds < 5
    assert list(entry.persons.all()) == [anna]
    assert ContactMoment.objects.count() == 0  # waits for review
    assert run.counts["read"] == 3 and run.counts["no-relation"] == 1


def test_a_second_run_reads_only_what_is_new_and_logs_nothing_twice(mailbox):
    member, connection, put = mailbox
    relation("bert@haven.nl")
    put(gmail(sender="bert@haven.nl", to=[member.user.email], subject="Koffie", when=ago(days=1)))
    connection_sync(connection)
    connection.refresh_from_db()
    again = connection_sync(connection)
    assert again.counts.get("read", 0) == 0
    put(
        gmail(sender="bert@haven.nl", to=[member.user.email], subject="Nog iets", when=ago(hours=1))
    )
    connection.refresh_from_db()
    third = connection_sync(connection)
    assert third.counts["read"] == 1
    assert Entry.objects.filter(member=member).count() == 2


def test_starting_over_after_a_lost_position_logs_nothing_twice(mailbox):
    """A run interrupted before it saved its position reads the same messages again."""
    member, connection, put = mailbox
    relation("bert@haven.nl")
    put(gmail(sender="bert@haven.nl", to=[member.user.email], when=ago(days=1)))
    connection_sync(connection)
    Connection.objects.filter(pk=connection.pk).update(state={})
    connection.refresh_from_db()
    run = connection_sync(connection)
    assert run.counts["already-seen"] == 1
    assert Entry.objects.filter(member=member).count() == 1


def test_direct_logging_feeds_care_with_the_source_shown(mailbox, client):
    member, connection, put = mailbox
    settings_update(actor=member, review=False, keep_body=False, start_days=30)
    anna = relation("anna@rijnbouw.nl")
    put(gmail(sender="anna@rijnbouw.nl", to=[member.user.email], when=ago(days=1)))
    connection_sync(connection)
    moment = ContactMoment.objects.get()
    assert moment.autolog.source == "mailbox"
    assert RelationCare.objects.get(person=anna).last_contact_at == moment.occurred_at
    client.force_login(member.user)
    page = client.get(anna.get_absolute_url()).content.decode()
    assert "via e-mail" in page


def test_rules_never_log_domains_addresses_and_confidential_relations(mailbox):
    member, connection, put = mailbox
    relation("prive@familie.nl")
    relation("geheim@rijnbouw.nl", confidential=True, owner=member)
    relation("iemand@partner.nl")
    never_log_add(actor=member, pattern="familie.nl")
    manager = MemberFactory(role="network_manager")
    never_log_add(actor=manager, pattern="iemand@partner.nl", network=True)
    for address in ("prive@familie.nl", "geheim@rijnbouw.nl", "iemand@partner.nl"):
        put(gmail(sender=address, to=[member.user.email], when=ago(days=1)))
    run = connection_sync(connection)
    assert not Entry.objects.filter(member=member).exists()
    assert run.counts["no-relation"] == 3


def test_a_hidden_relation_changes_nothing_for_another_member(mailbox, dovecot):  # noqa: F811
    member, connection, put = mailbox
    relation("geheim@rijnbouw.nl", confidential=True)
    put(gmail(sender="geheim@rijnbouw.nl", to=[member.user.email], when=ago(days=1)))
    run = connection_sync(connection)
    assert run.counts == {"read": 1, "no-relation": 1}
    assert not Entry.objects.exists() and not ContactMoment.objects.exists()


def test_a_wrong_password_marks_the_connection_and_mails_the_member_once(mailbox):
    member, connection, _put = mailbox
    from gilde.autolog.secrets import secret_seal

    Connection.objects.filter(pk=connection.pk).update(secret=secret_seal("fout"))
    connection.refresh_from_db()
    assert connection_sync(connection).outcome == "login-refused"
    connection.refresh_from_db()
    assert connection.status == ConnectionStatus.FAILING
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [member.user.email]
    connection_sync(connection)
    assert len(mail.outbox) == 1


def test_the_password_is_stored_encrypted_and_disconnect_deletes_it(mailbox):
    member, connection, put = mailbox
    assert PASSWORD not in connection.secret
    settings_update(actor=member, review=False, keep_body=False, start_days=30)
    relation("anna@rijnbouw.nl")
    put(gmail(sender="anna@rijnbouw.nl", to=[member.user.email], when=ago(days=1)))
    connection_sync(connection)
    assert ContactMoment.objects.count() == 1
    counts = connection_disconnect(actor=member, connection=connection, delete_moments=True)
    assert counts["moments_deleted"] == 1
    assert not Connection.objects.filter(pk=connection.pk).exists()
    assert ContactMoment.objects.count() == 0
    assert SyncRun.objects.filter(member=member).exists()  # the audit of runs stays, counts only


# ---- calendar -------------------------------------------------------------------------------


def _event(uid: str, start: dt.datetime, attendees: list[str], title: str = "Overleg") -> str:
    stamp = "%Y%m%dT%H%M%SZ"
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Gilde tests//NL",
        "BEGIN:VEVENT",
        f"UID:{uid}",
        f"DTSTAMP:{start.strftime(stamp)}",
        f"DTSTART:{start.strftime(stamp)}",
        f"DTEND:{(start + dt.timedelta(hours=1)).strftime(stamp)}",
        f"SUMMARY:{title}",
        "ORGANIZER:mailto:jeroen@ons-bureau.nl",
        *[f"ATTENDEE;PARTSTAT=ACCEPTED:mailto:{a}" for a in attendees],
        "END:VEVENT",
        "END:VCALENDAR",
    ]
    return "\r\n".join(lines) + "\r\n"


def test_yesterdays_meeting_is_found_and_tomorrows_waits_until_it_took_place(radicale):  # noqa: F811
    member = MemberFactory(user__email="jeroen@ons-bureau.nl")
    anna = relation("anna@rijnbouw.nl")
    calendar = radicale.calendar("jeroen", name=f"werk{next(_users)}")
    calendar.save_event(_event("gisteren-1", ago(days=1), ["anna@rijnbouw.nl"], "Jaargesprek"))
    calendar.save_event(_event("morgen-1", ago(days=-1), ["anna@rijnbouw.nl"]))
    calendar.save_event(_event("intern-1", ago(days=2), ["sanne@ons-bureau.nl"]))
    connection = connection_create(
        actor=member, kind="caldav", server=str(calendar.url), username="jeroen", secret=PASSWORD
    )
    run = connection_sync(connection)
    assert run.outcome == "done", run.counts
    entry = Entry.objects.get(member=member)
    assert entry.kind == "meeting" and entry.summary == "Jaargesprek"
    assert list(entry.persons.all()) == [anna]
    connection.refresh_from_db()
    # The next run reads only what ended or changed since (sync token): nothing, so nothing twice.
    again = connection_sync(connection)
    assert again.outcome == "done" and again.counts.get("fetched", 0) == 0, again.counts
    assert Entry.objects.filter(member=member).count() == 1
    entry_keep(actor=member, entry=entry)
    moment = ContactMoment.objects.get()
    assert moment.kind == "meeting" and moment.autolog.source == "calendar"
    assert RelationCare.objects.get(person=anna).last_contact_at == moment.occurred_at


_agendas = itertools.count(1)


@pytest.fixture
def agenda(radicale):  # noqa: F811
    """A calendar account of its own on the Radicale server (so counts are this test's only),
    its member with review off, and a connection to it."""
    user = f"agenda{next(_agendas)}"
    calendar = radicale.calendar(user, name="werk")
    member = MemberFactory(user__email=f"{user}@ons-bureau.nl")
    settings_update(actor=member, review=False, keep_body=False, start_days=30)
    connection = connection_create(
        actor=member, kind="caldav", server=str(calendar.url), username=user, secret=PASSWORD
    )
    return member, connection, calendar


def _change(calendar, uid: str, data: str) -> None:
    event = calendar.event_by_uid(uid)
    event.data = data
    event.save()


def test_a_second_calendar_run_reads_only_the_changed_event(agenda):
    member, connection, calendar = agenda
    anna, bert = relation("anna@rijnbouw.nl"), relation("bert@haven.nl")
    for n in range(5):
        calendar.save_event(_event(f"overleg-{n}", ago(days=n + 1), ["anna@rijnbouw.nl"]))
    first = connection_sync(connection)
    assert first.outcome == "done" and first.counts["fetched"] == 5, first.counts
    assert ContactMoment.objects.filter(members=member).count() == 5
    connection.refresh_from_db()
    assert connection.state["sync_tokens"]  # one per calendar of the account
    # Bert turned out to have joined the meeting of two days ago.
    _change(
        calendar,
        "overleg-1",
        _event("overleg-1", ago(days=2), ["anna@rijnbouw.nl", "bert@haven.nl"]),
    )
    second = connection_sync(connection)
    assert second.outcome == "done" and second.counts["fetched"] == 1, second.counts
    assert ContactMoment.objects.filter(members=member).count() == 5  # the same moment, not a sixth
    moment = ContactMoment.objects.get(persons=bert)
    assert set(moment.persons.all()) == {anna, bert}
    # Rerun: nothing read, nothing changed.
    connection.refresh_from_db()
    third = connection_sync(connection)
    assert third.counts.get("fetched", 0) == 0 and third.counts.get("moved", 0) == 0, third.counts
    assert ContactMoment.objects.filter(members=member).count() == 5


def test_a_moved_or_deleted_meeting_does_not_duplicate(agenda):
    member, connection, calendar = agenda
    relation("anna@rijnbouw.nl")
    calendar.save_event(_event("verzet-1", ago(days=3), ["anna@rijnbouw.nl"], "Kennismaking"))
    calendar.save_event(_event("weg-1", ago(days=4), ["anna@rijnbouw.nl"], "Lunch"))
    connection_sync(connection)
    connection.refresh_from_db()
    # It actually took place a day later than planned; the lunch is removed from the agenda.
    moved_to = ago(days=2)
    _change(
        calendar, "verzet-1", _event("verzet-1", moved_to, ["anna@rijnbouw.nl"], "Kennismaking")
    )
    calendar.event_by_uid("weg-1").delete()
    run = connection_sync(connection)
    assert run.outcome == "done", run.counts
    assert run.counts["fetched"] == 1 and run.counts["moved"] == 1 and run.counts["deleted"] == 1
    entries = Entry.objects.filter(member=member)
    assert sorted(e.summary for e in entries) == ["Kennismaking", "Lunch"]
    moment = ContactMoment.objects.get(summary="Kennismaking")
    assert moment.occurred_at == moved_to
    connection.refresh_from_db()
    assert connection_sync(connection).counts.get("fetched", 0) == 0
    assert Entry.objects.filter(member=member).count() == 2


def test_only_the_calendar_given_is_read_and_the_account_address_reads_them_all(agenda, radicale):  # noqa: F811
    member, connection, calendar = agenda
    relation("anna@rijnbouw.nl")
    calendar.save_event(_event("werk-1", ago(days=1), ["anna@rijnbouw.nl"], "Werkoverleg"))
    private = calendar.client.principal().make_calendar(name="prive")
    private.save_event(_event("prive-1", ago(days=1), ["anna@rijnbouw.nl"], "Verjaardag"))
    run = connection_sync(connection)
    assert run.counts["fetched"] == 1, run.counts
    assert [e.summary for e in Entry.objects.filter(member=member)] == ["Werkoverleg"]
    whole = connection_create(
        actor=member,
        kind="caldav",
        server=radicale.url,
        username=connection.username,
        secret=PASSWORD,
    )
    assert connection_sync(whole).counts["fetched"] == 2
    assert sorted(e.summary for e in Entry.objects.filter(member=member)) == [
        "Verjaardag",
        "Werkoverleg",
    ]


def test_a_refused_sync_token_reads_the_window_once_then_takes_a_new_one(agenda):
    member, connection, calendar = agenda
    relation("anna@rijnbouw.nl")
    calendar.save_event(_event("oud-1", ago(days=3), ["anna@rijnbouw.nl"]))
    connection_sync(connection)
    connection.refresh_from_db()
    url = next(iter(connection.state["sync_tokens"]))
    connection.state = {
        **connection.state,
        "sync_tokens": {url: "http://radicale.org/ns/sync/onzin"},
    }
    Connection.objects.filter(pk=connection.pk).update(state=connection.state)
    run = connection_sync(connection)
    assert run.outcome == "done", run.counts
    assert run.counts["sync-token-refused"] == 1 and run.counts["already-seen"] == 1
    assert Entry.objects.filter(member=member).count() == 1
    connection.refresh_from_db()
    assert connection.state["sync_tokens"][url] != "http://radicale.org/ns/sync/onzin"
    assert connection_sync(connection).counts.get("fetched", 0) == 0


@pytest.fixture
def statuses(monkeypatch):
    """The HTTP status of every response the calendar client receives, in order."""
    import niquests

    seen: list[int] = []
    original = niquests.Session.request

    def recording(self, *args, **kwargs):
        response = original(self, *args, **kwargs)
        seen.append(response.status_code)
        return response

    monkeypatch.setattr(niquests.Session, "request", recording)
    return seen


def test_a_calendar_that_took_basic_sign_in_gets_the_password_with_the_first_request(
    agenda, statuses
):
    member, connection, calendar = agenda
    assert connection_sync(connection).outcome == "done"
    assert statuses[0] == 401  # the first run asks the server how to sign in
    connection.refresh_from_db()
    assert connection.state["http_auth"] == "basic"
    statuses.clear()
    assert connection_sync(connection).outcome == "done"
    assert statuses and 401 not in statuses  # no refused request (Radicale slows those down)


def test_a_remembered_basic_sign_in_that_is_refused_asks_again_then_marks(radicale, statuses):  # noqa: F811
    member = MemberFactory(user__email="ruud@ons-bureau.nl")
    connection = connection_create(
        actor=member, kind="caldav", server=radicale.url, username="ruud", secret="fout"
    )
    Connection.objects.filter(pk=connection.pk).update(state={"http_auth": "basic"})
    connection.refresh_from_db()
    assert connection_sync(connection).outcome == "login-refused"
    # Refused with the password sent at once, then once more after asking the server how.
    assert statuses.count(401) >= 2
    assert len(mail.outbox) == 1


def test_a_calendar_login_refused_is_marked(radicale):  # noqa: F811
    member = MemberFactory(user__email="sanne@ons-bureau.nl")
    connection = connection_create(
        actor=member, kind="caldav", server=radicale.url, username="sanne", secret="fout"
    )
    assert connection_sync(connection).outcome == "login-refused"
    assert len(mail.outbox) == 1


def test_malformed_messages_are_skipped_with_a_reason_and_the_run_goes_on(mailbox):
    member, connection, put = mailbox
    anna = relation("anna@rijnbouw.nl")

    class Raw:
        def __init__(self, data: bytes) -> None:
            self.data = data

        def as_bytes(self) -> bytes:
            return self.data

    put(Raw(b"Subject: zonder afzender\r\nTo: anna@rijnbouw.nl\r\n\r\nhallo\r\n"))
    put(Raw(b"From: anna@rijnbouw.nl, bert@haven.nl\r\nTo: x@y.nl\r\nSubject: twee\r\n\r\n."))
    put(
        Raw(
            b'From: "a\r\n b" <anna@rijnbouw.nl\r\nSubject: =?x-klingon?B?////?=\r\n'
            b'Content-Type: multipart/mixed; boundary="nooit"\r\n\r\n--nooit\r\n\xff\xfe'
        )
    )
    big = gmail(
        sender="anna@rijnbouw.nl", to=[member.user.email], subject="Groot bestand", when=ago(days=1)
    )
    big.add_attachment(
        b"\0" * (20 * 1024 * 1024), maintype="application", subtype="pdf", filename="groot.pdf"
    )
    put(big)
    run = connection_sync(connection)
    assert run.outcome == "done"
    assert run.counts["skipped:no-sender"] == 1
    assert run.counts["skipped:several-senders"] == 1
    # Only its headers were fetched: the 20 MB message is logged from its metadata.
    entry = Entry.objects.get(member=member, summary="Groot bestand")
    assert list(entry.persons.all()) == [anna]


def test_gilde_polls_its_own_mail_in_mailbox_and_marks_what_it_handled(dovecot, settings):  # noqa: F811
    from gilde.autolog.mailin import mail_in_poll

    address = f"log{next(_users)}@gilde.example.nl"
    settings.GILDE_MAIL_IN = (
        f"imap://{address.replace('@', '%40')}:{PASSWORD}@127.0.0.1:{dovecot.port}/INBOX"
    )
    settings.GILDE_MAIL_IN_ADDRESS = address
    member = MemberFactory(user__email="jeroen@ons-bureau.nl")
    anna = relation("anna@rijnbouw.nl")
    client = dovecot.client(address)
    message = outlook(sender="jeroen@ons-bureau.nl", to=["anna@rijnbouw.nl"], when=ago(days=1))
    message["Bcc"] = address
    client.append("INBOX", None, None, message.as_bytes())
    client.append(
        "INBOX",
        None,
        None,
        gmail(sender="vreemde@elders.nl", to=[address], when=ago(days=1)).as_bytes(),
    )
    assert mail_in_poll() == {"logged": 1, "unknown-sender": 1}
    moment = ContactMoment.objects.get()
    assert list(moment.persons.all()) == [anna] and list(moment.members.all()) == [member]
    assert mail_in_poll() == {}  # both were marked read
    client.logout()


def test_a_mail_in_mailbox_that_refuses_the_login_fails_the_command_and_its_run(dovecot, settings):  # noqa: F811
    from django.core.management import CommandError, call_command

    settings.GILDE_MAIL_IN = f"imap://log:fout-wachtwoord@127.0.0.1:{dovecot.port}/INBOX"
    with pytest.raises(CommandError) as raised:
        call_command("mail-in", poll=True)
    assert str(raised.value) == (
        f"The mailbox at 127.0.0.1:{dovecot.port} refused the login: check the user name "
        "and password in GILDE_MAIL_IN."
    )
    run = SyncRun.objects.get(source="mail_in")
    assert run.outcome == "login-refused" and run.finished_at is not None
