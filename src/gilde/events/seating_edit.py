"""The seating plan one step at a time, for the API as the page does it by drag and keyboard:
move a guest to another table, swap two guests, lock or unlock a guest. Each step is saved as a
new version through `seating_plan_save`, so the engine's checker gives its score and broken
rules, as for every plan. And the plan as a reader may see it: tables with guests, each guest's
seat value, the score, the meeting goals met and the broken rules; a guest hidden from the
reader is in none of it."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from gilde import visibility
from gilde.accounts.models import Member
from gilde.events.hosts import seating_setup
from gilde.events.models import Event, SeatingPlan, SeatingPlanStatus, SeatingTable
from gilde.events.pairvalues import GoalPairs, SeatingInstance, seating_instance
from gilde.events.seating_plan import HandSeats, current_plan, seating_plan_save
from gilde.permissions import require_event_manager


def _ready_plan(event: Event) -> SeatingPlan:
    plan = current_plan(event)
    if plan is None or plan.status != SeatingPlanStatus.READY:
        raise ValidationError(_("There is no plan yet: make one first."))
    return plan


def _hand_seats(plan: SeatingPlan) -> HandSeats:
    rounds = [
        {gid: tid for tid, gids in rnd["tables"].items() for gid in gids} for rnd in plan.seats
    ]
    return HandSeats(rounds, sorted({str(g) for g, _r, _t in plan.locked}))


def _require_guests(user: Any, event: Event, seats: HandSeats, gids: list[str]) -> None:
    """Every guest named is in the plan and visible to the user (a hidden one is as unknown as
    one that does not exist)."""
    places = set(visibility.guests(user).filter(event=event).values_list("pk", flat=True))
    for gid in gids:
        pk = gid[1:]
        known = gid[:1] in ("g", "c") and pk.isdigit() and int(pk) in places
        if not known or not any(gid in rnd for rnd in seats.rounds):
            raise ValidationError(_("There is no such guest in the plan."))
        if gid in seats.locked:
            raise ValidationError(_("This guest is locked: unlock them first."))


def _rounds(seats: HandSeats, round_: int | None) -> list[int]:
    """The rounds to change: one (numbered from 1), or every round."""
    if round_ is None:
        return list(range(len(seats.rounds)))
    if not 1 <= round_ <= len(seats.rounds):
        raise ValidationError(_("Choose a round from 1 to %(n)d.") % {"n": len(seats.rounds)})
    return [round_ - 1]


def _with_companion(gid: str, seats: dict[str, str]) -> list[str]:
    """A guest and the companion they came with move together (as on the page)."""
    other = ("c" if gid.startswith("g") else "g") + gid[1:]
    return [gid, other] if other in seats else [gid]


@transaction.atomic
def seating_guest_move(
    *, member: Member, user: Any, event: Event, guest: str, table: str, round_: int | None = None
) -> SeatingPlan:
    """Seat a guest (with their companion) at another table, in one round or in all."""
    require_event_manager(member, event)
    seats = _hand_seats(_ready_plan(event))
    _require_guests(user, event, seats, [guest])
    tables = {
        f"t{pk}" for pk in SeatingTable.objects.filter(event=event).values_list("pk", flat=True)
    }
    if table not in tables:
        raise ValidationError(_("There is no such table at this event."))
    for r in _rounds(seats, round_):
        for gid in _with_companion(guest, seats.rounds[r]):
            seats.rounds[r][gid] = table
    return seating_plan_save(member=member, event=event, seats=seats)


@transaction.atomic
def seating_guests_swap(
    *, member: Member, user: Any, event: Event, guest: str, other: str, round_: int | None = None
) -> SeatingPlan:
    """Two guests (each with their companion) change tables, in one round or in all."""
    require_event_manager(member, event)
    seats = _hand_seats(_ready_plan(event))
    if guest == other:
        raise ValidationError(_("Choose two different guests."))
    _require_guests(user, event, seats, [guest, other])
    for r in _rounds(seats, round_):
        here = seats.rounds[r]
        first, second = here.get(guest), here.get(other)
        if first is None or second is None:
            continue  # one of them is not in this round
        for gid in _with_companion(guest, here):
            here[gid] = second
        for gid in _with_companion(other, here):
            here[gid] = first
    return seating_plan_save(member=member, event=event, seats=seats)


@transaction.atomic
def seating_guest_lock(
    *, member: Member, user: Any, event: Event, guest: str, locked: bool
) -> SeatingPlan:
    """Lock a guest at their table (a new plan keeps them there), or let them go again."""
    require_event_manager(member, event)
    seats = _hand_seats(_ready_plan(event))
    was_locked = guest in seats.locked
    if was_locked:
        seats.locked.remove(guest)
    _require_guests(user, event, seats, [guest])
    if locked:
        seats.locked.append(guest)
    return seating_plan_save(member=member, event=event, seats=seats)


# ---- the plan as the reader sees it ----------------------------------------------------------


def readable_violations(violations: list[str], names: dict[str, str]) -> list[str]:
    """The checker's lines with guest ids as names; lines about guests not in `names` (hidden
    from the reader) are left out."""
    out = []
    for line in violations:
        ids = [w.strip("'") for w in line.split() if w.startswith("'g") or w.startswith("'c")]
        if any(i not in names for i in ids):
            continue
        for i in ids:
            line = line.replace(f"'{i}'", names[i])
        out.append(line)
    return out


def _goal_met(goal: GoalPairs, rounds: list[dict[str, str]]) -> bool:
    """Met when `needed` of its guests share a table in some round."""
    for seats in rounds:
        at: dict[str, int] = {}
        for gid in goal.gids:
            if gid in seats:
                at[seats[gid]] = at.get(seats[gid], 0) + 1
        if at and max(at.values()) >= goal.needed:
            return True
    return False


def visible_instance(user: Any, event: Event) -> SeatingInstance:
    setup = seating_setup(event)
    return seating_instance(
        event, user=user, rounds=setup.rounds, hosts_per_table=setup.hosts_per_table
    )


def plan_data(*, user: Any, event: Event) -> dict[str, Any]:
    """The current plan as plain data: its state, score (the checker's), broken rules, and per
    round each table with its guests and their seat value (what their table-mates add)."""
    plan = current_plan(event)
    out: dict[str, Any] = {
        "status": "none",
        "plan_id": None,
        "how": None,
        "made_at": None,
        "score": None,
        "feasible": None,
        "moved": None,
        "move_cost": None,
        "violations": [],
        "rounds": [],
        "goals": [],
        "goals_met": 0,
    }
    if plan is None:
        return out
    out.update(status=plan.status, plan_id=plan.pk, how=plan.how, made_at=plan.created_at)
    if plan.status != SeatingPlanStatus.READY:
        return out
    inst = visible_instance(user, event)
    names = {gid: g.name for gid, g in inst.guests.items()}
    value = {(p["a"], p["b"]): float(p["value"]) for p in inst.data["pairs"]}
    locked = {str(g) for g, _r, _t in plan.locked}
    rounds, seat_of = [], []
    for number, rnd in enumerate(plan.seats, start=1):
        seats: dict[str, str] = {}
        tables = []
        for tid, table in inst.tables.items():
            gids = [g for g in rnd["tables"].get(tid, []) if g in inst.guests]
            seats.update(dict.fromkeys(gids, tid))
            tables.append(
                {
                    "id": tid,
                    "label": table.label,
                    "capacity": table.capacity,
                    "guests": [
                        {
                            "id": g,
                            "place_id": inst.guests[g].place_id,
                            "name": names[g],
                            "host": inst.guests[g].host,
                            "companion_of": inst.guests[g].companion_of or None,
                            "locked": g in locked,
                            "seat_value": round(
                                sum(value.get((min(g, m), max(g, m)), 0.0) for m in gids if m != g),
                                3,
                            ),
                        }
                        for g in gids
                    ],
                }
            )
        rounds.append({"number": number, "tables": tables})
        seat_of.append(seats)
    goals = [
        {"label": g.label, "priority": g.priority, "met": _goal_met(g, seat_of)} for g in inst.goals
    ]
    out.update(
        score=plan.objective,
        feasible=plan.feasible,
        moved=plan.moved,
        move_cost=plan.move_cost,
        violations=readable_violations(plan.violations, names),
        rounds=rounds,
        goals=goals,
        goals_met=sum(1 for g in goals if g["met"]),
    )
    return out
