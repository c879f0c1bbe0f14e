"""Invitations: the text with merge fields, sending through the task queue (once per guest,
also when a job is run again), reminders on the schedule and bounces."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from icalendar import Calendar

from gilde.core.models import Job, JobStatus
from gilde.core.schedules import schedules_enqueue
from gilde.events import invitations, rsvp, services
from gilde.events.models import (
    EventMail,
    EventMailKind,
    EventMailStatus,
    EventStatus,
    GuestStatus,
    GuestStatusChange,
)
from tests.conftest import client_for
from tests.events.invitation_fixtures import guests_on, published_event, relation
from tests.jobs import run_jobs

pytestmark = pytest.mark.django_db


def _text(message: Any) -> str:
    return str(message.body)


def test_invitations_go_out_in_each_guests_language_with_link_calendar_and_qr(manager):
    event = published_event(manager)
    dutch = services.guest_add(
        member=manager, event=event, person=relation("Bakker", given_name="Joost")
    )
    english = services.guest_add(
        member=manager, event=event, person=relation("Smith", language="en", given_name="Kate")
    )
    result = invitations.invitations_send(member=manager, event=event)
    assert result.queued == 2 and result.job is not None
    assert mail.outbox == []  # sent by the worker, not in the request
    assert run_jobs() == 1
    assert len(mail.outbox) == 2
    by_to = {m.to[0]: m for m in mail.outbox}
    nl, en = by_to["bakker@example.org"], by_to["smith@example.org"]
    assert nl.subject == "Uitnodiging: Netwerkborrel Haven"
    assert "Beste Joost," in _text(nl) and "u uit" in _text(nl)
    assert en.subject == "Invitation: Netwerkborrel Haven"
    assert "Dear Kate," in _text(en)
    dutch.refresh_from_db()
    assert rsvp.rsvp_url(dutch) in _text(nl)
    assert rsvp.rsvp_url(dutch) not in _text(en)
    html, kind = nl.alternatives[0]
    assert kind == "text/html" and "cid:checkin-qr" in html and rsvp.rsvp_url(dutch) in html
    names = [a.get_filename() if hasattr(a, "get_filename") else a[0] for a in nl.attachments]
    assert f"event-{event.pk}.ics" in names and "check-in.png" in names
    ics = next(a for a in nl.attachments if not hasattr(a, "get_filename"))
    calendar = Calendar.from_ical(ics[1])
    entry = calendar.walk("VEVENT")[0]
    assert str(entry["summary"]) == "Netwerkborrel Haven"
    assert entry.decoded("dtstart") == event.starts_at
    for guest in (dutch, english):
        guest.refresh_from_db()
        assert guest.status == GuestStatus.INVITED and guest.invited_at is not None
        assert list(
            GuestStatusChange.objects.filter(guest=guest).values_list("status", flat=True)
        ) == [GuestStatus.PROPOSED, GuestStatus.INVITED]
    assert set(EventMail.objects.values_list("status", flat=True)) == {EventMailStatus.SENT}


def test_the_edited_text_is_used_and_an_unknown_merge_field_is_refused(manager):
    event = published_event(manager)
    services.guest_add(member=manager, event=event, person=relation("Bakker", given_name="Joost"))
    with pytest.raises(ValidationError) as refused:
        invitations.invitation_template_save(
            member=manager, event=event, body_nl="Beste {{ voornaam }}"
        )
    assert "{{ voornaam }}" in str(refused.value.message_dict["body_nl"])
    invitations.invitation_template_save(
        member=manager,
        event=event,
        subject_nl="Kom naar {{ event }}",
        body_nl="Geachte {{ name }}, tot {{ date }}! {{ link }}",
    )
    invitations.invitations_send(member=manager, event=event)
    run_jobs()
    (message,) = mail.outbox
    assert message.subject == "Kom naar Netwerkborrel Haven"
    assert _text(message).startswith("Geachte Anna") is False
    assert "Geachte Joost de Bakker, tot" in _text(message)


def test_only_a_published_event_invites_and_only_its_managers_send(manager, colleague):
    event = published_event(manager, status=EventStatus.DRAFT)
    guests_on(manager, event, 1)
    with pytest.raises(ValidationError):
        invitations.invitations_send(member=manager, event=event)
    event.status = EventStatus.PUBLISHED
    event.save()
    with pytest.raises(PermissionDenied):
        invitations.invitations_send(member=colleague, event=event)
    assert EventMail.objects.count() == 0


def test_a_guest_without_address_is_reported_and_nobody_is_invited_twice(manager):
    event = published_event(manager)
    guests_on(manager, event, 2)
    nobody = services.guest_add(member=manager, event=event, person=relation("Leeg", email=None))
    first = invitations.invitations_send(member=manager, event=event)
    assert first.queued == 2 and [g.pk for g in first.without_address] == [nobody.pk]
    run_jobs()
    again = invitations.invitations_send(member=manager, event=event)
    assert again.queued == 0 and again.job is None
    run_jobs()
    assert len(mail.outbox) == 2


def test_a_job_run_again_after_its_worker_died_never_sends_twice(manager):
    event = published_event(manager)
    guests_on(manager, event, 4)
    invitations.invitations_send(member=manager, event=event)
    job = Job.objects.get(kind=invitations.MAIL_JOB)
    rows = list(EventMail.objects.order_by("id"))
    # The first try sent two and was handing the third to the server when its worker died.
    connection = mail.get_connection()
    for row in rows[:2]:
        assert invitations.mail_send_one(row.pk, connection, job=job) == EventMailStatus.SENT
    EventMail.objects.filter(pk=rows[2].pk).update(status=EventMailStatus.SENDING, job=job)
    Job.objects.filter(pk=job.pk).update(status=JobStatus.QUEUED)
    run_jobs()
    # The fourth goes out; the third may have arrived: it is not sent again by itself.
    assert [m.to[0] for m in mail.outbox] == [r.address for r in (rows[0], rows[1], rows[3])]
    assert Job.objects.get(pk=job.pk).params["result"] == {"uncertain": 1, "sent": 1}
    assert EventMail.objects.get(pk=rows[2].pk).status == EventMailStatus.UNCERTAIN
    client = client_for(manager)
    progress = client.get(f"/events/{event.pk}/invitations/progress/").content.decode()
    assert 'data-count="uncertain">1<' in progress
    # The manager decides to send it again.
    client.post(f"/events/{event.pk}/invitations/resend/", {"uncertain": "yes"})
    run_jobs()
    assert len(mail.outbox) == 4 and mail.outbox[3].to == [rows[2].address]
    assert EventMail.objects.get(pk=rows[2].pk).status == EventMailStatus.SENT


def test_reminders_on_the_schedule_once_each(manager, settings):
    settings.GILDE_SCHEDULE_EVENT_REMINDERS = "09:00"
    event = published_event(manager, days=1)
    quiet, yes = guests_on(manager, event, 2)
    invitations.invitations_send(member=manager, event=event)
    run_jobs()
    mail.outbox.clear()
    services.guest_status_record(yes, GuestStatus.ACCEPTED)
    week_ago = timezone.now() - dt.timedelta(days=8)
    type(quiet).objects.filter(pk=quiet.pk).update(invited_at=week_ago)
    morning = timezone.localtime().replace(hour=9, minute=30)
    jobs = schedules_enqueue(now=morning)
    assert "events.reminders" in [j.kind for j in jobs]
    run_jobs()
    kinds = sorted(
        EventMail.objects.filter(status=EventMailStatus.SENT)
        .exclude(kind=EventMailKind.INVITATION)
        .values_list("kind", flat=True)
    )
    assert kinds == [EventMailKind.DAY_BEFORE, EventMailKind.REMINDER]
    subjects = sorted(m.subject for m in mail.outbox)
    assert subjects == ["Herinnering: Netwerkborrel Haven", "Morgen: Netwerkborrel Haven"]
    # The same day again (another worker's clock): nothing is sent twice.
    assert schedules_enqueue(now=morning) == []
    invitations.reminders_queue()
    run_jobs()
    assert len(mail.outbox) == 2


def test_after_the_deadline_an_unanswered_invitation_becomes_no_answer(manager):
    event = published_event(manager)
    (guest,) = guests_on(manager, event, 1)
    invitations.invitations_send(member=manager, event=event)
    run_jobs()
    type(event).objects.filter(pk=event.pk).update(
        rsvp_deadline=timezone.now() - dt.timedelta(minutes=1)
    )
    counts = invitations.reminders_queue()
    guest.refresh_from_db()
    assert counts["no_answer"] == 1 and guest.status == GuestStatus.NO_ANSWER


DSN = """From: MAILER-DAEMON@mx.example.org
To: gilde@localhost
Subject: Undelivered Mail Returned to Sender
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status; boundary="b1"

