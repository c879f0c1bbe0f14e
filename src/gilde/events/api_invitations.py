"""JSON API of invitations, answers and check-in, with the same visibility rules as the pages:
an event or guest outside the caller's scope answers 404; changing needs the event's
organisers or a network manager."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status

from gilde import visibility
from gilde.core.web import current_member
from gilde.events import checkin, invitations, rsvp
from gilde.events.models import Event, Guest
from gilde.permissions import require_event_manager

router = Router(tags=["events"])


class MailOut(Schema):
    kind: str
    status: str
    sent_at: dt.datetime | None
    error: str


class InvitationOut(Schema):
    guest_id: int = Field(..., alias="id")
    person_id: int | None
    status: str
    invited_at: dt.datetime | None
    responded_at: dt.datetime | None
    companion_name: str
    dietary_wishes: str
    wish_to_meet: str
    bounced_at: dt.datetime | None
    checked_in_at: dt.datetime | None
    mails: list[MailOut]

    @staticmethod
    def resolve_mails(obj: Guest) -> list[MailOut]:
        return [MailOut.model_validate(m, from_attributes=True) for m in obj.mails.all()]


class SendIn(Schema):
    guest_ids: list[int] | None = Field(
        None, description="Only these proposed guests; all proposed relations when left out"
    )


class SendOut(Schema):
    queued: int
    without_address: list[int] = Field(..., description="Guests who have no e-mail address")
    job_id: int | None


class RsvpCountsOut(Schema):
    invited: int
    accepted: int
    declined: int
    waitlisted: int
    no_answer: int
    seats_taken: int
    capacity: int | None


class DoorCountOut(Schema):
    arrived: int
    expected: int


class CheckInOut(Schema):
    guest_id: int
    status: str
    checked_in_at: dt.datetime | None
    new: bool = Field(..., description="False when the guest had already been checked in")


def _event(request: HttpRequest, event_id: int) -> Event:
    return visibility.events(request.user).get(pk=event_id)


def _guest(request: HttpRequest, event: Event, guest_id: int) -> Guest:
    return visibility.guests(request.user).select_related("event").get(event=event, pk=guest_id)


@router.get("/events/{event_id}/invitations", response=list[InvitationOut])
def invitations_list(request: HttpRequest, event_id: int) -> list[Guest]:
    """Every relation on the list with its status, answer and e-mails."""
    event = _event(request, event_id)
    return list(
        visibility.guests(request.user)
        .filter(event=event, person__isnull=False)
        .prefetch_related("mails")
        .order_by("id")
    )


@router.post("/events/{event_id}/invitations/send", response={202: SendOut})
def invitations_send(request: HttpRequest, event_id: int, payload: SendIn) -> Status[SendOut]:
    """Queue the invitations to the proposed relations; they are sent in the background."""
    event = _event(request, event_id)
    result = invitations.invitations_send(
        member=current_member(request), event=event, guest_ids=payload.guest_ids
    )
    return Status(
        202,
        SendOut(
            queued=result.queued,
            without_address=[g.pk for g in result.without_address],
            job_id=result.job.pk if result.job else None,
        ),
    )


@router.get("/events/{event_id}/rsvp", response=RsvpCountsOut)
def rsvp_status(request: HttpRequest, event_id: int) -> rsvp.RsvpCounts:
    event = _event(request, event_id)
    require_event_manager(current_member(request), event)
    return rsvp.rsvp_counts(event)


@router.get("/events/{event_id}/check-in", response=DoorCountOut)
def door_count(request: HttpRequest, event_id: int) -> checkin.DoorCount:
    return checkin.door_count(_event(request, event_id), user=request.user)


@router.post("/events/{event_id}/guests/{guest_id}/check-in", response=CheckInOut)
def check_in(request: HttpRequest, event_id: int, guest_id: int) -> CheckInOut:
    event = _event(request, event_id)
    done = checkin.checkin(member=current_member(request), guest=_guest(request, event, guest_id))
    return CheckInOut(
        guest_id=done.guest.pk,
        status=done.guest.status,
        checked_in_at=done.guest.checked_in_at,
        new=done.new,
    )


@router.delete("/events/{event_id}/guests/{guest_id}/check-in", response=CheckInOut)
def check_in_undo(request: HttpRequest, event_id: int, guest_id: int) -> CheckInOut:
    event = _event(request, event_id)
    guest = checkin.checkin_undo(
        member=current_member(request), guest=_guest(request, event, guest_id)
    )
    return CheckInOut(guest_id=guest.pk, status=guest.status, checked_in_at=None, new=False)
