"""The "Seating" tab: tables and rounds, making a plan in the background, and the plan itself,
which the browser rescores at once while the event manager drags guests around (the pair values
travel to the page as JSON); a save is checked by the engine's checker on the server."""

from __future__ import annotations

import json
from typing import Any

import numpy as np
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gilde.accounts.models import Member
from gilde.core.web import current_member, get_or_404, member_required, parse_id
from gilde.events import seating_plan, seating_print
from gilde.events.forms_seating import SeatingSetupForm, TableForm, TablesAddForm
from gilde.events.hosts import seating_setup
from gilde.events.models import Event, SeatingPlanStatus, SeatingTable
from gilde.events.pairvalues import SeatingInstance, seating_instance
from gilde.events.seating_edit import readable_violations
from gilde.events.web import managed_event, visible_event
from gilde.permissions import can_manage_event
from gilde.seating.model import parse_instance
from gilde.seating.objective import seat_reasons

MAX_BODY = 2_000_000


def _visible_instance(request: HttpRequest, event: Event) -> SeatingInstance:
    """The plan's data as the reader may see it: guests hidden from them are left out."""
    setup = seating_setup(event)
    return seating_instance(
        event, user=request.user, rounds=setup.rounds, hosts_per_table=setup.hosts_per_table
    )


def page_data(inst: SeatingInstance, plan: Any) -> dict[str, Any]:
    """What the page's script needs to draw and rescore the plan."""
    seats: list[dict[str, str]] = []
    if plan is not None and plan.status == SeatingPlanStatus.READY:
        for rnd in plan.seats:
            seats.append(
                {
                    gid: tid
                    for tid, gids in rnd["tables"].items()
                    for gid in gids
                    if gid in inst.guests and tid in inst.tables
                }
            )
    locked = sorted({g for g, _r, _t in (plan.locked if plan else [])} & set(inst.guests))
    data = inst.data
    return {
        "rounds": data["rounds"],
        "tables": [
            {"id": tid, "label": t.label, "capacity": t.capacity, "shape": t.shape}
            for tid, t in inst.tables.items()
        ],
        "guests": [
            {
                "id": g["id"],
                "name": g["name"],
                "host": bool(g.get("host")),
                "group": g.get("group", ""),
                "sector": g["attributes"].get("sector", ""),
                "org": inst.guests[g["id"]].organisation,
                "hostName": inst.guests[g["id"]].host_name,
            }
            for g in data["guests"]
        ],
        "pairs": {f"{p['a']}|{p['b']}": p["value"] for p in data["pairs"]},
        "reasons": inst.reasons,
        "sectorWeight": (data["diversity"][0]["weight"] if data["diversity"] else 0),
        "apart": data["apart"],
        "hostMax": data["hosts"].get("max_per_table"),
        "goals": [
            {"label": g.label, "priority": g.priority, "gids": g.gids, "needed": g.needed}
            for g in inst.goals
        ],
        "seats": seats,
        "locked": locked,
    }


def script_text() -> dict[str, str]:
    """The page script's sentences, translated here ({name} placeholders are filled in there)."""
    return {
        "round": _("Round {n}"),
        "noSeat": _("{name} has no seat"),
        "tooMany": _("{table} seats {n} guests but has {seats} seats"),
        "hosts": _("{table} has {n} hosts, more than allowed"),
        "split": _("{names} should sit together"),
        "apart": _("{a} and {b} must sit apart"),
        "moveHere": _("Move the picked guest to {table}"),
        "value": _("seat value {v}"),
        "locked": _("locked"),
        "goals": _("{met} of {total} meeting goals met"),
        "isLocked": _("This guest is locked: unlock them first."),
        "moved": _("{name} moved to {table}."),
        "swapped": _("{a} and {b} swapped places."),
        "picked": _("{name} picked up: Enter on a guest swaps, Enter on a table's name moves."),
        "lockedNow": _("{name} is locked at this table."),
        "unlockedNow": _("{name} is no longer locked."),
        "undone": _("Undone."),
        "checked": _("Score {score}."),
    }


