"""What the event pages ask first: the event, read through the user's scope (an event they may
not see does not exist for them: 404), and, for a change, whether they may manage it (403)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils.translation import gettext as _

from gilde import visibility
from gilde.accounts.models import Member
from gilde.core.web import current_member, get_or_404
from gilde.events.models import Event
from gilde.permissions import can_manage_event


def visible_event(request: HttpRequest, pk: int) -> Event:
    return get_or_404(visibility.events(request.user).get, pk=pk)


def managed_event(request: HttpRequest, pk: int) -> tuple[Member, Event]:
    member = current_member(request)
    event = visible_event(request, pk)
    if not can_manage_event(member, event):
        raise PermissionDenied(_("Only the event's organisers and network managers may do this."))
    return member, event
