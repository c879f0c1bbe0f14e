"""JSON API operations of maintenance: a relation's status and tie strengths, due lists, going
cold, snooze and hand-over. The same selectors and services as the pages."""

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.pagination import paginate

from gilde import visibility
from gilde.accounts.models import Member
from gilde.core.dates import ApiDate
from gilde.core.schemas import ERRORS_403, Id, InputSchema, Line, Paging
from gilde.core.web import current_member
from gilde.maintenance import selectors, services, strength
from gilde.permissions import require_network_manager
from gilde.relations.models import Person

router = Router(tags=["maintenance"])


class TieStrengthOut(Schema):
    member_id: int
    member_name: str
    declared: int
    score: int
    band: str
    explanation: str
    contacts_last_year: int
    meetings_last_year: int
    calls_last_year: int
    last_contact_at: dt.datetime | None


class CareOut(Schema):
    person_id: int
    tier: str | None
    status: str
    last_contact_at: dt.datetime | None
    due_on: dt.date | None
    overdue_on: dt.date | None
    ideal_interval_days: int | None
    max_interval_days: int | None
    own_rhythm: bool
    snoozed_until: dt.date | None
    contact_member_id: int | None
    ties: list[TieStrengthOut]


class DueOut(Schema):
    person_id: int
    name: str
    tier: str | None
    status: str
    last_contact_at: dt.datetime | None
    due_on: dt.date | None
    days_past_due: int
    contact_member_id: int | None


class SnoozeIn(InputSchema):
    until: ApiDate | None = Field(None, description="The day the reminder comes back")
    days: int | None = Field(None, ge=1, le=366, description="Or: snooze this many days")
    reason: Line = Field("", max_length=300)

    model_config = {
        "json_schema_extra": {
            "description": "Give `until` or `days`.",
            "anyOf": [
                {"required": ["until"], "properties": {"until": {"type": "string"}}},
                {"required": ["days"], "properties": {"days": {"type": "integer"}}},
            ],
        }
    }


class HandOverIn(InputSchema):
    member_id: Id


def _person(request: HttpRequest, person_id: Id) -> Person:
    return visibility.persons(request.user).get(pk=person_id)


def _manager(request: HttpRequest) -> Member:
    return require_network_manager(
        current_member(request), _("Only a network manager may see this list.")
    )


def _care_out(request: HttpRequest, person_id: Id) -> dict[str, Any]:
    care = selectors.person_care(user=request.user, person_id=person_id)
    return {
        "person_id": care.person.pk,
        "tier": care.person.tier.code if care.person.tier else None,
        "status": care.status.status.value,
        "last_contact_at": care.care.last_contact_at if care.care else None,
        "due_on": care.status.due_on,
        "overdue_on": care.status.overdue_on,
        "ideal_interval_days": care.rhythm.ideal_days,
        "max_interval_days": care.rhythm.max_or_default,
        "own_rhythm": care.own_rhythm,
        "snoozed_until": care.snoozed_until,
        "contact_member_id": care.contact_member.pk if care.contact_member else None,
        "ties": [
            {
                "member_id": t.tie.member_id,
                "member_name": t.tie.member.name if t.tie.member else "",
                "declared": t.tie.strength,
                "score": t.facts.score,
                "band": strength.band(t.facts.score),
                "explanation": t.explanation,
                "contacts_last_year": t.facts.contacts_year,
                "meetings_last_year": t.facts.meetings_year,
                "calls_last_year": t.facts.calls_year,
                "last_contact_at": t.facts.last_contact_at,
            }
            for t in care.ties
        ],
    }


@router.get("/persons/{person_id}/care", response=CareOut)
def person_care(request: HttpRequest, person_id: Id) -> dict[str, Any]:
    """Status (on_track, due, overdue, never, no_rhythm), rhythm and tie strengths of a relation."""
    return _care_out(request, person_id)


