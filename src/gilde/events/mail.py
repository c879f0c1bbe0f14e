"""The e-mails to guests: the invitation in the guest's language from the event's editable text
with merge fields, a plain-text and an HTML part, the event as an .ics attachment and the
guest's check-in QR code; the reminders and the "a seat is free for you" message.

Merge fields are written {{ first_name }}; only the names in MERGE_FIELDS exist, and a text
with any other is refused when it is saved, so a typing error never reaches a guest."""

from __future__ import annotations

import datetime as dt
import io
import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from email.mime.image import MIMEImage
from typing import Any

import qrcode
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from icalendar import Calendar
from icalendar import Event as CalendarEvent

from gilde.events.models import Event, EventMailKind, Guest, InvitationTemplate

MERGE_FIELDS = {
    "first_name": gettext_lazy("the guest's first name (or title and family name)"),
    "name": gettext_lazy("the guest's full name"),
    "event": gettext_lazy("the event's title"),
    "date": gettext_lazy("the event's date"),
    "time": gettext_lazy("the event's starting time"),
    "venue": gettext_lazy("the venue"),
    "address": gettext_lazy("the venue's address"),
    "deadline": gettext_lazy("the date to answer before"),
    "organiser": gettext_lazy("the organising colleague"),
    "link": gettext_lazy("the guest's personal link to answer"),
}
_FIELD = re.compile(r"\{\{\s*([A-Za-z_]+)\s*\}\}")
# The languages an invitation is written in; a guest of another language gets the event's.
MAIL_LANGUAGES = ("nl", "en")

DEFAULT_TEXTS = {
    "nl": (
        "Uitnodiging: {{ event }}",
        "Beste {{ first_name }},\n\n"
        "Graag nodigen wij u uit voor {{ event }} op {{ date }} om {{ time }} ({{ venue }}).\n\n"
        "Laat u ons vóór {{ deadline }} weten of u komt? Via uw persoonlijke link kunt u "
        "aangeven of u komt, iemand meenemen en vertellen wie u graag zou ontmoeten:\n"
        "{{ link }}\n\n"
        "Met vriendelijke groet,\n{{ organiser }}",
    ),
    "en": (
        "Invitation: {{ event }}",
        "Dear {{ first_name }},\n\n"
        "We would be delighted to welcome you to {{ event }} on {{ date }} at {{ time }} "
        "({{ venue }}).\n\n"
        "Would you let us know before {{ deadline }} whether you can come? Your personal link "
        "lets you answer, bring a companion and tell us whom you would like to meet:\n"
        "{{ link }}\n\n"
        "Kind regards,\n{{ organiser }}",
    ),
}


def merge_fields_check(text: str) -> None:
    unknown = sorted({m.group(1) for m in _FIELD.finditer(text)} - set(MERGE_FIELDS))
    if unknown:
        raise ValidationError(
            _("Unknown merge field: %(fields)s. Use: %(known)s.")
            % {
                "fields": ", ".join("{{ " + name + " }}" for name in unknown),
                "known": ", ".join("{{ " + name + " }}" for name in MERGE_FIELDS),
            }
        )


def merge(text: str, values: dict[str, str]) -> str:
    return _FIELD.sub(lambda m: values.get(m.group(1), m.group(0)), text)


def guest_language(guest: Guest) -> str:
    language = guest.person.language if guest.person_id else guest.member.language  # type: ignore[union-attr]
    if language in MAIL_LANGUAGES:
        return language
    return guest.event.language if guest.event.language in MAIL_LANGUAGES else "nl"


def guest_address(guest: Guest) -> str:
    """The guest's e-mail address: a relation's first, a colleague's login address."""
    if guest.member_id:
        return guest.member.user.email or ""  # type: ignore[union-attr]
    emails = getattr(guest.person, "prefetched_emails", None)
    if emails is None:
        emails = list(guest.person.emails.order_by("-is_primary", "id"))  # type: ignore[union-attr]
    return emails[0].address if emails else ""


def template_texts(event: Event, language: str) -> tuple[str, str]:
    """The subject and body for one language: the event's own, else the standard text."""
    stored = InvitationTemplate.objects.filter(event=event).first()
    default_subject, default_body = DEFAULT_TEXTS[language]
    if stored is None:
        return default_subject, default_body
    subject = getattr(stored, f"subject_{language}") or default_subject
    body = getattr(stored, f"body_{language}") or default_body
    return subject, body


def _organiser(event: Event) -> str:
    first = event.organisers.select_related("user").order_by("id").first()
    return first.name if first else settings.GILDE_CONTROLLER_NAME or "Gilde"


Memo = dict[tuple[str, int, str], Any]


def _memo(memo: Memo | None, key: tuple[str, int, str], make: Callable[[], Any]) -> Any:
    """A value that is the same for every guest of one event, looked up once per send."""
    if memo is None:
        return make()
    if key not in memo:
        memo[key] = make()
    return memo[key]


def merge_values(guest: Guest, link: str, *, memo: Memo | None = None) -> dict[str, str]:
    event = guest.event
    start = timezone.localtime(event.starts_at)
    deadline = timezone.localtime(event.rsvp_deadline) if event.rsvp_deadline else start
    if guest.person_id:
        person = guest.person
        assert person is not None  # noqa: S101 - one of the two is set (database constraint)
        first = person.given_name or f"{person.title or ''} {person.family_name}".strip()
        name = person.formal_name
    else:
        member = guest.member
        assert member is not None  # noqa: S101
        first = member.user.first_name or member.name
        name = member.name
    return {
        "first_name": first,
        "name": name,
        "event": event.title,
        "date": formats.date_format(start, "DATE_FORMAT"),
        "time": start.strftime("%H:%M"),
        "venue": event.venue or event.address or "",
        "address": event.address,
        "deadline": formats.date_format(deadline, "DATE_FORMAT"),
        "organiser": _memo(memo, ("organiser", event.pk, ""), lambda: _organiser(event)),
        "link": link,
    }