--b1
Content-Type: text/plain

The mail could not be delivered.
--b1
Content-Type: message/delivery-status

Reporting-MTA: dns; mx.example.org

Final-Recipient: rfc822; gone@example.org
Action: failed
Status: 5.1.1
Diagnostic-Code: smtp; 550 5.1.1 User unknown

--b1
Content-Type: text/rfc822-headers

Message-ID: {message_id}
Subject: Uitnodiging

--b1--
"""


def test_a_returned_mail_marks_the_invitation_and_a_reply_changes_nothing(manager):
    event = published_event(manager)
    (guest,) = guests_on(manager, event, 1)
    invitations.invitations_send(member=manager, event=event)
    run_jobs()
    row = EventMail.objects.get()
    assert row.message_id and mail.outbox[0].extra_headers["Message-ID"] == row.message_id
    reply = b"From: guest@example.org\r\nSubject: Re: Uitnodiging\r\n\r\nIk kom graag!"
    assert invitations.bounce_message_process(reply) is None
    assert invitations.bounce_message_process(b"\x00\xff garbage") is None
    bounced = invitations.bounce_message_process(DSN.format(message_id=row.message_id).encode())
    assert bounced is not None and bounced.status == EventMailStatus.BOUNCED
    guest.refresh_from_db()
    assert guest.bounced_at is not None and "User unknown" in guest.bounce_reason


def test_the_invitations_page_edits_the_text_previews_and_sends(manager):
    event = published_event(manager)
    services.guest_add(member=manager, event=event, person=relation("Bakker", given_name="Joost"))
    client = client_for(manager)
    page = client.get(f"/events/{event.pk}/invitations/")
    assert page.status_code == 200 and "Netwerkborrel Haven" in page.content.decode()
    bad = client.post(f"/events/{event.pk}/invitations/text/", {"body_nl": "{{ oeps }}"})
    assert bad.status_code == 422 and "{{ oeps }}" in bad.content.decode()
    good = client.post(
        f"/events/{event.pk}/invitations/text/",
        {"subject_nl": "Welkom bij {{ event }}", "body_nl": "Dag {{ first_name }}"},
    )
    assert good.status_code == 200
    preview = client.get(f"/events/{event.pk}/invitations/preview/?language=nl")
    assert "Welkom bij Netwerkborrel Haven" in preview.content.decode()
    assert "Dag Joost" in preview.content.decode()
    sent = client.post(f"/events/{event.pk}/invitations/send/")
    body = sent.content.decode()
    assert sent.status_code == 200 and 'hx-trigger="every 2s"' in body
    run_jobs()
    progress = client.get(f"/events/{event.pk}/invitations/progress/").content.decode()
    assert re.search(r'data-count="sent">1<', progress)
    assert "every 2s" not in progress


def test_pages_of_an_event_out_of_sight_answer_404_and_readers_403(manager, colleague, reader):
    event = published_event(manager, visibility="organisers")
    assert client_for(colleague).get(f"/events/{event.pk}/invitations/").status_code == 404
    shared = published_event(manager)
    assert client_for(reader).get(f"/events/{shared.pk}/invitations/").status_code == 403
    assert client_for(reader).post(f"/events/{shared.pk}/invitations/send/").status_code == 403


def test_a_seat_freed_outside_the_answers_goes_to_the_waiting_list_on_the_schedule(manager):
    event = published_event(manager, capacity=1)
    seated, waiting = guests_on(manager, event, 2)
    services.guest_status_record(seated, GuestStatus.ACCEPTED)
    services.guest_status_record(waiting, GuestStatus.WAITLISTED)
    # Freed without the services that move the list up at once (those are tested in
    # test_events.py): the daily schedule hands the seat out.
    seated.delete()
    counts = invitations.reminders_queue()
    waiting.refresh_from_db()
    assert counts["moved_up"] == 1 and waiting.status == GuestStatus.ACCEPTED
    assert EventMail.objects.filter(guest=waiting, kind=EventMailKind.MOVED_UP).exists()


def test_the_bounce_command_reads_a_returned_message(manager, tmp_path):
    from io import StringIO

    from django.core.management import call_command

    event = published_event(manager)
    (guest,) = guests_on(manager, event, 1)
    invitations.invitations_send(member=manager, event=event)
    run_jobs()
    row = EventMail.objects.get()
    report = tmp_path / "bounce.eml"
    report.write_text(DSN.format(message_id=row.message_id))
    out = StringIO()
    call_command("event_bounce", str(report), stdout=out)
    assert "marked bounced" in out.getvalue()
    reply = tmp_path / "reply.eml"
    reply.write_bytes(b"Subject: Re: hallo\r\n\r\nDank!")
    call_command("event_bounce", str(reply), stdout=out)
    assert "ignored" in out.getvalue()
