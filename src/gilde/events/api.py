"""JSON API operations of events: the event, its programme and costs, its guest list and the
attendance afterwards. The same visibility as the pages: an event for organisers only does not
exist for others, and a relation hidden from the caller is not on any list they read."""

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from gilde import visibility
from gilde.accounts.models import Member
from gilde.core.dates import ApiDateTime
from gilde.core.schemas import (
    ConflictOut,
    Id,
    InputSchema,
    Money,
    Paging,
    PatchSchema,
    stale_conflict,
)
from gilde.core.web import current_member
from gilde.events import attendance, selectors, services
from gilde.events.models import (
    CostCategory,
    CostItem,
    Event,
    EventKind,
    EventStatus,
    EventVisibility,
    Guest,
    GuestRole,
    GuestStatus,
    ProgrammeItem,
    ProgrammeItemKind,
)
from gilde.permissions import require_event_manager
from gilde.relations.models import Language
from gilde.relations.selectors import person_get

router = Router(tags=["events"])


class EventIn(InputSchema):
    title: str = Field(..., min_length=1, max_length=200)
    kind: EventKind = EventKind.NETWORK_MEETING
    starts_at: ApiDateTime
    ends_at: ApiDateTime
    venue: str = Field("", max_length=200)
    address: str = Field("", max_length=300)
    capacity: int | None = Field(None, ge=1, le=1_000_000)
    language: Language = Language.DUTCH
    objective: str = Field("", max_length=300)
    description: str = Field("", max_length=20_000)
    visibility: EventVisibility = EventVisibility.ORGANISATION
    rsvp_deadline: ApiDateTime | None = None
    paid: bool = Field(False, description="Guests pay to attend (fewer no-shows expected)")
    budget: Money | None = None
    themes: list[str] = Field(default_factory=list, max_length=100)
    organiser_ids: list[Id] = Field(
        default_factory=list, max_length=100, description="Colleagues; defaults to you"
    )


class EventPatch(PatchSchema):
    nullable = frozenset({"capacity", "rsvp_deadline", "budget"})

    version: int | None = Field(
        None, ge=1, description="The version you read; refused with 409 if it changed since"
    )
    title: str | None = Field(None, min_length=1, max_length=200)
    kind: EventKind | None = None
    status: EventStatus | None = None
    starts_at: ApiDateTime | None = None
    ends_at: ApiDateTime | None = None
    venue: str | None = Field(None, max_length=200)
    address: str | None = Field(None, max_length=300)
    capacity: int | None = Field(None, ge=1, le=1_000_000)
    language: Language | None = None
    objective: str | None = Field(None, max_length=300)
    description: str | None = Field(None, max_length=20_000)
    visibility: EventVisibility | None = None
    rsvp_deadline: ApiDateTime | None = None
    paid: bool | None = None
    budget: Money | None = None
    themes: list[str] | None = Field(None, max_length=100)
    organiser_ids: list[Id] | None = Field(None, max_length=100)


class EventOut(Schema):
    id: int
    title: str
    kind: str
    status: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    venue: str
    address: str
    capacity: int | None
    language: str
    objective: str
    description: str
    visibility: str
    rsvp_deadline: dt.datetime | None
    paid: bool
    budget: Decimal | None
    version: int
    themes: list[str]
    organiser_ids: list[int]

    @staticmethod
    def resolve_themes(obj: Event) -> list[str]:
        return [tag.name for tag in obj.themes.all()]

    @staticmethod
    def resolve_organiser_ids(obj: Event) -> list[int]:
        return [member.pk for member in obj.organisers.all()]


class ProgrammeItemIn(InputSchema):
    starts_at: ApiDateTime
    duration_minutes: int = Field(..., ge=1, le=24 * 60)
    kind: ProgrammeItemKind = ProgrammeItemKind.NETWORKING
    title: str = Field(..., min_length=1, max_length=200)
    speaker: str = Field("", max_length=200)


class ProgrammeItemOut(Schema):
    id: int
    starts_at: dt.datetime
    duration_minutes: int
    kind: str
    title: str
    speaker: str


