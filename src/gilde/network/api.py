"""JSON API of network intelligence under /api/v1/network/: reach, what leaves with a colleague
or relation, warm introduction paths (and asking for one), brokers and concentration risk. Every
answer comes from the caller's visible graph; a hidden or unknown id answers 404."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from gilde.core.schemas import InputSchema
from gilde.core.web import current_member

from . import introductions, report, selectors

router = Router(tags=["network"])


class Who(Schema):
    type: str
    id: int
    name: str


class Part(Schema):
    label: str
    first: int
    second: int


class ReachOut(Schema):
    label: str
    colleagues: int
    first_persons: int = Field(..., description="persons the colleagues know directly")
    second_persons: int = Field(..., description="persons known by those, not known directly")
    first_organisations: int
    second_organisations: int
    efficiency: float = Field(..., description="second-degree persons per first-degree person")
    overlap: float = Field(..., description="share of direct contacts known by 2+ colleagues")
    by_tier: list[Part]
    by_stakeholder_type: list[Part]
    by_sector: list[Part]
    graph_built_at: str | None


class ReachQuery(Schema):
    member_id: int | None = None
    department: str | None = None


class LossOut(Schema):
    label: str
    first_persons: int
    second_persons: int
    organisations: int
    only_known_by: list[Who]


class LossQuery(Schema):
    member_id: int | None = None
    person_id: int | None = None


class StepOut(Schema):
    text: str
    to: Who


class IntermediaryOut(Who):
    last_contact: str | None
    status: str


class PathOut(Schema):
    number: int
    colleague: Who
    score: float = Field(..., description="product of strength × recency over the steps, 0–1")
    route: str
    steps: list[StepOut]
    intermediaries: list[IntermediaryOut]


class PathsQuery(Schema):
    person_id: int | None = None
    organisation_id: int | None = None
    member_id: int | None = Field(None, description="only paths starting with this colleague")


class IntroductionIn(InputSchema):
    person_id: int | None = None
    organisation_id: int | None = None
    path: int = Field(1, ge=1, le=introductions.PATHS_SHOWN)


class FollowUpRef(Schema):
    follow_up_id: int
    owner: Who
    title: str


class RiskOut(Schema):
    person: Who
    tier: str | None
    known_only_by: Who
    proposed: Who | None
    proposed_path_score: float | None


class BrokerOut(Who):
    degree: int
    weighted_degree: float
    betweenness: float
    constraint: float


class BrokersOut(Schema):
    colleagues: list[BrokerOut]
    relations: list[BrokerOut]
    betweenness_sampled: bool
    betweenness_relative_error: float


def _target(
    request: HttpRequest, person_id: int | None, organisation_id: int | None
) -> dict[str, Any]:
    from django.core.exceptions import ValidationError

    if (person_id is None) == (organisation_id is None):
        raise ValidationError("Give either person_id or organisation_id.")
    if person_id is not None:
        return {"person": selectors.person_for(request.user, person_id)}
    return {"organisation": selectors.organisation_for(request.user, organisation_id or 0)}


@router.get(
    "/network/reach",
    response=ReachOut,
    summary="Reach of the organisation, a colleague or a department",
)
def network_reach(request: HttpRequest, query: Query[ReachQuery]) -> dict[str, Any]:
    current_member(request)
    member = selectors.member_for(request.user, query.member_id) if query.member_id else None
    found = selectors.reach(request.user, member=member, department=query.department)
    return report.reach_data(found)


@router.get(
    "/network/loss",
    response=LossOut,
    summary="What the reach loses without a colleague or relation",
)
def network_loss(request: HttpRequest, query: Query[LossQuery]) -> dict[str, Any]:
    from django.core.exceptions import ValidationError

    current_member(request)
    if (query.member_id is None) == (query.person_id is None):
        raise ValidationError("Give either member_id or person_id.")
    if query.member_id is not None:
        loss = selectors.loss_without(
            request.user, member=selectors.member_for(request.user, query.member_id)
        )
    else:
        loss = selectors.loss_without(
            request.user, person=selectors.person_for(request.user, query.person_id or 0)
        )
    return report.loss_data(loss)


@router.get(
    "/network/paths",
    response=list[PathOut],
    summary="Warm introduction paths to a person or organisation",
)
def network_paths(request: HttpRequest, query: Query[PathsQuery]) -> list[dict[str, Any]]:
    current_member(request)
    target = _target(request, query.person_id, query.organisation_id)
    member = selectors.member_for(request.user, query.member_id) if query.member_id else None
    return [
        report.path_data(p) for p in introductions.warm_paths(request.user, member=member, **target)
    ]


@router.post(
    "/network/introductions", response={201: FollowUpRef}, summary="Ask for an introduction"
)
def network_introduction_ask(
    request: HttpRequest, payload: IntroductionIn
) -> tuple[int, dict[str, Any]]:
    actor = current_member(request)
    target = _target(request, payload.person_id, payload.organisation_id)
    item = introductions.introduction_ask(actor=actor, number=payload.path, **target)
    return 201, {"follow_up_id": item.pk, "owner": report._who(item.owner), "title": item.title}


@router.get(
    "/network/risk", response=list[RiskOut], summary="Key relations known by one colleague only"
)
def network_risk(
    request: HttpRequest, member_id: int | None = None, limit: int = 100
) -> list[dict[str, Any]]:
    current_member(request)
    member = selectors.member_for(request.user, member_id) if member_id else None
    found = selectors.concentration(request.user, member=member, limit=max(1, min(limit, 1000)))
    return [report.risk_data(r) for r in found]


@router.get(
    "/network/brokers", response=BrokersOut, summary="Colleagues and relations who connect most"
)
def network_brokers(request: HttpRequest, top: int = 20) -> dict[str, Any]:
    current_member(request)
    return report.brokers_data(selectors.brokers(request.user, top=max(1, min(top, 200))))
