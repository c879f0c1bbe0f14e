"""Writes to the relation registry. Each use case is one function in one transaction; the web
pages, the API and the commands all call these, never the models directly."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from gilde.accounts.models import Member
from gilde.audit.models import AuditAction
from gilde.audit.services import about_person, audited
from gilde.contacts.models import ContactMoment
from gilde.core.services import fields_assign
from gilde.maintenance.services import care_follow
from gilde.names import fold
from gilde.permissions import (
    may_change_confidentiality,
    require_create,
    require_delete,
    require_edit,
)
from gilde.relations.models import (
    Affiliation,
    EmailAddress,
    Note,
    Organisation,
    OrganisationLink,
    Person,
    PersonSearchToken,
    PhoneNumber,
    PostalAddress,
    StakeholderType,
    Tag,
    Tie,
)

PERSON_FIELDS = frozenset(
    {
        "given_name",
        "tussenvoegsel",
        "family_name",
        "initials",
        "title",
        "website",
        "linkedin_url",
        "photo",
        "language",
        "birthday",
        "tier",
        "passions",
        "talents",
        "interests",
        "source",
        "owner",
        "confidential",
    }
)
ORGANISATION_FIELDS = frozenset(
    {
        "name",
        "kind",
        "sector",
        "website",
        "city",
        "tier",
        "parent",
        "description",
        "source",
        "owner",
    }
)


def person_search_text(
    person: Person, *, emails: Iterable[str], organisations: Iterable[str], tags: Iterable[str]
) -> str:
    """The folded text that person search looks in: every form of the name, e-mail addresses,
    current organisations, tags, passions, talents and interests."""
    parts = [
        person.name_search_text(),
        *emails,
        *organisations,
        *tags,
        person.passions,
        person.talents,
        person.interests,
    ]
    # Padded with spaces and without commas, so a search can demand whole words (" de ")
    # or word beginnings (" ber"), both with a plain LIKE that every database runs.
    return f" {fold(' ~ '.join(p for p in parts if p)).replace(',', ' ')} ".replace("  ", " ")


def person_reindex(*, person: Person) -> None:
    """Recompute the derived sort and search fields after the person or their links changed."""
    person.refresh_names()
    person.search_text = person_search_text(
        person,
        emails=person.emails.values_list("address", flat=True),
        organisations=Affiliation.objects.current()
        .filter(person=person)
        .values_list("organisation__name", flat=True),
        tags=person.tags.values_list("name", flat=True),
    )
    Person.objects.filter(pk=person.pk).update(
        sort_name=person.sort_name, search_text=person.search_text
    )
    PersonSearchToken.objects.filter(person=person).delete()
    PersonSearchToken.objects.bulk_create(
        PersonSearchToken(person=person, token=token)
        for token in PersonSearchToken.tokens_of(person.search_text)
    )


def _clean_emails(emails: Iterable[str]) -> list[str]:
    cleaned: list[str] = []
    for raw in emails:
        address = raw.strip()
        if not address:
            continue
        try:
            validate_email(address)
        except ValidationError as exc:
            raise ValidationError(
                {"emails": _("“%(address)s” is not a valid e-mail address.") % {"address": address}}
            ) from exc
        if address.lower() not in {a.lower() for a in cleaned}:
            cleaned.append(address)
    return cleaned


# Tags are shared by everyone: one save may add only a few new ones to the common list.
NEW_TAGS_PER_SAVE = 10
TAGS_PER_RECORD = 100
TAG_QUOTA = "tag_quota"  # the code of the refusal; the API answers it with 429


def _check_daily_tag_quota(actor: Member, new: int) -> None:
    """A member adds at most GILDE_NEW_TAGS_PER_DAY new tags in any 24 hours."""
    if not new:
        return
    limit = settings.GILDE_NEW_TAGS_PER_DAY
    since = timezone.now() - dt.timedelta(days=1)
    made = Tag.objects.filter(created_by=actor, created_at__gte=since).count()
    if made + new > limit:
        raise ValidationError(
            {
                "tags": ValidationError(
                    _(
                        "You have added %(made)d new tags today; at most %(limit)d a day. Choose from "
                        "the existing tags, or try again tomorrow."
                    )
                    % {"made": made, "limit": limit},
                    code=TAG_QUOTA,
                )
            }
        )


def tags_resolve(names: Iterable[str], *, actor: Member | None = None) -> list[Tag]:
    """The tags named, made where they do not exist yet: at most NEW_TAGS_PER_SAVE new ones, and
    (for an actor) at most GILDE_NEW_TAGS_PER_DAY a day."""
    wanted = {n.strip()[:60] for n in names if n.strip()}
    if len(wanted) > TAGS_PER_RECORD:
        raise ValidationError({"tags": _("At most %(n)d tags.") % {"n": TAGS_PER_RECORD}})
    found = {name: Tag.objects.filter(name__iexact=name).first() for name in wanted}
    new_names = {name.casefold(): name for name, tag in found.items() if tag is None}
    if len(new_names) > NEW_TAGS_PER_SAVE:
        raise ValidationError(
            {
                "tags": ValidationError(
                    _("At most %(n)d new tags at a time; choose from the existing ones.")
                    % {"n": NEW_TAGS_PER_SAVE},
                    code=TAG_QUOTA,
                )
            }
        )
    if actor is not None:
        _check_daily_tag_quota(actor, len(new_names))
    result = [tag for tag in found.values() if tag is not None]
    for name in new_names.values():
        tag = Tag(name=name, created_by=actor)
        try:
            tag.full_clean()
        except ValidationError as error:
            raise ValidationError({"tags": f"{name}: {' '.join(error.messages)}"}) from error
        tag.save()
        result.append(tag)
    return result


def _set_contact_details(
    person: Person, *, emails: Iterable[str] | None, phones: Iterable[str] | None
) -> None:
    if emails is not None:
        cleaned = _clean_emails(emails)
        person.emails.all().delete()
        EmailAddress.objects.bulk_create(
            EmailAddress(person=person, address=a, is_primary=i == 0) for i, a in enumerate(cleaned)
        )
    if phones is not None:
        person.phones.all().delete()
        PhoneNumber.objects.bulk_create(
            PhoneNumber(person=person, number=n.strip()) for n in phones if n.strip()
        )


# Related lists whose change the audit trail names (never their contents).
PERSON_LISTS = ("emails", "phones", "addresses", "tags", "stakeholder_types")
ADDRESS_FIELDS = ("street", "postal_code", "city", "country")


def _set_address(person: Person, address: dict[str, str] | None) -> None:
    """The person's main postal address: created, changed, or removed when left empty."""
    if address is None:
        return
    values = {k: (address.get(k) or "").strip() for k in ADDRESS_FIELDS}
    current = person.addresses.first()
    if not any(values[k] for k in ("street", "postal_code", "city")):
        if current is not None:
            current.delete()
        return
    target = current or PostalAddress(person=person)
    for key, value in values.items():
        setattr(target, key, value)
    target.full_clean()
    target.save()


