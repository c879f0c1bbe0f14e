"""JSON API of the member network under /api/v1/members/: the goal, the directory, "who can
help me?", one's own profile, referrals and balance, the flow, commitment and applications."""

import datetime as dt
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from gilde import visibility
from gilde.core.dates import ApiDate
from gilde.core.schemas import ERRORS_403, Id, InputSchema, Line, Money, Paging, Text
from gilde.core.web import current_member
from gilde.members import selectors, services
from gilde.members.models import Aspect, Profile, Referral, ReferralKind
from gilde.members.network import network_get
from gilde.permissions import require_coordinator

router = Router(tags=["member network"])


class MemberNetworkOut(Schema):
    kind: str = Field(..., description='"organisation" or "members"')
    name: str
    goal: str
    objectives: str
    expectations: str
    how_to_join: str


class MemberTagOut(Schema):
    aspect: str
    label: str


class MemberProfileOut(Schema):
    member_id: int
    name: str
    organisation: str = ""
    work: str = ""
    passions: str = ""
    talents: str = ""
    seeks: str = ""
    offers: str = ""
    languages: str = ""
    region: str = ""
    tags: list[MemberTagOut] = []


class MemberProfileIn(InputSchema):
    organisation: Line = Field("", max_length=200)
    work: Text = ""
    passions: Text = ""
    talents: Text = ""
    seeks: Text = ""
    offers: Text = ""
    languages: Line = Field("", max_length=200)
    region: Line = Field("", max_length=200)
    passion_tags: list[Line] = Field([], max_length=20, description="Tags, each at most 60 long")
    talent_tags: list[Line] = Field([], max_length=20)
    seeks_tags: list[Line] = Field([], max_length=20)
    offers_tags: list[Line] = Field([], max_length=20)


class MemberHelpMatchOut(Schema):
    member_id: int
    name: str
    score: int
    because: list[str]


class MemberReferralIn(InputSchema):
    receiver_id: Id
    kind: ReferralKind
    occurred_on: ApiDate | None = Field(None, description="Defaults to today")
    description: Text = Field("", description="Seen only by giver and receiver")


class MemberReferralAnswerIn(InputSchema):
    confirmed: bool = True
    value: Money | None = Field(None, description="What it brought the receiver, if reported")


class MemberReferralOut(Schema):
    id: int
    giver_id: int
    receiver_id: int
    kind: str
    occurred_on: dt.date
    description: str
    status: str
    value: Decimal | None


class MemberBalanceOut(Schema):
    given: int
    received: int
    to_confirm: int
    awaiting: int
    value_given: Decimal
    value_received: Decimal


class MemberFlowRowOut(Schema):
    member_id: int
    name: str
    given: int
    received: int
    gave_to: int
    received_from: int


class MemberCommitmentOut(Schema):
    member_id: int
    name: str
    held: int
    attended: int
    referrals_given: int
    referrals_received: int
    introducees: int
    contributions: int
    recent_held: int
    recent_attended: int
    dropping: bool
    reason: str


class MemberApplicationOut(Schema):
    id: int
    kind: str
    status: str
    first_name: str
    last_name: str
    email: str
    organisation: str
    introduced_by_id: int | None
    lawful_basis: str
    created_at: dt.datetime


def _profile_out(member: Any, profile: Profile | None) -> dict[str, Any]:
    out: dict[str, Any] = {"member_id": member.pk, "name": member.name, "tags": []}
    if profile is not None:
        for name in services.PROFILE_TEXTS:
            out[name] = getattr(profile, name)
        out["tags"] = [{"aspect": t.aspect, "label": t.label} for t in profile.tags.all()]
    return out


@router.get("/members/network", response=MemberNetworkOut)
def member_network(request: HttpRequest) -> Any:
    """The network's kind and its goal, as every member reads it."""
    current_member(request)
    return network_get()


@router.get("/members/directory", response=list[MemberProfileOut])
@paginate(Paging)
def member_directory(
    request: HttpRequest, q: Line = "", tag: Line = "", aspect: Aspect | None = None
) -> Any:
    """Members found by any word of their name or profile; `tag` (and `aspect`) narrow."""
    found = selectors.directory(
        request.user, query=q[:200], tag=tag[:60], aspect=aspect.value if aspect else ""
    )
    return [_profile_out(m, getattr(m, "profile", None)) for m in found]


