"""Writing the audit trail. Services call `audit_record` in the same transaction as the change."""

from __future__ import annotations

from typing import Any

from django.db import models

from gilde.accounts.models import Member
from gilde.audit.models import AuditAction, AuditEntry


def audit_record(
    *,
    actor: Member | None,
    action: AuditAction | str,
    target: models.Model | None = None,
    target_type: str = "",
    target_id: int | None = None,
    detail: dict[str, Any] | None = None,
    username: str = "",
    ip_address: str | None = None,
) -> AuditEntry:
    """Record that actor did action to target. `detail` holds field names, counts and ids only,
    never names, addresses or free text of the person concerned."""
    if target is not None:
        target_type = target._meta.model_name or ""
        target_id = target.pk
    if actor is not None and not username:
        username = actor.user.get_username()
    return AuditEntry.objects.create(
        actor=actor,
        username=username[:150],
        action=str(action),
        target_type=target_type,
        target_id=target_id,
        detail=detail or {},
        ip_address=ip_address,
    )
