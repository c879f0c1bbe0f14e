"""Network pages: reach (of the organisation, a department or a colleague) with concentration
risk and brokers, what leaves with a colleague, and the warm-introduction panel of person and
organisation pages with its "ask for an introduction" button. Thin: parse, select, render."""

from __future__ import annotations

import json
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gilde.core.web import current_member, get_or_404, member_required
from gilde.permissions import can_create
from gilde.relations.models import Sector, StakeholderType, Tier

from . import conflicts, diversity, groups, introductions, maps, selectors
from .mapview import MapFilters


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
            "asked": introductions.introductions_asked(request.user, **target),
            "employees": selectors.employees(request.user, target.get("organisation")),
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
    else:
        context["asked"] = introductions.introductions_asked(request.user, **target)
        context["employees"] = selectors.employees(request.user, target.get("organisation"))
        context["oob"] = True
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


def _ints(request: HttpRequest, name: str) -> frozenset[int]:
    return frozenset(n for v in request.GET.getlist(name) if (n := _int(v)) is not None)


def _map_request(request: HttpRequest) -> maps.MapRequest:
    """What the map's filters ask for; a wrong or hidden id is a 404, nonsense is ignored."""
    user = request.user
    get = request.GET
    strength = _int(get.get("strength")) or 0
    filters = MapFilters(
        tiers=frozenset(get.getlist("tier")) & set(Tier.objects.values_list("code", flat=True)),
        types=_ints(request, "type"),
        sectors=frozenset(s for s in get.getlist("sector") if s in dict(Sector.choices)),
        min_strength=min(strength, 100) / 100,
    )
    chosen: dict[str, Any] = {}
    if pk := _int(get.get("person")):
        chosen["person"] = get_or_404(selectors.person_for, user=user, pk=pk)
    elif pk := _int(get.get("organisation")):
        chosen["organisation"] = get_or_404(selectors.organisation_for, user=user, pk=pk)
    elif pk := _int(get.get("to")):
        chosen["paths_to"] = get_or_404(selectors.person_for, user=user, pk=pk)
    elif (number := _int(get.get("community"))) is not None:
        chosen["community"] = number
    elif pk := _int(get.get("member")):
        chosen["member"] = get_or_404(selectors.member_for, user=user, pk=pk)
    else:
        chosen["member"] = current_member(request)
    return maps.MapRequest(
        **chosen,
        radius=2 if get.get("radius") == "2" else 1,
        filters=filters,
        colour="community" if get.get("colour") == "community" else "type",
    )


@member_required
def map_page(request: HttpRequest) -> HttpResponse:
    current_member(request)
    asked = _map_request(request)
    drawn = maps.map_data(request.user, asked)
    return render(
        request,
        "network/map.html",
        {
            "asked": asked,
            "map": drawn,
            "map_json": json.dumps(drawn, ensure_ascii=False),
            "colleagues": selectors.colleagues(request.user),
            "tiers": Tier.objects.all(),
            "types": StakeholderType.objects.all(),
            "sectors": Sector.choices,
            "query": request.GET.urlencode(),
        },
    )


@member_required
def graph_export(request: HttpRequest) -> HttpResponse:
    current_member(request)
    file_format = request.GET.get("format", "graphml")
    if file_format not in maps.EXPORT_FORMATS:
        return HttpResponse(
            _("Choose the format graphml or gexf."), status=400, content_type="text/plain"
        )
    body = maps.graph_export(request.user, file_format=file_format)
    response = HttpResponse(body, content_type="application/xml; charset=utf-8")
    name = f"gilde-network-{timezone.localdate().isoformat()}.{file_format}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@member_required
@require_POST
def introduction_made(request: HttpRequest, pk: int) -> HttpResponse:
    actor = current_member(request)
    ask = get_or_404(introductions.ask_for, user=request.user, pk=pk)
    person_id = _int(request.POST.get("person"))
    person = (
        get_or_404(selectors.person_for, user=request.user, pk=person_id) if person_id else None
    )
    context: dict[str, Any] = {"ask": ask}
    try:
        introductions.introduction_made(actor=actor, ask=ask, person=person)
    except (ValidationError, PermissionDenied) as exc:
        context["error"] = " ".join(getattr(exc, "messages", [str(exc)]))
    ask.refresh_from_db()
    context["employees"] = selectors.employees(request.user, ask.organisation)
    return render(
        request, "network/_ask_row.html", context, status=422 if "error" in context else 200
    )
