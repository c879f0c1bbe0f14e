"""JSON API operations of goodwill: favours, the balance per relation, the "time to give
something back" list."""

import datetime as dt
from typing import Any, Literal

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from gilde import visibility
from gilde.core.dates import ApiDate
from gilde.core.schemas import (
    Id,
    Paging,
    PatchSchema,
    PersonOrOrganisationIn,
    Text,
)
from gilde.core.web import current_member
from gilde.goodwill import selectors, services
from gilde.goodwill.models import Favour, FavourDirection, FavourKind
from gilde.goodwill.rules import Balance
from gilde.relations.selectors import organisation_get, person_get

router = Router(tags=["goodwill"])


class FavourIn(PersonOrOrganisationIn):
    member_id: Id | None = Field(None, description="The colleague involved; defaults to you")
    direction: FavourDirection
    kind: FavourKind
    occurred_on: ApiDate | None = Field(None, description="Defaults to today")
    note: Text = Field("", max_length=2000)


class FavourPatch(PatchSchema):
    member_id: Id | None = None
    direction: FavourDirection | None = None
    kind: FavourKind | None = None
    occurred_on: ApiDate | None = None
    note: Text | None = Field(None, max_length=2000)


class FavourOut(Schema):
    id: int
    person_id: int | None
    organisation_id: int | None
    member_id: int
    direction: str
    kind: str
    occurred_on: dt.date
    note: str
    created_by_id: int | None
    created_at: dt.datetime


class BalanceOut(Schema):
    given: float = Field(..., description="Points given (kind weight × recency factor)")
    received: float
    points: float = Field(..., description="given − received")
    given_count: int
    received_count: int
    state: str = Field(..., description='"owe", "even" or "ahead"')


class GiveBackOut(Schema):
    id: int = Field(..., description="Person or organisation id")
    name: str
    given: float
    received: float
    debt: float
    given_count: int
    received_count: int


def _balance_out(balance: Balance) -> dict[str, Any]:
    return {
        "given": balance.given,
        "received": balance.received,
        "points": balance.points,
        "given_count": balance.given_count,
        "received_count": balance.received_count,
        "state": balance.state,
    }


def _member(request: HttpRequest, member_id: int | None) -> Any:
    return visibility.members(request.user).get(pk=member_id) if member_id else None


@router.get("/favours", response=list[FavourOut])
@paginate(Paging)
def list_favours(
    request: HttpRequest,
    person_id: Id | None = None,
    organisation_id: Id | None = None,
    member_id: Id | None = None,
    direction: FavourDirection | None = None,
    kind: FavourKind | None = None,
) -> Any:
    """Favours you may see, newest first."""
    qs = visibility.favours(request.user)
    for field, value in (
        ("person_id", person_id),
        ("organisation_id", organisation_id),
        ("member_id", member_id),
        ("direction", direction),
        ("kind", kind),
    ):
        if value is not None:
            qs = qs.filter(**{field: value})
    return qs.order_by("-occurred_on", "-id")


@router.get("/favours/{favour_id}", response=FavourOut)
def get_favour(request: HttpRequest, favour_id: Id) -> Favour:
    return selectors.favour_get(user=request.user, pk=favour_id)


@router.post("/favours", response={201: FavourOut})
def create_favour(request: HttpRequest, payload: FavourIn) -> Status[Favour]:
    favour = services.favour_record(
        actor=current_member(request),
        person=person_get(user=request.user, pk=payload.person_id) if payload.person_id else None,
        organisation=organisation_get(user=request.user, pk=payload.organisation_id)
        if payload.organisation_id
        else None,
        member=_member(request, payload.member_id),
        direction=payload.direction.value,
        kind=payload.kind.value,
        occurred_on=payload.occurred_on,
        note=payload.note,
    )
    return Status(201, favour)


@router.patch("/favours/{favour_id}", response=FavourOut)
def update_favour(request: HttpRequest, favour_id: Id, payload: FavourPatch) -> Favour:
    favour = selectors.favour_get(user=request.user, pk=favour_id)
    data = payload.model_dump(exclude_unset=True)  # PatchSchema has refused any null
    if "member_id" in data:
        data["member"] = _member(request, data.pop("member_id"))
    for key in ("direction", "kind"):
        if key in data:
            data[key] = data[key].value
    return services.favour_update(actor=current_member(request), favour=favour, **data)


@router.delete("/favours/{favour_id}", response={204: None})
def delete_favour(request: HttpRequest, favour_id: Id) -> Status[None]:
    favour = selectors.favour_get(user=request.user, pk=favour_id)
    services.favour_delete(actor=current_member(request), favour=favour)
    return Status(204, None)


@router.get("/persons/{person_id}/goodwill", response=BalanceOut)
def person_goodwill(request: HttpRequest, person_id: Id) -> dict[str, Any]:
    """The goodwill balance with one person (see docs/goodwill.md for the rule)."""
    person = person_get(user=request.user, pk=person_id)
    return _balance_out(selectors.balance_for(user=request.user, subject=person))


@router.get("/organisations/{organisation_id}/goodwill", response=BalanceOut)
def organisation_goodwill(request: HttpRequest, organisation_id: Id) -> dict[str, Any]:
    organisation = organisation_get(user=request.user, pk=organisation_id)
    return _balance_out(selectors.balance_for(user=request.user, subject=organisation))


@router.get("/goodwill/give-back", response=list[GiveBackOut])
@paginate(Paging)
def give_back(request: HttpRequest, of: Literal["persons", "organisations"] = "persons") -> Any:
    """Relations we have mostly taken from and rarely given to, largest debt first.
    `of`: persons or organisations."""
    return _GiveBackRows(request, of)


class _GiveBackRows:
    """The give-back rows, sliced by the paginator before the names are looked up."""

    def __init__(self, request: HttpRequest, of: str) -> None:
        self.request, self.of = request, of
        self.qs = selectors.give_back_list(user=request.user, of=of)

    def __len__(self) -> int:
        return self.qs.count()

    def count(self) -> int:
        return self.qs.count()

    def __getitem__(self, window: slice) -> list[dict[str, Any]]:
        rows = selectors.with_subjects(
            user=self.request.user, rows=list(self.qs[window]), of=self.of
        )
        return [
            {
                "id": row["subject_id"],
                "given": row["given"],
                "received": row["received"],
                "debt": row["debt"],
                "given_count": row["given_count"],
                "received_count": row["received_count"],
                "name": row["subject"].full_name if self.of == "persons" else row["subject"].name,
            }
            for row in rows
        ]
