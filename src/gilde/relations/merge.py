"""Merging two persons into one: per field the chosen value, and everything that hangs off the
other person (e-mail addresses, phones, addresses, jobs, ties, notes, contact moments, favours,
follow-ups, tags...) moved to the survivor, in one transaction, with an audit entry."""

from __future__ import annotations

from typing import Any, Literal, get_args

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, models, transaction
from django.utils.translation import gettext as _

from gilde.accounts.models import Member
from gilde.audit.services import audit_record
from gilde.maintenance.services import care_follow
from gilde.permissions import can_merge

from .models import EmailAddress, Person, PersonSearchToken, PhoneNumber, Tie
from .references import DERIVED, references_to
from .services import met_with, person_reindex

# Left to go with the other person: a suggested duplicate pair that names them (imports).
_LEFT_TO_CASCADE = frozenset({"imports.duplicatepair"})

# The fields a merge chooses per field (the rest is joined: e-mail addresses, ties, moments).
MergeField = Literal[
    "title",
    "given_name",
    "initials",
    "tussenvoegsel",
    "family_name",
    "tier",
    "language",
    "birthday",
    "website",
    "linkedin_url",
    "passions",
    "talents",
    "interests",
    "source",
    "owner",
]
MERGE_FIELDS: tuple[str, ...] = get_args(MergeField)


def _field_value(person: Person, name: str) -> Any:
    return getattr(person, f"{name}_id") if name in ("tier", "owner") else getattr(person, name)


def _apply_fields(keep: Person, other: Person, choose: dict[str, str]) -> list[str]:
    """Take the other person's value where chosen, and where the survivor has none."""
    unknown = set(choose) - set(MERGE_FIELDS)
    if unknown or set(choose.values()) - {"keep", "other"}:
        raise ValidationError(
            _("Unknown fields or choices: %(f)s") % {"f": ", ".join(sorted(unknown))}
        )
    taken = []
    for name in MERGE_FIELDS:
        mine, theirs = _field_value(keep, name), _field_value(other, name)
        side = choose.get(name) or (
            "other" if mine in ("", None) and theirs not in ("", None) else "keep"
        )
        if side == "other" and mine != theirs:
            attname = f"{name}_id" if name in ("tier", "owner") else name
            setattr(keep, attname, theirs)
            taken.append(name)
    return taken


def _move_unique(model: type[models.Model], key: str, keep: Person, other: Person) -> int:
    """Move e-mail addresses or phone numbers the survivor does not have yet; drop the rest."""
    have = {
        str(v).casefold()
        for v in model._default_manager.filter(person=keep).values_list(key, flat=True)
    }
    moved = 0
    for row in model._default_manager.filter(person=other):
        if str(getattr(row, key)).casefold() in have:
            row.delete()
            continue
        have.add(str(getattr(row, key)).casefold())
        model._default_manager.filter(pk=row.pk).update(
            person=keep, **({"is_primary": False} if model is EmailAddress else {})
        )
        moved += 1
    return moved


def _move_ties(keep: Person, other: Person) -> int:
    """Member ties: one per member, the stronger kept. Person ties: re-pointed, a tie between
    the two themselves disappears, and pairs stay stored in id order."""
    moved = 0
    mine = {t.member_id: t for t in Tie.objects.filter(person=keep, member__isnull=False)}
    for tie in Tie.objects.filter(person=other, member__isnull=False):
        current = mine.get(tie.member_id)
        if current is None:
            Tie.objects.filter(pk=tie.pk).update(person=keep)
        else:
            since = min((d for d in (current.since, tie.since) if d), default=None)
            Tie.objects.filter(pk=current.pk).update(
                strength=max(current.strength, tie.strength), since=since
            )
            tie.delete()
        moved += 1
    for tie in Tie.objects.filter(
        models.Q(person=other) | models.Q(other_person=other), member__isnull=True
    ):
        a = keep.pk if tie.person_id == other.pk else tie.person_id
        b = keep.pk if tie.other_person_id == other.pk else tie.other_person_id
        assert b is not None
        low, high = sorted((a, b))
        if (
            low == high
            or Tie.objects.filter(person_id=low, other_person_id=high).exclude(pk=tie.pk).exists()
        ):
            tie.delete()
        else:
            Tie.objects.filter(pk=tie.pk).update(person_id=low, other_person_id=high)
        moved += 1
    Tie.objects.filter(introduced_by=other).update(introduced_by=keep)
    return moved


def _move_generic(related: type[models.Model], name: str, keep: Person, other: Person) -> int:
    rows = related._base_manager.filter(**{name: other})
    if related._meta.label_lower in DERIVED:
        rows.delete()  # rebuilt from the merged data by the app that derives it
        return 0
    # One row per person (a privacy file, a care record): the survivor's is kept.
    if (
        related._meta.get_field(name).one_to_one
        and related._base_manager.filter(**{name: keep}).exists()
    ):
        rows.delete()
        return 0
    if related._meta.auto_created:
        # A many-to-many table (tags, contact moments...): rows the survivor already has go.
        other_fk = next(f.name for f in related._meta.fields if f.is_relation and f.name != name)
        have = related._base_manager.filter(**{name: keep}).values(other_fk)
        rows.filter(**{f"{other_fk}__in": have}).delete()
    try:
        with transaction.atomic():
            return rows.update(**{name: keep})
    except IntegrityError as exc:
        raise ValidationError(
            _("These two cannot be merged automatically: both appear in “%(what)s”.")
            % {"what": related._meta.verbose_name}
        ) from exc


def person_merge(
    *, actor: Member, keep: Person, other: Person, choose: dict[str, str] | None = None
) -> Person:
    """Merge `other` into `keep`; `choose` maps a field to "keep" or "other" (unnamed fields
    keep the survivor's value, or take the other's where the survivor has none)."""
    if not can_merge(actor):
        raise PermissionDenied(_("Only network managers can merge relations."))
    if keep.pk == other.pk:
        raise ValidationError(_("A relation cannot be merged with itself."))
    with transaction.atomic():
        keep = Person.objects.select_for_update().get(pk=keep.pk)
        other = Person.objects.select_for_update().get(pk=other.pk)
        other_id = other.pk
        taken = _apply_fields(keep, other, choose or {})
        moved = {
            "emails": _move_unique(EmailAddress, "address", keep, other),
            "phones": _move_unique(PhoneNumber, "number", keep, other),
            "ties": _move_ties(keep, other),
        }
        handled = {EmailAddress, PhoneNumber, Tie}
        for related, name in references_to(Person, ignore=(PersonSearchToken,)):
            if related not in handled and related._meta.label_lower not in _LEFT_TO_CASCADE:
                count = _move_generic(related, name, keep, other)
                if count:
                    moved[related._meta.label_lower] = count
        keep.confidential = keep.confidential or other.confidential
        keep.version += 1
        keep.refresh_names()
        keep.full_clean(exclude=["photo"])
        keep.save()
        other.delete()
        person_reindex(person=keep)
        care_follow(person_ids=met_with(keep) if keep.confidential else [keep.pk])
        audit_record(
            actor=actor,
            action="merge",
            target=keep,
            detail={"merged_person_id": other_id, "fields_taken": taken, "moved": moved},
        )
    return keep
