"""The guest list page of an event: the list with its warnings, its balance and expected
turnout, suggestions with reasons to accept or dismiss, and relations found by filters. Every
change answers with the parts of the page it changed (htmx), so nothing needs a reload."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from gilde import visibility
from gilde.accounts.models import Member
from gilde.core.web import (
    apply_validation_error,
    current_member,
    get_or_404,
    member_required,
    parse_id,
)
from gilde.core.widgets import AutocompleteSelect
from gilde.events import guestlist, services, suggestions
from gilde.events.models import Event, Guest, GuestRole
from gilde.events.web import managed_event, visible_event
from gilde.permissions import can_manage_event
from gilde.relations.models import Person, Sector, StakeholderType, Tier

CANDIDATES_SHOWN = 50
# The row a change came from (a suggestion or a found relation), answered in its place.
ROW_ID = re.compile(r"(sugg|cand)-[0-9]{1,19}")


class CandidateForm(forms.Form):
    """The filters of "find relations"; every field may stay empty."""

    q = forms.CharField(label=gettext_lazy("Name or search words"), required=False)
    tier = forms.ChoiceField(label=gettext_lazy("Tier"), required=False)
    stakeholder_type = forms.ChoiceField(label=gettext_lazy("Stakeholder type"), required=False)
    sector = forms.ChoiceField(label=gettext_lazy("Sector"), required=False)
    tag = forms.ChoiceField(label=gettext_lazy("Tag"), required=False)
    theme = forms.ChoiceField(label=gettext_lazy("Strategic theme"), required=False)
    organisation = forms.CharField(label=gettext_lazy("Organisation"), required=False)
    known_by = forms.ChoiceField(label=gettext_lazy("Known by colleague"), required=False)
    care = forms.ChoiceField(
        label=gettext_lazy("Care status"),
        required=False,
        choices=[
            ("", "—"),
            (guestlist.CareFilter.OVERDUE, gettext_lazy("Overdue")),
            (guestlist.CareFilter.DUE, gettext_lazy("Due")),
            (guestlist.CareFilter.NEVER, gettext_lazy("Never contacted")),
            (guestlist.CareFilter.ON_TRACK, gettext_lazy("On track")),
        ],
    )
    last_invited = forms.ChoiceField(
        label=gettext_lazy("Last invited"),
        required=False,
        choices=[
            ("", "—"),
            ("never", gettext_lazy("Never invited")),
            ("6", gettext_lazy("Not in 6 months")),
            ("12", gettext_lazy("Not in 12 months")),
        ],
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        empty = [("", "—")]
        self._offer("tier", empty + [(t.code, str(t)) for t in Tier.objects.all()])
        self._offer(
            "stakeholder_type", empty + [(s.code, s.label) for s in StakeholderType.objects.all()]
        )
        self._offer("sector", empty + list(Sector.choices))
        tags = visibility.tags(user).values_list("name", flat=True)
        self._offer("tag", empty + [(name, name) for name in tags])
        # Relations linked to a theme of the network strategy (themselves or where they work).
        from gilde.strategy.selectors import themes

        self._offer("theme", empty + [(str(t.pk), t.name) for t in themes().order_by("name")])
        colleagues = visibility.members(user).select_related("user")
        self._offer(
            "known_by",
            empty
            + [
                (str(m.pk), m.name)
                for m in colleagues.order_by("user__first_name", "user__last_name")
            ],
        )

    def _offer(self, name: str, choices: list[tuple[str, Any]]) -> None:
        field = self.fields[name]
        assert isinstance(field, forms.ChoiceField)  # noqa: S101 - declared above
        field.choices = choices

    def filters(self) -> guestlist.CandidateFilters:
        data = self.cleaned_data
        return guestlist.CandidateFilters(
            q=data["q"],
            tier=data["tier"],
            stakeholder_type=data["stakeholder_type"],
            sector=data["sector"],
            tag=data["tag"],
            theme=parse_id(data["theme"] or ""),
            known_by=parse_id(data["known_by"] or ""),
            care=data["care"],
            last_invited=data["last_invited"],
            organisation_name=data["organisation"].strip(),
        )

    @property
    def used(self) -> bool:
        return self.is_valid() and any(self.cleaned_data.values())


def _posted_person(request: HttpRequest, name: str = "person") -> Person:
    pk = parse_id(request.POST.get(name, ""))
    if pk is None:
        raise Http404
    return get_or_404(visibility.persons(request.user).get, pk=pk)


def _panels(request: HttpRequest, event: Event) -> dict[str, Any]:
    """What the list, its warnings, balance and turnout show."""
    member = current_member(request)
    places = list(guestlist.guest_list(user=request.user, event=event))
    person_ids = [g.person_id for g in places if g.person_id is not None]
    prediction = guestlist.turnout_for(user=request.user, event=event)
    tired = guestlist.fatigue(event=event, person_ids=person_ids)
    chances = prediction.prediction.chances
    return {
        "event": event,
        "places": places,
        "rows": [
            (g, round(100 * chances.get(g.pk, 0.0)), tired.get(g.person_id or 0, ""))
            for g in places
        ],
        "conflicts": guestlist.conflicts(user=request.user, event=event),
        "balance": guestlist.balance(user=request.user, event=event),
        "turnout": prediction,
        "can_manage": can_manage_event(member, event),
        "colleagues": visibility.members(request.user)
        .select_related("user")
        .exclude(event_guests__event=event)
        .order_by("user__first_name", "user__last_name"),
        "hosts": [g.member for g in places if g.member is not None],
    }


@member_required
def guests(request: HttpRequest, pk: int) -> HttpResponse:
    event = visible_event(request, pk)
    form = CandidateForm(request.GET or None, user=request.user)
    context = _panels(request, event) | {"form": form, "tab": "guests"}
    return render(request, "events/guests.html", context)


@member_required
def guest_suggestions(request: HttpRequest, pk: int) -> HttpResponse:
    event = visible_event(request, pk)
    found = suggestions.suggestions_for(user=request.user, event=event)
    member = current_member(request)
    return render(
        request,
        "events/_guest_suggestions.html",
        {"event": event, "suggestions": found, "can_manage": can_manage_event(member, event)},
    )


@member_required
def guest_candidates(request: HttpRequest, pk: int) -> HttpResponse:
    event = visible_event(request, pk)
    form = CandidateForm(request.GET, user=request.user)
    found: list[Person] = []
    total = 0
    if form.is_valid():
        qs = guestlist.candidates(user=request.user, event=event, filters=form.filters())
        found = list(qs[:CANDIDATES_SHOWN])
        total = len(found) if len(found) < CANDIDATES_SHOWN else qs.count()
    member = current_member(request)
    return render(
        request,
        "events/_guest_candidates.html",
        {
            "event": event,
            "candidates": found,
            "total": total,
            "form": form,
            "can_manage": can_manage_event(member, event),
        },
    )


def _changed(
    request: HttpRequest, event: Event, row: str = "", message: str = "", status: int = 200
) -> HttpResponse:
    """The answer to a change: the row that was acted on (replaced by `row`, a short note) and
    every panel the change touched, swapped out of band."""
    if not request.htmx:  # type: ignore[attr-defined]
        return redirect("events:guests", pk=event.pk)
    row_id = request.POST.get("row", "")
    context = _panels(request, event) | {
        "oob": True,
        "row": row,
        "message": message,
        "row_id": row_id if ROW_ID.fullmatch(row_id) else "",
    }
    return render(request, "events/_guest_changed.html", context, status=status)


@member_required
@require_POST
def guest_add(request: HttpRequest, pk: int) -> HttpResponse:
    """Accept a suggestion, or add a relation found by the filters."""
    member, event = managed_event(request, pk)
    person = _posted_person(request)
    reason = request.POST.get("reason", "").strip() or _("Added by hand")
    try:
        guestlist.suggestion_accept(member=member, event=event, person=person, reason=reason)
    except ValidationError as error:
        return _changed(request, event, message=" ".join(error.messages), status=200)
    return _changed(request, event, row=_("%(name)s is on the list.") % {"name": person})


@member_required
@require_POST
def guest_dismiss(request: HttpRequest, pk: int) -> HttpResponse:
    member, event = managed_event(request, pk)
    person = _posted_person(request)
    guestlist.suggestion_dismiss(member=member, event=event, person=person)
    if not request.htmx:  # type: ignore[attr-defined]
        return redirect("events:guests", pk=event.pk)
    return HttpResponse("")


def _managed_place(request: HttpRequest, pk: int, guest_pk: int) -> tuple[Member, Guest]:
    """A place on the list, found through the user's scope before anything else (a hidden guest
    does not exist for them), then the right to change it."""
    event = visible_event(request, pk)
    guest = get_or_404(guestlist.guest_list(user=request.user, event=event).get, pk=guest_pk)
    member, _event_ = managed_event(request, pk)
    return member, guest


@member_required
@require_POST
def guest_remove(request: HttpRequest, pk: int, guest_pk: int) -> HttpResponse:
    member, guest = _managed_place(request, pk, guest_pk)
    services.guest_remove(member=member, guest=guest)
    return _changed(request, guest.event)


@member_required
@require_POST
def guest_host_add(request: HttpRequest, pk: int) -> HttpResponse:
    """Put a colleague on the list as host."""
    member, event = managed_event(request, pk)
    colleague_pk = parse_id(request.POST.get("member", ""))
    if colleague_pk is None:
        return _changed(request, event, message=_("Choose a colleague."))
    colleague = get_or_404(visibility.members(request.user).get, pk=colleague_pk)
    services.guest_add(member=member, event=event, colleague=colleague, role=GuestRole.HOST)
    return _changed(request, event)


@member_required
@require_POST
def guest_host_set(request: HttpRequest, pk: int, guest_pk: int) -> HttpResponse:
    """Give a relation on the list one of the event's host colleagues (or none)."""
    member, guest = _managed_place(request, pk, guest_pk)
    event = guest.event
    host_pk = parse_id(request.POST.get("host", ""))
    host = None
    if host_pk is not None:
        host = get_or_404(visibility.members(request.user).get, pk=host_pk)
    try:
        guestlist.guest_host_set(member=member, guest=guest, host=host)
    except ValidationError as error:
        return _changed(request, event, message=" ".join(error.messages))
    return _changed(request, event)


