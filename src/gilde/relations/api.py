"""API operations for persons, organisations, affiliations and ties."""

import datetime as dt
from typing import Annotated, Any

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, FilterSchema, Query, Router, Schema, Status
from ninja.pagination import paginate
from pydantic import StringConstraints

from gilde import visibility
from gilde.accounts.models import Member
from gilde.audit.models import AuditAction
from gilde.audit.services import audit_record
from gilde.core.dates import ApiDate
from gilde.core.schemas import (
    ConflictOut,
    Email,
    FilledLine,
    Id,
    InputSchema,
    Line,
    Paging,
    PatchSchema,
    Text,
    Url,
    codes_of,
    stale_conflict,
)
from gilde.core.web import current_member
from gilde.relations import selectors, services
from gilde.relations.models import (
    Affiliation,
    Language,
    Organisation,
    OrganisationKind,
    OrganisationLink,
    OrganisationLinkKind,
    Person,
    Sector,
    StakeholderType,
    Tie,
    TieOrigin,
    Tier,
)
from gilde.relations.services import TAGS_PER_RECORD

router = Router()


# ---- persons -----------------------------------------------------------------------------------


CONFIDENTIAL_HELP = (
    "Visible only to the members named in confidential_member_ids, the owner and network "
    "managers; only the owner and network managers may change it."
)


TAGS_HELP = (
    "Tag names. Tags are shared by everyone, so a save may add only a few tags that do not exist "
    "yet, and each member only so many a day: beyond that the answer is 429."
)


class AddressIn(InputSchema):
    street: Line = Field("", max_length=200)
    postal_code: Line = Field("", max_length=20)
    city: Line = Field("", max_length=100)
    country: Line = Field("", max_length=100)


class AddressOut(Schema):
    street: str
    postal_code: str
    city: str
    country: str


TierCode = Annotated[str, StringConstraints(min_length=1), codes_of("tier")]
StakeholderTypeCode = Annotated[str, StringConstraints(min_length=1), codes_of("stakeholder_type")]
TagName = Annotated[FilledLine, Field(max_length=60)]
Tags = Annotated[list[TagName], Field(max_length=TAGS_PER_RECORD)]
Phone = Annotated[FilledLine, Field(max_length=40)]


class PersonIn(InputSchema):
    given_name: Line = Field("", max_length=100)
    tussenvoegsel: Line = Field("", max_length=30)
    family_name: FilledLine = Field(..., max_length=150)
    initials: Line = Field("", max_length=20)
    title: Line = Field("", max_length=40)
    website: Url = ""
    linkedin_url: Url = ""
    language: Language = Language.DUTCH
    birthday: ApiDate | None = None
    tier: TierCode | None = Field(None, description="Tier code: A, B, C or D")
    stakeholder_types: list[StakeholderTypeCode] = Field(
        default_factory=list, description="Stakeholder type codes"
    )
    tags: Tags = Field(default_factory=list, description=TAGS_HELP)
    emails: list[Email] = Field(default_factory=list)
    phones: list[Phone] = Field(default_factory=list)
    address: AddressIn | None = None
    passions: Text = ""
    talents: Text = ""
    interests: Text = ""
    source: Line = Field("", max_length=200)
    confidential: bool = Field(False, description=CONFIDENTIAL_HELP)
    confidential_member_ids: list[Id] = Field(
        default_factory=list, description="Members who may see the person when it is confidential"
    )


class PersonPatch(PatchSchema):
    nullable = frozenset({"birthday", "tier", "confidential", "confidential_member_ids", "version"})

    given_name: Line | None = Field(None, max_length=100)
    tussenvoegsel: Line | None = Field(None, max_length=30)
    family_name: FilledLine | None = Field(None, max_length=150)
    initials: Line | None = Field(None, max_length=20)
    title: Line | None = Field(None, max_length=40)
    website: Url | None = None
    linkedin_url: Url | None = None
    language: Language | None = None
    birthday: ApiDate | None = None
    tier: TierCode | None = None
    stakeholder_types: list[StakeholderTypeCode] | None = None
    tags: Tags | None = Field(None, description=TAGS_HELP)
    emails: list[Email] | None = None
    phones: list[Phone] | None = None
    address: AddressIn | None = None
    passions: Text | None = None
    talents: Text | None = None
    interests: Text | None = None
    source: Line | None = Field(None, max_length=200)
    confidential: bool | None = Field(None, description=CONFIDENTIAL_HELP)
    confidential_member_ids: list[Id] | None = None
    version: int | None = Field(
        None,
        ge=1,
        description="The version you read (from GET). When given and someone else has changed "
        "the person since, nothing is saved and the answer is 409: reload and redo your change.",
    )


