"""The seating plan of an event in the app: its tables and rounds, plans made by the engine in
the background (with a time limit), plans changed by hand, and re-planning after a cancellation
or a walk-in that keeps everyone else where they were. Every plan saved is first checked by the
engine's own checker (`gilde.seating.plan.check_plan`): its score and violations are the
checker's."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gilde.accounts.models import Member
from gilde.core.jobs import JobFailed, JobKind, Progress, job_enqueue, job_kind_register
from gilde.core.models import Job
from gilde.events.hosts import seating_setup
from gilde.events.models import (
    Event,
    SeatingPlan,
    SeatingPlanStatus,
    SeatingSetup,
    SeatingTable,
    TableShape,
)
from gilde.events.pairvalues import SeatingInstance, seating_instance
from gilde.permissions import require_event_manager
from gilde.seating.model import InstanceError, parse_instance
from gilde.seating.plan import check_plan, plan_to_dict
from gilde.seating.solve import solve

SEATING_JOB = "events.seating"
MAX_TABLES = 400


# ---- tables and rounds -------------------------------------------------------------------------


@transaction.atomic
def seating_setup_save(
    *, member: Member, event: Event, rounds: int, hosts_per_table: int | None, time_limit: int
) -> SeatingSetup:
    """Set the number of rounds, the hosts a table may have and the search time."""
    require_event_manager(member, event)
    setup = seating_setup(event)
    setup.rounds, setup.hosts_per_table, setup.time_limit = rounds, hosts_per_table, time_limit
    setup.full_clean()
    setup.save()
    return setup


@transaction.atomic
def seating_tables_add(
    *, member: Member, event: Event, count: int, capacity: int, shape: str = TableShape.ROUND
) -> list[SeatingTable]:
    """Add `count` tables of `capacity` seats, numbered after the last one."""
    require_event_manager(member, event)
    existing = SeatingTable.objects.filter(event=event)
    if count < 1 or existing.count() + count > MAX_TABLES:
        raise ValidationError(_("An event has between 1 and %(n)d tables.") % {"n": MAX_TABLES})
    last = max(existing.values_list("number", flat=True), default=0)
    made = []
    for number in range(last + 1, last + 1 + count):
        table = SeatingTable(event=event, number=number, capacity=capacity, shape=shape)
        table.full_clean()
        made.append(table)
    return SeatingTable.objects.bulk_create(made)


@transaction.atomic
def seating_table_update(
    *, member: Member, table: SeatingTable, name: str, capacity: int, shape: str
) -> SeatingTable:
    """Rename a table, or change its seats or shape."""
    require_event_manager(member, table.event)
    table.name, table.capacity, table.shape = name, capacity, shape
    table.full_clean()
    table.save()
    return table


@transaction.atomic
def seating_table_delete(*, member: Member, table: SeatingTable) -> None:
    """Take a table away; plans made before keep naming it until the next plan."""
    require_event_manager(member, table.event)
    table.delete()


# ---- plans ---------------------------------------------------------------------------------------


def current_plan(event: Event) -> SeatingPlan | None:
    """The newest plan that is ready, or the one being made."""
    return (
        SeatingPlan.objects.filter(event=event)
        .exclude(status=SeatingPlanStatus.FAILED)
        .order_by("-created_at", "-id")
        .first()
    )


def latest_plan(event: Event) -> SeatingPlan | None:
    return SeatingPlan.objects.filter(event=event).order_by("-created_at", "-id").first()


def _instance(
    event: Event,
    locked: list[tuple[str, int, str]] | None = None,
    saved: list[tuple[str, int, str]] | None = None,
) -> SeatingInstance:
    """The whole list (the plan must seat everyone, whoever looks at it)."""
    setup = seating_setup(event)
    return seating_instance(
        event,
        rounds=setup.rounds,
        hosts_per_table=setup.hosts_per_table,
        locked=locked,
        saved=saved,
    )


def saved_seats(plan: SeatingPlan) -> list[tuple[str, int, str]]:
    """A plan's seats as the engine's saved seats: (guest id, round from 1, table id)."""
    return [
        (gid, r + 1, tid)
        for r, rnd in enumerate(plan.seats)
        for tid, gids in rnd["tables"].items()
        for gid in gids
    ]


def plan_instance(plan: SeatingPlan) -> SeatingInstance:
    """The engine instance a plan is scored by: for a re-plan, with the seats of the plan it kept
    (so `gilde seating check` gives the objective the app stored)."""
    kept = plan.kept_from
    return _instance(plan.event, saved=saved_seats(kept) if kept is not None else None)


def _require_tables(event: Event) -> None:
    if not SeatingTable.objects.filter(event=event).exists():
        raise ValidationError(_("Add the tables first."))


@transaction.atomic
def seating_plan_make(
    *,
    member: Member,
    event: Event,
    locked: list[tuple[str, int, str]] | None = None,
    replan: bool = False,
) -> SeatingPlan:
    """Ask the engine for a plan in the background, keeping `locked` guests at their table;
    with `replan`, everyone keeps their place in the current plan where possible."""
    require_event_manager(member, event)
    _require_tables(event)
    previous = current_plan(event)
    if replan and (previous is None or previous.status != SeatingPlanStatus.READY):
        raise ValidationError(_("There is no plan yet to keep places from."))
    if SeatingPlan.objects.filter(event=event, status=SeatingPlanStatus.MAKING).exists():
        raise ValidationError(_("A plan is being made already; wait for it first."))
    # Bad input is refused here, in the request, not later on the worker.
    try:
        parse_instance(_instance(event, locked).data)
    except InstanceError as error:
        raise ValidationError(_("The engine cannot seat this: %(why)s") % {"why": error}) from error
    plan = SeatingPlan.objects.create(
        event=event,
        made_by=member,
        how="replan" if replan else "engine",
        locked=[list(item) for item in locked or []],
        kept_from=previous if replan else None,
    )
    plan.job = job_enqueue(
        kind=SEATING_JOB,
        params={"plan": plan.pk, "keep": previous.pk if replan and previous else None},
        actor=member,
    )
    plan.save(update_fields=["job"])
    return plan


def seating_plan_make_now(
    *,
    event: Event,
    time_limit: float,
    made_by: Member | None = None,
    max_iterations: int | None = None,
) -> SeatingPlan:
    """Make and keep a plan in this process, not through the task queue (the demo builds its
    measured dinner's plan so): the engine within `time_limit` (with `max_iterations` the same
    plan every time), checked by the engine's checker like every plan."""
    _require_tables(event)
    inst = _instance(event)
    engine = parse_instance(inst.data)
    found = solve(
        engine,
        time_limit=time_limit,
        seed=0,
        workers=1,
        method="heuristic" if max_iterations else "auto",
        max_iterations=max_iterations,
    )
    data = plan_to_dict(engine, found)
    if not data.get("rounds"):
        raise ValidationError("; ".join(data["violations"]))
    plan = SeatingPlan(event=event, made_by=made_by, how="engine")
    return _store(plan, inst, data["rounds"], seconds=data["seconds"])


