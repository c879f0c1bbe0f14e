"""API operations for contact moments and follow-ups."""

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Field, FilterSchema, Query, Router, Schema, Status
from ninja.pagination import paginate

from gilde import visibility
from gilde.accounts.models import Member
from gilde.contacts import selectors, services
from gilde.contacts.models import ContactKind, ContactMoment, FollowUp
from gilde.core.dates import ApiDate, ApiDateTime
from gilde.core.schemas import (
    FilledLine,
    Id,
    InputSchema,
    Paging,
    ParticipantsOut,
    PatchSchema,
    Text,
)
from gilde.core.web import current_member
from gilde.relations.models import Person


class SignalOut(ParticipantsOut):
    id: int = Field(..., description="Contact moment id")
    occurred_at: dt.datetime
    signals: str
    summary: str
    organisation_id: int | None


class SignalListFilters(FilterSchema):
    q: str = ""
    sector: str = ""
    stakeholder_type: str = ""
    tag: str = ""
    since: ApiDate | None = None
    until: ApiDate | None = None


router = Router()

# The most persons (or colleagues) one contact moment names: a meeting, not a mailing list.
MAX_PARTICIPANTS = 200


class ContactMomentIn(InputSchema):
    occurred_at: ApiDateTime
    kind: ContactKind = ContactKind.CALL
    person_ids: list[Id] = Field(..., min_length=1, max_length=MAX_PARTICIPANTS)
    member_ids: list[Id] = Field(
        default_factory=list, max_length=MAX_PARTICIPANTS, description="Defaults to you"
    )
    organisation_id: Id | None = None
    summary: FilledLine = Field(..., max_length=300)
    notes: Text = ""
    signals: Text = ""


class ContactMomentPatch(PatchSchema):
    occurred_at: ApiDateTime | None = None
    kind: ContactKind | None = None
    person_ids: list[Id] | None = Field(None, min_length=1, max_length=MAX_PARTICIPANTS)
    member_ids: list[Id] | None = Field(None, max_length=MAX_PARTICIPANTS)
    summary: FilledLine | None = Field(None, max_length=300)
    notes: Text | None = None
    signals: Text | None = None


class ContactMomentOut(ParticipantsOut):
    id: int
    occurred_at: dt.datetime
    kind: str
    organisation_id: int | None
    summary: str
    notes: str
    signals: str
    created_by_id: int | None


class FollowUpIn(InputSchema):
    title: FilledLine = Field(..., max_length=300)
    due_date: ApiDate | None = None
    person_id: Id | None = None
    contact_moment_id: Id | None = None
    owner_id: Id | None = Field(None, description="The colleague who does it; you by default.")


class FollowUpOut(Schema):
    id: int
    title: str
    owner_id: int
    person_id: int | None
    contact_moment_id: int | None
    due_date: dt.date | None
    done_at: dt.datetime | None


def _persons(request: HttpRequest, ids: list[int]) -> list[Person]:
    """The persons named, each one visible, else 404 (like any id that names nothing)."""
    found = list(visibility.persons(request.user).filter(pk__in=ids))
    if set(ids) - {p.pk for p in found}:
        raise Person.DoesNotExist
    return found


def _members(request: HttpRequest, ids: list[int]) -> list[Member]:
    found = list(visibility.members(request.user).filter(pk__in=ids))
    if set(ids) - {m.pk for m in found}:
        raise Member.DoesNotExist
    return found


def _scoped(request: HttpRequest) -> Any:
    return visibility.contact_moments(request.user).prefetch_related("persons", "members")


@router.get("/contact-moments", response=list[ContactMomentOut], tags=["contact moments"])
@paginate(Paging)
def list_contact_moments(
    request: HttpRequest,
    person_id: Id | None = None,
    member_id: Id | None = None,
    since: ApiDate | None = None,
    until: ApiDate | None = None,
) -> Any:
    qs = _scoped(request)
    if person_id is not None:
        qs = qs.filter(persons=person_id)
    if member_id is not None:
        qs = qs.filter(members=member_id)
    if since is not None:
        qs = qs.filter(occurred_at__date__gte=since)
    if until is not None:
        qs = qs.filter(occurred_at__date__lte=until)
    return qs


