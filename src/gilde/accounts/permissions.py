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


def can_delete(member: Member | None, obj: Any) -> bool:
    """Removing is stricter than changing: an unowned person or organisation (imported, or its
    owner left) is shared work any networker may improve, but only a network manager may remove
    it, with everything that hangs off it."""
    if member is None or not can_edit(member, obj):
        return False
    return member.manages_network or getattr(obj, "owner_id", member.pk) is not None


def require_create(member: Member | None) -> Member:
    if member is None or not can_create(member):
        raise PermissionDenied(_("Your role does not allow you to add records."))
    return member


def require_edit(member: Member | None, obj: Any) -> Member:
    if member is None or not can_edit(member, obj):
        raise PermissionDenied(_("You may only change records you own."))
    return member


def require_delete(member: Member | None, obj: Any) -> Member:
    if member is None or not can_delete(member, obj):
        if can_edit(member, obj):
            raise PermissionDenied(_("Only a network manager may remove a record nobody owns."))
        raise PermissionDenied(_("You may only change records you own."))
    return member
