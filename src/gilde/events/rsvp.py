"""The guest's answer: the personal RSVP link, the seats, the waiting list.

The link carries the guest's random token (Guest.token, 192 bits) signed with the secret key:
a link changed by one character is refused before the database is asked. The answer can be
changed until the deadline (the event's "answer before", else its start) while the event is
published. Each form the page draws carries a stamp of the answer it showed; a form sent a
second time, or after the answer was changed elsewhere, is refused and changes nothing.

Seats: an accepted guest takes one seat, two with a companion. Every answer that takes or
frees a seat locks the event's row first (select_for_update), so however many guests accept
at the same moment the event is never overbooked: who finds no seat goes on the waiting list,
and a seat that frees goes to the first on the waiting list who fits, with an e-mail."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import Enum

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from gilde.accounts.models import Member
from gilde.events.models import (
    SEATED_STATUSES,
    Event,
    EventMail,
    EventMailKind,
    EventStatus,
    Guest,
    GuestStatus,
)
from gilde.events.services import guest_status_record

SIGNING_SALT = "gilde.events.rsvp"
# Statuses a guest answers from (and changes between) on the RSVP page.
ANSWERABLE = frozenset(
    {
        GuestStatus.INVITED,
        GuestStatus.ACCEPTED,
        GuestStatus.DECLINED,
        GuestStatus.WAITLISTED,
        GuestStatus.NO_ANSWER,
    }
)


class LinkProblem(Enum):
    INVALID = "invalid"  # tampered, unknown, or the guest is no longer on the list
    CLOSED = "closed"  # past the deadline, or the event no longer takes answers
    REUSED = "reused"  # a form sent before, or overtaken by a newer answer


class RsvpError(Exception):
    def __init__(self, problem: LinkProblem, guest: Guest | None = None) -> None:
        super().__init__(problem.value)
        self.problem = problem
        self.guest = guest


def rsvp_key(guest: Guest) -> str:
    return signing.Signer(salt=SIGNING_SALT).sign(guest.token)


def rsvp_path(guest: Guest) -> str:
    return reverse("events:rsvp", args=[rsvp_key(guest)])


def rsvp_url(guest: Guest) -> str:
    return settings.GILDE_BASE_URL + rsvp_path(guest)


def guest_from_key(key: str) -> Guest:
    """The guest a link stands for, or RsvpError(INVALID)."""
    try:
        token = signing.Signer(salt=SIGNING_SALT).unsign(key)
    except signing.BadSignature as exc:
        raise RsvpError(LinkProblem.INVALID) from exc
    guest = (
        Guest.objects.select_related("event", "person", "member__user")
        .filter(token=token, person__isnull=False)
        .first()
    )
    if guest is None or guest.status == GuestStatus.PROPOSED:
        raise RsvpError(LinkProblem.INVALID)
    return guest


def deadline(event: Event) -> dt.datetime:
    return event.rsvp_deadline or event.starts_at


def is_open(guest: Guest, *, now: dt.datetime | None = None) -> bool:
    """May this guest still (change their) answer?"""
    now = now or timezone.now()
    return (
        guest.event.status == EventStatus.PUBLISHED
        and now < deadline(guest.event)
        and guest.status in ANSWERABLE
    )


def form_stamp(guest: Guest) -> str:
    """What the page showed: a form carrying another stamp is stale or sent twice."""
    answered = guest.responded_at.isoformat() if guest.responded_at else "-"
    return signing.Signer(salt=SIGNING_SALT + ".form").sign(f"{guest.pk}|{guest.status}|{answered}")


# ---- seats ----------------------------------------------------------------------------------


def seats_taken(event: Event) -> int:
    counts = event.guests.filter(status__in=SEATED_STATUSES).aggregate(
        guests=Count("id"), companions=Count("id", filter=~Q(companion_name=""))
    )
    return int(counts["guests"] or 0) + int(counts["companions"] or 0)


def seats_free(event: Event) -> int | None:
    """Free seats, or None when the event has no limit."""
    if event.capacity is None:
        return None
    return max(0, event.capacity - seats_taken(event))


def _seats_needed(companion_name: str) -> int:
    return 2 if companion_name else 1


def _lock_event(event_id: int) -> Event:
    return Event.objects.select_for_update().get(pk=event_id)


def _queue_mail(guest: Guest, kind: str, slot: str) -> None:
    from gilde.events.invitations import mail_job_enqueue, mail_queue

    if mail_queue(guest, kind, slot=slot) is not None:
        mail_job_enqueue(guest.event)


def waitlist_move_up(event: Event, *, by: Member | None = None) -> list[Guest]:
    """Give free seats to the waiting list, first come first served (a party that does not fit
    waits while a smaller one behind it may take the last seat). The caller holds the lock on
    the event. Each guest moved up is sent an e-mail."""
    free = seats_free(event)
    moved: list[Guest] = []
    waiting = event.guests.filter(status=GuestStatus.WAITLISTED).select_related("event")
    for guest in waiting.order_by("status_changed_at", "id"):
        if free is not None and free < _seats_needed(guest.companion_name):
            continue
        guest_status_record(guest, GuestStatus.ACCEPTED, by=by)
        if free is not None:
            free -= _seats_needed(guest.companion_name)
        moved.append(guest)
        _queue_mail(guest, EventMailKind.MOVED_UP, slot=str(int(timezone.now().timestamp())))
    return moved


@dataclass(frozen=True)
class Answer:
    attending: bool
    companion_name: str = ""
    dietary_wishes: str = ""
    wish_to_meet: str = ""


def _clean(answer: Answer) -> Answer:
    companion = " ".join(answer.companion_name.split())[:200]
    dietary = " ".join(answer.dietary_wishes.split())[:300]
    wish = answer.wish_to_meet.strip()[:2000]
    return Answer(answer.attending, companion if answer.attending else "", dietary, wish)


def rsvp_answer(*, key: str, answer: Answer, stamp: str | None) -> Guest:
    """Record the guest's answer (accept, decline, companion, wishes) through their link.
    Accepting takes seats if there are any, else puts the guest on the waiting list; declining
    frees seats for the waiting list. Raises RsvpError when the link or form cannot be used."""
    found = guest_from_key(key)
    answer = _clean(answer)
    with transaction.atomic():
        event = _lock_event(found.event_id)
        guest = (
            Guest.objects.select_for_update(of=("self",)).select_related("person").get(pk=found.pk)
        )
        guest.event = event
        if not is_open(guest):
            raise RsvpError(LinkProblem.CLOSED, guest)
        if stamp is not None and stamp != form_stamp(guest):
            raise RsvpError(LinkProblem.REUSED, guest)
        was_seated = guest.status in SEATED_STATUSES
        target = GuestStatus.DECLINED
        if answer.attending:
            free = seats_free(event)
            if was_seated and free is not None:
                free += _seats_needed(guest.companion_name)  # their own seats count as free
            fits = free is None or free >= _seats_needed(answer.companion_name)
            if not fits and was_seated:
                raise ValidationError(
                    _("There is no seat left for a companion; your own place is kept.")
                )
            target = GuestStatus.ACCEPTED if fits else GuestStatus.WAITLISTED
        freed = was_seated and (
            target != GuestStatus.ACCEPTED
            or _seats_needed(answer.companion_name) < _seats_needed(guest.companion_name)
        )
        guest.companion_name = answer.companion_name
        guest.dietary_wishes = answer.dietary_wishes
        guest.wish_to_meet = answer.wish_to_meet
        guest.responded_at = timezone.now()
        guest.save(
            update_fields=["companion_name", "dietary_wishes", "wish_to_meet", "responded_at"]
        )
        if guest.status != target:
            guest_status_record(guest, target)
        if freed:
            waitlist_move_up(event)
    guest.refresh_from_db()
    return guest


def capacity_after_change(*, event: Event, by: Member | None = None) -> list[Guest]:
    """After a seat freed outside the RSVP page (a guest removed, the capacity raised): move
    the waiting list up."""
    with transaction.atomic():
        locked = _lock_event(event.pk)
        return waitlist_move_up(locked, by=by)


@dataclass(frozen=True)
class RsvpCounts:
    invited: int
    accepted: int
    declined: int
    waitlisted: int
    no_answer: int
    seats_taken: int
    capacity: int | None


def rsvp_counts(event: Event) -> RsvpCounts:
    rows = dict(
        event.guests.filter(person__isnull=False)
        .values_list("status")
        .annotate(n=Count("id"))
        .values_list("status", "n")
    )
    answered = {
        GuestStatus.ACCEPTED,
        GuestStatus.DECLINED,
        GuestStatus.WAITLISTED,
        GuestStatus.ATTENDED,
        GuestStatus.NO_SHOW,
    }
    invited = sum(n for status, n in rows.items() if status != GuestStatus.PROPOSED)
    return RsvpCounts(
        invited=invited,
        accepted=rows.get(GuestStatus.ACCEPTED, 0) + rows.get(GuestStatus.ATTENDED, 0),
        declined=rows.get(GuestStatus.DECLINED, 0),
        waitlisted=rows.get(GuestStatus.WAITLISTED, 0),
        no_answer=invited - sum(rows.get(s, 0) for s in answered),
        seats_taken=seats_taken(event),
        capacity=event.capacity,
    )


def answer_validate(attending: str | None) -> bool:
    if attending not in {"yes", "no"}:
        raise ValidationError(_("Choose whether you will come."))
    return attending == "yes"


def mails_of(guest: Guest) -> list[EventMail]:
    return list(guest.mails.order_by("id"))