class PersonOut(Schema):
    id: int
    given_name: str
    tussenvoegsel: str
    family_name: str
    initials: str
    title: str
    full_name: str
    listed_name: str
    website: str
    linkedin_url: str
    language: str
    birthday: dt.date | None
    tier: str | None
    stakeholder_types: list[str]
    tags: list[str]
    emails: list[str]
    phones: list[str]
    address: AddressOut | None
    passions: str
    talents: str
    interests: str
    source: str
    owner_id: int | None
    confidential: bool
    confidential_member_ids: list[int]
    version: int
    created_at: dt.datetime
    updated_at: dt.datetime

    @staticmethod
    def resolve_confidential_member_ids(obj: Person) -> list[int]:
        return [m.pk for m in obj.confidential_members.all()]

    @staticmethod
    def resolve_tier(obj: Person) -> str | None:
        return obj.tier.code if obj.tier else None

    @staticmethod
    def resolve_stakeholder_types(obj: Person) -> list[str]:
        return [t.code for t in obj.stakeholder_types.all()]

    @staticmethod
    def resolve_tags(obj: Person) -> list[str]:
        return [t.name for t in obj.tags.all()]

    @staticmethod
    def resolve_emails(obj: Person) -> list[str]:
        return [e.address for e in obj.emails.all()]

    @staticmethod
    def resolve_phones(obj: Person) -> list[str]:
        return [p.number for p in obj.phones.all()]

    @staticmethod
    def resolve_address(obj: Person) -> dict[str, str] | None:
        address = next(iter(obj.addresses.all()), None)
        if address is None:
            return None
        return {k: getattr(address, k) for k in ("street", "postal_code", "city", "country")}


class PersonListFilters(FilterSchema):
    q: str = ""
    tier: str = ""
    stakeholder_type: str = ""
    tag: str = ""
    sector: str = ""
    organisation: Id | None = None
    known_by: Id | None = Field(None, description="Member id")
    theme: Id | None = Field(None, description="Strategic theme id")
    order: str = "name"


def _tier(code: str | None) -> Tier | None:
    if not code:
        return None
    tier = Tier.objects.filter(code=code).first()
    if tier is None:
        from django.core.exceptions import ValidationError

        raise ValidationError({"tier": f"Unknown tier {code!r}."})
    return tier


def _stakeholder_types(codes: list[str]) -> list[StakeholderType]:
    found = list(StakeholderType.objects.filter(code__in=codes))
    missing = set(codes) - {t.code for t in found}
    if missing:
        from django.core.exceptions import ValidationError

        raise ValidationError({"stakeholder_types": f"Unknown: {', '.join(sorted(missing))}."})
    return found


def _confidential_members(request: HttpRequest, ids: list[int]) -> list[Any]:
    found = list(visibility.members(request.user).filter(pk__in=ids))
    if set(ids) - {m.pk for m in found}:
        raise Member.DoesNotExist  # 404, like any id that names nothing
    return found


def _person_arguments(data: dict[str, Any], request: HttpRequest | None = None) -> dict[str, Any]:
    if "confidential" in data and data["confidential"] is None:
        del data["confidential"]
    if "confidential_member_ids" in data:
        ids = data.pop("confidential_member_ids")
        if ids is not None and request is not None:
            data["confidential_members"] = _confidential_members(request, ids)
    if "tier" in data:
        data["tier"] = _tier(data["tier"])
    if "stakeholder_types" in data and data["stakeholder_types"] is not None:
        data["stakeholder_types"] = _stakeholder_types(data["stakeholder_types"])
    if "language" in data and data["language"] is not None:
        data["language"] = Language(data["language"]).value
    return data


def _person_prefetched(qs: Any) -> Any:
    return qs.prefetch_related(
        "stakeholder_types", "tags", "emails", "phones", "addresses", "confidential_members"
    )