@router.get("/members/help", response=list[MemberHelpMatchOut])
def member_help(request: HttpRequest, need: Line = "") -> Any:
    """Who can help with `need`: members whose offers, talents and work match, best first."""
    return [
        {"member_id": m.member.pk, "name": m.member.name, "score": m.score, "because": m.because}
        for m in selectors.helpers_for(request.user, need=need[:200])
    ]


@router.get("/members/me/profile", response=MemberProfileOut)
def my_profile(request: HttpRequest) -> Any:
    me = current_member(request)
    return _profile_out(me, selectors.profile_of(request.user, me))


@router.put("/members/me/profile", response=MemberProfileOut)
def my_profile_save(request: HttpRequest, payload: MemberProfileIn) -> Any:
    """Write your own profile (every field; tags per aspect replace the ones there)."""
    me = current_member(request)
    data = payload.model_dump()
    tags = {aspect: ", ".join(data.pop(f"{aspect}_tags")) for aspect in Aspect.values}
    profile = services.profile_save(actor=me, tags=tags, **data)
    return _profile_out(me, selectors.profile_of(request.user, profile.member))


@router.get("/members/referrals", response=list[MemberReferralOut])
@paginate(Paging)
def member_referrals(request: HttpRequest) -> Any:
    """Your referrals, given and received, newest first."""
    return visibility.referrals(request.user).order_by("-occurred_on", "-id")


@router.post("/members/referrals", response={201: MemberReferralOut})
def member_referral_record(request: HttpRequest, payload: MemberReferralIn) -> Status[Referral]:
    """Record a referral you gave another member; they are asked to confirm it."""
    receiver = visibility.members(request.user).select_related("user").get(pk=payload.receiver_id)
    referral = services.referral_record(
        actor=current_member(request),
        receiver=receiver,
        kind=payload.kind.value,
        occurred_on=payload.occurred_on,
        description=payload.description,
    )
    return Status(201, referral)


@router.post("/members/referrals/{referral_id}/answer", response=MemberReferralOut)
def member_referral_answer(
    request: HttpRequest, referral_id: Id, payload: MemberReferralAnswerIn
) -> Referral:
    """As its receiver: confirm a referral (with its value, if you want) or say you do not
    recognise it."""
    me = current_member(request)
    referral = visibility.referrals(request.user).filter(receiver=me).get(pk=referral_id)
    return services.referral_answer(
        actor=me, referral=referral, confirmed=payload.confirmed, value=payload.value
    )


@router.get("/members/balance", response=MemberBalanceOut)
def member_balance(request: HttpRequest) -> Any:
    """Your own give and take with other members."""
    current_member(request)
    return selectors.balance_of(request.user)


@router.get("/members/flow", response=list[MemberFlowRowOut])
def member_flow(request: HttpRequest, since: ApiDate | None = None) -> Any:
    """Confirmed referrals per member (counts only), most active first."""
    current_member(request)
    return [
        {
            "member_id": r.member.pk,
            "name": r.member.name,
            "given": r.given,
            "received": r.received,
            "gave_to": r.gave_to,
            "received_from": r.received_from,
        }
        for r in selectors.flow(request.user, since=since).rows
    ]


@router.get("/members/commitment", response={200: list[MemberCommitmentOut], **ERRORS_403})
def member_commitment(request: HttpRequest) -> Any:
    """The coordinator's overview: per member the last twelve months and the last three, and
    whether their commitment drops."""
    require_coordinator(current_member(request))
    rows = []
    for c in selectors.commitment(request.user):
        year = c.year
        rows.append(
            {
                "member_id": c.member.pk,
                "name": c.member.name,
                "held": year.held,
                "attended": year.attended,
                "referrals_given": year.referrals_given,
                "referrals_received": year.referrals_received,
                "introducees": year.introducees,
                "contributions": year.contributions,
                "recent_held": c.recent.held,
                "recent_attended": c.recent.attended,
                "dropping": c.judgement.dropping,
                "reason": c.judgement.reason,
            }
        )
    return rows


@router.get("/members/applications", response={200: list[MemberApplicationOut], **ERRORS_403})
@paginate(Paging)
def member_applications(request: HttpRequest) -> Any:
    """Applications to join or visit (the coordinator's)."""
    require_coordinator(current_member(request))
    return selectors.applications(request.user).order_by("-created_at", "-id")
