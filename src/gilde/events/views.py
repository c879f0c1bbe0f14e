"""Event pages: the list, one event with its programme and costs, and the forms that change
them. Thin: parse, call a service or selector, render. The programme and costs panels answer
htmx with themselves, so every figure a change touches is redrawn in place."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gilde.core.web import (
    apply_validation_error,
    current_member,
    get_or_404,
    member_required,
    paginate,
    parse_ids,
    query_without_page,
)
from gilde.events import attendance, selectors, services
from gilde.events.forms import CostItemForm, EventForm, ProgrammeItemForm
from gilde.events.models import CostItem, Event, GuestStatus, ProgrammeItem
from gilde.events.permissions import can_manage_event
from gilde.permissions import can_create


@member_required
def event_list(request: HttpRequest) -> HttpResponse:
    when = "past" if request.GET.get("when") == "past" else "upcoming"
    q = request.GET.get("q", "").strip()[:200]
    page = paginate(request, selectors.event_list(request.user, when=when, q=q))
    events = list(page.object_list)
    counts = selectors.status_counts(request.user, events)
    for event in events:
        c = counts[event.pk]
        event.accepted = c[GuestStatus.ACCEPTED] + c[GuestStatus.ATTENDED]
        event.invited = sum(n for s, n in c.items() if s != GuestStatus.PROPOSED)
    return render(
        request,
        "events/event_list.html",
        {
            "page": page,
            "events": events,
            "when": when,
            "q": q,
            "query": query_without_page(request),
            "can_create": can_create(current_member(request)),
        },
    )


@member_required
def event_create(request: HttpRequest) -> HttpResponse:
    member = current_member(request)
    if not can_create(member):
        raise PermissionDenied
    form = EventForm(request.POST or None, initial={"organisers": [member.pk]})
    if request.method == "POST" and form.is_valid():
        try:
            event = services.event_create(member=member, **form.service_data())
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("Event created. Add its programme next."))
            return redirect(event)
    return render(request, "events/event_form.html", {"form": form, "event": None})


@member_required
def event_edit(request: HttpRequest, pk: int) -> HttpResponse:
    member = current_member(request)
    event = get_or_404(selectors.event_get, user=request.user, pk=pk)
    if not can_manage_event(member, event):
        raise PermissionDenied
    form = EventForm(request.POST or None, instance=Event.objects.get(pk=event.pk))
    if request.method == "POST" and form.is_valid():
        data = form.service_data()
        try:
            event = services.event_update(
                member=member, event=event, version=form.cleaned_data.get("version"), **data
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("Event saved."))
            return redirect(event)
    return render(request, "events/event_form.html", {"form": form, "event": event})


@member_required
@require_POST
def event_delete(request: HttpRequest, pk: int) -> HttpResponse:
    member = current_member(request)
    event = get_or_404(selectors.event_get, user=request.user, pk=pk)
    services.event_delete(member=member, event=event)
    messages.success(request, _("Event “%(title)s” removed.") % {"title": event.title})
    return redirect("events:list")


def _programme_context(
    request: HttpRequest, event: Event, form: ProgrammeItemForm | None = None
) -> dict[str, Any]:
    items = list(event.programme.all())
    if form is None:
        last_end = items[-1].ends_at if items else event.starts_at
        form = ProgrammeItemForm(initial={"starts_at": last_end, "duration_minutes": 30})
    return {
        "event": event,
        "items": items,
        "programme_form": form,
        "time_to_meet": selectors.time_to_meet(event, items),
        "can_manage": can_manage_event(current_member(request), event),
    }


def _costs_context(
    request: HttpRequest, event: Event, form: CostItemForm | None = None
) -> dict[str, Any]:
    return {
        "event": event,
        "cost_items": list(event.costs.all()),
        "cost_form": form or CostItemForm(),
        "costs": selectors.costs(request.user, event),
        "can_manage": can_manage_event(current_member(request), event),
    }


@member_required
def event_detail(request: HttpRequest, pk: int) -> HttpResponse:
    event = get_or_404(selectors.event_get, user=request.user, pk=pk)
    counts = selectors.status_counts(request.user, [event])[event.pk]
    context = {
        "event": event,
        "themes": list(event.themes.all()),
        "organisers": list(event.organisers.select_related("user")),
        "status_counts": [(label, counts.get(value, 0)) for value, label in GuestStatus.choices],
        "seated": counts.get(GuestStatus.ACCEPTED, 0) + counts.get(GuestStatus.ATTENDED, 0),
        "tab": "overview",
        **_programme_context(request, event),
        **_costs_context(request, event),
    }
    return render(request, "events/event_detail.html", context)


def _managed_event(request: HttpRequest, pk: int) -> Event:
    event = get_or_404(selectors.event_get, user=request.user, pk=pk)
    if not can_manage_event(current_member(request), event):
        raise PermissionDenied
    return event


def _errors_text(form: ProgrammeItemForm | CostItemForm) -> str:
    return " ".join(str(message) for messages_ in form.errors.values() for message in messages_)


@member_required
@require_POST
def programme_item_add(request: HttpRequest, pk: int) -> HttpResponse:
    event = _managed_event(request, pk)
    form: ProgrammeItemForm | None = ProgrammeItemForm(
        request.POST, instance=ProgrammeItem(event=event)
    )
    if form is not None and form.is_valid():
        try:
            services.programme_item_save(member=current_member(request), item=form.instance)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            form = None
    return _programme_panel(request, event, form)


def _programme_panel(
    request: HttpRequest, event: Event, form: ProgrammeItemForm | None
) -> HttpResponse:
    if not request.htmx:  # type: ignore[attr-defined]
        if form is not None and form.errors:
            messages.error(request, _errors_text(form))
        return redirect(event)
    return render(request, "events/_programme.html", _programme_context(request, event, form))


@member_required
@require_POST
def programme_item_delete(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    event = _managed_event(request, pk)
    item = get_or_404(event.programme.get, pk=item_pk)
    services.programme_item_delete(member=current_member(request), item=item)
    return _programme_panel(request, event, None)


@member_required
@require_POST
def cost_item_add(request: HttpRequest, pk: int) -> HttpResponse:
    event = _managed_event(request, pk)
    form: CostItemForm | None = CostItemForm(request.POST, instance=CostItem(event=event))
    if form is not None and form.is_valid():
        try:
            services.cost_item_save(member=current_member(request), item=form.instance)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            form = None
    return _costs_panel(request, event, form)


def _costs_panel(request: HttpRequest, event: Event, form: CostItemForm | None) -> HttpResponse:
    if not request.htmx:  # type: ignore[attr-defined]
        if form is not None and form.errors:
            messages.error(request, _errors_text(form))
        return redirect(event)
    return render(request, "events/_costs.html", _costs_context(request, event, form))


@member_required
@require_POST
def cost_item_delete(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    event = _managed_event(request, pk)
    item = get_or_404(event.costs.get, pk=item_pk)
    services.cost_item_delete(member=current_member(request), item=item)
    return _costs_panel(request, event, None)


@member_required
def event_attendance(request: HttpRequest, pk: int) -> HttpResponse:
    """After the event: tick who was there; the rest of those who accepted did not show."""
    event = _managed_event(request, pk)
    member = current_member(request)
    if request.method == "POST":
        try:
            changed = attendance.attendance_set(
                member=member, event=event, present=parse_ids(request.POST.getlist("present"))
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                _("Attendance saved (%(n)d changed). Those present now have the event in their contact history.")
                % {"n": changed},
            )  # fmt: skip
            return redirect("events:attendance", pk=event.pk)
    places = selectors.attendance_places(request.user, event)
    return render(
        request,
        "events/attendance.html",
        {"event": event, "places": places, "tab": "attendance", "can_manage": True,
         "started": event.starts_at <= timezone.now()},
    )  # fmt: skip
