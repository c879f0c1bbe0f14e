"""JSON API of directed meetings and results, as their pages show them: an event's meeting
goals, its seating plan (read it, have the engine make one, move, swap and lock guests), a
host's briefing and the event's report. The same services and the same visibility as the
pages: a relation hidden from the caller is in no goal, seat, briefing or figure they read."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status

from gilde import visibility
from gilde.core.schemas import InputSchema
from gilde.core.web import current_member
from gilde.events import briefing as briefings
from gilde.events import meetings, report, seating_edit, seating_plan, selectors
from gilde.events.models import Event, MeetingGoal, MeetingGoalKind, MeetingGoalPriority
from gilde.permissions import require_host_or_manager
from gilde.relations.selectors import person_get

router = Router(tags=["events"])


def _event(request: HttpRequest, event_id: int) -> Event:
    return selectors.event_get(request.user, event_id)


# ---- meeting goals ---------------------------------------------------------------------------


class MeetingGoalIn(InputSchema):
    kind: MeetingGoalKind
    member_id: int | None = Field(None, ge=1, description="The colleague (kind colleague)")
    person_a_id: int | None = Field(None, ge=1, description="The relation (or the first of two)")
    person_b_id: int | None = Field(None, ge=1, description="The second relation (introduction)")
    theme: str | None = Field(None, max_length=100, description="A theme's name (theme_group)")
    priority: MeetingGoalPriority = MeetingGoalPriority.NORMAL
    reason: str = Field("", max_length=300)


class MeetingGoalOut(Schema):
    id: int
    kind: str
    label: str
    member_id: int | None
    person_a_id: int | None
    person_b_id: int | None
    theme: str | None
    priority: int
    source: str
    reason: str
    outcome: str

    @staticmethod
    def resolve_label(obj: MeetingGoal) -> str:
        return str(obj)

    @staticmethod
    def resolve_theme(obj: MeetingGoal) -> str | None:
        return obj.theme.name if obj.theme else None


@router.get("/events/{event_id}/goals", response=list[MeetingGoalOut])
def list_meeting_goals(request: HttpRequest, event_id: int) -> list[MeetingGoal]:
    """The event's meeting goals whose relations you may see, highest priority first."""
    return list(meetings.meeting_goals(user=request.user, event=_event(request, event_id)))


@router.post("/events/{event_id}/goals", response={201: MeetingGoalOut})
def add_meeting_goal(
    request: HttpRequest, event_id: int, payload: MeetingGoalIn
) -> Status[MeetingGoal]:
    """A goal: a colleague meets a relation, two relations are introduced, or the guests who
    carry a theme meet. Everyone named must be on the guest list."""
    event = _event(request, event_id)
    member = current_member(request)

    def person(pk: int | None) -> Any:
        return person_get(user=request.user, pk=pk) if pk else None

    colleague = (
        visibility.members(request.user).get(pk=payload.member_id) if payload.member_id else None
    )
    theme = visibility.tags(request.user).get(name=payload.theme) if payload.theme else None
    goal = meetings.meeting_goal_add(
        member=member,
        event=event,
        kind=payload.kind,
        colleague=colleague,
        person_a=person(payload.person_a_id),
        person_b=person(payload.person_b_id),
        theme=theme,
        priority=payload.priority,
        reason=payload.reason,
    )
    return Status(201, goal)


@router.delete("/events/{event_id}/goals/{goal_id}", response={204: None})
def delete_meeting_goal(request: HttpRequest, event_id: int, goal_id: int) -> Status[None]:
    event = _event(request, event_id)
    goal = meetings.meeting_goals(user=request.user, event=event).get(pk=goal_id)
    meetings.meeting_goal_delete(member=current_member(request), goal=goal)
    return Status(204, None)


# ---- the seating plan ------------------------------------------------------------------------


class SeatOut(Schema):
    id: str = Field(..., description="g<place id> for a guest, c<place id> for a companion")
    place_id: int
    name: str
    host: bool
    companion_of: str | None
    locked: bool
    seat_value: float = Field(..., description="what the table-mates add (pair values summed)")


class PlanTableOut(Schema):
    id: str
    label: str
    capacity: int
    guests: list[SeatOut]


class PlanRoundOut(Schema):
    number: int
    tables: list[PlanTableOut]


class PlanGoalOut(Schema):
    label: str
    priority: int
    met: bool


