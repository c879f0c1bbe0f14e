"""JSON API of network intelligence under /api/v1/network/: reach, what leaves with a colleague
or relation, warm introduction paths (and asking for one), brokers, concentration risk,
communities, variety and conflicting interests. Every
answer comes from the caller's visible graph; a hidden or unknown id answers 404."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status

from gilde.core.schemas import InputSchema
from gilde.core.web import current_member

from . import conflicts, diversity, groups, introductions, report, selectors

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


class IntroductionIn(InputSchema):
    path: int = Field(1, ge=1, le=introductions.PATHS_SHOWN, description="which path (number)")


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


@router.get(
    "/network/reach", response=ReachOut,
    summary="Reach of the organisation, a colleague (member_id) or a department",
)  # fmt: skip
def network_reach(request: HttpRequest, query: Query[ReachQuery]) -> dict[str, Any]:
    current_member(request)
    member = selectors.member_for(request.user, query.member_id) if query.member_id else None
    found = selectors.reach(request.user, member=member, department=query.department)
    return report.reach_data(found)


@router.get("/network/loss", response=LossOut, summary="What the reach loses without a colleague")
def network_loss(request: HttpRequest, member_id: int) -> dict[str, Any]:
    current_member(request)
    member = selectors.member_for(request.user, member_id)
    return report.loss_data(selectors.loss_without(request.user, member=member))


@router.get(
    "/persons/{person_id}/network-loss", response=LossOut,
    summary="What the reach loses without this relation",
)  # fmt: skip
def person_network_loss(request: HttpRequest, person_id: int) -> dict[str, Any]:
    current_member(request)
    person = selectors.person_for(request.user, person_id)
    return report.loss_data(selectors.loss_without(request.user, person=person))


def _paths(request: HttpRequest, member_id: int | None, **target: Any) -> list[dict[str, Any]]:
    member = selectors.member_for(request.user, member_id) if member_id else None
    found = introductions.warm_paths(request.user, member=member, **target)
    return [report.path_data(p) for p in found]


@router.get(
    "/persons/{person_id}/warm-paths", response=list[PathOut],
    summary="Warm introduction paths to a person (member_id: only from that colleague)",
)  # fmt: skip
def person_warm_paths(
    request: HttpRequest, person_id: int, member_id: int | None = None
) -> list[dict[str, Any]]:
    current_member(request)
    return _paths(request, member_id, person=selectors.person_for(request.user, person_id))


@router.get(
    "/organisations/{organisation_id}/warm-paths", response=list[PathOut],
    summary="Warm introduction paths to an organisation",
)  # fmt: skip
def organisation_warm_paths(
    request: HttpRequest, organisation_id: int, member_id: int | None = None
) -> list[dict[str, Any]]:
    current_member(request)
    target = selectors.organisation_for(request.user, organisation_id)
    return _paths(request, member_id, organisation=target)


def _asked(item: Any) -> dict[str, Any]:
    return {"follow_up_id": item.pk, "owner": report.who(item.owner), "title": item.title}


@router.post(
    "/persons/{person_id}/introductions", response={201: FollowUpRef},
    summary="Ask for an introduction: a follow-up for the colleague who starts the path",
)  # fmt: skip
def person_introduction_ask(
    request: HttpRequest, person_id: int, payload: IntroductionIn
) -> Status[dict[str, Any]]:
    actor = current_member(request)
    person = selectors.person_for(request.user, person_id)
    item = introductions.introduction_ask(actor=actor, person=person, number=payload.path)
    return Status(201, _asked(item))


@router.post(
    "/organisations/{organisation_id}/introductions", response={201: FollowUpRef},
    summary="Ask for an introduction to an organisation",
)  # fmt: skip
def organisation_introduction_ask(
    request: HttpRequest, organisation_id: int, payload: IntroductionIn
) -> Status[dict[str, Any]]:
    actor = current_member(request)
    target = selectors.organisation_for(request.user, organisation_id)
    item = introductions.introduction_ask(actor=actor, organisation=target, number=payload.path)
    return Status(201, _asked(item))


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


class CommunitySectorOut(Schema):
    sector: str
    persons: int


class CommunityOrganisationOut(Who):
    persons: int


class CommunityOut(Schema):
    number: int = Field(..., description="1 is the largest")
    label: str = Field(..., description="its main sector and organisations")
    persons: int
    colleagues: list[Who]
    sectors: list[CommunitySectorOut]
    organisations: list[CommunityOrganisationOut]


class CommunityBridgeOut(Who):
    home: int = Field(..., description="the colleague's own community (0: none)")
    communities: int = Field(..., description="communities they know two or more persons in")
    participation: float = Field(..., description="0: all contacts in one community; to 1: spread")


class CommunitiesOut(Schema):
    ready: bool = Field(..., description="false while the task queue is still computing them")
    modularity: float
    communities: int
    largest: list[CommunityOut]
    bridges: list[CommunityBridgeOut]


class VarietyShareOut(Schema):
    label: str
    percent: float
    organisation_percent: float


class VarietyDimensionOut(Schema):
    key: str = Field(..., description="type, sector, region or age")
    shannon: float
    blau: float
    organisation_blau: float
    shares: list[VarietyShareOut]


class UnlikeOut(Who):
    score: float


class VarietyOut(Schema):
    label: str
    persons: int
    ties: int
    weak_share: float
    strong_share: float
    organisation_weak_share: float
    organisation_strong_share: float
    dimensions: list[VarietyDimensionOut]
    unlike_the_rest: list[UnlikeOut]


class ConflictingPersonsOut(Schema):
    a: Who
    b: Who
    reason: str


class OrganisationConflictOut(Schema):
    rule: str = Field(..., description="dispute, competitor_of_client or competitors")
    reason: str
    source: Who
    target: Who
    source_persons: list[Who]
    target_persons: list[Who]


class ThemeConflictOut(Schema):
    theme: str
    critics: list[Who] = Field(..., description="the first five")
    partners: list[Who] = Field(..., description="the first five")
    critics_total: int
    partners_total: int


class ConflictsOut(Schema):
    pairs: list[ConflictingPersonsOut]
    organisations: list[OrganisationConflictOut]
    themes: list[ThemeConflictOut]


@router.get(
    "/network/communities", response=CommunitiesOut,
    summary="Communities (Leiden) with their sectors and organisations, and bridging colleagues",
)  # fmt: skip
def network_communities(request: HttpRequest, top: int = 30) -> dict[str, Any]:
    current_member(request)
    found = groups.communities(request.user, top=max(1, min(top, 200)))
    return report.communities_data(found)


@router.get(
    "/network/variety", response=VarietyOut,
    summary="Variety of the ties of the organisation, a colleague (member_id) or a department",
)  # fmt: skip
def network_variety(request: HttpRequest, query: Query[ReachQuery]) -> dict[str, Any]:
    current_member(request)
    member = selectors.member_for(request.user, query.member_id) if query.member_id else None
    department = (
        query.department if query.department in selectors.departments(request.user) else None
    )
    found = diversity.variety(
        request.user, member=member, department=None if member else department
    )
    return report.variety_data(found)


@router.get(
    "/network/conflicts", response=ConflictsOut,
    summary="Conflicting interests to review: recorded pairs, organisations, opposite theme roles",
)  # fmt: skip
def network_conflicts(request: HttpRequest) -> dict[str, Any]:
    current_member(request)
    return report.conflicts_data(conflicts.conflicts_report(request.user))