def _set_addresses(person: Person, addresses: Iterable[dict[str, str]] | None) -> None:
    """All of the person's postal addresses at once (None leaves them as they are): rows
    without street, postal code or city are left out, the rest replace the current ones."""
    if addresses is None:
        return
    rows = []
    for address in addresses:
        values = {k: (address.get(k) or "").strip() for k in (*ADDRESS_FIELDS, "kind")}
        if not any(values[k] for k in ("street", "postal_code", "city")):
            continue
        row = PostalAddress(person=person, **{k: v for k, v in values.items() if v})
        try:
            row.full_clean()
        except ValidationError as error:
            raise ValidationError({"addresses": error.messages}) from error
        rows.append(row)
    person.addresses.all().delete()
    PostalAddress.objects.bulk_create(rows)


def _check_confidentiality_change(
    actor: Member, person: Person, fields: dict[str, Any], members: Iterable[Member] | None
) -> None:
    changes_flag = "confidential" in fields and bool(fields["confidential"]) != person.confidential
    changes_members = members is not None and {m.pk for m in members} != set(
        person.confidential_members.values_list("pk", flat=True)
    )
    if (changes_flag or changes_members) and not may_change_confidentiality(actor, person):
        raise PermissionDenied(
            _("Only the owner or a network manager can change who may see this relation.")
        )


STALE_EDIT_MESSAGE = _lazy(
    "Someone else changed this person since you opened it; reload and redo your change."
)
STALE_ORGANISATION_MESSAGE = _lazy(
    "Someone else changed this organisation since you opened it; reload and redo your change."
)