def _seats(data: list[dict[str, Any]]) -> dict[int, dict[str, str]]:
    """Round → guest → table from plan JSON."""
    return {
        r: {gid: tid for tid, gids in rnd["tables"].items() for gid in gids}
        for r, rnd in enumerate(data)
    }


def seating_plan_run(job: Job, progress: Progress) -> None:
    """The job: build the instance, solve within the event's time limit, check, store."""
    plan = SeatingPlan.objects.select_related("event").filter(pk=job.params["plan"]).first()
    if plan is None:
        raise JobFailed(_("The seating plan no longer exists."))
    event = plan.event
    setup = seating_setup(event)
    locked = [(str(g), int(r), str(t)) for g, r, t in plan.locked]
    keep = SeatingPlan.objects.filter(pk=job.params.get("keep") or 0).first()
    progress("solve", 0, 1)
    try:
        if keep is not None:
            inst, data, moved = _replan(event, keep, locked, setup.time_limit)
        else:
            inst = _instance(event, locked)
            data = _solve(inst, setup.time_limit)
            moved = None
    except (InstanceError, ValidationError) as error:
        SeatingPlan.objects.filter(pk=plan.pk).update(
            status=SeatingPlanStatus.FAILED, message=str(error)[:300]
        )
        raise JobFailed(_("The engine could not seat this event.")) from error
    if not data.get("rounds"):
        # The rules cannot all hold (more hosts than tables allow, say): the engine names the
        # ones that clash.
        SeatingPlan.objects.filter(pk=plan.pk).update(
            status=SeatingPlanStatus.FAILED, message="; ".join(data["violations"])[:300]
        )
        return
    _store(plan, inst, data["rounds"], seconds=data["seconds"], moved=moved)
    progress("solve", 1, 1)


def _solve(inst: SeatingInstance, time_limit: float) -> dict[str, Any]:
    engine = parse_instance(inst.data)
    plan = solve(engine, time_limit=time_limit, seed=0, workers=settings.GILDE_SEATING_WORKERS)
    return plan_to_dict(engine, plan)


