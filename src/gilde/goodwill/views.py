"""Pages for goodwill: the favours panel on relation pages and the "time to give
something back" list. Thin: parse, call, render."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gilde.accounts.models import Member
from gilde.core.web import (
    apply_validation_error,
    current_member,
    get_or_404,
    member_required,
    paginate,
    query_without_page,
)
from gilde.goodwill import charts, selectors, services
from gilde.goodwill.forms import FavourForm
from gilde.goodwill.models import Favour
from gilde.permissions import can_create, can_edit
from gilde.relations.models import Organisation, Person
from gilde.relations.selectors import organisation_get, person_get

PANEL_FAVOURS = 5


def panel_context(
    *,
    user: Any,
    member: Member | None,
    subject: Person | Organisation,
    form: FavourForm | None = None,
    recorded: bool = False,
) -> dict[str, Any]:
    """What the goodwill panel on a person or organisation page shows."""
    favours = list(selectors.favours_of(user=user, subject=subject)[:PANEL_FAVOURS])
    for favour in favours:
        favour.editable = can_edit(member, favour)  # type: ignore[attr-defined]
    is_person = isinstance(subject, Person)
    return {
        "subject": subject,
        "subject_kind": "person" if is_person else "organisation",
        "balance": selectors.balance_for(user=user, subject=subject),
        "favours": favours,
        "record_url": reverse(
            f"favour_record_{'person' if is_person else 'organisation'}", args=[subject.pk]
        ),
        "favour_form": form or FavourForm(),
        "can_record": can_create(member),
        "recorded": recorded,
        "current_member": member,
    }


def _subject(request: HttpRequest, kind: str, pk: int) -> Person | Organisation:
    if kind == "person":
        return get_or_404(person_get, user=request.user, pk=pk)
    return get_or_404(organisation_get, user=request.user, pk=pk)


@member_required
@require_POST
def favour_record(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    """Record a favour from the panel; with htmx only the panel is redrawn."""
    member = current_member(request)
    subject = _subject(request, kind, pk)
    form = FavourForm(request.POST)
    recorded = False
    if form.is_valid():
        data: dict[str, Any] = dict(form.cleaned_data)
        data["person" if isinstance(subject, Person) else "organisation"] = subject
        try:
            services.favour_record(actor=member, **data)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            recorded = True
            if not request.htmx:  # type: ignore[attr-defined]
                messages.success(request, _("Favour recorded."))
                return redirect(subject.get_absolute_url())
            form = FavourForm()
    context = panel_context(
        user=request.user, member=member, subject=subject, form=form, recorded=recorded
    )
    if request.htmx:  # type: ignore[attr-defined]
        return render(request, "goodwill/_panel.html", context)
    return render(request, "goodwill/favour_form.html", {**context, "form": form}, status=422)


@member_required
def favour_edit(request: HttpRequest, pk: int) -> HttpResponse:
    member = current_member(request)
    favour = get_or_404(selectors.favour_get, user=request.user, pk=pk)
    if not can_edit(member, favour):
        raise PermissionDenied
    form = FavourForm(request.POST or None, instance=favour)
    if request.method == "POST" and form.is_valid():
        try:
            services.favour_update(actor=member, favour=favour, **form.cleaned_data)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("Changes saved."))
            return redirect(_back(favour))
    return render(
        request,
        "goodwill/favour_form.html",
        {"form": form, "favour": favour, "subject": favour.person or favour.organisation},
    )


@member_required
@require_POST
def favour_delete(request: HttpRequest, pk: int) -> HttpResponse:
    favour = get_or_404(selectors.favour_get, user=request.user, pk=pk)
    services.favour_delete(actor=current_member(request), favour=favour)
    messages.success(request, _("Favour deleted."))
    return redirect(_back(favour))


def _back(favour: Favour) -> str:
    subject = favour.person or favour.organisation
    return subject.get_absolute_url() if subject else "/"


@member_required
def give_back(request: HttpRequest) -> HttpResponse:
    """Relations we have mostly taken from and rarely given to: time to give something back."""
    of = "organisations" if request.GET.get("of") == "organisations" else "persons"
    page = paginate(request, selectors.give_back_list(user=request.user, of=of))
    page.object_list = selectors.with_subjects(
        user=request.user, rows=list(page.object_list), of=of
    )
    return render(
        request,
        "goodwill/give_back.html",
        {
            "page": page,
            "of": of,
            "query": query_without_page(request),
            "chart": charts.favours_chart(user=request.user),
        },
    )