def event_ics(event: Event, *, link: str = "") -> bytes:
    """The event as an iCalendar file (RFC 5545) for the guest's agenda."""
    calendar = Calendar()
    calendar.add("prodid", "-//Gilde//events//NL")
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    entry = CalendarEvent()
    host = settings.GILDE_BASE_URL.split("://", 1)[-1].split("/", 1)[0].split(":", 1)[0]
    entry.add("uid", f"event-{event.pk}@{host or 'gilde'}")
    entry.add("dtstamp", timezone.now())
    entry.add("dtstart", event.starts_at)
    entry.add("dtend", event.ends_at)
    entry.add("summary", event.title)
    location = ", ".join(part for part in (event.venue, event.address) if part)
    if location:
        entry.add("location", location)
    description = "\n\n".join(part for part in (event.description, link) if part)
    if description:
        entry.add("description", description)
    calendar.add_component(entry)
    return calendar.to_ical()


def qr_png(data: str, *, box_size: int = 6) -> bytes:
    # A fixed mask: choosing the best of eight took three times as long as the rest of the
    # code, for a code that scanners read either way.
    code = qrcode.QRCode(box_size=box_size, border=2, mask_pattern=0)
    code.add_data(data)
    code.make(fit=True)
    image = code.make_image()
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


@dataclass(frozen=True)
class Rendered:
    subject: str
    text: str
    html: str
    language: str


_KIND_SUBJECTS = {
    EventMailKind.REMINDER: gettext_lazy("Reminder: %(event)s"),
    EventMailKind.DAY_BEFORE: gettext_lazy("Tomorrow: %(event)s"),
    EventMailKind.MOVED_UP: gettext_lazy("A place is free for you: %(event)s"),
}
_KIND_INTROS = {
    EventMailKind.REMINDER: gettext_lazy(
        "We have not heard from you yet. Would you let us know whether you can come?"
    ),
    EventMailKind.DAY_BEFORE: gettext_lazy(
        "We look forward to seeing you tomorrow. Show the QR code below at the door."
    ),
    EventMailKind.MOVED_UP: gettext_lazy(
        "A place has come free and it is yours: you were on the waiting list and are now "
        "registered. If you can no longer come, please let us know through your link."
    ),
}


def render(
    guest: Guest, kind: str, *, link: str, checkin_code: str, memo: Memo | None = None
) -> Rendered:
    """Subject, plain text and HTML of one mail, in the guest's language."""
    language = guest_language(guest)
    values = merge_values(guest, link, memo=memo)
    with translation.override(language):
        if kind == EventMailKind.INVITATION:
            subject_t, body_t = _memo(
                memo,
                ("texts", guest.event_id, language),
                lambda: template_texts(guest.event, language),
            )
            subject, body = merge(subject_t, values), merge(body_t, values)
        else:
            subject = str(_KIND_SUBJECTS[EventMailKind(kind)]) % {"event": guest.event.title}
            greeting = _("Dear %(name)s,") % {"name": values["first_name"]}
            body = "\n\n".join(
                [
                    greeting,
                    str(_KIND_INTROS[EventMailKind(kind)]),
                    _("Your personal link:") + "\n" + link,
                    values["organiser"],
                ]
            )
        context = {
            "guest": guest,
            "event": guest.event,
            "body": body,
            "link": link,
            "values": values,
            "checkin_code": checkin_code,
        }
        text = render_to_string("events/email/guest.txt", context)
        html = render_to_string("events/email/guest.html", context)
    return Rendered(subject.replace("\n", " ")[:200], text, html, language)


def message_build(
    guest: Guest,
    kind: str,
    *,
    address: str,
    link: str,
    checkin_code: str,
    message_id: str,
    memo: Memo | None = None,
) -> EmailMultiAlternatives:
    rendered = render(guest, kind, link=link, checkin_code=checkin_code, memo=memo)
    headers = {"Message-ID": message_id, "Auto-Submitted": "auto-generated"}
    reply_to = [settings.GILDE_EVENTS_REPLY_TO] if settings.GILDE_EVENTS_REPLY_TO else None
    message = EmailMultiAlternatives(
        rendered.subject,
        rendered.text,
        settings.GILDE_EVENTS_FROM_EMAIL,
        [address],
        headers=headers,
        reply_to=reply_to,
    )
    message.attach_alternative(rendered.html, "text/html")
    image = MIMEImage(qr_png(checkin_code), "png")
    image.add_header("Content-ID", "<checkin-qr>")
    image.add_header("Content-Disposition", "inline", filename="check-in.png")
    message.attach(image)
    ics = event_ics(guest.event, link=link)
    message.attach(f"event-{guest.event_id}.ics", ics, "text/calendar")
    return message


def new_message_id(mail_id: int) -> str:
    """The Message-ID of one outbox row: its number and a random part (unique beyond this
    database), at the sender's domain."""
    domain = settings.GILDE_EVENTS_FROM_EMAIL.rpartition("@")[2].strip(">") or "gilde"
    return f"<event-mail-{mail_id}.{secrets.token_hex(6)}@{domain}>"


def as_local(value: dt.datetime | None) -> dt.datetime | None:
    return timezone.localtime(value) if value else None