class ProgrammeOut(Schema):
    items: list[ProgrammeItemOut]
    meeting_minutes: int
    total_minutes: int
    meeting_share: int | None = Field(..., description="Percentage of the event's time to meet")
    too_little_time_to_meet: bool


class CostItemIn(InputSchema):
    category: CostCategory = CostCategory.OTHER
    description: str = Field(..., min_length=1, max_length=200)
    planned: Money = Decimal("0")
    actual: Money | None = None


class CostItemOut(Schema):
    id: int
    category: str
    description: str
    planned: Decimal
    actual: Decimal | None


class CostsOut(Schema):
    items: list[CostItemOut]
    planned: Decimal
    actual: Decimal
    expected: Decimal
    budget: Decimal | None
    invited: int
    attending: int
    per_invited: Decimal | None
    per_attending: Decimal | None


class GuestIn(InputSchema):
    person_id: int | None = Field(None, ge=1, description="A relation (or give member_id)")
    member_id: int | None = Field(None, ge=1, description="A colleague, as host or organiser")
    host_id: int | None = Field(None, ge=1, description="The colleague who receives the relation")
    reason: str = Field("", max_length=300)


class GuestOut(Schema):
    id: int
    person_id: int | None
    member_id: int | None
    role: str
    host_id: int | None
    status: str
    status_changed_at: dt.datetime
    reason: str
    checked_in_at: dt.datetime | None


class AttendanceIn(InputSchema):
    present: list[int] = Field(
        ..., max_length=100_000, description="The guest places that were there"
    )


class AttendanceOut(Schema):
    changed: int


def _event(request: HttpRequest, event_id: int) -> Event:
    return selectors.event_get(request.user, event_id)


def _members(request: HttpRequest, ids: list[int]) -> list[Any]:
    found = list(visibility.members(request.user).filter(pk__in=ids))
    if len(found) != len(set(ids)):
        raise Member.DoesNotExist
    return found


@router.get("/events", response=list[EventOut])
@paginate(Paging)
def list_events(request: HttpRequest, when: str = "upcoming", q: str = "") -> Any:
    """Events you may see: upcoming (soonest first) or past (`when=past`, latest first)."""
    return selectors.event_list(request.user, when=when, q=q[:200]).prefetch_related(
        "themes", "organisers"
    )


@router.get("/events/{event_id}", response=EventOut)
def get_event(request: HttpRequest, event_id: int) -> Event:
    return _event(request, event_id)


@router.post("/events", response={201: EventOut})
def create_event(request: HttpRequest, payload: EventIn) -> Status[Event]:
    data = payload.dict()
    organisers = _members(request, data.pop("organiser_ids"))
    event = services.event_create(member=current_member(request), organisers=organisers, **data)
    return Status(201, event)


@router.patch("/events/{event_id}", response={200: EventOut, 409: ConflictOut})
def update_event(request: HttpRequest, event_id: int, payload: EventPatch) -> Any:
    """Change the fields given. Send the `version` you read: a stale one answers 409 and
    changes nothing."""
    event = _event(request, event_id)
    data = payload.dict(exclude_unset=True)
    version = data.pop("version", None)
    if "organiser_ids" in data:
        data["organisers"] = _members(request, data.pop("organiser_ids"))
    try:
        return services.event_update(
            member=current_member(request), event=event, version=version, **data
        )
    except ValidationError as error:
        return stale_conflict(error, services.STALE_EVENT_MESSAGE)


@router.delete("/events/{event_id}", response={204: None})
def delete_event(request: HttpRequest, event_id: int) -> Status[None]:
    services.event_delete(member=current_member(request), event=_event(request, event_id))
    return Status(204, None)


def _programme_out(event: Event) -> dict[str, Any]:
    items = list(event.programme.all())
    ttm = selectors.time_to_meet(event, items)
    return {
        "items": items,
        "meeting_minutes": ttm.meeting_minutes,
        "total_minutes": ttm.total_minutes,
        "meeting_share": ttm.share,
        "too_little_time_to_meet": ttm.too_little,
    }


@router.get("/events/{event_id}/programme", response=ProgrammeOut)
def get_programme(request: HttpRequest, event_id: int) -> dict[str, Any]:
    return _programme_out(_event(request, event_id))


