"""JSON API operations of the network strategy: goals and themes, a relation's themes, linking
a relation to a theme, a theme's coverage and the heatmap."""

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status

from gilde.core.schemas import Id, PersonOrOrganisationIn, Text
from gilde.core.web import current_member
from gilde.relations.selectors import organisation_get, person_get
from gilde.strategy import selectors, services
from gilde.strategy.models import Importance, ThemeLink, ThemeRole

router = Router(tags=["strategy"])


class ThemeOut(Schema):
    id: int
    goal_id: int
    goal: str = Field(..., alias="goal.title")
    name: str
    we_want: str
    we_offer: str
    owner_id: int | None
    starts_on: dt.date | None
    ends_on: dt.date | None


class LinkOut(Schema):
    id: int
    theme_id: int
    person_id: int | None
    organisation_id: int | None
    role: str
    importance: int
    note: str


class LinkIn(PersonOrOrganisationIn):
    role: ThemeRole
    importance: Importance = Importance.MEDIUM
    note: Text = Field("", max_length=300)


class CoverageOut(Schema):
    theme_id: int
    linked: int
    strong: int
    moderate: int
    weak: int
    going_cold: int
    by_role: dict[str, int]
    by_stakeholder_type: dict[str, int]
    stakeholder_types_missing: list[str]
    organisations_unknown: list[int] = Field(
        ..., description="Linked organisations no colleague knows anyone at"
    )


class HeatCellOut(Schema):
    theme_id: int
    stakeholder_type: str
    linked: int
    known: int = Field(..., description="Linked persons a colleague knows moderately or well")


@router.get("/strategy/themes", response=list[ThemeOut])
def list_themes(request: HttpRequest) -> Any:
    """Every theme with its goal (the organisation's strategy, readable by every member)."""
    current_member(request)
    return list(selectors.themes())


@router.get("/strategy/themes/{theme_id}/coverage", response=CoverageOut)
def theme_coverage(request: HttpRequest, theme_id: Id) -> dict[str, Any]:
    """A theme's coverage as you may see it."""
    current_member(request)
    cover = selectors.coverage(user=request.user, theme=selectors.theme_get(pk=theme_id))
    return {
        "theme_id": theme_id,
        "linked": cover.linked,
        "strong": cover.strong,
        "moderate": cover.moderate,
        "weak": cover.weak,
        "going_cold": cover.cold,
        "by_role": cover.by_role,
        "by_stakeholder_type": cover.by_type,
        "stakeholder_types_missing": [t.code for t in cover.types_missing],
        "organisations_unknown": [o.pk for o in cover.unknown_organisations],
    }


@router.get("/strategy/heatmap", response=list[HeatCellOut])
def heatmap(request: HttpRequest) -> list[dict[str, Any]]:
    """The cells of the heatmap theme × stakeholder type that have linked relations."""
    current_member(request)
    found = selectors.heatmap(user=request.user)
    codes = {t.pk: t.code for t in found.types}
    return [
        {
            "theme_id": theme_id,
            "stakeholder_type": codes[type_id],
            "linked": cell.linked,
            "known": cell.covered,
        }
        for (theme_id, type_id), cell in sorted(found.cells.items())
    ]


@router.get("/persons/{person_id}/themes", response=list[LinkOut])
def person_themes(request: HttpRequest, person_id: Id) -> Any:
    person = person_get(user=request.user, pk=person_id)
    return list(selectors.links_of(user=request.user, subject=person))


@router.post("/strategy/themes/{theme_id}/links", response={201: LinkOut})
def link_to_theme(request: HttpRequest, theme_id: Id, payload: LinkIn) -> Status[ThemeLink]:
    """Link a person or organisation to a theme (or change the role of its link)."""
    theme = selectors.theme_get(pk=theme_id)
    link = services.theme_link_set(
        actor=current_member(request),
        theme=theme,
        role=payload.role.value,
        importance=int(payload.importance),
        note=payload.note,
        person=person_get(user=request.user, pk=payload.person_id) if payload.person_id else None,
        organisation=organisation_get(user=request.user, pk=payload.organisation_id)
        if payload.organisation_id
        else None,
    )
    return Status(201, link)


@router.delete("/strategy/theme-links/{theme_link_id}", response={204: None})
def unlink(request: HttpRequest, theme_link_id: Id) -> Status[None]:
    """Unlink a relation from a theme: whoever linked it, or a network manager."""
    link = selectors.links(request.user).get(pk=theme_link_id)
    services.theme_link_remove(actor=current_member(request), link=link)
    return Status(204, None)
