"""Sending the invitations, reminders and waiting-list mails through the task queue.

Every mail is first written as an outbox row (EventMail) in the caller's transaction; a job
("events.mail") then sends the event's waiting rows over one SMTP connection, with progress.
A row is claimed (queued → sending, committed) before its message goes out and marked sent
right after the server accepted it, so a worker that dies and a job that is run again send
only what was not sent yet. A row its worker left "sending" cannot be told apart: the server
may or may not have taken the message before the worker died. Such a row becomes "perhaps
sent" and is never sent again by itself (no guest gets an invitation twice); the invitations
page shows it, with its Message-ID for the mail server's log, and sends it again on request.

A recipient the server refuses marks the invitation bounced (and the guest's address); a mail
server that cannot be reached fails the job with that reason, leaving the rest queued for a
retry from the jobs page or the invitations page. Each message carries a Message-ID made from
its row, so a delivery report that comes back later finds its invitation."""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import logging
import re
import secrets
import smtplib
from dataclasses import dataclass
from email.message import Message

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import get_connection
from django.db import IntegrityError, transaction
from django.db.models import CharField, F, Q, Value
from django.db.models.functions import Cast, Concat
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gilde.accounts.models import Member
from gilde.core.jobs import JobFailed, JobKind, Progress, job_enqueue, job_kind_register
from gilde.core.models import Job, JobStatus
from gilde.events import mail as mails
from gilde.events.models import (
    Event,
    EventMail,
    EventMailKind,
    EventMailStatus,
    EventStatus,
    Guest,
    GuestStatus,
    GuestStatusChange,
    InvitationTemplate,
)
from gilde.events.services import guest_status_record
from gilde.permissions import require_event_manager

log = logging.getLogger(__name__)
MAIL_JOB = "events.mail"
REMINDER_JOB = "events.reminders"


# ---- the text -------------------------------------------------------------------------------


@transaction.atomic
def invitation_template_save(
    *,
    member: Member,
    event: Event,
    subject_nl: str = "",
    body_nl: str = "",
    subject_en: str = "",
    body_en: str = "",
) -> InvitationTemplate:
    """Save the event's invitation text; an unknown merge field is refused, naming it."""
    require_event_manager(member, event)
    errors: dict[str, str] = {}
    fields = {
        "subject_nl": subject_nl,
        "body_nl": body_nl,
        "subject_en": subject_en,
        "body_en": body_en,
    }
    for name, value in fields.items():
        try:
            mails.merge_fields_check(value)
        except ValidationError as exc:
            errors[name] = exc.messages[0]
    if errors:
        raise ValidationError(errors)
    template, _created = InvitationTemplate.objects.get_or_create(event=event)
    for name, value in fields.items():
        setattr(template, name, value.strip())
    template.updated_by = member
    template.full_clean()
    template.save()
    return template


# ---- queueing -------------------------------------------------------------------------------


def mail_queue(guest: Guest, kind: str, *, slot: str = "") -> EventMail | None:
    """Write one outbox row (once per guest, kind and slot); None when the guest has no
    address or already has this mail."""
    address = mails.guest_address(guest)
    if not address:
        return None
    try:
        with transaction.atomic():
            return EventMail.objects.create(guest=guest, kind=kind, slot=slot, address=address)
    except IntegrityError:
        return None


def mail_job_enqueue(event: Event, *, actor: Member | None = None) -> Job:
    return job_enqueue(kind=MAIL_JOB, params={"event": event.pk}, actor=actor)


@dataclass(frozen=True)
class SendResult:
    queued: int
    without_address: list[Guest]
    job: Job | None


@transaction.atomic
def invitations_send(
    *, member: Member, event: Event, guest_ids: list[int] | None = None
) -> SendResult:
    """Queue the invitation to every proposed relation on the list (or those of guest_ids)
    and start the job that sends them. Only a published event invites."""
    require_event_manager(member, event)
    if event.status != EventStatus.PUBLISHED:
        raise ValidationError(_("Publish the event before sending invitations."))
    if event.is_past:
        raise ValidationError(_("This event has already taken place."))
    guests = event.guests.filter(status=GuestStatus.PROPOSED, person__isnull=False)
    if guest_ids is not None:
        guests = guests.filter(pk__in=guest_ids)
    guests = guests.select_related("person", "event").exclude(mails__kind=EventMailKind.INVITATION)
    queued, without = 0, []
    for guest in guests:
        if mail_queue(guest, EventMailKind.INVITATION) is None:
            without.append(guest)
        else:
            queued += 1
    job = mail_job_enqueue(event, actor=member) if queued else None
    return SendResult(queued, without, job)