@router.post("/events/{event_id}/programme", response={201: ProgrammeOut})
def add_programme_item(
    request: HttpRequest, event_id: int, payload: ProgrammeItemIn
) -> Status[dict[str, Any]]:
    event = _event(request, event_id)
    item = ProgrammeItem(event=event, **payload.dict())
    services.programme_item_save(member=current_member(request), item=item)
    return Status(201, _programme_out(event))


@router.delete("/events/{event_id}/programme/{item_id}", response={204: None})
def delete_programme_item(request: HttpRequest, event_id: int, item_id: int) -> Status[None]:
    event = _event(request, event_id)
    services.programme_item_delete(
        member=current_member(request), item=event.programme.get(pk=item_id)
    )
    return Status(204, None)


def _costs_out(request: HttpRequest, event: Event) -> dict[str, Any]:
    costs = selectors.costs(request.user, event)
    return {
        "items": list(event.costs.all()),
        "planned": costs.planned,
        "actual": costs.actual,
        "expected": costs.expected,
        "budget": costs.budget,
        "invited": costs.invited,
        "attending": costs.attending,
        "per_invited": costs.per_invited,
        "per_attending": costs.per_attending,
    }


@router.get("/events/{event_id}/costs", response=CostsOut)
def get_costs(request: HttpRequest, event_id: int) -> dict[str, Any]:
    return _costs_out(request, _event(request, event_id))


@router.post("/events/{event_id}/costs", response={201: CostsOut})
def add_cost_item(
    request: HttpRequest, event_id: int, payload: CostItemIn
) -> Status[dict[str, Any]]:
    event = _event(request, event_id)
    services.cost_item_save(
        member=current_member(request), item=CostItem(event=event, **payload.dict())
    )
    return Status(201, _costs_out(request, event))


@router.delete("/events/{event_id}/costs/{item_id}", response={204: None})
def delete_cost_item(request: HttpRequest, event_id: int, item_id: int) -> Status[None]:
    event = _event(request, event_id)
    services.cost_item_delete(member=current_member(request), item=event.costs.get(pk=item_id))
    return Status(204, None)


@router.get("/events/{event_id}/guests", response=list[GuestOut])
@paginate(Paging)
def list_guests(request: HttpRequest, event_id: int, status: GuestStatus | None = None) -> Any:
    """The guest list as you may see it: relations hidden from you are left out."""
    event = _event(request, event_id)
    guests = visibility.guests(request.user).filter(event=event)
    if status is not None:
        guests = guests.filter(status=status)
    return guests.order_by("id")


@router.post("/events/{event_id}/guests", response={201: GuestOut})
def add_guest(request: HttpRequest, event_id: int, payload: GuestIn) -> Status[Guest]:
    """Put a relation or a colleague on the list as proposed (again: their existing place)."""
    event = _event(request, event_id)
    member = current_member(request)
    require_event_manager(member, event)
    person = person_get(user=request.user, pk=payload.person_id) if payload.person_id else None
    colleague = _members(request, [payload.member_id])[0] if payload.member_id else None
    host = _members(request, [payload.host_id])[0] if payload.host_id else None
    guest = services.guest_add(
        member=member,
        event=event,
        person=person,
        colleague=colleague,
        host=host,
        role=GuestRole.HOST if colleague else GuestRole.GUEST,
        reason=payload.reason,
    )
    return Status(201, guest)


@router.delete("/events/{event_id}/guests/{guest_id}", response={204: None})
def remove_guest(request: HttpRequest, event_id: int, guest_id: int) -> Status[None]:
    event = _event(request, event_id)
    guest = visibility.guests(request.user).get(event=event, pk=guest_id)
    services.guest_remove(member=current_member(request), guest=guest)
    return Status(204, None)


@router.put("/events/{event_id}/attendance", response=AttendanceOut)
def set_attendance(request: HttpRequest, event_id: int, payload: AttendanceIn) -> dict[str, int]:
    """After the event: the given places were there, the others who accepted did not show.
    Those present get the event in their contact history."""
    event = _event(request, event_id)
    changed = attendance.attendance_set(
        member=current_member(request), event=event, present=payload.present
    )
    return {"changed": changed}
