"""The "Meetings" tab of an event: who should meet whom (goals by hand, from introduction requests,
from the guests' RSVP answers, and Gilde's suggestions) and who hosts whom. Every change answers
with the panels it changed (htmx)."""

from __future__ import annotations

import re
from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from gilde import visibility
from gilde.accounts.models import Member
from gilde.core.web import current_member, get_or_404, member_required, parse_id
from gilde.events import hosts, meetings
from gilde.events.guestlist import OFF_LIST, guest_host_set
from gilde.events.models import (
    Event,
    Guest,
    MeetingGoal,
    MeetingGoalKind,
    MeetingGoalPriority,
)
from gilde.events.web import managed_event, visible_event
from gilde.permissions import can_manage_event
from gilde.relations.models import Tag

# The suggestion's row, removed when it was accepted.
SUGGESTION_ROW = re.compile(r"goal-sugg-[cit][0-9-]{1,40}")


def _choices(request: HttpRequest, event: Event) -> dict[str, Any]:
    listed = visibility.guests(request.user).filter(event=event).exclude(status__in=OFF_LIST)
    relations = (
        visibility.persons(request.user)
        .filter(pk__in=listed.values("person_id"))
        .order_by("sort_name", "id")
    )
    themes = list(event.themes.all()) or list(visibility.tags(request.user)[:200])
    return {
        "relations": relations,
        "colleagues": hosts.host_colleagues(event),
        "themes": themes,
        "priorities": MeetingGoalPriority.choices,
    }


def _panels(request: HttpRequest, event: Event) -> dict[str, Any]:
    member = current_member(request)
    rows = hosts.host_rows(user=request.user, event=event)
    return {
        "event": event,
        "goals": list(meetings.meeting_goals(user=request.user, event=event)),
        "host_rows": rows,
        "without_host": sum(1 for g in rows if g.host_id is None),
        "can_manage": can_manage_event(member, event),
        "tab": "meetings",
    } | _choices(request, event)


def _changed(
    request: HttpRequest, event: Event, message: str = "", error: bool = False
) -> HttpResponse:
    if not request.htmx:  # type: ignore[attr-defined]
        return redirect("events:meetings", pk=event.pk)
    row = request.POST.get("row", "")
    context = _panels(request, event) | {
        "oob": True,
        "message": message,
        "error": error,
        "done_row": row if not error and SUGGESTION_ROW.fullmatch(row) else "",
    }
    return render(request, "events/meetings/_changed.html", context)


@member_required
def meetings_page(request: HttpRequest, pk: int) -> HttpResponse:
    event = visible_event(request, pk)
    return render(request, "events/meetings/page.html", _panels(request, event))


def _posted(request: HttpRequest, qs: Any, name: str) -> Any:
    pk = parse_id(request.POST.get(name, ""))
    if pk is None:
        return None
    return get_or_404(qs.get, pk=pk)


def _posted_theme(request: HttpRequest) -> Tag | None:
    """Themes are chosen by name, as tags are everywhere in forms."""
    name = request.POST.get("theme", "").strip()
    if not name:
        return None
    return get_or_404(visibility.tags(request.user).get, name=name)


@member_required
@require_POST
def goal_add(request: HttpRequest, pk: int) -> HttpResponse:
    member, event = managed_event(request, pk)
    kind = request.POST.get("kind", "")
    if kind not in MeetingGoalKind.values:
        return _changed(request, event, _("Choose what kind of meeting this is."), error=True)
    persons = visibility.persons(request.user)
    priority = parse_id(request.POST.get("priority", "")) or MeetingGoalPriority.NORMAL
    if priority not in MeetingGoalPriority.values:
        return _changed(request, event, _("Choose high, normal or low."), error=True)
    try:
        meetings.meeting_goal_add(
            member=member,
            event=event,
            kind=kind,
            colleague=_posted(request, visibility.members(request.user), "colleague"),
            person_a=_posted(request, persons, "person_a"),
            person_b=_posted(request, persons, "person_b"),
            theme=_posted_theme(request),
            priority=priority,
            reason=request.POST.get("reason", "").strip(),
        )
    except ValidationError as error:
        return _changed(request, event, " ".join(error.messages), error=True)
    return _changed(request, event, _("The meeting goal is on the list."))


def _goal(request: HttpRequest, pk: int, goal_pk: int) -> tuple[Member, MeetingGoal]:
    event = visible_event(request, pk)
    goal = get_or_404(meetings.meeting_goals(user=request.user, event=event).get, pk=goal_pk)
    member, _event_ = managed_event(request, pk)
    return member, goal