def _context(request: HttpRequest, event: Event) -> dict[str, Any]:
    member = current_member(request)
    plan = seating_plan.current_plan(event)
    latest = seating_plan.latest_plan(event)
    setup = seating_setup(event)
    error = ""
    try:
        inst = _visible_instance(request, event)
        data = page_data(inst, plan)
    except ValidationError as problem:
        error, data = " ".join(problem.messages), {}
    names = {g["id"]: g["name"] for g in data.get("guests", [])}
    visible = set(names)
    return {
        "event": event,
        "tab": "seating",
        "can_manage": can_manage_event(member, event),
        "setup": setup,
        "setup_form": SeatingSetupForm(instance=setup),
        "tables_form": TablesAddForm(),
        "tables": list(SeatingTable.objects.filter(event=event)),
        "table_form": TableForm,
        "plan": plan,
        "failed": latest if latest and latest.status == SeatingPlanStatus.FAILED else None,
        "violations": _readable(plan.violations if plan else [], names, visible),
        "data": data,
        "text": script_text(),
        "error": error,
    }


def _readable(violations: list[str], names: dict[str, str], visible: set[str]) -> list[str]:
    return readable_violations(violations, {g: n for g, n in names.items() if g in visible})


def _form_errors(form: Any) -> str:
    return " ".join(str(m) for e in form.errors.values() for m in e)


@member_required
def seating_page(request: HttpRequest, pk: int) -> HttpResponse:
    event = visible_event(request, pk)
    return render(request, "events/seating/page.html", _context(request, event))


def _back(request: HttpRequest, event: Event, message: str = "", status: int = 200) -> HttpResponse:
    if request.htmx:  # type: ignore[attr-defined]
        context = _context(request, event) | {"message": message}
        return render(request, "events/seating/_workspace.html", context, status=status)
    return redirect("events:seating", pk=event.pk)


@member_required
@require_POST
def setup_save(request: HttpRequest, pk: int) -> HttpResponse:
    member, event = managed_event(request, pk)
    form = SeatingSetupForm(request.POST, instance=seating_setup(event))
    if not form.is_valid():
        return _back(request, event, _form_errors(form))
    seating_plan.seating_setup_save(member=member, event=event, **form.cleaned_data)
    return _back(request, event, _("Saved."))


@member_required
@require_POST
def tables_add(request: HttpRequest, pk: int) -> HttpResponse:
    member, event = managed_event(request, pk)
    form = TablesAddForm(request.POST)
    if not form.is_valid():
        return _back(request, event, _form_errors(form))
    try:
        seating_plan.seating_tables_add(member=member, event=event, **form.cleaned_data)
    except ValidationError as error:
        return _back(request, event, " ".join(error.messages))
    return _back(request, event)


def _table(request: HttpRequest, pk: int, table_pk: int) -> tuple[Member, SeatingTable]:
    event = visible_event(request, pk)
    table = get_or_404(SeatingTable.objects.filter(event=event).get, pk=table_pk)
    member, _event_ = managed_event(request, pk)
    return member, table


@member_required
@require_POST
def table_update(request: HttpRequest, pk: int, table_pk: int) -> HttpResponse:
    member, table = _table(request, pk, table_pk)
    form = TableForm(request.POST, instance=SeatingTable.objects.get(pk=table.pk))
    if not form.is_valid():
        return _back(request, table.event, _form_errors(form))
    seating_plan.seating_table_update(member=member, table=table, **form.cleaned_data)
    return _back(request, table.event)


@member_required
@require_POST
def table_delete(request: HttpRequest, pk: int, table_pk: int) -> HttpResponse:
    member, table = _table(request, pk, table_pk)
    event = table.event
    seating_plan.seating_table_delete(member=member, table=table)
    return _back(request, event)


def _posted_locks(request: HttpRequest) -> list[tuple[str, int, str]]:
    """Locked guests with their table in every round, from the page's current seats."""
    try:
        seats = seating_plan.seats_from_post(json.loads(request.POST.get("plan") or "{}"))
    except (ValueError, ValidationError):
        return []
    return [
        (g, r + 1, rnd[g]) for g in seats.locked for r, rnd in enumerate(seats.rounds) if g in rnd
    ]


@member_required
@require_POST
def plan_make(request: HttpRequest, pk: int) -> HttpResponse:
    member, event = managed_event(request, pk)
    replan = request.POST.get("replan") == "1"
    try:
        seating_plan.seating_plan_make(
            member=member,
            event=event,
            replan=replan,
            locked=[] if replan else _posted_locks(request),
        )
    except ValidationError as error:
        return _back(request, event, " ".join(error.messages))
    return _back(request, event, _("The engine is making the plan."))