def _version_claim(obj: Person | Organisation, version: int | None, stale: Any) -> int:
    """Take the next version of the row in one conditional UPDATE (which also locks the row
    until the transaction ends); a stale `version` claims nothing and is refused with `stale`."""
    rows = type(obj).objects.filter(pk=obj.pk)
    if version is not None:
        rows = rows.filter(version=version)
    if rows.update(version=F("version") + 1) == 0:
        raise ValidationError(stale, code="stale")
    return int(type(obj).objects.values_list("version", flat=True).get(pk=obj.pk))


@transaction.atomic
@audited(AuditAction.CREATE)
def person_create(
    *,
    actor: Member,
    emails: Iterable[str] = (),
    phones: Iterable[str] = (),
    tags: Iterable[str] = (),
    stakeholder_types: Iterable[StakeholderType] = (),
    organisation: Organisation | None = None,
    role: str = "",
    address: dict[str, str] | None = None,
    addresses: Iterable[dict[str, str]] | None = None,
    confidential_members: Iterable[Member] | None = None,
    **fields: Any,
) -> Person:
    """Register a relation; the actor becomes its owner unless another owner is given."""
    require_create(actor)
    person = Person(owner=actor)
    fields_assign(person, fields, PERSON_FIELDS)
    person.refresh_names()
    person.full_clean()
    person.save()
    if confidential_members is not None:
        person.confidential_members.set(list(confidential_members))
    _set_contact_details(person, emails=emails, phones=phones)
    _set_address(person, address)
    _set_addresses(person, addresses)
    person.tags.set(tags_resolve(tags, actor=actor))
    person.stakeholder_types.set(list(stakeholder_types))
    if organisation is not None:
        Affiliation.objects.create(person=person, organisation=organisation, role=role)
    person_reindex(person=person)
    return person


@transaction.atomic
@audited(AuditAction.CHANGE, target="person", lists=PERSON_LISTS)
def person_update(
    *,
    actor: Member,
    person: Person,
    emails: Iterable[str] | None = None,
    phones: Iterable[str] | None = None,
    tags: Iterable[str] | None = None,
    stakeholder_types: Iterable[StakeholderType] | None = None,
    address: dict[str, str] | None = None,
    addresses: Iterable[dict[str, str]] | None = None,
    confidential_members: Iterable[Member] | None = None,
    version: int | None = None,
    **fields: Any,
) -> Person:
    """Change a relation; lists that are not given stay as they are. With `version` (the one the
    editor read), a save on top of someone else's newer change is refused instead of
    overwriting it."""
    require_edit(actor, person)
    _check_confidentiality_change(actor, person, fields, confidential_members)
    person.version = _version_claim(person, version, STALE_EDIT_MESSAGE)
    tier_before, confidential_before = person.tier_id, person.confidential
    fields_assign(person, fields, PERSON_FIELDS)
    person.refresh_names()
    person.full_clean()
    person.save()
    if confidential_members is not None:
        person.confidential_members.set(list(confidential_members))
    _set_contact_details(person, emails=emails, phones=phones)
    _set_address(person, address)
    _set_addresses(person, addresses)
    if tags is not None:
        person.tags.set(tags_resolve(tags, actor=actor))
    if stakeholder_types is not None:
        person.stakeholder_types.set(list(stakeholder_types))
    person_reindex(person=person)
    if person.confidential != confidential_before:
        # The moments they took part in now count for the others there, or no longer do.
        care_follow(person_ids=met_with(person))
    elif person.tier_id != tier_before:  # the tier sets the rhythm the status is counted by
        care_follow(person_ids=[person.pk])
    return person


def met_with(person: Person) -> set[int]:
    """The person and everyone who took part in a contact moment with them."""
    links = ContactMoment.persons.through.objects
    moments = links.filter(person_id=person.pk).values("contactmoment_id")
    return {
        person.pk,
        *links.filter(contactmoment_id__in=moments).values_list("person_id", flat=True),
    }


@transaction.atomic
@audited(AuditAction.DELETE, target="person")
def person_delete(*, actor: Member, person: Person) -> None:
    require_delete(actor, person)
    others = met_with(person) - {person.pk}  # their moments' groups, and what counts for them
    person.delete()
    care_follow(person_ids=others)


