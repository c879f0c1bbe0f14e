"""Hosts: the colleagues on an event's list who receive particular guests. Gilde assigns them by
the strongest stored tie, keeping the load even, and the event manager changes any of it by hand.
For a standing reception the meeting goals become, per host, an ordered list of whom to bring
together."""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from gilde import visibility
from gilde.accounts.models import Member
from gilde.events.guestlist import OFF_LIST
from gilde.events.models import (
    Event,
    Guest,
    HostSeatRequest,
    MeetingGoal,
    MeetingGoalKind,
    MeetingGoalPriority,
    SeatingSetup,
)
from gilde.events.permissions import require_event_manager
from gilde.relations.models import Person, Tie


def seating_setup(event: Event) -> SeatingSetup:
    """The event's seating setup, with the documented defaults when none was saved yet."""
    setup = SeatingSetup.objects.filter(event=event).first()
    if setup is None:
        setup = SeatingSetup(event=event, hosts_per_table=settings.GILDE_SEATING_HOSTS_PER_TABLE)
    return setup


def host_colleagues(event: Event) -> list[Member]:
    """The colleagues on the list (hosts and organisers who come), by name."""
    places = (
        Guest.objects.filter(event=event, member__isnull=False)
        .exclude(status__in=OFF_LIST)
        .select_related("member__user")
    )
    return sorted((g.member for g in places if g.member is not None), key=lambda m: m.name)


@dataclass(frozen=True)
class HostAssignment:
    assigned: int
    hosts: int
    without_tie: int


@transaction.atomic
def hosts_assign(
    *, member: Member, event: Event, prefer_owner: bool = False, replace: bool = False
) -> HostAssignment:
    """Give every relation on the list without a host (or every one, with `replace`) a host
    colleague: the one with the strongest stored tie (the relation's account owner first when
    asked), as long as that host has no more than an even share of the guests; otherwise the
    least busy host."""
    require_event_manager(member, event)
    hosts = host_colleagues(event)
    if not hosts:
        raise ValidationError(_("Put colleagues on the guest list as hosts first."))
    host_ids = {h.pk for h in hosts}
    places = list(
        Guest.objects.filter(event=event, person__isnull=False).exclude(status__in=OFF_LIST)
    )
    load: Counter[int] = Counter(g.host_id for g in places if g.host_id in host_ids and not replace)
    todo = [g for g in places if replace or g.host_id is None]
    share = math.ceil(len(places) / len(hosts))
    ties: dict[int, dict[int, int]] = defaultdict(dict)
    rows = Tie.objects.filter(
        person_id__in=[g.person_id for g in todo], member_id__in=host_ids
    ).values_list("person_id", "member_id", "strength")
    for person_id, member_id, strength in rows:
        ties[person_id][member_id] = strength
    if prefer_owner:
        owners = Person.objects.filter(pk__in=[g.person_id for g in todo], owner_id__in=host_ids)
        for person_id, owner_id in owners.values_list("pk", "owner_id"):
            ties[person_id][owner_id] = 6  # above any declared strength
    # Guests with the strongest ties choose first, so a weak tie never takes a strong one's host.
    todo.sort(key=lambda g: (-max(ties[g.person_id or 0].values(), default=0), g.pk))
    without = 0
    for guest in todo:
        known = sorted(ties[guest.person_id or 0].items(), key=lambda kv: (-kv[1], kv[0]))
        choice = next((m for m, _s in known if load[m] < share), None)
        if choice is None:
            without += not known
            choice = min(host_ids, key=lambda m: (load[m], m))
        load[choice] += 1
        guest.host_id = choice
    Guest.objects.bulk_update(todo, ["host"])
    return HostAssignment(assigned=len(todo), hosts=len(hosts), without_tie=without)


@transaction.atomic
def host_seat_request_set(*, member: Member, guest: Guest, wanted: bool) -> bool:
    """Record (or drop) that a guest asked to sit at their host's table."""
    require_event_manager(member, guest.event)
    if guest.person_id is None:
        raise ValidationError(_("Only relations are received by a host."))
    if wanted:
        HostSeatRequest.objects.get_or_create(guest=guest)
    else:
        HostSeatRequest.objects.filter(guest=guest).delete()
    return wanted


def host_rows(*, user: Any, event: Event) -> list[Guest]:
    """The relations on the list the user may see, with their host and whether they asked to
    sit with them."""
    return list(
        visibility.guests(user)
        .filter(event=event, person__isnull=False)
        .exclude(status__in=OFF_LIST)
        .select_related("person", "host__user", "host_seat")
        .order_by("person__sort_name", "id")
    )


# ---- the host's list of introductions (standing receptions, briefings) -------------------------


@dataclass(frozen=True)
class Introduction:
    """One thing a host should make happen: meet a relation themselves, introduce two people,
    or gather a theme's guests. `people` are the names in the order to bring them together."""

    priority: int
    kind: str
    people: tuple[str, ...]
    reason: str
    goal_id: int

    @property
    def label(self) -> str:
        """The people to bring together: "A ↔ B", or a theme group's names in a row."""
        return " ↔ ".join(self.people) if len(self.people) == 2 else ", ".join(self.people)

    @property
    def priority_label(self) -> str:
        return str(MeetingGoalPriority(self.priority).label)


def introductions_for(host: Member, event: Event, *, user: Any = None) -> list[Introduction]:
    """What a host should bring about at a standing reception, in order: their own meetings and
    the introductions that involve their guests, high priority first, then the goals where both
    sides are their own guests (easiest to make), then theme groups among their guests. With
    `user`, goals about relations hidden from that user are left out."""
    scope = Guest.objects.all() if user is None else visibility.guests(user)
    guests = scope.filter(event=event, host=host, person__isnull=False).exclude(status__in=OFF_LIST)
    mine = set(guests.values_list("person_id", flat=True))
    goals = MeetingGoal.objects.filter(event=event).select_related(
        "member__user", "person_a", "person_b", "theme"
    )
    if user is not None:
        hidden = visibility.hidden_persons(user).values("pk")
        goals = goals.exclude(person_a__in=hidden).exclude(person_b__in=hidden)
    found: list[tuple[tuple[int, int, int], Introduction]] = []
    for goal in goals.order_by("priority", "id"):
        if goal.kind == MeetingGoalKind.COLLEAGUE and goal.person_a is not None:
            if goal.member_id != host.pk and goal.person_a_id not in mine:
                continue
            people: tuple[str, ...] = (str(goal.member), str(goal.person_a))
            order = 0 if goal.member_id == host.pk else 1
        elif goal.kind == MeetingGoalKind.INTRODUCTION and goal.person_b is not None:
            ours = (goal.person_a_id in mine) + (goal.person_b_id in mine)
            if not ours:
                continue
            first, second = (goal.person_a, goal.person_b)
            if goal.person_a_id not in mine:
                first, second = second, first
            people = (str(first), str(second))
            order = 0 if ours == 2 else 1
        elif goal.theme_id is not None:
            carriers = Person.objects.filter(pk__in=mine, tags=goal.theme_id).order_by("sort_name")
            names = tuple(str(p) for p in carriers)
            if len(names) < 2:
                continue
            people, order = names, 2
        else:
            continue
        intro = Introduction(goal.priority, goal.kind, people, goal.reason, goal.pk)
        found.append(((goal.priority, order, goal.pk), intro))
    found.sort(key=lambda item: item[0])
    return [intro for _key, intro in found]
