"""At the door: find a guest as you type or by the QR code from their e-mail, mark them
arrived, add a walk-in in seconds, and count arrived against expected.

Arriving is one conditional update (not yet arrived → arrived), so two or three devices
checking in the same guest at once count them once: the second device is told who did it
first. A walk-in or companion who is not a relation yet becomes a person with provenance
"event" and the lawful basis the desk chose, recorded in the privacy file."""

from __future__ import annotations

from dataclasses import dataclass

from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from gilde import visibility
from gilde.accounts.models import Member
from gilde.events.models import Event, Guest, GuestStatus
from gilde.events.services import guest_add, guest_status_record
from gilde.names import fold, split_name
from gilde.permissions import require_event_manager
from gilde.privacy.models import LawfulBasis
from gilde.privacy.services import lawful_basis_set
from gilde.relations.models import Organisation, Person
from gilde.relations.selectors import search_persons
from gilde.relations.services import person_create

CODE_SALT = "gilde.events.checkin"
CODE_PREFIX = "GILDE:"
# Who is expected at the door: everyone who said yes (and who already came).
EXPECTED = (GuestStatus.ACCEPTED, GuestStatus.ATTENDED)


def checkin_code(guest: Guest) -> str:
    """What the guest's QR code holds: the event and guest, signed (so a code cannot be made
    up, nor used at another event)."""
    return CODE_PREFIX + signing.Signer(salt=CODE_SALT).sign(f"{guest.event_id}.{guest.pk}")


def guest_from_code(event: Event, code: str, *, user: object) -> Guest:
    """The guest a scanned code stands for at this event; ValidationError when it is not a
    code of this event."""
    text = code.strip()
    if text.startswith(CODE_PREFIX):
        text = text[len(CODE_PREFIX) :]
    try:
        value = signing.Signer(salt=CODE_SALT).unsign(text)
    except signing.BadSignature as exc:
        raise ValidationError(_("This is not a check-in code of Gilde.")) from exc
    event_id, _sep, guest_id = value.partition(".")
    if event_id != str(event.pk) or not guest_id.isdigit():
        raise ValidationError(_("This code belongs to another event."))
    guest = visibility.guests(user).filter(event=event, pk=int(guest_id)).first()
    if guest is None:
        raise ValidationError(_("This guest is no longer on the list."))
    return guest


def _words(text: str) -> list[str]:
    return [w for w in fold(text).split() if w][:5]


def checkin_search(event: Event, query: str, *, user: object, limit: int = 20) -> list[Guest]:
    """Guests of the event matching every word typed, in name or organisation (Dutch name
    folding: "berg" finds "van den Berg"); expected guests first, then the others on the list
    (who declined or were never invited, and came after all)."""
    guests = (
        visibility.guests(user)
        .filter(event=event)
        .select_related("person", "member__user", "checked_in_by__user")
    )
    words = _words(query)
    if not words:
        return []
    for word in words:
        guests = guests.filter(
            Q(person__search_text__contains=word)
            | Q(member__user__first_name__icontains=word)
            | Q(member__user__last_name__icontains=word)
            | Q(companion_name__icontains=word)
        )
    found = sorted(guests[: limit * 3], key=_door_order)
    return found[:limit]


def _door_order(guest: Guest) -> tuple[int, str]:
    expected = 0 if guest.status in EXPECTED else 1
    name = guest.person.sort_name if guest.person else (guest.member.name if guest.member else "")
    return expected, name


def network_matches(event: Event, query: str, *, user: object, limit: int = 5) -> list[Person]:
    """Relations the user sees who match and are not on the list: a walk-in who is already
    in the network is checked in as themselves, not made a second time."""
    if len(query.strip()) < 3:
        return []
    on_list = Guest.objects.filter(event=event, person__isnull=False).values("person_id")
    found = search_persons(visibility.persons(user), query).exclude(pk__in=on_list)
    return list(found.order_by("sort_name")[:limit])


@dataclass(frozen=True)
class CheckIn:
    guest: Guest
    # False when another device had already checked this guest in.
    new: bool


def checkin(*, member: Member, guest: Guest) -> CheckIn:
    """Mark the guest arrived (and attended); once, however many devices try at once."""
    require_event_manager(member, guest.event)
    now = timezone.now()
    with transaction.atomic():
        won = Guest.objects.filter(pk=guest.pk, checked_in_at__isnull=True).update(
            checked_in_at=now, checked_in_by=member
        )
        fresh = Guest.objects.select_related("person", "member__user", "checked_in_by__user").get(
            pk=guest.pk
        )
        if won and fresh.status != GuestStatus.ATTENDED:
            guest_status_record(fresh, GuestStatus.ATTENDED, by=member)
            _attendance_follows(fresh)
    return CheckIn(fresh, bool(won))


def _attendance_follows(guest: Guest) -> None:
    """The arrival becomes contact history (a relation's event moment; a colleague's arrival
    changes who received the relations) through the attendance module."""
    from gilde.events.attendance import attendance_follow

    attendance_follow(event=guest.event, guests=[guest] if guest.person_id else None)


def checkin_undo(*, member: Member, guest: Guest) -> Guest:
    """Take back an arrival made by mistake: the guest is expected again."""
    require_event_manager(member, guest.event)
    with transaction.atomic():
        undone = Guest.objects.filter(pk=guest.pk, checked_in_at__isnull=False).update(
            checked_in_at=None, checked_in_by=None
        )
        fresh = Guest.objects.select_related("person", "member__user").get(pk=guest.pk)
        if undone and fresh.status == GuestStatus.ATTENDED:
            guest_status_record(fresh, GuestStatus.ACCEPTED, by=member)
            _attendance_follows(fresh)
    return fresh