def _due_out(item: selectors.DueItem) -> dict[str, Any]:
    care = item.person.care if hasattr(item.person, "care") else None
    return {
        "person_id": item.person.pk,
        "name": item.person.full_name,
        "tier": item.person.tier.code if item.person.tier else None,
        "status": item.status.status.value,
        "last_contact_at": item.last_contact_at,
        "due_on": item.status.due_on,
        "days_past_due": item.days_past_due,
        "contact_member_id": care.contact_member_id if care else None,
    }


@router.get("/due", response={200: list[DueOut], **ERRORS_403})
@paginate(Paging)
def due_list(request: HttpRequest, member_id: Id | None = None) -> list[dict[str, Any]]:
    """The relations a member is best placed to contact (default: you; another member's list
    for network managers), most urgent first."""
    member = current_member(request)
    subject = member
    if member_id is not None and member_id != member.pk:
        _manager(request)
        subject = visibility.members(request.user).get(pk=member_id)
    return [_due_out(i) for i in selectors.due_for_member(user=request.user, member=subject)]


def _org_item(person: Person, today: dt.date) -> selectors.DueItem:
    return selectors.DueItem.of(person, today)


@router.get("/due/organisation", response={200: list[DueOut], **ERRORS_403})
@paginate(Paging)
def organisation_due_list(request: HttpRequest) -> Any:
    """Every relation past its ideal interval across the organisation (network managers)."""
    _manager(request)
    today = timezone.localdate()
    return _LazyDue(selectors.due_for_organisation(user=request.user, today=today), today)


@router.get("/going-cold", response={200: list[DueOut], **ERRORS_403})
@paginate(Paging)
def going_cold(request: HttpRequest, over_a_year: bool = False) -> Any:
    """Key relations past their maximum interval, or (over_a_year) relations nobody contacted
    for more than a year (network managers)."""
    _manager(request)
    today = timezone.localdate()
    qs = (selectors.not_contacted_for_a_year if over_a_year else selectors.going_cold)(
        user=request.user, today=today
    )
    return _LazyDue(qs, today)


class _LazyDue:
    """A queryset seen as due items, so pagination slices in the database before converting."""

    def __init__(self, qs: Any, today: dt.date) -> None:
        self.qs, self.today = qs, today

    def __len__(self) -> int:
        return int(self.qs.count())

    def count(self) -> int:
        return len(self)

    def __getitem__(self, key: slice) -> list[dict[str, Any]]:
        return [_due_out(_org_item(p, self.today)) for p in self.qs[key]]


@router.post("/persons/{person_id}/snooze", response=CareOut)
def snooze(request: HttpRequest, person_id: Id, payload: SnoozeIn) -> dict[str, Any]:
    """Postpone the reminder for a relation until a day (or for a number of days)."""
    person = _person(request, person_id)
    today = timezone.localdate()
    if payload.until is None and payload.days is None:
        raise ValidationError({"until": "Give `until` or `days`."})
    until = payload.until or today + dt.timedelta(days=payload.days or 0)
    services.relation_snooze(
        actor=current_member(request),
        person=person,
        until=until,
        reason=payload.reason,
        today=today,
    )
    return _care_out(request, person_id)


@router.delete("/persons/{person_id}/snooze", response=CareOut)
def unsnooze(request: HttpRequest, person_id: Id) -> dict[str, Any]:
    services.relation_unsnooze(actor=current_member(request), person=_person(request, person_id))
    return _care_out(request, person_id)


@router.post("/persons/{person_id}/hand-over", response=CareOut)
def hand_over(request: HttpRequest, person_id: Id, payload: HandOverIn) -> dict[str, Any]:
    """Make a colleague the one reminded to contact this relation; only one who may see it (a
    confidential relation is hidden from most colleagues)."""
    person = _person(request, person_id)
    to = (
        visibility.members(request.user).select_related("user").filter(pk=payload.member_id).first()
    )
    if to is None:
        raise Member.DoesNotExist
    try:
        services.relation_hand_over(actor=current_member(request), person=person, to=to)
    except ValidationError as error:
        # The service names the form's field; an API client sent member_id.
        raise ValidationError({"member_id": error.messages}) from error
    return _care_out(request, person_id)
