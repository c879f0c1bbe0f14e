"""JSON API of the member network under /api/v1/members/, continued: events' cost statements
and shares (every member reads them; the coordinator marks a share paid), drop-in meetings and
their check-in at the door, and the coordinator's steps through an application."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from ninja import Field, Router, Schema
from ninja.pagination import paginate

from gilde import visibility
from gilde.core.dates import ApiDate
from gilde.core.schemas import ERRORS_403, Email, Id, InputSchema, Line, Paging, Text
from gilde.core.web import current_member
from gilde.events.models import EventKind, Guest
from gilde.members import costs, dropin, selectors, services
from gilde.members.introducers import introducer_candidates
from gilde.members.models import Application, ApplicationStatus, CostShare, CostStatement
from gilde.permissions import require_coordinator

router = Router(tags=["member network"])


# ---- cost statements ---------------------------------------------------------------------------


class MemberCostShareOut(Schema):
    id: int
    member_id: int
    name: str
    amount: Decimal
    guests: int
    reference: str
    paid_on: dt.date | None


class MemberCostStatementOut(Schema):
    event_id: int
    title: str
    starts_at: dt.datetime
    rule: str
    guest_weight: Decimal
    total: Decimal
    attendees: int
    published_at: dt.datetime
    shares: list[MemberCostShareOut] = Field(..., description="In Dutch name order")


class MemberCostStatementRowOut(Schema):
    event_id: int
    title: str
    starts_at: dt.datetime
    rule: str
    total: Decimal
    attendees: int


class MemberSharePaidIn(InputSchema):
    paid: bool = Field(True, description="false marks the share open again")
    paid_on: ApiDate | None = Field(None, description="When it came in; defaults to today")


def _share_out(share: CostShare) -> dict[str, Any]:
    return {
        "id": share.pk,
        "member_id": share.member_id,
        "name": share.member.name,
        "amount": share.amount,
        "guests": share.guests,
        "reference": share.reference,
        "paid_on": share.paid_on,
    }


@router.get("/members/cost-statements", response=list[MemberCostStatementRowOut])
@paginate(Paging)
def member_cost_statements(request: HttpRequest) -> Any:
    """Published cost statements of the events you see, newest event first."""
    current_member(request)
    return [
        {
            "event_id": s.event_id,
            "title": s.event.title,
            "starts_at": s.event.starts_at,
            "rule": s.rule,
            "total": s.total,
            "attendees": s.attendees,
        }
        for s in costs.statements_visible(request.user)
    ]


@router.get("/members/cost-statements/{event_id}", response=MemberCostStatementOut)
def member_cost_statement(request: HttpRequest, event_id: Id) -> Any:
    """An event's cost statement with every member's share, paid or open (every member sees
    every share: that is the point of transparent costs)."""
    current_member(request)
    statement = costs.statement_of(request.user, event_id)
    if statement is None:  # none published for this event: 404 like any unknown object
        raise CostStatement.DoesNotExist
    return {
        "event_id": statement.event_id,
        "title": statement.event.title,
        "starts_at": statement.event.starts_at,
        "rule": statement.rule,
        "guest_weight": statement.guest_weight,
        "total": statement.total,
        "attendees": statement.attendees,
        "published_at": statement.published_at,
        "shares": [_share_out(s) for s in costs.shares_of(request.user, statement)],
    }


@router.get("/members/my-cost-shares", response=list[MemberCostShareOut])
@paginate(Paging)
def my_cost_shares(request: HttpRequest) -> Any:
    """Your own shares, newest event first."""
    current_member(request)
    return [_share_out(s) for s in costs.my_shares(request.user).select_related("member__user")]


@router.post(
    "/members/cost-shares/{share_id}/paid", response={200: MemberCostShareOut, **ERRORS_403}
)
def member_cost_share_paid(request: HttpRequest, share_id: Id, payload: MemberSharePaidIn) -> Any:
    """The coordinator marks a share paid (on a date, today by default) or open again."""
    actor = current_member(request)
    share = costs.shares_visible(request.user).get(pk=share_id)
    paid_on = (payload.paid_on or timezone.localdate()) if payload.paid else None
    return _share_out(costs.cost_share_mark(actor=actor, share=share, paid_on=paid_on))


# ---- drop-in meetings --------------------------------------------------------------------------


class MemberDropInOut(Schema):
    event_id: int
    title: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    venue: str
    door_url: str = Field("", description="The signed check-in link (the coordinator only)")


class MemberDropInCheckIn(InputSchema):
    first_name: Line = Field(..., min_length=1, max_length=150)
    last_name: Line = Field("", max_length=150)
    email: Email
    hear_more: bool = False
    consent: bool = Field(False, description="A visitor's consent to keep their name")


class MemberDropInCheckInOut(Schema):
    member: bool = Field(..., description="true: a member, marked present")
    member_id: int | None
    application_id: int | None = Field(None, description="A visitor's visit")
    hear_more: bool


@router.get("/members/drop-ins", response=list[MemberDropInOut])
def member_drop_ins(request: HttpRequest) -> Any:
    """The coming drop-in meetings (Open Coffee); the coordinator also gets each door link."""
    me = current_member(request)
    coming = (
        visibility.events(request.user)
        .filter(kind=EventKind.OPEN_COFFEE, ends_at__gte=timezone.now())
        .order_by("starts_at")[:50]
    )
    door = me.manages_network
    return [
        {
            "event_id": e.pk,
            "title": e.title,
            "starts_at": e.starts_at,
            "ends_at": e.ends_at,
            "venue": e.venue,
            "door_url": request.build_absolute_uri(
                reverse("members:drop_in", args=[dropin.drop_in_key(e)])
            )
            if door
            else "",
        }
        for e in coming
    ]


@router.post(
    "/members/drop-ins/{event_id}/check-in",
    response={200: MemberDropInCheckInOut, **ERRORS_403},
)
def member_drop_in_check_in(
    request: HttpRequest, event_id: Id, payload: MemberDropInCheckIn
) -> Any:
    """At the door, for the coordinator's tablet: check someone in. A member (known by their
    e-mail address) is marked present; a visitor is noted with consent, with whether they want
    to hear more."""
    require_coordinator(current_member(request))
    event = visibility.events(request.user).get(pk=event_id)
    done = dropin.drop_in_check_in(event=event, **payload.model_dump())
    if isinstance(done, Guest):
        return {"member": True, "member_id": done.member_id, "hear_more": False}
    return {
        "member": False,
        "member_id": None,
        "application_id": done.pk,
        "hear_more": done.hear_more,
    }


# ---- the application pipeline ------------------------------------------------------------------


class MemberCandidateOut(Schema):
    member_id: int
    name: str


class MemberApplicationDetailOut(Schema):
    id: int
    kind: str
    status: str
    first_name: str
    last_name: str
    email: str
    organisation: str
    work: str
    motivation: str
    event_id: int | None
    introduced_by_name: str
    introduced_by_id: int | None
    introducer_candidates: list[MemberCandidateOut] = Field(
        ..., description="When the typed introducer fits several members: whom to choose from"
    )
    next_steps: list[str]
    talk_on: dt.date | None
    decided_at: dt.datetime | None
    decision_note: str
    lawful_basis: str
    created_at: dt.datetime


class MemberApplicationStepIn(InputSchema):
    status: ApplicationStatus = Field(
        ..., description="talk, accepted, rejected, or (a visit) welcomed"
    )
    talk_on: ApiDate | None = Field(None, description="For the talk; defaults to today")
    note: Text = Field("", max_length=300, description="On the decision")
    introduced_by_id: Id | None = None
    language: Line = Field("nl", pattern="^(nl|en)$", description="Of the invitation e-mail")


class MemberApplicationIntroducerIn(InputSchema):
    introduced_by_id: Id | None = Field(..., description="null: no member introduced them")


def _application_out(request: HttpRequest, found: Application) -> dict[str, Any]:
    candidates = (
        introducer_candidates(found.introduced_by_name, among=visibility.members(request.user))
        if found.introduced_by_name and not found.introduced_by_id
        else []
    )
    steps = services.NEXT_STEPS.get(ApplicationStatus(found.status), set())
    return {
        **{
            name: getattr(found, name)
            for name in (
                "id",
                "kind",
                "status",
                "first_name",
                "last_name",
                "email",
                "organisation",
                "work",
                "motivation",
                "event_id",
                "introduced_by_name",
                "introduced_by_id",
                "talk_on",
                "decided_at",
                "decision_note",
                "lawful_basis",
                "created_at",
            )
        },
        "introducer_candidates": [{"member_id": m.pk, "name": m.name} for m in candidates],
        "next_steps": [
            s
            for s in ApplicationStatus.values
            if s in steps and (s != ApplicationStatus.WELCOMED or found.kind == "visit")
        ],
    }


def _application(request: HttpRequest, application_id: int) -> Application:
    require_coordinator(current_member(request))
    found: Application = selectors.applications(request.user).get(pk=application_id)
    return found


@router.get(
    "/members/applications/{application_id}",
    response={200: MemberApplicationDetailOut, **ERRORS_403},
)
def member_application(request: HttpRequest, application_id: Id) -> Any:
    """One application (the coordinator's), with the steps it may take next."""
    return _application_out(request, _application(request, application_id))


@router.post(
    "/members/applications/{application_id}/step",
    response={200: MemberApplicationDetailOut, **ERRORS_403},
)
def member_application_step(
    request: HttpRequest, application_id: Id, payload: MemberApplicationStepIn
) -> Any:
    """Move an application one step: applied → introductory talk → accepted (the applicant is
    invited to log in as a member) or rejected; a visit may be welcomed. No step is skipped."""
    found = _application(request, application_id)
    introducer = (
        visibility.members(request.user).get(pk=payload.introduced_by_id)
        if payload.introduced_by_id
        else None
    )
    moved = services.application_advance(
        actor=current_member(request),
        application=found,
        status=payload.status.value,
        talk_on=payload.talk_on,
        note=payload.note,
        introduced_by=introducer,
        language=payload.language,
    )
    return _application_out(request, moved)


@router.post(
    "/members/applications/{application_id}/introducer",
    response={200: MemberApplicationDetailOut, **ERRORS_403},
)
def member_application_introducer(
    request: HttpRequest, application_id: Id, payload: MemberApplicationIntroducerIn
) -> Any:
    """Say which member introduced the applicant (when their typed name fits several), or none."""
    found = _application(request, application_id)
    introducer = (
        visibility.members(request.user).select_related("user").get(pk=payload.introduced_by_id)
        if payload.introduced_by_id
        else None
    )
    changed = services.application_introducer_set(
        actor=current_member(request), application=found, introduced_by=introducer
    )
    return _application_out(request, changed)
