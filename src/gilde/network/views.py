"""Network pages: reach (of the organisation, a department or a colleague) with concentration
risk and brokers, what leaves with a colleague, and the warm-introduction panel of person and
organisation pages with its "ask for an introduction" button. Thin: parse, select, render."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_POST

from gilde.accounts.permissions import can_create
from gilde.core.web import current_member, get_or_404, member_required

from . import conflicts, diversity, groups, introductions, selectors


def _int(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() and len(value) < 12 else None


@member_required
def network_overview(request: HttpRequest) -> HttpResponse:
    current_member(request)
    member_id = _int(request.GET.get("member"))
    department = request.GET.get("department", "").strip()[:200] or None
    member = (
        get_or_404(selectors.member_for, user=request.user, pk=member_id) if member_id else None
    )
    if department and department not in selectors.departments(request.user):
        department = None
    reach = selectors.reach(request.user, member=member, department=None if member else department)
    context: dict[str, Any] = {
        "reach": reach,
        "member": member,
        "department": department,
        "departments": selectors.departments(request.user),
        "colleagues": selectors.colleagues(request.user),
        "risk": selectors.concentration(request.user, member=member, limit=25),
        "risk_counts": selectors.concentration_counts(request.user),
        "brokers": selectors.brokers(request.user, top=10),
        "loss": selectors.loss_without(request.user, member=member) if member else None,
    }
    return render(request, "network/overview.html", context)


def _target(request: HttpRequest, kind: str, pk: int) -> dict[str, Any]:
    if kind == "person":
        return {"person": get_or_404(selectors.person_for, user=request.user, pk=pk)}
    return {"organisation": get_or_404(selectors.organisation_for, user=request.user, pk=pk)}


@member_required
def warm_paths_panel(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    target = _target(request, kind, pk)
    return render(
        request,
        "network/_warm_paths.html",
        {
            "paths": introductions.warm_paths(request.user, **target),
            "kind": kind,
            "target": next(iter(target.values())),
            "can_ask": can_create(current_member(request)),
        },
    )


@member_required
@require_POST
def introduction_ask(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    actor = current_member(request)
    target = _target(request, kind, pk)
    number = _int(request.POST.get("path")) or 1
    context: dict[str, Any] = {"kind": kind, "target": next(iter(target.values()))}
    try:
        context["follow_up"] = introductions.introduction_ask(actor=actor, number=number, **target)
    except ValidationError as exc:
        context["error"] = " ".join(exc.messages)
    response = render(
        request,
        "network/_introduction_asked.html",
        context,
        status=200 if "follow_up" in context else 422,
    )
    return response


@member_required
def communities_page(request: HttpRequest) -> HttpResponse:
    current_member(request)
    return render(request, "network/communities.html", {"report": groups.communities(request.user)})


def _chosen(request: HttpRequest) -> tuple[Any, str | None]:
    """The colleague or department chosen in the filter (a wrong one: a 404 or ignored)."""
    member_id = _int(request.GET.get("member"))
    department = request.GET.get("department", "").strip()[:200] or None
    member = (
        get_or_404(selectors.member_for, user=request.user, pk=member_id) if member_id else None
    )
    if member is not None or department not in selectors.departments(request.user):
        department = None
    return member, department


@member_required
def variety_page(request: HttpRequest) -> HttpResponse:
    current_member(request)
    member, department = _chosen(request)
    report = diversity.variety(request.user, member=member, department=department)
    charts = [diversity.variety_chart(report, d) for d in report.dimensions]
    return render(
        request,
        "network/variety.html",
        {
            "report": report,
            "charts": charts,
            "member": member,
            "department": department,
            "departments": selectors.departments(request.user),
            "colleagues": selectors.colleagues(request.user),
        },
    )


@member_required
def conflicts_page(request: HttpRequest) -> HttpResponse:
    current_member(request)
    return render(
        request, "network/conflicts.html", {"report": conflicts.conflicts_report(request.user)}
    )


@member_required
def map_page(request: HttpRequest) -> HttpResponse:
    raise NotImplementedError
