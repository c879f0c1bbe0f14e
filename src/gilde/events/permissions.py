"""Who may change an event: its organisers, whoever created it, and network managers. Anyone
who sees an event may read it; read-only members change nothing."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from gilde.accounts.models import Member
from gilde.events.models import Event


def can_manage_event(member: Member | None, event: Event) -> bool:
    if member is None or not member.can_write:
        return False
    if member.manages_network or event.created_by_id == member.pk:
        return True
    return event.organisers.filter(pk=member.pk).exists()


def require_event_manager(member: Member | None, event: Event) -> None:
    if not can_manage_event(member, event):
        raise PermissionDenied(_("Only the event's organisers and network managers may do this."))


def can_act_for_host(member: Member | None, event: Event, host: Member) -> bool:
    """A host's briefing and their meetings are theirs, and the event's managers'."""
    if member is None:
        return False
    if member.pk == host.pk:
        return True
    return can_manage_event(member, event)


def require_host_or_manager(member: Member | None, event: Event, host: Member) -> None:
    if not can_act_for_host(member, event, host):
        raise PermissionDenied(_("Only the host and the event's organisers may do this."))
