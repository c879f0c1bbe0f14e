"""Who may change what: read-only members change nothing, networkers change what they own,
network managers and administrators change everything they can see."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from gilde.accounts.models import Member


def can_create(member: Member | None) -> bool:
    return member is not None and member.can_write


def can_edit(member: Member | None, obj: Any) -> bool:
    """Whether the member may change or delete obj (anything with an owner, author or creator)."""
    if member is None or not member.can_write:
        return False
    if member.manages_network:
        return True
    if hasattr(obj, "owner_id"):
        # Unowned records (imported, or their owner left) are shared work.
        return obj.owner_id in (None, member.pk)
    for field in ("author_id", "created_by_id", "member_id"):
        if getattr(obj, field, None) is not None:
            return bool(getattr(obj, field) == member.pk)
    return False


def require_create(member: Member | None) -> Member:
    if member is None or not can_create(member):
        raise PermissionDenied(_("Your role does not allow you to add records."))
    return member


def require_edit(member: Member | None, obj: Any) -> Member:
    if member is None or not can_edit(member, obj):
        raise PermissionDenied(_("You may only change records you own."))
    return member