class SeatingPlanOut(Schema):
    status: str = Field(
        ..., description="none, making or ready (a failed attempt leaves the plan before)"
    )
    plan_id: int | None
    how: str | None = Field(..., description="engine, hand or replan")
    made_at: dt.datetime | None
    score: float | None = Field(..., description="the engine checker's objective")
    feasible: bool | None
    moved: int | None = Field(..., description="guests moved by a re-plan")
    move_cost: float | None = Field(
        ...,
        description="what the moved guests take from the score of a re-plan (the move penalty"
        " per guest and round, GILDE_SEATING_MOVE_PENALTY)",
    )
    violations: list[str]
    rounds: list[PlanRoundOut]
    goals: list[PlanGoalOut]
    goals_met: int


class PlanMakeIn(InputSchema):
    replan: bool = Field(
        False, description="keep everyone of the current plan where possible (after changes)"
    )
    keep_locked: bool = Field(True, description="keep the current plan's locked guests")


class SeatMoveIn(InputSchema):
    guest: str = Field(..., max_length=20)
    table: str = Field(..., max_length=20)
    round: int | None = Field(None, ge=1, le=10, description="one round; all when left out")


class SeatSwapIn(InputSchema):
    guest: str = Field(..., max_length=20)
    other: str = Field(..., max_length=20)
    round: int | None = Field(None, ge=1, le=10)


class SeatLockIn(InputSchema):
    guest: str = Field(..., max_length=20)
    locked: bool = True


@router.get("/events/{event_id}/seating", response=SeatingPlanOut)
def get_seating_plan(request: HttpRequest, event_id: int) -> dict[str, Any]:
    """The current seating plan as you may see it."""
    return seating_edit.plan_data(user=request.user, event=_event(request, event_id))


@router.post("/events/{event_id}/seating/plan", response={202: SeatingPlanOut})
def make_seating_plan(
    request: HttpRequest, event_id: int, payload: PlanMakeIn
) -> Status[dict[str, Any]]:
    """Have the engine make a plan in the background (the task queue), within the event's time
    limit; read it with GET until its status is ready."""
    event = _event(request, event_id)
    current = seating_plan.current_plan(event)
    locked = (
        []
        if payload.replan or current is None or not payload.keep_locked
        else [(str(g), int(r), str(t)) for g, r, t in current.locked]
    )
    seating_plan.seating_plan_make(
        member=current_member(request), event=event, locked=locked, replan=payload.replan
    )
    return Status(202, seating_edit.plan_data(user=request.user, event=event))


@router.post("/events/{event_id}/seating/move", response=SeatingPlanOut)
def move_seat(request: HttpRequest, event_id: int, payload: SeatMoveIn) -> dict[str, Any]:
    """Seat a guest (with their companion) at another table; saved as a new version."""
    event = _event(request, event_id)
    seating_edit.seating_guest_move(
        member=current_member(request),
        user=request.user,
        event=event,
        guest=payload.guest,
        table=payload.table,
        round_=payload.round,
    )
    return seating_edit.plan_data(user=request.user, event=event)


@router.post("/events/{event_id}/seating/swap", response=SeatingPlanOut)
def swap_seats(request: HttpRequest, event_id: int, payload: SeatSwapIn) -> dict[str, Any]:
    """Two guests change tables; saved as a new version."""
    event = _event(request, event_id)
    seating_edit.seating_guests_swap(
        member=current_member(request),
        user=request.user,
        event=event,
        guest=payload.guest,
        other=payload.other,
        round_=payload.round,
    )
    return seating_edit.plan_data(user=request.user, event=event)


@router.post("/events/{event_id}/seating/lock", response=SeatingPlanOut)
def lock_seat(request: HttpRequest, event_id: int, payload: SeatLockIn) -> dict[str, Any]:
    """Lock a guest at their table (or unlock with `locked` false)."""
    event = _event(request, event_id)
    seating_edit.seating_guest_lock(
        member=current_member(request),
        user=request.user,
        event=event,
        guest=payload.guest,
        locked=payload.locked,
    )
    return seating_edit.plan_data(user=request.user, event=event)


# ---- the host briefing -----------------------------------------------------------------------


class BriefingGuestOut(Schema):
    person_id: int
    name: str
    organisation: str
    job: str
    tier: str
    status: str
    last_contact_at: dt.datetime | None
    last_contact_summary: str | None
    open_follow_ups: list[str]
    favours_given: int
    favours_received: int
    time_to_give_back: bool
    passions: list[str]
    wish_to_meet: str


class BriefingItemOut(Schema):
    goal_id: int
    kind: str
    people: list[str] = Field(..., description="in the order to bring them together")
    priority: int
    reason: str


class BriefingOut(Schema):
    host_id: int
    host: str
    guests: list[BriefingGuestOut]
    goals: list[BriefingItemOut]
    introductions: list[BriefingItemOut]
    do_not_bring_up: list[str]