@member_required
@require_POST
def conflict_add(request: HttpRequest, pk: int) -> HttpResponse:
    """Record that two guests on the list have conflicting interests."""
    member, event = managed_event(request, pk)
    if not request.POST.get("person") or not request.POST.get("other"):
        return _changed(request, event, message=_("Choose two guests."))
    person, other = _posted_person(request), _posted_person(request, "other")
    reason = request.POST.get("reason", "").strip()
    try:
        guestlist.conflict_pair_record(member=member, person=person, other=other, reason=reason)
    except ValidationError as error:
        return _changed(request, event, message=" ".join(error.messages))
    return _changed(request, event)


class IntroductionRequestForm(forms.Form):
    person = forms.ModelChoiceField(
        label=gettext_lazy("Relation you would like to meet"),
        queryset=Person.objects.none(),
        widget=AutocompleteSelect("person_search"),
    )
    note = forms.CharField(label=gettext_lazy("Why"), max_length=300, required=False)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["person"]
        assert isinstance(field, forms.ModelChoiceField)  # noqa: S101 - declared above
        field.queryset = visibility.persons(user)


@member_required
def introductions(request: HttpRequest) -> HttpResponse:
    """Colleagues' wishes to meet relations: asked here, suggested on every coming guest list."""
    member = current_member(request)
    form = IntroductionRequestForm(request.POST or None, user=request.user)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                guestlist.introduction_request_record(
                    member=member,
                    person=form.cleaned_data["person"],
                    note=form.cleaned_data["note"],
                )
            except ValidationError as error:
                apply_validation_error(form, error)
            else:
                messages.success(request, _("Your request is on the guest lists' suggestions."))
                return redirect("events:introductions")
        status = 422
    return render(
        request,
        "events/guests_introductions.html",
        {
            "form": form,
            "requests": guestlist.introduction_requests(user=request.user),
            "member": member,
        },
        status=status,
    )


@member_required
@require_POST
def introduction_met(request: HttpRequest, pk: int) -> HttpResponse:
    member = current_member(request)
    # Only the colleague who asked (and network managers) close a request; to others it is not
    # theirs to find.
    mine = guestlist.introduction_requests(user=request.user)
    if not member.manages_network:
        mine = mine.filter(member=member)
    wish = get_or_404(mine.get, pk=pk)
    guestlist.introduction_request_met(member=member, request=wish)
    if request.htmx:  # type: ignore[attr-defined]
        return HttpResponse("")
    return redirect("events:introductions")