def _reindex_people_of(organisation: Organisation) -> None:
    for person in Person.objects.filter(affiliations__organisation=organisation).distinct():
        person_reindex(person=person)


@transaction.atomic
@audited(AuditAction.CREATE)
def organisation_create(
    *,
    actor: Member,
    tags: Iterable[str] = (),
    stakeholder_types: Iterable[StakeholderType] = (),
    **fields: Any,
) -> Organisation:
    require_create(actor)
    organisation = Organisation(owner=actor)
    fields_assign(organisation, fields, ORGANISATION_FIELDS)
    organisation.refresh_derived()
    organisation.full_clean()
    organisation.save()
    organisation.tags.set(tags_resolve(tags, actor=actor))
    organisation.stakeholder_types.set(list(stakeholder_types))
    return organisation


@transaction.atomic
@audited(AuditAction.CHANGE, target="organisation", lists=("tags", "stakeholder_types"))
def organisation_update(
    *,
    actor: Member,
    organisation: Organisation,
    tags: Iterable[str] | None = None,
    stakeholder_types: Iterable[StakeholderType] | None = None,
    version: int | None = None,
    **fields: Any,
) -> Organisation:
    """Change an organisation; lists that are not given stay as they are. With `version` (the
    one the editor read), a save on top of someone else's newer change is refused."""
    require_edit(actor, organisation)
    organisation.version = _version_claim(organisation, version, STALE_ORGANISATION_MESSAGE)
    renamed = "name" in fields and fields["name"] != organisation.name
    fields_assign(organisation, fields, ORGANISATION_FIELDS)
    _check_parent_cycle(organisation)
    organisation.refresh_derived()
    organisation.full_clean()
    organisation.save()
    if tags is not None:
        organisation.tags.set(tags_resolve(tags, actor=actor))
    if stakeholder_types is not None:
        organisation.stakeholder_types.set(list(stakeholder_types))
    if renamed:
        _reindex_people_of(organisation)
    return organisation


def _check_parent_cycle(organisation: Organisation) -> None:
    seen = {organisation.pk}
    parent = organisation.parent
    while parent is not None:
        if parent.pk in seen:
            raise ValidationError({"parent": _("An organisation cannot be its own parent.")})
        seen.add(parent.pk)
        parent = parent.parent


@transaction.atomic
@audited(AuditAction.DELETE, target="organisation")
def organisation_delete(*, actor: Member, organisation: Organisation) -> None:
    require_delete(actor, organisation)
    people = list(Person.objects.filter(affiliations__organisation=organisation).distinct())
    organisation.delete()
    for person in people:
        person_reindex(person=person)


ORGANISATION_LINK_FIELDS = frozenset({"kind", "note"})


def about_organisations(link: OrganisationLink) -> dict[str, Any]:
    """The two organisations a link joins, by id, so its entries can be found per organisation."""
    return {"organisation": link.source_id, "other_organisation": link.target_id}


def _check_organisation_link(link: OrganisationLink) -> None:
    # Said in words before full_clean, which would name the database constraints instead.
    if link.source_id == link.target_id:
        raise ValidationError({"target": _("An organisation cannot have a relation with itself.")})
    twins = OrganisationLink.objects.filter(
        source_id=link.source_id, target_id=link.target_id, kind=link.kind
    ).exclude(pk=link.pk)
    if twins.exists():
        raise ValidationError({"kind": _("These organisations already have this relation.")})


def _organisation_link_save(link: OrganisationLink) -> OrganisationLink:
    _check_organisation_link(link)
    link.full_clean()
    link.save()
    return link


@transaction.atomic
@audited(AuditAction.CREATE, about=about_organisations)
def organisation_link_create(
    *, actor: Member, source: Organisation, target: Organisation, kind: str, note: str = ""
) -> OrganisationLink:
    """Record how one organisation relates to another; it is kept with (and changed by whoever
    may change) the source organisation."""
    require_edit(actor, source)
    return _organisation_link_save(
        OrganisationLink(source=source, target=target, kind=kind, note=note)
    )


