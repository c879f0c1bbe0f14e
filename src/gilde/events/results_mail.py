"""The mails around the results, through the task queue: each host's briefing the day before
the event (with the PDF), and the survey the day after to each relation who came.

They go out with the daily reminders (GILDE_SCHEDULE_EVENT_REMINDERS): the job
"events.results_mail" writes an outbox row per host or guest (once: a unique row per event,
kind and recipient) and sends the waiting rows. A row is claimed (queued → sending) before its
message goes out, so a job run twice sends nothing twice; a row its worker left "sending" is
"perhaps sent" and stays so, as with the invitations."""

from __future__ import annotations

import datetime as dt
import smtplib

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gilde.accounts.models import Member
from gilde.core.jobs import JobFailed, JobKind, Progress, job_kind_register
from gilde.core.models import Job, JobStatus
from gilde.events import mail as mails
from gilde.events.briefing import HOSTED_STATUSES, briefing
from gilde.events.briefing_pdf import briefing_pdf
from gilde.events.models import (
    Event,
    EventMailStatus,
    EventStatus,
    GuestStatus,
    ResultsMail,
    ResultsMailKind,
)
from gilde.events.survey import survey_deadline, survey_url

RESULTS_MAIL_JOB = "events.results_mail"


def _queue(**fields: object) -> ResultsMail | None:
    try:
        with transaction.atomic():
            return ResultsMail.objects.create(**fields)
    except IntegrityError:  # already written by an earlier run
        return None


def results_mails_queue(*, now: dt.datetime | None = None) -> dict[str, int]:
    """Write today's rows: a briefing to each host of an event that starts tomorrow, a survey
    to each relation who came to an event that started yesterday."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    counts = {"briefings": 0, "surveys": 0}
    upcoming = Event.objects.filter(
        status__in=[EventStatus.PUBLISHED, EventStatus.CLOSED],
        starts_at__date__gte=today,
        starts_at__gt=now,
    )
    for event in upcoming:
        if timezone.localtime(event.starts_at).date() != today + dt.timedelta(days=1):
            continue
        for host in _all_hosts(event):
            address = host.user.email
            if address and _queue(
                event=event, kind=ResultsMailKind.BRIEFING, member=host, address=address
            ):
                counts["briefings"] += 1
    held = Event.objects.filter(
        status__in=[
            EventStatus.HELD,
            EventStatus.EVALUATED,
            EventStatus.CLOSED,
            EventStatus.PUBLISHED,
        ],
        starts_at__lt=now,
    ).filter(starts_at__gte=now - dt.timedelta(days=3))
    for event in held:
        if timezone.localtime(event.starts_at).date() != today - dt.timedelta(days=1):
            continue
        guests = event.guests.filter(person__isnull=False, status=GuestStatus.ATTENDED)
        for guest in guests.select_related("person", "event"):
            address = mails.guest_address(guest)
            if address and _queue(
                event=event, kind=ResultsMailKind.SURVEY, guest=guest, address=address
            ):
                counts["surveys"] += 1
    return counts


def _all_hosts(event: Event) -> list[Member]:
    """Every host of the event (the mail is the host's own: no reader's scope applies)."""
    ids = set(
        event.guests.filter(host__isnull=False, status__in=HOSTED_STATUSES).values_list(
            "host_id", flat=True
        )
    ) | set(event.meeting_goals.filter(member__isnull=False).values_list("member_id", flat=True))
    return list(Member.objects.filter(pk__in=ids, user__is_active=True).select_related("user"))


def briefing_queue_now(*, member: Member, event: Event, host: Member) -> ResultsMail | None:
    """Send one host's briefing now (from the briefing page), once."""
    from gilde.core.jobs import job_enqueue
    from gilde.permissions import require_host_or_manager

    require_host_or_manager(member, event, host)
    row = _queue(event=event, kind=ResultsMailKind.BRIEFING, member=host, address=host.user.email)
    if row is not None:
        job_enqueue(kind=RESULTS_MAIL_JOB, params={"queue": False}, actor=member)
    return row