@dataclass(frozen=True)
class DoorCount:
    arrived: int
    expected: int

    @property
    def waiting(self) -> int:
        return max(0, self.expected - self.arrived)


def door_count(event: Event, *, user: object) -> DoorCount:
    """Heads: each guest, and the companion who comes with them."""
    came = Q(checked_in_at__isnull=False)
    expected = Q(status__in=EXPECTED) | came
    companion = ~Q(companion_name="")
    row = (
        visibility.guests(user)
        .filter(event=event)
        .aggregate(
            arrived=Count("id", filter=came),
            arrived_with=Count("id", filter=came & companion),
            expected=Count("id", filter=expected),
            expected_with=Count("id", filter=expected & companion),
        )
    )
    return DoorCount(
        int(row["arrived"] or 0) + int(row["arrived_with"] or 0),
        int(row["expected"] or 0) + int(row["expected_with"] or 0),
    )


def walk_in_add(
    *,
    member: Member,
    event: Event,
    given_name: str,
    family_name: str,
    organisation: str = "",
    email: str = "",
    lawful_basis: str = LawfulBasis.LEGITIMATE_INTEREST,
    companion_of: Guest | None = None,
    arrived: bool = True,
    tussenvoegsel: str = "",
) -> Guest:
    """A walk-in (or a guest's companion) who is not a relation yet becomes a person with
    provenance "event" and the lawful basis asked at the desk, goes on the list and, at the
    door, is checked in."""
    require_event_manager(member, event)
    given_name, family_name = given_name.strip(), family_name.strip()
    if not family_name:
        raise ValidationError({"family_name": _("Type at least the family name.")})
    if lawful_basis not in LawfulBasis.values or lawful_basis == LawfulBasis.CONTRACT:
        raise ValidationError({"lawful_basis": _("Choose a lawful basis.")})
    source = _("Event: %(title)s") % {"title": event.title}
    with transaction.atomic():
        company = None
        if organisation.strip():
            company = Organisation.objects.filter(sort_name=fold(organisation.strip())).first()
        person = person_create(
            actor=member,
            given_name=given_name,
            family_name=family_name,
            tussenvoegsel=tussenvoegsel.strip()[:30],
            emails=[email.strip()] if email.strip() else [],
            organisation=company,
            source=source[:200],
        )
        if lawful_basis == LawfulBasis.CONSENT:
            lawful_basis_set(
                actor=member,
                person=person,
                lawful_basis=lawful_basis,
                consent_given_on=timezone.localdate(),
                consent_how=_("At the door of %(title)s") % {"title": event.title},
            )
        else:
            note = (
                _("Came to %(title)s as the companion of %(guest)s; a follow-up is expected.")
                % {"title": event.title, "guest": companion_of}
                if companion_of
                else _("Came to %(title)s as a walk-in; a follow-up is expected.")
                % {"title": event.title}
            )
            lawful_basis_set(
                actor=member, person=person, lawful_basis=lawful_basis, balancing_note=note
            )
        reason = (
            _("Companion of %(guest)s") % {"guest": companion_of} if companion_of else _("Walk-in")
        )
        guest = guest_add(
            member=member,
            event=event,
            person=person,
            reason=reason,
            host=companion_of.host if companion_of else None,
        )
        guest_status_record(guest, GuestStatus.ACCEPTED, by=member)
    if arrived:
        return checkin(member=member, guest=guest).guest
    return guest


def companion_register(
    *, member: Member, guest: Guest, lawful_basis: str, email: str = ""
) -> tuple[Guest, Guest]:
    """The companion a guest brought becomes a relation and a guest of their own (checked in
    when the guest is): the guest's companion name is taken off, so heads are not counted
    twice. Returns the guest and the companion's new place."""
    require_event_manager(member, guest.event)
    if not guest.companion_name:
        raise ValidationError(_("This guest has no companion to register."))
    name = split_name(guest.companion_name)
    with transaction.atomic():
        companion = walk_in_add(
            member=member,
            event=guest.event,
            given_name=name.given_name or name.initials,
            tussenvoegsel=name.tussenvoegsel,
            family_name=name.family_name,
            email=email,
            lawful_basis=lawful_basis,
            companion_of=guest,
            arrived=False,
        )
        Guest.objects.filter(pk=guest.pk).update(companion_name="")
    if guest.checked_in_at is not None:
        companion = checkin(member=member, guest=companion).guest
    guest.refresh_from_db()
    return guest, companion


def known_walk_in(*, member: Member, event: Event, person: Person) -> Guest:
    """A relation who came without being on the list: added (reason "walk-in") and checked in."""
    require_event_manager(member, event)
    with transaction.atomic():
        guest = guest_add(member=member, event=event, person=person, reason=_("Walk-in"))
        if guest.status not in EXPECTED:
            guest_status_record(guest, GuestStatus.ACCEPTED, by=member)
    return checkin(member=member, guest=guest).guest


def door_guests(event: Event, *, user: object) -> QuerySet[Guest]:
    return (
        visibility.guests(user)
        .filter(event=event, status__in=EXPECTED)
        .select_related("person", "member__user")
    )