@transaction.atomic
def mails_resend(*, member: Member, event: Event, uncertain: bool = False) -> Job | None:
    """Start a job for the event's mails still waiting (after a mail server was unreachable);
    with `uncertain`, the "perhaps sent" ones go out again too (the manager's decision)."""
    require_event_manager(member, event)
    mails_of_event = EventMail.objects.filter(guest__event=event)
    if uncertain:
        mails_of_event.filter(status=EventMailStatus.UNCERTAIN).update(
            status=EventMailStatus.QUEUED
        )
    waiting = mails_of_event.filter(status=EventMailStatus.QUEUED)
    return mail_job_enqueue(event, actor=member) if waiting.exists() else None


# ---- sending --------------------------------------------------------------------------------


def _links(guest: Guest) -> tuple[str, str]:
    from gilde.events.checkin import checkin_code
    from gilde.events.rsvp import rsvp_url

    return rsvp_url(guest), checkin_code(guest)


_PERMANENT = re.compile(r"^5\d\d$")


def _mark(mail_id: int, status: str, **fields: object) -> None:
    EventMail.objects.filter(pk=mail_id).update(status=status, **fields)


# Rows claimed at once: one statement claims them and one marks their guests invited, so a
# mail costs one write of its own (marked sent) instead of five.
BATCH = 25


def _claim(mail_ids: list[int], job: Job | None) -> list[EventMail]:
    """Claim waiting rows (queued → sending, committed), writing each one's Message-ID: its
    number and a random part of this claim, so that even a "perhaps sent" row has it."""
    domain = settings.GILDE_EVENTS_FROM_EMAIL.rpartition("@")[2].strip(">") or "gilde"
    nonce = secrets.token_hex(6)
    EventMail.objects.filter(pk__in=mail_ids, status=EventMailStatus.QUEUED).update(
        status=EventMailStatus.SENDING,
        attempts=F("attempts") + 1,
        job=job,
        error="",
        message_id=Concat(
            Value("<event-mail-"), Cast("pk", CharField()), Value(f".{nonce}@{domain}>")
        ),
    )
    return list(
        EventMail.objects.filter(
            pk__in=mail_ids,
            status=EventMailStatus.SENDING,
            job=job,
            message_id__contains=f".{nonce}@",
        )
        .select_related("guest__event", "guest__person", "guest__member__user")
        .order_by("id")
    )


def _send(row: EventMail, connection: object, memo: mails.Memo | None) -> str:
    """Hand one claimed row's message to the server; its new status."""
    guest = row.guest
    link, code = _links(guest)
    message = mails.message_build(
        guest,
        row.kind,
        address=row.address,
        link=link,
        checkin_code=code,
        message_id=row.message_id,
        memo=memo,
    )
    try:
        connection.send_messages([message])  # type: ignore[attr-defined]
    except smtplib.SMTPRecipientsRefused as exc:
        reason = "; ".join(f"{code} {text!r}" for code, text in exc.recipients.values())[:300]
        _bounce(row, reason)
        return EventMailStatus.BOUNCED
    except smtplib.SMTPResponseException as exc:
        if _PERMANENT.match(str(exc.smtp_code)) and not isinstance(exc, smtplib.SMTPSenderRefused):
            _mark(row.pk, EventMailStatus.FAILED, error=f"{exc.smtp_code} {exc.smtp_error!r}"[:300])
            return EventMailStatus.FAILED
        raise _Unsent(
            _("The mail server refused the mail (%(code)s); the rest waits.")
            % {"code": exc.smtp_code}
        ) from exc
    except (smtplib.SMTPException, OSError) as exc:
        raise _Unsent(_("The mail server could not be reached; the rest waits.")) from exc
    _mark(row.pk, EventMailStatus.SENT, sent_at=timezone.now())
    return EventMailStatus.SENT


class _Unsent(Exception):
    """The server did not take the message (it said no, or could not be reached)."""