def _replan(
    event: Event, keep: SeatingPlan, locked: list[tuple[str, int, str]], time_limit: float
) -> tuple[SeatingInstance, dict[str, Any], int]:
    """Seat newcomers with everyone else kept where possible: every guest's seat in the kept plan
    is a saved seat, and the engine pays GILDE_SEATING_MOVE_PENALTY for each one it leaves (guests
    who left and tables that are gone simply drop out). Returns the instance, the plan and how
    many guests sit elsewhere than before in some round."""
    inst = _instance(event, locked, saved=saved_seats(keep))
    data = _solve(inst, time_limit)
    before = _seats(keep.seats)
    after = _seats(data.get("rounds", []))
    moved = sum(
        1
        for gid in inst.guests
        if any(before.get(r, {}).get(gid) not in (None, after.get(r, {}).get(gid)) for r in before)
    )
    return inst, data, moved


def _store(
    plan: SeatingPlan,
    inst: SeatingInstance,
    rounds: list[dict[str, Any]],
    *,
    seconds: float | None = None,
    moved: int | None = None,
) -> SeatingPlan:
    """Check the seating with the engine's checker and keep it with the checker's verdict."""
    engine = parse_instance(inst.data)
    result = check_plan(engine, {"rounds": rounds})
    plan.seats = rounds
    plan.objective = result.objective
    plan.move_cost = result.move_cost if engine.saved else None
    plan.feasible = result.feasible
    plan.violations = list(result.violations)
    plan.status = SeatingPlanStatus.READY
    plan.seconds = seconds
    plan.moved = moved
    plan.save()
    return plan


@dataclass(frozen=True)
class HandSeats:
    """A plan as the page sends it: per round, guest id → table id; the locked guest ids."""

    rounds: list[dict[str, str]]
    locked: list[str]


def seats_from_post(data: Any) -> HandSeats:
    """Read the page's JSON; anything else than the expected shape is refused."""
    if not isinstance(data, dict) or not isinstance(data.get("rounds"), list):
        raise ValidationError(_("The plan could not be read."))
    rounds = []
    for rnd in data["rounds"][:10]:
        if not isinstance(rnd, dict) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in rnd.items()
        ):
            raise ValidationError(_("The plan could not be read."))
        rounds.append(dict(rnd))
    locked = data.get("locked", [])
    if not isinstance(locked, list) or not all(isinstance(g, str) for g in locked):
        raise ValidationError(_("The plan could not be read."))
    return HandSeats(rounds, locked[:5000])


def _as_rounds(
    seats: HandSeats, inst: SeatingInstance, keep: SeatingPlan | None
) -> list[dict[str, Any]]:
    """The engine's plan rounds from the page's seats. Guests the page did not know (hidden from
    whoever edits) keep their table from the plan before."""
    before = _seats(keep.seats) if keep is not None else {}
    out = []
    for r in range(len(seats.rounds)):
        tables: dict[str, list[str]] = {tid: [] for tid in inst.tables}
        placed = dict(before.get(r, {}))
        placed.update(seats.rounds[r])
        for gid, tid in placed.items():
            if gid in inst.guests and tid in tables:
                tables[tid].append(gid)
        out.append({"tables": tables})
    return out


@transaction.atomic
def seating_plan_save(*, member: Member, event: Event, seats: HandSeats) -> SeatingPlan:
    """Keep a plan changed by hand as a new version, checked by the engine's checker."""
    require_event_manager(member, event)
    inst = _instance(event)
    if len(seats.rounds) != seating_setup(event).rounds:
        raise ValidationError(_("The plan has another number of rounds than the event."))
    rounds = _as_rounds(seats, inst, current_plan(event))
    plan = SeatingPlan(
        event=event,
        made_by=member,
        how="hand",
        locked=[
            [g, r + 1, seats.rounds[r][g]]
            for g in seats.locked
            for r in range(len(seats.rounds))
            if g in seats.rounds[r]
        ],
    )
    return _store(plan, inst, rounds)


@transaction.atomic
def seating_cards_printed(*, member: Member, plan: SeatingPlan) -> SeatingPlan:
    """Note that the place cards of this plan were printed: a later re-plan keeps them."""
    require_event_manager(member, plan.event)
    plan.cards_printed_at = timezone.now()
    plan.save(update_fields=["cards_printed_at"])
    return plan


def _job_link(job: Job) -> str | None:
    from django.urls import reverse

    plan = SeatingPlan.objects.filter(pk=job.params.get("plan") or 0).first()
    return reverse("events:seating", args=[plan.event_id]) if plan else None


def _gave_up(job: Job) -> None:
    SeatingPlan.objects.filter(pk=job.params.get("plan") or 0).update(
        status=SeatingPlanStatus.FAILED
    )


job_kind_register(
    JobKind(
        SEATING_JOB,
        gettext_lazy("Make a seating plan"),
        seating_plan_run,
        gave_up=_gave_up,
        link=_job_link,
    )
)