@router.get("/persons", response=list[PersonOut], tags=["persons"])
@paginate(Paging)
def list_persons(request: HttpRequest, filters: Query[PersonListFilters]) -> Any:
    """Persons you may see, with the same search and filters as the person list page."""
    return _person_prefetched(
        selectors.person_list(
            user=request.user, filters=selectors.PersonFilters(**filters.model_dump())
        )
    )


@router.get("/persons/{person_id}", response=PersonOut, tags=["persons"])
def get_person(request: HttpRequest, person_id: Id) -> Person:
    person: Person = _person_prefetched(visibility.persons(request.user)).get(pk=person_id)
    if request.method == "GET":  # not when answering a create or update with the new state
        audit_record(
            actor=visibility.member_of(request.user), action=AuditAction.VIEW, target=person
        )
    return person


@router.post("/persons", response={201: PersonOut}, tags=["persons"])
def create_person(request: HttpRequest, payload: PersonIn) -> Status[Person]:
    person = services.person_create(
        actor=current_member(request), **_person_arguments(payload.model_dump(), request)
    )
    return Status(201, get_person(request, person.pk))


@router.patch("/persons/{person_id}", response={200: PersonOut, 409: ConflictOut}, tags=["persons"])
def update_person(request: HttpRequest, person_id: Id, payload: PersonPatch) -> Any:
    """Change the fields given. Send the `version` you read to be sure you do not overwrite a
    change someone else made in the meantime: a stale version answers 409 and changes nothing."""
    person = selectors.person_get(user=request.user, pk=person_id)
    try:
        services.person_update(
            actor=current_member(request),
            person=person,
            **_person_arguments(payload.model_dump(exclude_unset=True), request),
        )
    except ValidationError as error:
        return stale_conflict(error, services.STALE_EDIT_MESSAGE)
    return get_person(request, person_id)


@router.delete("/persons/{person_id}", response={204: None}, tags=["persons"])
def delete_person(request: HttpRequest, person_id: Id) -> Status[None]:
    person = selectors.person_get(user=request.user, pk=person_id)
    services.person_delete(actor=current_member(request), person=person)
    return Status(204, None)


# ---- organisations -----------------------------------------------------------------------------


class OrganisationIn(InputSchema):
    name: FilledLine = Field(..., max_length=200)
    kind: OrganisationKind = OrganisationKind.COMPANY
    sector: Sector | None = None
    website: Url = ""
    city: Line = Field("", max_length=100)
    tier: TierCode | None = None
    parent_id: Id | None = None
    description: Text = ""
    stakeholder_types: list[StakeholderTypeCode] = Field(default_factory=list)
    tags: Tags = Field(default_factory=list, description=TAGS_HELP)
    source: Line = Field("", max_length=200)


class OrganisationPatch(PatchSchema):
    nullable = frozenset({"tier", "sector", "parent_id", "version"})

    name: FilledLine | None = Field(None, max_length=200)
    kind: OrganisationKind | None = None
    sector: Sector | None = None
    website: Url | None = None
    city: Line | None = Field(None, max_length=100)
    tier: TierCode | None = None
    parent_id: Id | None = None
    description: Text | None = None
    stakeholder_types: list[StakeholderTypeCode] | None = None
    tags: Tags | None = Field(None, description=TAGS_HELP)
    source: Line | None = Field(None, max_length=200)
    version: int | None = Field(
        None,
        ge=1,
        description="The version you read (from GET). When given and someone else has changed "
        "the organisation since, nothing is saved and the answer is 409: reload and redo your "
        "change.",
    )


class OrganisationOut(Schema):
    id: int
    name: str
    kind: str
    sector: str
    website: str
    city: str
    tier: str | None
    parent_id: int | None
    description: str
    stakeholder_types: list[str]
    tags: list[str]
    source: str
    owner_id: int | None
    version: int

    @staticmethod
    def resolve_tier(obj: Organisation) -> str | None:
        return obj.tier.code if obj.tier else None

    @staticmethod
    def resolve_stakeholder_types(obj: Organisation) -> list[str]:
        return [t.code for t in obj.stakeholder_types.all()]

    @staticmethod
    def resolve_tags(obj: Organisation) -> list[str]:
        return [t.name for t in obj.tags.all()]