def _briefing_message(row: ResultsMail) -> EmailMultiAlternatives:
    host, event = row.member, row.event
    assert host is not None  # noqa: S101 - a briefing row names its host (database constraint)
    language = host.language if host.language in mails.MAIL_LANGUAGES else "nl"
    with translation.override(language):
        # Read as the host: the mail shows what they may see, nothing more.
        brief = briefing(user=host.user, event=event, host=host)
        link = (
            settings.GILDE_BASE_URL
            + reverse("events:briefing", args=[event.pk])
            + f"?host={host.pk}"
        )
        text = render_to_string(
            "events/results/email/briefing.txt",
            {"host": host, "event": event, "brief": brief, "link": link},
        )
        subject = _("Your briefing for tomorrow: %(event)s") % {"event": event.title}
        pdf = briefing_pdf(brief)
    message = EmailMultiAlternatives(
        subject[:200],
        text,
        settings.GILDE_EVENTS_FROM_EMAIL,
        [row.address],
        headers={"Auto-Submitted": "auto-generated"},
    )
    message.attach(f"briefing-{event.pk}.pdf", pdf, "application/pdf")
    return message


def _survey_message(row: ResultsMail) -> EmailMultiAlternatives:
    guest = row.guest
    assert guest is not None  # noqa: S101
    language = mails.guest_language(guest)
    with translation.override(language):
        values = mails.merge_values(guest, "")
        deadline = formats.date_format(timezone.localtime(survey_deadline(guest)), "DATE_FORMAT")
        context = {
            "event": guest.event,
            "first_name": values["first_name"],
            "link": survey_url(guest),
            "deadline": deadline,
            "organiser": values["organiser"],
            "language": language,
        }
        text = render_to_string("events/results/email/survey.txt", context)
        html = render_to_string("events/results/email/survey.html", context)
        subject = _("How was %(event)s?") % {"event": guest.event.title}
    reply_to = [settings.GILDE_EVENTS_REPLY_TO] if settings.GILDE_EVENTS_REPLY_TO else None
    message = EmailMultiAlternatives(
        subject[:200],
        text,
        settings.GILDE_EVENTS_FROM_EMAIL,
        [row.address],
        reply_to=reply_to,
        headers={"Auto-Submitted": "auto-generated"},
    )
    message.attach_alternative(html, "text/html")
    return message


def results_mails_send(job: Job | None = None, progress: Progress | None = None) -> dict[str, int]:
    """Send every waiting row over one connection; counts per outcome."""
    running = Job.objects.filter(status=JobStatus.RUNNING)
    if job is not None:
        running = running.exclude(pk=job.pk)
    if not running.filter(kind=RESULTS_MAIL_JOB).exists():
        ResultsMail.objects.filter(status=EventMailStatus.SENDING).update(
            status=EventMailStatus.UNCERTAIN
        )
    ids = list(
        ResultsMail.objects.filter(status=EventMailStatus.QUEUED).values_list("pk", flat=True)
    )
    counts: dict[str, int] = {}
    connection = get_connection()
    try:
        connection.open()
        for done, pk in enumerate(ids):
            if progress:
                progress("sending", done, len(ids))
            claimed = ResultsMail.objects.filter(pk=pk, status=EventMailStatus.QUEUED).update(
                status=EventMailStatus.SENDING
            )
            if not claimed:
                continue
            row = ResultsMail.objects.select_related(
                "event", "member__user", "guest__person", "guest__event"
            ).get(pk=pk)
            build = _briefing_message if row.kind == ResultsMailKind.BRIEFING else _survey_message
            status, error = EventMailStatus.SENT, ""
            try:
                connection.send_messages([build(row)])
            except smtplib.SMTPRecipientsRefused as exc:
                status, error = EventMailStatus.BOUNCED, str(exc)[:300]
            except (smtplib.SMTPException, OSError) as exc:
                ResultsMail.objects.filter(pk=pk).update(status=EventMailStatus.QUEUED)
                raise JobFailed(_("The mail server could not be reached; the rest waits.")) from exc
            ResultsMail.objects.filter(pk=pk).update(
                status=status,
                error=error,
                sent_at=timezone.now() if status == EventMailStatus.SENT else None,
            )
            counts[status] = counts.get(status, 0) + 1
    except OSError as exc:
        raise JobFailed(_("The mail server could not be reached; the rest waits.")) from exc
    finally:
        connection.close()
    return counts


def _run(job: Job, progress: Progress) -> None:
    queued = results_mails_queue() if job.params.get("queue", True) else {}
    sent = results_mails_send(job, progress)
    Job.objects.filter(pk=job.pk).update(params={**job.params, "result": queued | sent})


job_kind_register(JobKind(RESULTS_MAIL_JOB, gettext_lazy("Send host briefings and surveys"), _run))
