"""After the door: who was there becomes contact history. Each relation who attended gets one
contact moment of kind "event" at the event's start, with the colleagues who received them
(their host, or without one the organisers present), so attendance feeds care and tie strength
through care's one entry point. The moment is linked to the guest's place and follows it: a
guest corrected to no-show loses it, a late check-in gains it, a changed host is written over.

One moment per relation, not one for the whole room: a moment with a confidential participant is
hidden from those who may not see them and counts only in that participant's figures, so one
shared moment would take the event out of every other guest's history."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gilde import visibility
from gilde.accounts.models import Member
from gilde.audit.models import AuditAction
from gilde.audit.services import audit_record
from gilde.contacts.models import ContactKind, ContactMoment
from gilde.events.models import Event, EventStatus, Guest, GuestStatus
from gilde.events.services import guest_status_record
from gilde.maintenance.services import care_follow
from gilde.permissions import require_event_manager


def _colleagues_present(event: Event) -> tuple[set[int], list[int]]:
    present = set(
        event.guests.filter(member__isnull=False, status=GuestStatus.ATTENDED).values_list(
            "member_id", flat=True
        )
    )
    organisers = [pk for pk in event.organisers.values_list("pk", flat=True) if pk in present]
    return present, organisers


@transaction.atomic
def attendance_follow(*, event: Event, guests: Iterable[Guest] | None = None) -> int:
    """Bring the attendance moments of the given relations on the list (all by default) in
    line with their status; returns how many moments were made or removed. Called by check-in,
    by the attendance page and by the API."""
    places = list(
        (
            event.guests.all()
            if guests is None
            else Guest.objects.filter(pk__in=[g.pk for g in guests])
        )
        .filter(person__isnull=False)
        .select_related("person", "contact_moment")
    )
    present, organisers = _colleagues_present(event)
    changed: set[int] = set()
    count = 0
    for place in places:
        attended = place.status == GuestStatus.ATTENDED
        moment = place.contact_moment
        if not attended:
            if moment is not None:
                moment.delete()
                place.contact_moment = None
                place.save(update_fields=["contact_moment"])
                changed.add(place.person_id)  # type: ignore[arg-type]
                count += 1
            continue
        colleagues = [place.host_id] if place.host_id in present else organisers
        if moment is None:
            moment = ContactMoment.objects.create(
                occurred_at=min(event.starts_at, timezone.now()),
                kind=ContactKind.EVENT,
                summary=event.title[:300],
                organisation=None,
                created_by=event.created_by,
            )
            moment.persons.set([place.person])  # type: ignore[list-item]
            place.contact_moment = moment
            place.save(update_fields=["contact_moment"])
            count += 1
        moment.members.set(colleagues)
        changed.add(place.person_id)  # type: ignore[arg-type]
    if changed:
        care_follow(person_ids=changed)
    return count


@transaction.atomic
def attendance_set(*, member: Member, event: Event, present: Iterable[int]) -> int:
    """Record after the event who was there: the given places attended, every other accepted
    (or already marked) place did not show. Returns how many places changed."""
    require_event_manager(member, event)
    if event.starts_at > timezone.now():
        raise ValidationError(_("Attendance can be recorded once the event has started."))
    Event.objects.select_for_update().filter(pk=event.pk).first()
    present_ids = set(present)
    # Only the places the member sees: a confidential guest hidden from them is neither marked
    # present nor, by not being ticked, absent.
    places = list(
        visibility.guests(member.user).filter(
            event=event,
            status__in=[GuestStatus.ACCEPTED, GuestStatus.ATTENDED, GuestStatus.NO_SHOW],
        )
    )
    unknown = present_ids - {place.pk for place in places}
    if unknown:
        raise ValidationError(_("Only guests who accepted can be marked as present."))
    changed = []
    for place in places:
        status = GuestStatus.ATTENDED if place.pk in present_ids else GuestStatus.NO_SHOW
        if place.status != status:
            if status == GuestStatus.ATTENDED and place.checked_in_at is None:
                place.checked_in_at = timezone.now()
                place.checked_in_by = member
                place.save(update_fields=["checked_in_at", "checked_in_by"])
            guest_status_record(place, status, by=member)
            changed.append(place)
    # Recording who was there means the event was held.
    if event.status in (EventStatus.DRAFT, EventStatus.PUBLISHED, EventStatus.CLOSED):
        event.status = EventStatus.HELD
        Event.objects.filter(pk=event.pk).update(status=EventStatus.HELD)
    # Colleagues' presence changes who received each relation, so every place is brought in line.
    attendance_follow(event=event)
    audit_record(
        actor=member,
        action=AuditAction.CHANGE,
        target=event,
        detail={"attendance": len(changed), "present": len(present_ids)},
    )
    return len(changed)