def _profile_data(p: briefings.GuestProfile) -> dict[str, Any]:
    last = p.last_contact
    return {
        "person_id": p.person.pk,
        "name": p.person.full_name,
        "organisation": p.organisation,
        "job": p.job,
        "tier": p.tier,
        "status": p.guest.status,
        "last_contact_at": last.occurred_at if last else None,
        "last_contact_summary": last.summary if last else None,
        "open_follow_ups": [item.title for item in p.follow_ups],
        "favours_given": p.goodwill.given_count,
        "favours_received": p.goodwill.received_count,
        "time_to_give_back": p.goodwill.state == "owe",
        "passions": p.passions,
        "wish_to_meet": p.guest.wish_to_meet,
    }


def _goal_item(goal: MeetingGoal) -> dict[str, Any]:
    people = [str(x) for x in (goal.member, goal.person_a, goal.person_b) if x is not None]
    if goal.theme is not None:
        people = [f"# {goal.theme.name}"]
    return {
        "goal_id": goal.pk,
        "kind": goal.kind,
        "people": people,
        "priority": goal.priority,
        "reason": goal.reason,
    }


@router.get("/events/{event_id}/briefing", response=BriefingOut)
def get_briefing(request: HttpRequest, event_id: int, host_id: int | None = None) -> dict[str, Any]:
    """A host's briefing (yours unless `host_id`; another host's for the event's organisers)."""
    event = _event(request, event_id)
    member = current_member(request)
    host = member
    if host_id is not None and host_id != member.pk:
        host = visibility.members(request.user).select_related("user").get(pk=host_id)
        require_host_or_manager(member, event, host)
    brief = briefings.briefing(user=request.user, event=event, host=host)
    return {
        "host_id": host.pk,
        "host": host.name,
        "guests": [_profile_data(p) for p in brief.profiles],
        "goals": [_goal_item(g) for g in brief.goals],
        "introductions": [
            {
                "goal_id": i.goal_id,
                "kind": i.kind,
                "people": list(i.people),
                "priority": i.priority,
                "reason": i.reason,
            }
            for i in brief.introductions
        ],
        "do_not_bring_up": brief.conflicts,
    }


# ---- the event report ------------------------------------------------------------------------


class GoalShareOut(Schema):
    total: int
    met: int
    not_met: int
    open: int
    share: int | None = Field(..., description="percent met")


class ReportSurveyOut(Schema):
    answers: int
    rating: float | None
    nps: int | None
    met_hoped: dict[str, int]


class EventReportOut(Schema):
    event_id: int
    invited: int
    accepted: int
    attended: int
    no_shows: int
    declined: int
    turnout: int | None = Field(..., description="percent of the invited who came")
    predicted: float | None
    predicted_low: int | None
    predicted_high: int | None
    goals: GoalShareOut
    high_priority_goals: GoalShareOut
    high_priority_target: int
    high_priority_target_met: bool | None
    new_ties: int
    follow_ups: int
    follow_ups_done: int
    favours_given: int
    favours_received: int
    signals: int
    survey: ReportSurveyOut
    costs_expected: Decimal
    cost_per_attendee: Decimal | None
    cost_per_goal_met: Decimal | None
    time_to_meet: int | None = Field(..., description="percent of the programme")


def _share(share: report.GoalShare) -> dict[str, Any]:
    return {
        "total": share.total,
        "met": share.met,
        "not_met": share.not_met,
        "open": share.open,
        "share": share.share,
    }


@router.get("/events/{event_id}/report", response=EventReportOut)
def get_event_report(request: HttpRequest, event_id: int) -> dict[str, Any]:
    """What the event achieved, counted over what you may see."""
    found = report.event_report(user=request.user, event=_event(request, event_id))
    survey = found.survey
    return {
        "event_id": found.event.pk,
        "invited": found.invited,
        "accepted": found.accepted,
        "attended": found.attended,
        "no_shows": found.no_shows,
        "declined": found.declined,
        "turnout": found.turnout,
        "predicted": found.predicted,
        "predicted_low": found.predicted_low,
        "predicted_high": found.predicted_high,
        "goals": _share(found.goals),
        "high_priority_goals": _share(found.high),
        "high_priority_target": report.HIGH_PRIORITY_TARGET,
        "high_priority_target_met": found.high_target_met,
        "new_ties": found.new_ties,
        "follow_ups": found.follow_ups,
        "follow_ups_done": found.follow_ups_done,
        "favours_given": found.favours_given,
        "favours_received": found.favours_received,
        "signals": found.signals,
        "survey": {
            "answers": survey.answers,
            "rating": survey.rating,
            "nps": survey.nps,
            "met_hoped": dict(survey.met_hoped),
        },
        "costs_expected": found.costs.expected,
        "cost_per_attendee": found.costs.per_attending,
        "cost_per_goal_met": found.cost_per_goal,
        "time_to_meet": found.time.share,
    }
