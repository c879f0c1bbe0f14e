"""Drop-in meetings (Open Coffee and the like): a recurring event without invitations where
anyone checks in on arrival, through a link or QR code at the door. Members are recognised by
their e-mail address; visitors say whether they want to hear more about the network."""

from __future__ import annotations

import datetime as dt
from io import BytesIO

import qrcode
import qrcode.image.svg
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gilde.accounts.models import Member
from gilde.audit.models import AuditAction
from gilde.audit.services import audit_record
from gilde.events.models import (
    Event,
    EventKind,
    EventStatus,
    EventVisibility,
    Guest,
    GuestStatus,
)
from gilde.members.models import Application, ApplicationKind, ApplicationStatus
from gilde.permissions import require_coordinator

SALT = "gilde.members.dropin"
MAX_SERIES = 52


def drop_in_key(event: Event) -> str:
    return signing.Signer(salt=SALT).sign(str(event.pk))


def door_qr_svg(url: str) -> str:
    """The door link as an inline SVG QR code, drawn here (no outside service sees the link)."""
    image = qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage, box_size=10, border=2)
    buffer = BytesIO()
    image.save(buffer)
    return buffer.getvalue().decode()


def drop_in_event(key: str) -> Event:
    """The drop-in meeting a door link names; a wrong or altered key finds nothing."""
    try:
        pk = int(signing.Signer(salt=SALT).unsign(key))
    except (signing.BadSignature, ValueError) as exc:
        raise Event.DoesNotExist from exc
    return Event.objects.get(pk=pk, kind=EventKind.OPEN_COFFEE)


@transaction.atomic
def drop_in_series_create(
    *,
    actor: Member,
    title: str,
    first: dt.datetime,
    every_days: int,
    count: int,
    minutes: int = 90,
    venue: str = "",
) -> list[Event]:
    """Plan a recurring drop-in meeting: `count` Open Coffee events `every_days` apart, open to
    everyone, published, without a guest list."""
    require_coordinator(actor)
    if not 1 <= count <= MAX_SERIES or not 1 <= every_days <= 92 or not 15 <= minutes <= 720:
        raise ValidationError(
            _("Plan 1 to %(most)d meetings, 1 to 92 days apart, each 15 minutes to 12 hours.")
            % {"most": MAX_SERIES}
        )
    events = []
    for i in range(count):
        starts = first + dt.timedelta(days=every_days * i)
        event = Event(
            kind=EventKind.OPEN_COFFEE,
            title=title.strip(),
            starts_at=starts,
            ends_at=starts + dt.timedelta(minutes=minutes),
            venue=venue.strip(),
            visibility=EventVisibility.ORGANISATION,
            status=EventStatus.PUBLISHED,
            created_by=actor,
        )
        event.full_clean()
        event.save()
        event.organisers.add(actor)
        events.append(event)
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        target_type="event",
        detail={"drop_in_series": len(events)},
    )
    return events


@transaction.atomic
def drop_in_check_in(
    *,
    event: Event,
    first_name: str,
    last_name: str,
    email: str,
    hear_more: bool = False,
    consent: bool = False,
) -> Guest | Application:
    """Someone arrives: a member (known by e-mail) is checked in as present; a visitor is
    recorded as a visit to this meeting, with whether they want to hear more. A visitor's name
    is only kept with their consent."""
    if event.kind != EventKind.OPEN_COFFEE:
        raise ValidationError(_("Only drop-in meetings take check-ins at the door."))
    now = timezone.now()
    address = email.strip().lower()
    member = Member.objects.filter(user__email__iexact=address, user__is_active=True).first()
    if member is not None and address:
        guest, _created = Guest.objects.get_or_create(event=event, member=member)
        guest.status, guest.checked_in_at = GuestStatus.ATTENDED, guest.checked_in_at or now
        guest.save(update_fields=["status", "checked_in_at"])
        return guest
    if not consent:
        raise ValidationError(
            {"consent": _("We can only note your visit if you agree that we keep your name.")}
        )
    visit = Application(
        kind=ApplicationKind.VISIT,
        first_name=first_name.strip(),
        last_name=last_name.strip(),
        email=address,
        event=event,
        hear_more=hear_more,
        consent_at=now,
        status=ApplicationStatus.APPLIED if hear_more else ApplicationStatus.WELCOMED,
        decided_at=None if hear_more else now,
    )
    visit.full_clean()
    visit.save()
    audit_record(
        actor=None,
        action=AuditAction.CREATE,
        target=visit,
        detail={"drop_in": event.pk, "hear_more": hear_more},
    )
    return visit