class OrganisationListFilters(FilterSchema):
    q: str = ""
    sector: str = ""
    kind: str = ""
    tier: str = ""
    stakeholder_type: str = ""
    tag: str = ""
    order: str = "name"


def _organisation_arguments(request: HttpRequest, data: dict[str, Any]) -> dict[str, Any]:
    if "tier" in data:
        data["tier"] = _tier(data["tier"])
    if "stakeholder_types" in data and data["stakeholder_types"] is not None:
        data["stakeholder_types"] = _stakeholder_types(data["stakeholder_types"])
    if "parent_id" in data:
        parent_id = data.pop("parent_id")
        data["parent"] = (
            visibility.organisations(request.user).get(pk=parent_id) if parent_id else None
        )
    for key in ("kind", "sector"):
        if key in data:
            data[key] = data[key].value if data[key] is not None else ""
    return data


def _organisation_prefetched(qs: Any) -> Any:
    return qs.select_related("tier").prefetch_related("stakeholder_types", "tags")


@router.get("/organisations", response=list[OrganisationOut], tags=["organisations"])
@paginate(Paging)
def list_organisations(request: HttpRequest, filters: Query[OrganisationListFilters]) -> Any:
    return _organisation_prefetched(
        selectors.organisation_list(
            user=request.user, filters=selectors.OrganisationFilters(**filters.model_dump())
        )
    )


@router.get("/organisations/{organisation_id}", response=OrganisationOut, tags=["organisations"])
def get_organisation(request: HttpRequest, organisation_id: Id) -> Organisation:
    return _organisation_prefetched(visibility.organisations(request.user)).get(pk=organisation_id)


@router.post("/organisations", response={201: OrganisationOut}, tags=["organisations"])
def create_organisation(request: HttpRequest, payload: OrganisationIn) -> Status[Organisation]:
    organisation = services.organisation_create(
        actor=current_member(request), **_organisation_arguments(request, payload.model_dump())
    )
    return Status(201, get_organisation(request, organisation.pk))


@router.patch(
    "/organisations/{organisation_id}",
    response={200: OrganisationOut, 409: ConflictOut},
    tags=["organisations"],
)
def update_organisation(
    request: HttpRequest, organisation_id: Id, payload: OrganisationPatch
) -> Any:
    """Change the fields given. Send the `version` you read to be sure you do not overwrite a
    change someone else made in the meantime: a stale version answers 409 and changes nothing."""
    organisation = selectors.organisation_get(user=request.user, pk=organisation_id)
    try:
        services.organisation_update(
            actor=current_member(request),
            organisation=organisation,
            **_organisation_arguments(request, payload.model_dump(exclude_unset=True)),
        )
    except ValidationError as error:
        return stale_conflict(error, services.STALE_ORGANISATION_MESSAGE)
    return get_organisation(request, organisation_id)


@router.delete("/organisations/{organisation_id}", response={204: None}, tags=["organisations"])
def delete_organisation(request: HttpRequest, organisation_id: Id) -> Status[None]:
    organisation = selectors.organisation_get(user=request.user, pk=organisation_id)
    services.organisation_delete(actor=current_member(request), organisation=organisation)
    return Status(204, None)


# ---- relations between organisations -----------------------------------------------------------


class OrganisationLinkIn(InputSchema):
    source_id: Id = Field(
        ...,
        description="The organisation the relation is recorded on; only who may change it "
        "may add, change or remove the relation",
    )
    target_id: Id
    kind: OrganisationLinkKind = Field(..., description="Read as: source <kind> target")
    note: Line = Field("", max_length=300)


class OrganisationLinkPatch(PatchSchema):
    kind: OrganisationLinkKind | None = None
    note: Line | None = Field(None, max_length=300)


class OrganisationLinkOut(Schema):
    id: int
    source_id: int
    target_id: int
    kind: str
    note: str


@router.get("/organisation-links", response=list[OrganisationLinkOut], tags=["organisation links"])
@paginate(Paging)
def list_organisation_links(request: HttpRequest, organisation_id: Id | None = None) -> Any:
    """Relations between organisations; with `organisation_id`, those on either side of it."""
    qs = selectors.organisation_links(user=request.user).order_by("id")
    if organisation_id is not None:
        qs = qs.filter(Q(source_id=organisation_id) | Q(target_id=organisation_id))
    return qs


