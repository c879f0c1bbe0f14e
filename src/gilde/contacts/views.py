"""Pages for contact moments: the quick log, detail, edit, and ticking off follow-ups."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gilde import visibility
from gilde.contacts import charts, selectors, services
from gilde.contacts.forms import (
    ContactMomentForm,
    ParticipantForm,
    QuickLogForm,
    SignalFilterForm,
)
from gilde.core.web import (
    apply_validation_error,
    current_member,
    feed_page,
    get_or_404,
    member_required,
    paginate,
    query_without_page,
    safe_next,
)
from gilde.permissions import can_edit
from gilde.relations.models import Sector, StakeholderType
from gilde.relations.selectors import person_get


@member_required
@require_POST
def quick_log(request: HttpRequest, pk: int) -> HttpResponse:
    """Log a contact moment with one person in seconds; with htmx only the timeline is redrawn."""
    member = current_member(request)
    person = get_or_404(person_get, user=request.user, pk=pk)
    form = QuickLogForm(request.POST)
    if form.log(actor=member, person=person):
        if not request.htmx:  # type: ignore[attr-defined]
            messages.success(request, _("Contact moment logged."))
            return redirect("person_detail", pk=person.pk)
        form = QuickLogForm()
    context = {
        "person": person,
        "quick_log": form,
        "timeline": paginate(
            request, selectors.person_timeline(user=request.user, person=person), 20
        ),
        "logged": not form.is_bound,
        "follow_ups": selectors.person_follow_ups(user=request.user, person=person),
    }
    if request.htmx:  # type: ignore[attr-defined]
        return render(request, "contacts/_quick_log_and_timeline.html", context)
    return render(request, "contacts/quick_log_page.html", context, status=422)


@member_required
def contact_moment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    moment = get_or_404(selectors.contact_moment_get, user=request.user, pk=pk)
    return render(
        request,
        "contacts/contact_moment_detail.html",
        {
            "moment": moment,
            "can_edit": can_edit(current_member(request), moment),
            "follow_ups": visibility.follow_ups(request.user)
            .filter(contact_moment=moment)
            .select_related("owner__user", "person"),
            "participant_form": ParticipantForm(persons=visibility.persons(request.user)),
        },
    )


def _editable_moment(request: HttpRequest, pk: int) -> Any:
    moment = get_or_404(selectors.contact_moment_get, user=request.user, pk=pk)
    if not can_edit(current_member(request), moment):
        raise PermissionDenied
    return moment


@member_required
def contact_moment_edit(request: HttpRequest, pk: int) -> HttpResponse:
    member = current_member(request)
    moment = _editable_moment(request, pk)
    form = ContactMomentForm(request.POST or None, instance=moment)
    form.fields["members"].queryset = visibility.members(request.user).select_related("user")  # type: ignore[attr-defined]
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            services.contact_moment_update(
                actor=member, moment=moment, members=data.pop("members"), **data
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            return redirect("contact_moment_detail", pk=moment.pk)
    return render(
        request,
        "core/simple_form.html",
        {"form": form, "title": _("Edit contact moment"), "back": moment},
    )


def _participants_change(request: HttpRequest, moment: Any, persons: list[Any]) -> None:
    try:
        services.contact_moment_update(
            actor=current_member(request), moment=moment, persons=persons
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)


@member_required
@require_POST
def participant_add(request: HttpRequest, pk: int) -> HttpResponse:
    """Add a relation who also took part (a meeting with several people from one client)."""
    moment = _editable_moment(request, pk)
    form = ParticipantForm(request.POST, persons=visibility.persons(request.user))
    if form.is_valid():
        chosen = form.cleaned_data["person"]
        _participants_change(request, moment, [*moment.persons.all(), chosen])
    else:
        messages.error(request, _("Choose a relation from the list."))
    return redirect("contact_moment_detail", pk=moment.pk)


@member_required
@require_POST
def participant_remove(request: HttpRequest, pk: int, person_pk: int) -> HttpResponse:
    """Take a relation off a contact moment; the last one stays (a moment is with someone)."""
    moment = _editable_moment(request, pk)
    remaining = [p for p in moment.persons.all() if p.pk != person_pk]
    _participants_change(request, moment, remaining)
    return redirect("contact_moment_detail", pk=moment.pk)


@member_required
@require_POST
def contact_moment_delete(request: HttpRequest, pk: int) -> HttpResponse:
    moment = get_or_404(selectors.contact_moment_get, user=request.user, pk=pk)
    person = moment.persons.first()
    services.contact_moment_delete(actor=current_member(request), moment=moment)
    messages.success(request, _("Contact moment deleted."))
    return redirect("person_detail", pk=person.pk) if person else redirect("dashboard")


@member_required
@require_POST
def follow_up_done(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_or_404(visibility.follow_ups(request.user).get, pk=pk)
    services.follow_up_complete(
        actor=current_member(request), follow_up=item, done=request.POST.get("done", "1") == "1"
    )
    return HttpResponseRedirect(safe_next(request, request.POST.get("next", ""), "dashboard"))


@member_required
def signal_list(request: HttpRequest) -> HttpResponse:
    """What our network is telling us: every signal from contact moments, newest first."""
    form = SignalFilterForm(request.GET)
    valid = form.is_valid()
    data = form.cleaned_data  # the valid part: a mistyped date is left out, not refused
    filters = selectors.SignalFilters(
        q=data.get("q", ""),
        sector=data.get("sector", ""),
        stakeholder_type=data.get("type", ""),
        tag=data.get("tag", ""),
        since=data.get("since"),
        until=data.get("until"),
    )
    page = feed_page(request, selectors.signal_list(user=request.user, filters=filters))
    context = {
        "page": page,
        "filters": filters,
        "query": query_without_page(request),
        "sectors": Sector.choices,
        "stakeholder_types": StakeholderType.objects.all(),
        "tags": visibility.tags(request.user),
        "bad_input": not valid,
    }
    if not request.htmx:  # type: ignore[attr-defined]
        context["chart"] = charts.signals_chart(user=request.user)
    template = "contacts/_signal_rows.html" if request.htmx else "contacts/signal_list.html"  # type: ignore[attr-defined]
    return render(request, template, context)
