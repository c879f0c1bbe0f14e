"""Changing events: the event itself, its programme and costs, and the guest list. Every change
runs in one transaction and lands whole or not at all."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from gilde.accounts.models import Member
from gilde.events.models import (
    SEATED_STATUSES,
    CostItem,
    Event,
    Guest,
    GuestRole,
    GuestStatus,
    GuestStatusChange,
    ProgrammeItem,
)
from gilde.permissions import require_event_manager
from gilde.relations.models import Person, Tag
from gilde.relations.services import tags_resolve

STALE_EVENT_MESSAGE = _(
    "Someone else changed this event while you were editing it. Reload it and make your change again."
)


def _capacity_check(event: Event, capacity: int | None) -> None:
    if capacity is None:
        return
    seated = event.guests.filter(status__in=SEATED_STATUSES).count()
    if capacity < seated:
        raise ValidationError(
            {
                "capacity": _(
                    "%(seated)d guests have already accepted: the capacity cannot be lower."
                )
                % {"seated": seated}
            }
        )


def _themes(names: Iterable[str], member: Member) -> list[Tag]:
    """The event's themes: shared tags, so new ones count toward the member's daily limit of
    new tags, shown on the themes field."""
    try:
        return tags_resolve(names, actor=member)
    except ValidationError as error:
        raise ValidationError({"themes": error.error_dict["tags"]}) from error


@transaction.atomic
def event_create(
    *,
    member: Member,
    themes: Iterable[str] = (),
    organisers: Iterable[Member] = (),
    **fields: Any,
) -> Event:
    if not member.can_write:
        raise PermissionDenied(_("Read-only members cannot create events."))
    event = Event(created_by=member, **fields)
    event.full_clean()
    event.save()
    event.themes.set(_themes(themes, member))
    chosen = set(organisers) or {member}
    event.organisers.set(chosen)
    return event


@transaction.atomic
def event_update(
    *,
    member: Member,
    event: Event,
    version: int | None = None,
    themes: Iterable[str] | None = None,
    organisers: Iterable[Member] | None = None,
    **fields: Any,
) -> Event:
    """Change an event; with `version`, refuse when someone else saved it in between."""
    require_event_manager(member, event)
    locked = Event.objects.select_for_update().get(pk=event.pk)
    if version is not None and locked.version != version:
        raise ValidationError(STALE_EVENT_MESSAGE, code="stale")
    capacity_before = locked.capacity
    for name, value in fields.items():
        setattr(locked, name, value)
    if "capacity" in fields:
        _capacity_check(locked, locked.capacity)
    locked.full_clean()
    _programme_fits(locked)
    more_seats = "capacity" in fields and (
        locked.capacity is None
        or (capacity_before is not None and locked.capacity > capacity_before)
    )
    locked.version = F("version") + 1
    locked.save()
    locked.refresh_from_db()
    if more_seats:
        from gilde.events.rsvp import capacity_after_change

        capacity_after_change(event=locked, by=member)
    if themes is not None:
        locked.themes.set(_themes(themes, member))
    if organisers is not None:
        locked.organisers.set(list(organisers) or [member])
    return locked


def _programme_fits(event: Event) -> None:
    outside = [
        item.title
        for item in event.programme.all()
        if item.starts_at < event.starts_at or item.ends_at > event.ends_at
    ]
    if outside:
        raise ValidationError(
            _("The programme would fall outside the event's time: %(items)s.")
            % {"items": ", ".join(outside)}
        )


@transaction.atomic
def event_delete(*, member: Member, event: Event) -> None:
    require_event_manager(member, event)
    event.delete()


def _item_in_event(item: ProgrammeItem) -> None:
    event = item.event
    if item.starts_at < event.starts_at or item.ends_at > event.ends_at:
        raise ValidationError(
            {
                "starts_at": _(
                    "A programme item lies within the event's time (%(start)s – %(end)s)."
                )
                % {
                    "start": timezone.localtime(event.starts_at).strftime("%H:%M"),
                    "end": timezone.localtime(event.ends_at).strftime("%H:%M"),
                }
            }
        )


@transaction.atomic
def programme_item_save(*, member: Member, item: ProgrammeItem) -> ProgrammeItem:
    require_event_manager(member, item.event)
    item.full_clean()
    _item_in_event(item)
    item.save()
    return item


@transaction.atomic
def programme_item_delete(*, member: Member, item: ProgrammeItem) -> None:
    require_event_manager(member, item.event)
    item.delete()


@transaction.atomic
def cost_item_save(*, member: Member, item: CostItem) -> CostItem:
    require_event_manager(member, item.event)
    item.full_clean()
    item.save()
    return item


@transaction.atomic
def cost_item_delete(*, member: Member, item: CostItem) -> None:
    require_event_manager(member, item.event)
    item.delete()


def guest_status_record(guest: Guest, status: str, *, by: Member | None = None) -> None:
    """Set a guest's status and keep the change in its history (turnout is predicted from it).
    The caller holds the transaction and, for seats, the lock on the event."""
    now = timezone.now()
    guest.status = status
    guest.status_changed_at = now
    guest.save(update_fields=["status", "status_changed_at"])
    GuestStatusChange.objects.create(guest=guest, status=status, at=now, by=by)


@transaction.atomic
def guest_add(
    *,
    member: Member,
    event: Event,
    person: Person | None = None,
    colleague: Member | None = None,
    role: str = GuestRole.GUEST,
    host: Member | None = None,
    reason: str = "",
) -> Guest:
    """Put a relation or a colleague on the guest list as proposed (once: adding them again
    returns their existing place)."""
    require_event_manager(member, event)
    if (person is None) == (colleague is None):
        raise ValidationError(_("A guest is a relation or a colleague."))
    lookup = {"person": person} if person is not None else {"member": colleague}
    existing = Guest.objects.filter(event=event, **lookup).first()
    if existing is not None:
        return existing
    guest = Guest(
        event=event,
        person=person,
        member=colleague,
        role=GuestRole.HOST if colleague is not None and role == GuestRole.GUEST else role,
        host=host,
        reason=reason or _("Added by hand"),
        added_by=member,
    )
    guest.full_clean()
    guest.save()
    GuestStatusChange.objects.create(guest=guest, status=GuestStatus.PROPOSED, by=member)
    return guest


@transaction.atomic
def guest_remove(*, member: Member, guest: Guest) -> None:
    """Take a place off the list; a seat it held goes to the first on the waiting list."""
    from gilde.events.rsvp import capacity_after_change

    require_event_manager(member, guest.event)
    seated = guest.status in SEATED_STATUSES
    guest.delete()
    if seated:
        capacity_after_change(event=guest.event, by=member)