@router.get(
    "/organisation-links/{link_id}", response=OrganisationLinkOut, tags=["organisation links"]
)
def get_organisation_link(request: HttpRequest, link_id: Id) -> OrganisationLink:
    link: OrganisationLink = (
        selectors.organisation_links(user=request.user).select_related("source").get(pk=link_id)
    )
    return link


@router.post(
    "/organisation-links", response={201: OrganisationLinkOut}, tags=["organisation links"]
)
def create_organisation_link(
    request: HttpRequest, payload: OrganisationLinkIn
) -> Status[OrganisationLink]:
    link = services.organisation_link_create(
        actor=current_member(request),
        source=selectors.organisation_get(user=request.user, pk=payload.source_id),
        target=selectors.organisation_get(user=request.user, pk=payload.target_id),
        kind=payload.kind.value,
        note=payload.note,
    )
    return Status(201, link)


@router.patch(
    "/organisation-links/{link_id}", response=OrganisationLinkOut, tags=["organisation links"]
)
def update_organisation_link(
    request: HttpRequest, link_id: Id, payload: OrganisationLinkPatch
) -> OrganisationLink:
    """Change the kind or note; the two organisations stay (remove the relation and add another
    to link different ones)."""
    data = payload.model_dump(exclude_unset=True)
    if "kind" in data:
        data["kind"] = data["kind"].value
    return services.organisation_link_update(
        actor=current_member(request), link=get_organisation_link(request, link_id), **data
    )


@router.delete("/organisation-links/{link_id}", response={204: None}, tags=["organisation links"])
def delete_organisation_link(request: HttpRequest, link_id: Id) -> Status[None]:
    services.organisation_link_delete(
        actor=current_member(request), link=get_organisation_link(request, link_id)
    )
    return Status(204, None)


# ---- affiliations ------------------------------------------------------------------------------


class AffiliationIn(InputSchema):
    person_id: Id
    organisation_id: Id
    role: Line = Field("", max_length=200)
    start_date: ApiDate | None = None
    end_date: ApiDate | None = None


class AffiliationPatch(PatchSchema):
    nullable = frozenset({"start_date", "end_date"})

    organisation_id: Id | None = None
    role: Line | None = Field(None, max_length=200)
    start_date: ApiDate | None = None
    end_date: ApiDate | None = None


class AffiliationOut(Schema):
    id: int
    person_id: int
    organisation_id: int
    role: str
    start_date: dt.date | None
    end_date: dt.date | None
    is_current: bool


@router.get("/affiliations", response=list[AffiliationOut], tags=["affiliations"])
@paginate(Paging)
def list_affiliations(
    request: HttpRequest, person_id: Id | None = None, organisation_id: Id | None = None
) -> Any:
    qs = visibility.affiliations(request.user).order_by("id")
    if person_id is not None:
        qs = qs.filter(person_id=person_id)
    if organisation_id is not None:
        qs = qs.filter(organisation_id=organisation_id)
    return qs


@router.get("/affiliations/{affiliation_id}", response=AffiliationOut, tags=["affiliations"])
def get_affiliation(request: HttpRequest, affiliation_id: Id) -> Affiliation:
    return visibility.affiliations(request.user).get(pk=affiliation_id)


@router.post("/affiliations", response={201: AffiliationOut}, tags=["affiliations"])
def create_affiliation(request: HttpRequest, payload: AffiliationIn) -> Status[Affiliation]:
    affiliation = services.affiliation_save(
        actor=current_member(request),
        person=selectors.person_get(user=request.user, pk=payload.person_id),
        organisation=selectors.organisation_get(user=request.user, pk=payload.organisation_id),
        role=payload.role,
        start_date=payload.start_date,
        end_date=payload.end_date,
    )
    return Status(201, affiliation)


@router.patch("/affiliations/{affiliation_id}", response=AffiliationOut, tags=["affiliations"])
def update_affiliation(
    request: HttpRequest, affiliation_id: Id, payload: AffiliationPatch
) -> Affiliation:
    affiliation = get_affiliation(request, affiliation_id)
    data = payload.model_dump(exclude_unset=True)
    organisation = (
        selectors.organisation_get(user=request.user, pk=data["organisation_id"])
        if data.get("organisation_id")
        else affiliation.organisation
    )
    return services.affiliation_save(
        actor=current_member(request),
        person=affiliation.person,
        organisation=organisation,
        affiliation=affiliation,
        role=data.get("role", affiliation.role),
        start_date=data.get("start_date", affiliation.start_date),
        end_date=data.get("end_date", affiliation.end_date),
    )