def _invited_follow(event_id: int) -> int:
    """Guests whose invitation was sent become invited, with the change in their history (at
    the end of each batch, and at the start of a job for a batch its worker did not finish)."""
    sent = EventMail.objects.filter(
        guest__event_id=event_id, kind=EventMailKind.INVITATION, status=EventMailStatus.SENT
    )
    with transaction.atomic():
        waiting = list(
            Guest.objects.select_for_update()
            .filter(event_id=event_id, status=GuestStatus.PROPOSED, mails__in=sent)
            .values_list("pk", flat=True)
        )
        if not waiting:
            return 0
        now = timezone.now()
        Guest.objects.filter(pk__in=waiting, status=GuestStatus.PROPOSED).update(
            status=GuestStatus.INVITED, status_changed_at=now, invited_at=now
        )
        GuestStatusChange.objects.bulk_create(
            [GuestStatusChange(guest_id=pk, status=GuestStatus.INVITED, at=now) for pk in waiting]
        )
    return len(waiting)


def mail_send_one(
    mail_id: int, connection: object, *, job: Job | None = None, memo: mails.Memo | None = None
) -> str:
    """Claim one outbox row and send it. Returns its new status ("" when someone else had it)."""
    rows = _claim([mail_id], job)
    if not rows:
        return ""
    try:
        status = _send(rows[0], connection, memo)
    except _Unsent as exc:
        _mark(mail_id, EventMailStatus.QUEUED, job=None)
        raise JobFailed(str(exc)) from exc
    _invited_follow(rows[0].guest.event_id)
    return status


def _bounce(row: EventMail, reason: str) -> None:
    now = timezone.now()
    with transaction.atomic():
        _mark(row.pk, EventMailStatus.BOUNCED, error=reason[:300])
        Guest.objects.filter(pk=row.guest_id).update(bounced_at=now, bounce_reason=reason[:300])


def _reclaim(event_id: int, job: Job) -> int:
    """Rows left "sending" by this job's earlier try or by a job no longer running: their
    worker stopped before it knew whether the server took them. They become "perhaps sent"
    and wait for a person to decide (see the module)."""
    running = Job.objects.filter(status=JobStatus.RUNNING).exclude(pk=job.pk)
    return (
        EventMail.objects.filter(guest__event_id=event_id, status=EventMailStatus.SENDING)
        .filter(Q(job=job) | Q(job__isnull=True) | ~Q(job__in=running))
        .update(status=EventMailStatus.UNCERTAIN, job=None)
    )


def mails_send(job: Job, progress: Progress) -> None:
    counts = event_mails_send(int(job.params["event"]), job, progress)
    Job.objects.filter(pk=job.pk).update(params={**job.params, "result": counts})


def event_mails_send(event_id: int, job: Job, progress: Progress) -> dict[str, int]:
    """Send the event's waiting mails over one connection, a batch at a time; counts per
    outcome."""
    uncertain = _reclaim(event_id, job)
    _invited_follow(event_id)
    ids = list(
        EventMail.objects.filter(guest__event_id=event_id, status=EventMailStatus.QUEUED)
        .order_by("id")
        .values_list("pk", flat=True)
    )
    counts: dict[str, int] = {"uncertain": uncertain} if uncertain else {}
    connection = get_connection()
    memo: mails.Memo = {}
    done = 0
    try:
        connection.open()
        for start in range(0, len(ids), BATCH):
            rows = _claim(ids[start : start + BATCH], job)
            for index, row in enumerate(rows):
                progress("sending", done, len(ids))
                try:
                    status = _send(row, connection, memo)
                except _Unsent as exc:
                    # This one and the rest of the batch were not taken: they wait again.
                    EventMail.objects.filter(
                        pk__in=[r.pk for r in rows[index:]], status=EventMailStatus.SENDING
                    ).update(status=EventMailStatus.QUEUED, job=None)
                    _invited_follow(event_id)
                    raise JobFailed(str(exc)) from exc
                counts[status] = counts.get(status, 0) + 1
                done += 1
            _invited_follow(event_id)
        progress("sending", len(ids), len(ids))
    except OSError as exc:
        raise JobFailed(_("The mail server could not be reached; the rest waits.")) from exc
    finally:
        connection.close()
    return counts


def _job_link(job: Job) -> str | None:
    from django.urls import reverse

    return reverse("events:invitations", args=[job.params["event"]])


# ---- reminders on the schedule --------------------------------------------------------------


