"""Undoing a committed batch as a whole, but only while nothing else has touched its persons:
an edit, a contact moment, a note, a merge, a new e-mail address all make the batch part of
the registry's history, and undo then refuses with the reason."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gilde.maintenance.services import care_follow
from gilde.relations.models import Organisation, Person, PersonSearchToken
from gilde.relations.references import DERIVED, references_to

from .models import DuplicatePair, ImportBatch

# Rows that follow the person by themselves and say nothing about a change by someone.
_IGNORED = (PersonSearchToken, DuplicatePair)
# Not a sign that someone added to an imported relation either: its care row, made as soon as it
# has a colleague's tie (the import's own LinkedIn ties too); a choice kept on it (a snooze, an
# own rhythm) goes with the relation.
_NOT_ADDED_BY_ANYONE = DERIVED | {"maintenance.relationcare"}


def related_counts(person_ids: models.QuerySet[Person, Any]) -> dict[str, int]:
    """Rows in every table that point at these persons, keyed "app.model.field"."""
    counts = {}
    for related, name in references_to(Person, ignore=_IGNORED):
        if related._meta.label_lower in _NOT_ADDED_BY_ANYONE:
            continue
        count = related._base_manager.filter(**{f"{name}__in": person_ids}).count()
        if count:
            counts[f"{related._meta.label_lower}.{name}"] = count
    return counts


REFUSALS = {
    "not_committed": gettext_lazy("Only a committed import can be undone."),
    "persons_gone": gettext_lazy(
        "Some relations of this import were merged or deleted since; it "
        "can no longer be undone as a whole."
    ),
    "persons_changed": gettext_lazy(
        "%(n)s relations of this import were changed since; it can no longer be undone as a whole."
    ),
    "details_added": gettext_lazy(
        "Contact moments, notes, ties or other details were added to "
        "relations of this import since; it can no longer be undone as "
        "a whole."
    ),
}


def undo_check(batch: ImportBatch) -> tuple[str, dict[str, Any]]:
    """The reason (a key of REFUSALS) and its parameters why this batch cannot be undone, or
    ("", {}) when it can. A batch marked as being undone is still committed until the undo lands."""
    if batch.status not in ("committed", "undoing"):
        return "not_committed", {}
    persons = Person.objects.filter(import_batch=batch)
    if persons.count() != batch.created_persons:
        return "persons_gone", {}
    changed = persons.filter(Q(version__gt=1) | Q(updated_at__gt=batch.committed_at)).count()
    if changed:
        return "persons_changed", {"n": changed}
    expected = batch.undo_record.get("counts", {})
    if related_counts(persons.values("pk")) != expected:
        return "details_added", {}
    return "", {}


def refusal_text(reason: str, params: dict[str, Any]) -> str:
    """A refusal from undo_check in the current language."""
    text = REFUSALS.get(reason, REFUSALS["not_committed"])
    return str(text) % params if params else str(text)


class UndoRefused(ValidationError):
    """The batch cannot be undone; reason and details say why (see REFUSALS)."""

    def __init__(self, reason: str, params: dict[str, Any]) -> None:
        super().__init__(refusal_text(reason, params))
        self.reason, self.details = reason, params


def undo_refusal(batch: ImportBatch) -> str:
    """Why this batch cannot be undone, or "" when it can."""
    reason, params = undo_check(batch)
    return refusal_text(reason, params) if reason else ""


def undo_error_text(code: str, params: dict[str, Any], fallback: str) -> str:
    """What an undo that ran in the background and did not land says on the batch page."""
    if code == "undo_refused":
        reason = refusal_text(str(params.get("reason", "")), params.get("params") or {})
        return _("The import was not undone: %(reason)s Nothing was changed.") % {"reason": reason}
    return _(
        "Undoing the import failed (%(error)s). Nothing was changed: the import is still in "
        "the registry. Try again, or ask the administrator."
    ) % {"error": fallback}


def _unfill(record: dict[str, Any]) -> None:
    """Take away the details the batch added to persons that were already known (see
    commit.fill_matched): the rows it made, and a LinkedIn profile it filled in, where it is
    still the one the import wrote."""
    from gilde.relations.models import EmailAddress, PhoneNumber

    from .commit import reindex_persons

    emails = EmailAddress.objects.filter(pk__in=record.get("filled_emails", []))
    touched = set(emails.values_list("person_id", flat=True))
    emails.delete()
    PhoneNumber.objects.filter(pk__in=record.get("filled_phones", [])).delete()
    for pid, url in record.get("filled_linkedin", {}).items():
        Person.objects.filter(pk=int(pid), linkedin_url=url).update(linkedin_url="")
    reindex_persons(touched)


def undo_apply(batch: ImportBatch) -> dict[str, int]:
    """Delete what the batch made; the caller holds the transaction and checked undo_refusal."""
    from gilde.relations.models import Tie

    persons = Person.objects.filter(import_batch=batch)
    removed = persons.count()
    # Children first in bulk: deleting 100,000 persons one cascade at a time is slow.
    tables: list[tuple[type[models.Model], str]] = [
        *references_to(Person, ignore=_IGNORED),
        (PersonSearchToken, "person"),
    ]
    for related, name in tables:
        related._base_manager.filter(**{f"{name}__in": persons.values("pk")}).delete()
    DuplicatePair.objects.filter(
        Q(person_a__import_batch=batch) | Q(person_b__import_batch=batch)
    ).delete()
    persons.delete()
    matched_ties = Tie.objects.filter(pk__in=batch.undo_record.get("matched_ties", []))
    matched = set(matched_ties.values_list("person_id", flat=True))
    matched_ties.delete()
    _unfill(batch.undo_record)
    organisations = 0
    for org in Organisation.objects.filter(pk__in=batch.undo_record.get("organisations", [])):
        if not any(
            related._base_manager.filter(**{name: org}).exists()
            for related, name in references_to(Organisation, ignore=_IGNORED)
        ):
            org.delete()
            organisations += 1
    care_follow(person_ids=matched)
    return {"persons": removed, "organisations": organisations}
