"""The weekly digest e-mail: per member, in their language, the relations to contact, overdue
follow-ups and upcoming birthdays, with links that open the quick log or the snooze form."""

from __future__ import annotations

import datetime as dt
import smtplib
import socket
from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from gilde import visibility
from gilde.accounts.models import Member
from gilde.contacts.models import ContactMoment, FollowUp
from gilde.core.jobs import JobFailed
from gilde.maintenance import selectors
from gilde.maintenance.models import ReminderSettings
from gilde.relations.models import Person

DUE_SHOWN = 15
BIRTHDAY_DAYS = 14


@dataclass
class Digest:
    member: Member
    today: dt.date
    due: list[selectors.DueItem]
    due_total: int
    follow_ups: list[FollowUp]
    birthdays: list[tuple[Person, dt.date]]
    signals: list[ContactMoment] = field(default_factory=list)  # on subjects they follow

    @property
    def is_empty(self) -> bool:
        return not (self.due or self.follow_ups or self.birthdays or self.signals)


def _next_birthday(born: dt.date, today: dt.date) -> dt.date:
    for year in (today.year, today.year + 1):
        try:
            day = born.replace(year=year)
        except ValueError:  # 29 February in a common year
            day = dt.date(year, 3, 1)
        if day >= today:
            return day
    return today


def upcoming_birthdays(
    *, member: Member, today: dt.date, days: int = BIRTHDAY_DAYS
) -> list[tuple[Person, dt.date]]:
    """Birthdays in the coming days of relations the member knows or is reminded about."""
    user = member.user
    people = (
        visibility.persons(user)
        .filter(ties__member=member, birthday__isnull=False)
        .only("pk", "given_name", "initials", "tussenvoegsel", "family_name", "title", "birthday")
    )
    found = []
    for person in people:
        assert person.birthday is not None
        day = _next_birthday(person.birthday, today)
        if (day - today).days <= days:
            found.append((person, day))
    return sorted(found, key=lambda pair: (pair[1], pair[0].full_name))


def digest_for(*, member: Member, today: dt.date | None = None) -> Digest:
    today = today or timezone.localdate()
    due = selectors.due_for_member(user=member.user, member=member, today=today)
    follow_ups = list(
        selectors.follow_ups_of(user=member.user, member=member).filter(due_date__lt=today)[:20]
    )
    from gilde.strategy.signals import waiting_for

    return Digest(
        member,
        today,
        due[:DUE_SHOWN],
        len(due),
        follow_ups,
        upcoming_birthdays(member=member, today=today),
        waiting_for(member),
    )


def render(digest: Digest) -> tuple[str, str, str]:
    """Subject, plain text and HTML, in the member's language."""
    with translation.override(digest.member.language):
        context = {"digest": digest, "base_url": settings.GILDE_BASE_URL, "member": digest.member}
        subject = ngettext(
            "Gilde: %(n)d relation to contact this week",
            "Gilde: %(n)d relations to contact this week",
            digest.due_total,
        ) % {"n": digest.due_total}
        text = render_to_string("maintenance/email/digest.txt", context)
        html = render_to_string("maintenance/email/digest.html", context)
    return subject, text, html


def members_due_for_digest(*, today: dt.date, username: str | None = None) -> list[Member]:
    """Members whose digest day is today and who did not get it yet today (or one named
    member, whatever the day)."""
    members = Member.objects.select_related("user", "reminder_settings").filter(
        user__is_active=True
    )
    if username:
        return list(members.filter(user__username=username))
    chosen = []
    for member in members:
        try:
            prefs: ReminderSettings | None = member.reminder_settings
        except ReminderSettings.DoesNotExist:
            prefs = None
        weekday = prefs.digest_weekday if prefs else 0
        if weekday == today.weekday() and not (prefs and prefs.digest_last_sent_on == today):
            chosen.append(member)
    return chosen


class DigestNotSent(JobFailed):
    """The mail server did not take the digest; its message (the server and why, no personal
    data) is what the command prints and the jobs page shows."""


def digest_send(*, member: Member, today: dt.date | None = None) -> bool:
    """Send one member's digest; False when there is nothing to say or no address. Marked as
    sent only once the mail server took it; DigestNotSent when it did not."""
    today = today or timezone.localdate()
    digest = digest_for(member=member, today=today)
    if digest.is_empty or not member.user.email:
        return False
    subject, text, html = render(digest)
    message = EmailMultiAlternatives(subject, text, to=[member.user.email])
    message.attach_alternative(html, "text/html")
    try:
        message.send()
    except OSError as exc:  # smtplib's errors are OSErrors too
        raise DigestNotSent(_mail_server_failure(exc)) from exc
    with transaction.atomic():
        from gilde.strategy.signals import mark_sent

        mark_sent(member, digest.signals)
        prefs, _created = ReminderSettings.objects.get_or_create(member=member)
        prefs.digest_last_sent_on = today
        prefs.save(update_fields=["digest_last_sent_on"])
    return True


def _mail_server_failure(exc: OSError) -> str:
    """Why the mail server did not take a message, in words without the message's addresses."""
    server = f"{settings.EMAIL_HOST}:{settings.EMAIL_PORT}"
    if isinstance(exc, ConnectionRefusedError):
        reason = _("%(server)s refused the connection")
    elif isinstance(exc, socket.gaierror):
        reason = _("%(server)s is not a known host")
    elif isinstance(exc, TimeoutError):
        reason = _("%(server)s did not answer in time")
    elif isinstance(exc, smtplib.SMTPAuthenticationError):
        reason = _("%(server)s refused the login (EMAIL_HOST_USER, EMAIL_HOST_PASSWORD)")
    else:
        reason = _("%(server)s failed (%(error)s)")
    return _("Could not send the digest: %(reason)s.") % {
        "reason": reason % {"server": server, "error": type(exc).__name__}
    }