@transaction.atomic
@audited(AuditAction.CHANGE, target="link", about=about_organisations)
def organisation_link_update(
    *, actor: Member, link: OrganisationLink, **fields: Any
) -> OrganisationLink:
    """Change the kind or note of a relation between organisations (not the two sides)."""
    require_edit(actor, link.source)
    fields_assign(link, fields, ORGANISATION_LINK_FIELDS)
    return _organisation_link_save(link)


@transaction.atomic
@audited(AuditAction.DELETE, target="link", about=about_organisations)
def organisation_link_delete(*, actor: Member, link: OrganisationLink) -> None:
    require_edit(actor, link.source)
    link.delete()


@transaction.atomic
@audited(AuditAction.CHANGE, target="affiliation", about=about_person)
def affiliation_save(
    *,
    actor: Member,
    person: Person,
    organisation: Organisation,
    role: str = "",
    start_date: dt.date | None = None,
    end_date: dt.date | None = None,
    affiliation: Affiliation | None = None,
) -> Affiliation:
    """Create or change a person's role at an organisation (ending one keeps it as history)."""
    require_edit(actor, person)
    if affiliation is not None and affiliation.person_id != person.pk:
        raise ValidationError(_("This affiliation belongs to someone else."))
    target = affiliation or Affiliation(person=person)
    target.organisation = organisation
    target.role = role
    target.start_date = start_date
    target.end_date = end_date
    target.full_clean()
    target.save()
    person_reindex(person=person)
    return target


@transaction.atomic
@audited(AuditAction.DELETE, target="affiliation", about=about_person)
def affiliation_delete(*, actor: Member, affiliation: Affiliation) -> None:
    require_edit(actor, affiliation.person)
    person = affiliation.person
    affiliation.delete()
    person_reindex(person=person)


TIE_FIELDS = frozenset({"strength", "since", "how_met", "how_met_note", "introduced_by"})


def _require_tie_edit(actor: Member, tie: Tie) -> None:
    if tie.member_id is not None:
        require_edit(actor, tie)
    else:
        require_edit(actor, tie.person)


@transaction.atomic
@audited(AuditAction.CREATE, about=about_person)
def tie_create(
    *,
    actor: Member,
    person: Person,
    member: Member | None = None,
    other_person: Person | None = None,
    **fields: Any,
) -> Tie:
    """Record that a member (by default the actor) or another person knows this person."""
    require_create(actor)
    if member is None and other_person is None:
        member = actor
    tie = Tie(person=person, member=member, other_person=other_person)
    fields_assign(tie, fields, TIE_FIELDS)
    if other_person is not None and other_person.pk < person.pk:
        # Person–person ties are symmetric; one row per pair, stored in id order.
        tie.person, tie.other_person = other_person, person
    _require_tie_edit(actor, tie)
    tie.full_clean()
    tie.save()
    _care_follows_tie(tie)
    return tie


def _care_follows_tie(tie: Tie) -> None:
    # A colleague's tie carries a strength and may make them the one reminded; a tie between
    # two relations is not an input of care.
    if tie.member_id is not None:
        care_follow(person_ids=[tie.person_id])


@transaction.atomic
@audited(AuditAction.CHANGE, target="tie", about=about_person)
def tie_update(*, actor: Member, tie: Tie, **fields: Any) -> Tie:
    _require_tie_edit(actor, tie)
    fields_assign(tie, fields, TIE_FIELDS)
    tie.full_clean()
    tie.save()
    _care_follows_tie(tie)
    return tie


@transaction.atomic
@audited(AuditAction.DELETE, target="tie", about=about_person)
def tie_delete(*, actor: Member, tie: Tie) -> None:
    _require_tie_edit(actor, tie)
    tie.delete()
    _care_follows_tie(tie)


@transaction.atomic
@audited(AuditAction.CREATE, about=about_person)
def note_create(
    *,
    actor: Member,
    text: str,
    is_private: bool = False,
    person: Person | None = None,
    organisation: Organisation | None = None,
) -> Note:
    require_create(actor)
    note = Note(
        author=actor, text=text, is_private=is_private, person=person, organisation=organisation
    )
    note.full_clean()
    note.save()
    return note


@transaction.atomic
@audited(AuditAction.DELETE, target="note", about=about_person)
def note_delete(*, actor: Member, note: Note) -> None:
    require_edit(actor, note)
    note.delete()