@router.get("/contact-moments/{moment_id}", response=ContactMomentOut, tags=["contact moments"])
def get_contact_moment(request: HttpRequest, moment_id: Id) -> ContactMoment:
    return _scoped(request).get(pk=moment_id)


@router.post("/contact-moments", response={201: ContactMomentOut}, tags=["contact moments"])
def create_contact_moment(request: HttpRequest, payload: ContactMomentIn) -> Status[ContactMoment]:
    organisation = (
        visibility.organisations(request.user).get(pk=payload.organisation_id)
        if payload.organisation_id
        else None
    )
    moment = services.contact_moment_log(
        actor=current_member(request),
        persons=_persons(request, payload.person_ids),
        members=_members(request, payload.member_ids),
        occurred_at=payload.occurred_at,
        kind=payload.kind.value,
        organisation=organisation,
        summary=payload.summary,
        notes=payload.notes,
        signals=payload.signals,
    )
    return Status(201, get_contact_moment(request, moment.pk))


@router.patch("/contact-moments/{moment_id}", response=ContactMomentOut, tags=["contact moments"])
def update_contact_moment(
    request: HttpRequest, moment_id: Id, payload: ContactMomentPatch
) -> ContactMoment:
    moment = get_contact_moment(request, moment_id)
    data = payload.model_dump(exclude_unset=True)
    person_ids, member_ids = data.pop("person_ids", None), data.pop("member_ids", None)
    persons = _persons(request, person_ids) if person_ids is not None else None
    members = _members(request, member_ids) if member_ids is not None else None
    if "kind" in data:  # a null never gets here (PatchSchema refuses it)
        data["kind"] = data["kind"].value
    services.contact_moment_update(
        actor=current_member(request), moment=moment, persons=persons, members=members, **data
    )
    return get_contact_moment(request, moment_id)


@router.delete("/contact-moments/{moment_id}", response={204: None}, tags=["contact moments"])
def delete_contact_moment(request: HttpRequest, moment_id: Id) -> Status[None]:
    services.contact_moment_delete(
        actor=current_member(request), moment=get_contact_moment(request, moment_id)
    )
    return Status(204, None)


@router.get("/follow-ups", response=list[FollowUpOut], tags=["follow-ups"])
@paginate(Paging)
def list_follow_ups(request: HttpRequest, owner_id: Id | None = None, open: bool = True) -> Any:  # noqa: A002
    qs = visibility.follow_ups(request.user).order_by("due_date", "id")
    if open:
        qs = qs.open()
    if owner_id is not None:
        qs = qs.filter(owner_id=owner_id)
    return qs


@router.post("/follow-ups", response={201: FollowUpOut}, tags=["follow-ups"])
def create_follow_up(request: HttpRequest, payload: FollowUpIn) -> Status[FollowUp]:
    """A task for yourself or a colleague, about a relation or hanging off a contact moment."""
    actor = current_member(request)
    item = services.follow_up_create(
        actor=actor,
        owner=(
            visibility.members(request.user).get(pk=payload.owner_id) if payload.owner_id else actor
        ),
        title=payload.title,
        due_date=payload.due_date,
        person=_persons(request, [payload.person_id])[0] if payload.person_id else None,
        contact_moment=(
            get_contact_moment(request, payload.contact_moment_id)
            if payload.contact_moment_id
            else None
        ),
    )
    return Status(201, item)


@router.post("/follow-ups/{follow_up_id}/done", response=FollowUpOut, tags=["follow-ups"])
def complete_follow_up(request: HttpRequest, follow_up_id: Id) -> FollowUp:
    item = visibility.follow_ups(request.user).get(pk=follow_up_id)
    return services.follow_up_complete(actor=current_member(request), follow_up=item)


@router.get("/signals", response=list[SignalOut])
@paginate(Paging)
def list_signals(request: HttpRequest, filters: Query[SignalListFilters]) -> Any:
    """Signals from contact moments, newest first, with the filters of the signals page."""
    return selectors.signal_list(
        user=request.user, filters=selectors.SignalFilters(**filters.model_dump())
    )