def reminders_queue(*, now: dt.datetime | None = None) -> dict[str, int]:
    """Queue today's reminders: one to each invited guest who has not answered after
    GILDE_EVENT_REMINDER_DAYS (while answers are open), one the day before to each who accepted;
    guests invited to events whose deadline passed without an answer become "no answer", and
    seats that freed go to the waiting list."""

    from gilde.events.rsvp import capacity_after_change, deadline

    now = now or timezone.now()
    counts = {"reminders": 0, "day_before": 0, "no_answer": 0, "moved_up": 0}
    tomorrow = timezone.localdate(now) + dt.timedelta(days=1)
    wait = dt.timedelta(days=settings.GILDE_EVENT_REMINDER_DAYS)
    events = Event.objects.filter(status=EventStatus.PUBLISHED, starts_at__gt=now)
    touched: list[Event] = []
    for event in events:
        before = sum(counts.values())
        guests = event.guests.filter(person__isnull=False).select_related("event", "person")
        if deadline(event) <= now:
            with transaction.atomic():
                for guest in guests.filter(status=GuestStatus.INVITED).select_for_update(
                    of=("self",)
                ):
                    guest_status_record(guest, GuestStatus.NO_ANSWER)
                    counts["no_answer"] += 1
        else:
            for guest in guests.filter(status=GuestStatus.INVITED, invited_at__lte=now - wait):
                if mail_queue(guest, EventMailKind.REMINDER, slot="1"):
                    counts["reminders"] += 1
        if timezone.localtime(event.starts_at).date() == tomorrow:
            for guest in guests.filter(status=GuestStatus.ACCEPTED):
                if mail_queue(guest, EventMailKind.DAY_BEFORE):
                    counts["day_before"] += 1
        # A seat freed elsewhere (a guest taken off the list, the capacity raised) that no
        # answer passed on yet goes to the waiting list now.
        if event.guests.filter(status=GuestStatus.WAITLISTED).exists():
            counts["moved_up"] += len(capacity_after_change(event=event))
        if sum(counts.values()) > before:
            touched.append(event)
    return counts | {"events": len(touched)}


def reminders_send(job: Job, progress: Progress) -> None:
    counts = reminders_queue()
    events = EventMail.objects.filter(status=EventMailStatus.QUEUED).values_list(
        "guest__event_id", flat=True
    )
    for event_id in sorted(set(events)):
        event_mails_send(event_id, job, progress)
    Job.objects.filter(pk=job.pk).update(params={**job.params, "result": counts})


# ---- bounces --------------------------------------------------------------------------------


def bounce_record(*, message_id: str, reason: str = "") -> EventMail | None:
    """Mark the mail with this Message-ID bounced (a delivery report came back)."""
    row = EventMail.objects.filter(message_id=message_id.strip()).first()
    if row is None:
        return None
    _bounce(row, reason or _("Returned as undeliverable"))
    row.refresh_from_db()
    return row


_MSGID = re.compile(r"<[^<>\s]+@[^<>\s]+>")


def bounce_message_process(raw: bytes) -> EventMail | None:
    """Read a message that came back to the sender address. A delivery status report
    (RFC 3464) naming one of our messages marks it bounced; anything else (a reply, an
    out-of-office, a report about another message) is ignored. Never raises on bad input."""
    try:
        message = email.message_from_bytes(raw, policy=email.policy.compat32)
    except Exception:  # a message that cannot be parsed is not ours to act on
        return None
    if message.get_content_type() != "multipart/report":
        return None
    reason, candidates = "", []
    for part in message.walk():
        kind = part.get_content_type()
        if kind == "message/delivery-status":
            reason = _status_text(part) or reason
        if kind in {"message/rfc822", "text/rfc822-headers"}:
            candidates.extend(_MSGID.findall(_part_text(part)))
    for candidate in candidates:
        row = bounce_record(message_id=candidate, reason=reason)
        if row is not None:
            return row
    return None


def _part_text(part: Message) -> str:
    payload = part.get_payload()
    if isinstance(payload, list):
        return "\n".join(
            f"{k}: {v}" for sub in payload if isinstance(sub, Message) for k, v in sub.items()
        )
    data = part.get_payload(decode=True)
    if isinstance(data, bytes):
        return data.decode("utf-8", "replace")
    return str(payload)


def _status_text(part: Message) -> str:
    """The report's diagnostic ("550 5.1.1 User unknown"), else its status code."""
    found: dict[str, str] = {}
    for line in _part_text(part).splitlines():
        name, _sep, value = line.partition(":")
        found.setdefault(name.strip().lower(), value.strip())
    return (found.get("diagnostic-code") or found.get("status") or "")[:300]


job_kind_register(JobKind(MAIL_JOB, gettext_lazy("Send event e-mails"), mails_send, link=_job_link))
job_kind_register(JobKind(REMINDER_JOB, gettext_lazy("Send event reminders"), reminders_send))
