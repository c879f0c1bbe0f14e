"""Privacy pages: a person's privacy file, access and erasure requests, the art. 14 list, the
retention review, the erasure register and the record of processing. Objects a member may not
see answer 404; pages their role may not use answer 403."""

from __future__ import annotations

import json

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gilde import permissions
from gilde.core.web import (
    apply_validation_error,
    current_member,
    get_or_404,
    member_required,
    paginate,
    parse_ids,
)
from gilde.privacy import selectors, services
from gilde.privacy.access import access_report
from gilde.privacy.erasure_requests import erasure_request, pending_erasure
from gilde.privacy.forms import EraseForm, InformForm, LawfulBasisForm, RetentionDecisionForm
from gilde.privacy.models import ErasureRecord, RetentionDecision
from gilde.privacy.processing import processing_record
from gilde.relations.models import Person
from gilde.relations.selectors import person_get


def _person(request: HttpRequest, pk: int) -> Person:
    person: Person = get_or_404(person_get, user=request.user, pk=pk)
    return person


def _officer(request: HttpRequest) -> None:
    permissions.require_privacy_officer(current_member(request))


@member_required
def privacy_overview(request: HttpRequest) -> HttpResponse:
    _officer(request)
    context = {
        "to_inform": selectors.persons_to_inform(user=request.user).count(),
        "erasures": ErasureRecord.objects.count(),
    }
    return render(request, "privacy/overview.html", context)


@member_required
def person_privacy(request: HttpRequest, pk: int) -> HttpResponse:
    """The privacy file of one person; network managers and the owner may change it."""
    member = current_member(request)
    person = _person(request, pk)
    if not (permissions.can_edit_privacy(member, person) or permissions.is_privacy_officer(member)):
        raise PermissionDenied
    file = services.privacy_file(person)
    initial = {
        "lawful_basis": file.lawful_basis,
        "balancing_note": file.balancing_note,
        "consent_given_on": file.consent_given_on,
        "consent_how": file.consent_how,
        "contract_reference": file.contract_reference,
    }
    form = LawfulBasisForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.lawful_basis_set(actor=member, person=person, **form.cleaned_data)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("Lawful basis saved."))
            return redirect("person_privacy", pk=person.pk)
    context = {
        "person": person,
        "file": file,
        "form": form,
        "inform_form": InformForm(),
        "indirect": selectors.is_indirect(person),
        "is_officer": permissions.is_privacy_officer(member),
        "pending_erasure": pending_erasure(person.pk),
    }
    return render(request, "privacy/person_privacy.html", context)


@member_required
@require_POST
def consent_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    person = _person(request, pk)
    try:
        services.consent_withdraw(actor=current_member(request), person=person)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Consent withdrawn."))
    return redirect("person_privacy", pk=person.pk)


@member_required
@require_POST
def person_informed(request: HttpRequest, pk: int) -> HttpResponse:
    person = _person(request, pk)
    permissions.require_edit_privacy(current_member(request), person)
    form = InformForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say how they were informed."))
    else:
        services.persons_mark_informed(
            actor=current_member(request), persons=[person], how=form.cleaned_data["how"]
        )
        messages.success(request, _("Marked as informed."))
    return redirect("person_privacy", pk=person.pk)


@member_required
def access_request(request: HttpRequest, pk: int) -> HttpResponse:
    """Everything about the person: `?format=json` downloads it, otherwise a printable page."""
    member = current_member(request)
    person = _person(request, pk)
    permissions.require_privacy_officer(member)
    as_json = request.GET.get("format") == "json"
    report = access_report(actor=member, person=person, audit_format="json" if as_json else "html")
    if as_json:
        response = HttpResponse(
            json.dumps(report, ensure_ascii=False, indent=2),
            content_type="application/json; charset=utf-8",
        )
        stamp = timezone.localdate().isoformat()
        response["Content-Disposition"] = f'attachment; filename="access-{person.pk}-{stamp}.json"'
        response["Cache-Control"] = "no-store"
        return response
    response = render(request, "privacy/access_report.html", {"report": report, "person": person})
    response["Cache-Control"] = "no-store"
    return response


@member_required
def erase(request: HttpRequest, pk: int) -> HttpResponse:
    """Confirm, then queue the anonymisation of the person (network managers only); the job
    erases in one transaction and the privacy file and the erasure register show its state."""
    member = current_member(request)
    person = _person(request, pk)
    permissions.require_privacy_officer(member)
    form = EraseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            erasure_request(actor=member, person=person)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                _(
                    "The erasure has been queued; it takes a few seconds. "
                    "The erasure register shows when it is done."
                ),
            )
        return redirect("person_privacy", pk=person.pk)
    context = {"person": person, "form": form, "pending_erasure": pending_erasure(person.pk)}
    return render(request, "privacy/erase_confirm.html", context)


@member_required
def to_inform_list(request: HttpRequest) -> HttpResponse:
    """Persons whose data did not come from themselves and who were not told yet (art. 14)."""
    _officer(request)
    member = current_member(request)
    form = InformForm(request.POST or None)
    if request.method == "POST":
        ids = parse_ids(request.POST.getlist("person"))
        if not ids:
            messages.error(request, _("Tick the relations you informed."))
        elif form.is_valid():
            chosen = selectors.persons_to_inform(user=request.user).filter(pk__in=ids)
            count = services.persons_mark_informed(
                actor=member, persons=list(chosen), how=form.cleaned_data["how"]
            )
            messages.success(request, _("%(n)s relations marked as informed.") % {"n": count})
            return redirect("privacy_to_inform")
    page = paginate(request, selectors.persons_to_inform(user=request.user), 100)
    return render(request, "privacy/to_inform.html", {"page": page, "form": form})


@member_required
def retention_list(request: HttpRequest) -> HttpResponse:
    """Relations proposed for erasure, each with keep / review later / erase."""
    _officer(request)
    page = paginate(request, selectors.retention_candidates(user=request.user), 50)
    last = selectors.last_contacts([p.pk for p in page.object_list])
    rows = [(person, last.get(person.pk)) for person in page.object_list]
    context = {
        "page": page,
        "rows": rows,
        "form": RetentionDecisionForm(),
        "cutoff": selectors.retention_cutoff(),
    }
    return render(request, "privacy/retention.html", context)


@member_required
@require_POST
def retention_decide(request: HttpRequest, pk: int) -> HttpResponse:
    member = current_member(request)
    person = _person(request, pk)
    permissions.require_privacy_officer(member)
    form = RetentionDecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose keep, review later or erase."))
        return redirect("privacy_retention")
    try:
        services.retention_decide(actor=member, person=person, **form.cleaned_data)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        if form.cleaned_data["decision"] == RetentionDecision.ERASE:
            messages.success(
                request,
                _(
                    "The erasure has been queued; it takes a few seconds. "
                    "The erasure register shows when it is done."
                ),
            )
        else:
            messages.success(request, _("Decision recorded."))
    return redirect("privacy_retention")


@member_required
def erasure_register(request: HttpRequest) -> HttpResponse:
    _officer(request)
    page = paginate(request, selectors.erasure_register(user=request.user), 50)
    requests = selectors.erasure_requests(user=request.user)[:50]
    return render(request, "privacy/erasures.html", {"page": page, "requests": requests})


@member_required
def processing(request: HttpRequest) -> HttpResponse:
    """The record of processing activities (art. 30), from the configuration in force."""
    _officer(request)
    return render(request, "privacy/processing.html", {"record": processing_record()})