@member_required
@require_POST
def goal_priority(request: HttpRequest, pk: int, goal_pk: int) -> HttpResponse:
    member, goal = _goal(request, pk, goal_pk)
    priority = parse_id(request.POST.get("priority", "")) or 0
    try:
        meetings.meeting_goal_priority_set(member=member, goal=goal, priority=priority)
    except ValidationError as error:
        return _changed(request, goal.event, " ".join(error.messages), error=True)
    return _changed(request, goal.event)


@member_required
@require_POST
def goal_delete(request: HttpRequest, pk: int, goal_pk: int) -> HttpResponse:
    member, goal = _goal(request, pk, goal_pk)
    event = goal.event
    meetings.meeting_goal_delete(member=member, goal=goal)
    return _changed(request, event, _("The meeting goal was removed."))


@member_required
@require_POST
def goals_from_requests(request: HttpRequest, pk: int) -> HttpResponse:
    member, event = managed_event(request, pk)
    made = meetings.meeting_goals_from_requests(member=member, event=event)
    message = ngettext(
        "%(n)d goal from introduction requests.",
        "%(n)d goals from introduction requests.",
        len(made),
    ) % {"n": len(made)}
    return _changed(request, event, message)


@member_required
@require_POST
def goals_from_rsvp(request: HttpRequest, pk: int) -> HttpResponse:
    member, event = managed_event(request, pk)
    found = meetings.meeting_goals_from_rsvp(member=member, user=request.user, event=event)
    message = ngettext(
        "%(n)d goal from the guests' answers.",
        "%(n)d goals from the guests' answers.",
        len(found.goals),
    ) % {"n": len(found.goals)}
    if found.unmatched:
        names = "; ".join(f"{guest}: “{text}”" for guest, text in found.unmatched[:10])
        message += " " + _("Not matched to one guest: %(names)s") % {"names": names}
    return _changed(request, event, message)


@member_required
def goal_suggestions(request: HttpRequest, pk: int) -> HttpResponse:
    event = visible_event(request, pk)
    found = meetings.meeting_goal_suggestions(user=request.user, event=event)
    member = current_member(request)
    return render(
        request,
        "events/meetings/_suggestions.html",
        {"event": event, "suggestions": found, "can_manage": can_manage_event(member, event)},
    )


@member_required
@require_POST
def goal_suggestion_accept(request: HttpRequest, pk: int) -> HttpResponse:
    member, event = managed_event(request, pk)
    try:
        meetings.meeting_goal_suggestion_accept(
            member=member, user=request.user, event=event, key=request.POST.get("key", "")[:40]
        )
    except ValidationError as error:
        return _changed(request, event, " ".join(error.messages), error=True)
    return _changed(request, event, _("The meeting goal is on the list."))


# ---- hosts -------------------------------------------------------------------------------------


@member_required
@require_POST
def hosts_assign(request: HttpRequest, pk: int) -> HttpResponse:
    member, event = managed_event(request, pk)
    try:
        done = hosts.hosts_assign(
            member=member,
            event=event,
            prefer_owner=request.POST.get("owner") == "on",
            replace=request.POST.get("replace") == "on",
        )
    except ValidationError as error:
        return _changed(request, event, " ".join(error.messages), error=True)
    message = ngettext(
        "%(n)d guest got a host (%(hosts)d hosts).",
        "%(n)d guests got a host (%(hosts)d hosts).",
        done.assigned,
    ) % {"n": done.assigned, "hosts": done.hosts}
    return _changed(request, event, message)


def _place(request: HttpRequest, pk: int, guest_pk: int) -> tuple[Member, Guest]:
    event = visible_event(request, pk)
    guest = get_or_404(
        visibility.guests(request.user).filter(event=event, person__isnull=False).get, pk=guest_pk
    )
    member, _event_ = managed_event(request, pk)
    return member, guest


@member_required
@require_POST
def host_set(request: HttpRequest, pk: int, guest_pk: int) -> HttpResponse:
    member, guest = _place(request, pk, guest_pk)
    host_pk = parse_id(request.POST.get("host", ""))
    host = None
    if host_pk is not None:
        host = next((m for m in hosts.host_colleagues(guest.event) if m.pk == host_pk), None)
        if host is None:
            raise Http404
    guest_host_set(member=member, guest=guest, host=host)
    if "with_host" in request.POST or request.POST.get("seat") == "1":
        hosts.host_seat_request_set(
            member=member, guest=guest, wanted=request.POST.get("with_host") == "on"
        )
    return _changed(request, guest.event)