@member_required
def plan_status(request: HttpRequest, pk: int) -> HttpResponse:
    """Polled while a plan is being made; once it is ready the page reloads its workspace."""
    event = visible_event(request, pk)
    plan = seating_plan.current_plan(event)
    if plan is not None and plan.status == SeatingPlanStatus.MAKING:
        return render(request, "events/seating/_making.html", {"event": event, "plan": plan})
    response = HttpResponse("")
    response["HX-Refresh"] = "true"
    return response


def _json_body(request: HttpRequest) -> Any:
    if len(request.body) > MAX_BODY:
        raise ValidationError(_("The plan could not be read."))
    try:
        return json.loads(request.body or b"{}")
    except ValueError as error:
        raise ValidationError(_("The plan could not be read.")) from error


@member_required
@require_POST
def plan_save(request: HttpRequest, pk: int) -> HttpResponse:
    member, event = managed_event(request, pk)
    try:
        seats = seating_plan.seats_from_post(_json_body(request))
        plan = seating_plan.seating_plan_save(member=member, event=event, seats=seats)
    except ValidationError as error:
        return JsonResponse({"error": " ".join(error.messages)}, status=400)
    names = {gid: g.name for gid, g in _visible_instance(request, event).guests.items()}
    return JsonResponse(
        {
            "objective": plan.objective,
            "feasible": plan.feasible,
            "violations": _readable(plan.violations, names, set(names)),
            "message": _("Saved; the engine's checker confirms the score."),
        }
    )


@member_required
@require_POST
def plan_why(request: HttpRequest, pk: int) -> HttpResponse:
    """ "Why here?": the guest's table-mates in the page's current seating and what each adds,
    by the engine's own `seat_reasons`, with the reasons behind every value."""
    event = visible_event(request, pk)
    try:
        body = _json_body(request)
        seats = seating_plan.seats_from_post(body)
        inst = _visible_instance(request, event)
    except ValidationError as error:
        return HttpResponse(
            format_html('<p class="errorlist">{}</p>', " ".join(error.messages)), status=400
        )
    gid, round_ = str(body.get("guest", "")), parse_id(str(body.get("round", "0"))) or 0
    if gid not in inst.guests or round_ >= len(seats.rounds):
        raise Http404
    engine = parse_instance(inst.data)
    assignment = np.full((engine.rounds, engine.n_guests), -1, dtype=np.int64)
    for r, rnd in enumerate(seats.rounds[: engine.rounds]):
        for g, t in rnd.items():
            if g in engine.guest_index and t in engine.table_index:
                assignment[r, engine.guest_index[g]] = engine.table_index[t]
    mates = seat_reasons(engine, assignment, engine.guest_index[gid], round_)
    rows = []
    for mate, value in mates:
        other = engine.guest_ids[mate]
        key = f"{gid}|{other}" if gid < other else f"{other}|{gid}"
        rows.append((inst.guests[other].name, value, inst.reasons.get(key, [])))
    return render(
        request,
        "events/seating/_why.html",
        {"guest": inst.guests[gid], "rows": rows, "total": sum(v for _n, v, _r in rows)},
    )


@member_required
def plan_pdf(request: HttpRequest, pk: int, what: str) -> HttpResponse:
    member, event = managed_event(request, pk)
    plan = seating_plan.current_plan(event)
    makers = {
        "plan": seating_print.table_plan_pdf,
        "cards": seating_print.place_cards_pdf,
        "hosts": seating_print.host_lists_pdf,
        "door": seating_print.door_list_pdf,
    }
    if what not in makers or plan is None or plan.status != SeatingPlanStatus.READY:
        raise Http404
    try:
        inst = _visible_instance(request, event)
    except ValidationError:
        # The tables or guests changed so that the plan no longer fits (a table was removed):
        # the seating page says why.
        return redirect("events:seating", pk=event.pk)
    pdf = makers[what](event, inst, plan)
    if what == "cards":
        seating_plan.seating_cards_printed(member=member, plan=plan)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="event-{event.pk}-{what}.pdf"'
    return response
