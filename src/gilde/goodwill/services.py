"""Writes for favours: record, change and delete, with permission checks and the audit trail."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gilde.accounts.models import Member
from gilde.audit.models import AuditAction
from gilde.audit.services import audit_record
from gilde.core.services import fields_assign
from gilde.goodwill.models import Favour
from gilde.permissions import require_create, require_edit
from gilde.relations.models import Organisation, Person

FAVOUR_FIELDS = frozenset(
    {"member", "person", "organisation", "direction", "kind", "occurred_on", "note"}
)


def _check(favour: Favour) -> None:
    if favour.person_id is None and favour.organisation_id is None:
        raise ValidationError(_("A favour is given to or received from a person or organisation."))
    if favour.occurred_on and favour.occurred_on > timezone.localdate():
        raise ValidationError({"occurred_on": _("A favour cannot lie in the future.")})
    favour.note = (favour.note or "").strip()
    favour.full_clean()


@transaction.atomic
def favour_record(
    *,
    actor: Member,
    direction: str,
    kind: str,
    person: Person | None = None,
    organisation: Organisation | None = None,
    member: Member | None = None,
    occurred_on: dt.date | None = None,
    note: str = "",
) -> Favour:
    """Record a favour between a colleague (the actor unless named) and a relation."""
    require_create(actor)
    favour = Favour(
        member=member or actor,
        person=person,
        organisation=organisation,
        direction=direction,
        kind=kind,
        occurred_on=occurred_on or timezone.localdate(),
        note=note,
        created_by=actor,
    )
    _check(favour)
    favour.save()
    audit_record(actor=actor, action=AuditAction.CREATE, target=favour)
    return favour


@transaction.atomic
def favour_update(*, actor: Member, favour: Favour, **fields: Any) -> Favour:
    """Change a favour; whoever recorded it (or a network manager) may."""
    require_edit(actor, favour)
    fields_assign(favour, fields, FAVOUR_FIELDS)
    if favour.member_id is None:
        favour.member = actor
    _check(favour)
    favour.save()
    audit_record(
        actor=actor, action=AuditAction.CHANGE, target=favour, detail={"fields": sorted(fields)}
    )
    return favour


@transaction.atomic
def favour_delete(*, actor: Member, favour: Favour) -> None:
    require_edit(actor, favour)
    audit_record(actor=actor, action=AuditAction.DELETE, target=favour)
    favour.delete()