@router.delete("/affiliations/{affiliation_id}", response={204: None}, tags=["affiliations"])
def delete_affiliation(request: HttpRequest, affiliation_id: Id) -> Status[None]:
    services.affiliation_delete(
        actor=current_member(request), affiliation=get_affiliation(request, affiliation_id)
    )
    return Status(204, None)


# ---- ties --------------------------------------------------------------------------------------


class TieIn(InputSchema):
    person_id: Id
    member_id: Id | None = Field(None, description="Defaults to you when other_person_id is empty")
    other_person_id: Id | None = None
    strength: int = Field(3, ge=1, le=5)
    since: ApiDate | None = None
    how_met: TieOrigin | None = None
    how_met_note: Line = Field("", max_length=300)
    introduced_by_id: Id | None = None


class TiePatch(PatchSchema):
    nullable = frozenset({"since", "how_met", "introduced_by_id"})

    strength: int | None = Field(None, ge=1, le=5)
    since: ApiDate | None = None
    how_met: TieOrigin | None = None
    how_met_note: Line | None = Field(None, max_length=300)
    introduced_by_id: Id | None = None


class TieOut(Schema):
    id: int
    person_id: int
    member_id: int | None
    other_person_id: int | None
    strength: int
    since: dt.date | None
    how_met: str
    how_met_note: str
    introduced_by_id: int | None

    @staticmethod
    def resolve_introduced_by_id(obj: Tie) -> int | None:
        # A confidential introducer the caller may not see stays unnamed, even by number.
        return obj.introduced_by_id if getattr(obj, "introducer_visible", True) else None


def _tie_fields(request: HttpRequest, data: dict[str, Any]) -> dict[str, Any]:
    if "how_met" in data:
        data["how_met"] = data["how_met"].value if data["how_met"] else ""
    if "introduced_by_id" in data:
        intro = data.pop("introduced_by_id")
        data["introduced_by"] = selectors.person_get(user=request.user, pk=intro) if intro else None
    return data


@router.get("/ties", response=list[TieOut], tags=["ties"])
@paginate(Paging)
def list_ties(
    request: HttpRequest, person_id: Id | None = None, member_id: Id | None = None
) -> Any:
    qs = visibility.ties(request.user).order_by("id")
    if person_id is not None:
        qs = qs.filter(person_id=person_id) | qs.filter(other_person_id=person_id)
    if member_id is not None:
        qs = qs.filter(member_id=member_id)
    return qs


@router.get("/ties/{tie_id}", response=TieOut, tags=["ties"])
def get_tie(request: HttpRequest, tie_id: Id) -> Tie:
    return visibility.ties(request.user).get(pk=tie_id)


@router.post("/ties", response={201: TieOut}, tags=["ties"])
def create_tie(request: HttpRequest, payload: TieIn) -> Status[Tie]:
    data = _tie_fields(request, payload.model_dump())
    person = selectors.person_get(user=request.user, pk=data.pop("person_id"))
    member_id = data.pop("member_id")
    other_id = data.pop("other_person_id")
    member = (
        get_object_or_404(visibility.members(request.user), pk=member_id) if member_id else None
    )
    other = selectors.person_get(user=request.user, pk=other_id) if other_id else None
    tie = services.tie_create(
        actor=current_member(request), person=person, member=member, other_person=other, **data
    )
    return Status(201, tie)


@router.patch("/ties/{tie_id}", response=TieOut, tags=["ties"])
def update_tie(request: HttpRequest, tie_id: Id, payload: TiePatch) -> Tie:
    tie = get_tie(request, tie_id)
    return services.tie_update(
        actor=current_member(request),
        tie=tie,
        **_tie_fields(request, payload.model_dump(exclude_unset=True)),
    )


@router.delete("/ties/{tie_id}", response={204: None}, tags=["ties"])
def delete_tie(request: HttpRequest, tie_id: Id) -> Status[None]:
    services.tie_delete(actor=current_member(request), tie=get_tie(request, tie_id))
    return Status(204, None)
