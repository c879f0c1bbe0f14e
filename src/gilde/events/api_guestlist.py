"""JSON API operations for building a guest list, as its page shows them: suggestions with their
reasons, the balance of the list, its warnings (conflicting interests, invitation fatigue) and
the expected turnout. All read through the caller's visibility: a relation hidden from the
caller is neither suggested nor counted."""

from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from gilde.events import guestlist, selectors
from gilde.events.models import Event
from gilde.events.suggestions import suggestions_for

router = Router(tags=["events"])


def _event(request: HttpRequest, event_id: int) -> Event:
    return selectors.event_get(request.user, event_id)


class SuggestionOut(Schema):
    person_id: int
    name: str
    tier: str | None
    sources: list[str] = Field(
        ..., description="care, theme, introduction, long_ago or new: why they are suggested"
    )
    reasons: list[str]
    score: float


class SuggestionQuery(Schema):
    limit: int = Field(40, ge=1, le=200)


@router.get("/events/{event_id}/suggestions", response=list[SuggestionOut])
def list_suggestions(
    request: HttpRequest, event_id: int, query: Query[SuggestionQuery]
) -> list[dict[str, Any]]:
    """Relations worth inviting who are not on the list yet, best first, each with every
    reason that applies (key relation due for contact, the event's themes, an introduction
    request, not invited for long, new relation)."""
    event = _event(request, event_id)
    return [
        {
            "person_id": s.person.pk,
            "name": s.person.full_name,
            "tier": s.person.tier.code if s.person.tier else None,
            "sources": s.sources,
            "reasons": s.reasons,
            "score": round(s.score, 2),
        }
        for s in suggestions_for(user=request.user, event=event, limit=query.limit)
    ]


class CountOut(Schema):
    name: str
    count: int


class CrowdedOut(Schema):
    organisation_id: int
    name: str
    count: int


class GuestListBalanceOut(Schema):
    relations: int
    hosts: int
    stakeholder_types: list[CountOut]
    sectors: list[CountOut]
    new_faces: int
    known_faces: int
    organisation_limit: int
    crowded_organisations: list[CrowdedOut]
    per_host: list[CountOut]


@router.get("/events/{event_id}/balance", response=GuestListBalanceOut)
def get_balance(request: HttpRequest, event_id: int) -> dict[str, Any]:
    """The make-up of the list (everyone not declined): stakeholder types, sectors, new against
    known faces, organisations with more guests than the limit, guests per host colleague."""
    result = guestlist.balance(user=request.user, event=_event(request, event_id))

    def counts(rows: list[tuple[str, int]]) -> list[dict[str, Any]]:
        return [{"name": name, "count": n} for name, n in rows]

    return {
        "relations": result.relations,
        "hosts": result.hosts,
        "stakeholder_types": counts(result.stakeholder_types),
        "sectors": counts(result.sectors),
        "new_faces": result.new_faces,
        "known_faces": result.known_faces,
        "organisation_limit": result.organisation_limit,
        "crowded_organisations": [
            {"organisation_id": pk, "name": name, "count": n}
            for pk, name, n in result.crowded_organisations
        ],
        "per_host": counts(result.per_host),
    }


class GuestChanceOut(Schema):
    guest_id: int
    chance: float = Field(..., description="The chance this place's guest comes, 0 to 1")


class TurnoutOut(Schema):
    expected: float
    low: int = Field(..., description="The 80% interval's lower end")
    high: int
    target: int | None
    more_to_invite: int | None = Field(
        ..., description="How many more to invite to expect the target"
    )
    paid: bool
    history_size: int = Field(..., description="Past invitations the prediction learned from")
    guests: list[GuestChanceOut]


class TurnoutQuery(Schema):
    target: int | None = Field(None, ge=1, le=1_000_000)


@router.get("/events/{event_id}/turnout", response=TurnoutOut)
def get_turnout(request: HttpRequest, event_id: int, query: Query[TurnoutQuery]) -> dict[str, Any]:
    """Expected attendance of the list from each guest's and each tier's history, with its
    80% interval and how many more to invite to reach `target` (the capacity unless given)."""
    event = _event(request, event_id)
    found = guestlist.turnout_for(user=request.user, event=event, target=query.target)
    prediction = found.prediction
    return {
        "expected": round(prediction.expected, 2),
        "low": prediction.low,
        "high": prediction.high,
        "target": prediction.target,
        "more_to_invite": prediction.more_to_invite,
        "paid": event.paid,
        "history_size": found.history_size,
        "guests": [
            {"guest_id": pk, "chance": round(chance, 3)}
            for pk, chance in sorted(prediction.chances.items())
        ],
    }


class GuestConflictOut(Schema):
    person_ids: list[int]
    message: str


class FatigueOut(Schema):
    person_id: int
    message: str


class WarningsOut(Schema):
    conflicts: list[GuestConflictOut]
    fatigue: list[FatigueOut]


@router.get("/events/{event_id}/warnings", response=WarningsOut)
def get_warnings(request: HttpRequest, event_id: int) -> dict[str, Any]:
    """What to look at before inviting: conflicting interests on the list (competitors,
    organisations in dispute, conflict pairs) and relations asked too often."""
    event = _event(request, event_id)
    person_ids = list(
        guestlist.guest_list(user=request.user, event=event)
        .filter(person__isnull=False)
        .values_list("person_id", flat=True)
    )
    tired = guestlist.fatigue(event=event, person_ids=person_ids)
    return {
        "conflicts": [
            {"person_ids": list(c.persons), "message": c.message}
            for c in guestlist.conflicts(user=request.user, event=event)
        ],
        "fatigue": [{"person_id": pk, "message": text} for pk, text in sorted(tired.items())],
    }
