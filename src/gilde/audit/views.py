"""The audit trail page: search by actor, action, target and period."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from gilde import visibility
from gilde.audit.models import AuditAction
from gilde.audit.readable import AuditReader
from gilde.audit.selectors import TARGET_TYPES, AuditFilters, audit_entries, require_audit_reader
from gilde.core.dates import in_range
from gilde.core.web import current_member, int_param, member_required, paginate, query_without_page


def _date_param(request: HttpRequest, name: str) -> dt.date | None:
    try:
        day = dt.date.fromisoformat(request.GET.get(name, ""))
    except ValueError:
        return None
    return day if in_range(day) else None


def audit_filters_from(request: HttpRequest) -> AuditFilters:
    """The search form's values; anything malformed is simply not a filter."""
    action = request.GET.get("action", "")
    return AuditFilters(
        actor=int_param(request, "actor"),
        username=request.GET.get("username", "").strip()[:150],
        action=action if action in AuditAction.values else "",
        target_type=request.GET.get("target_type", "").strip()[:40],
        target_id=int_param(request, "target_id"),
        since=_date_param(request, "since"),
        until=_date_param(request, "until"),
    )


@member_required
def audit_list(request: HttpRequest) -> HttpResponse:
    require_audit_reader(current_member(request))
    filters = audit_filters_from(request)
    page = paginate(request, audit_entries(user=request.user, filters=filters), 50)
    reader = AuditReader(user=request.user, entries=page)
    page.object_list = list(page.object_list)
    for entry in page.object_list:
        entry.named = reader.target(entry)
        entry.sentence = reader.sentence(entry)
    context = {
        "page": page,
        "filters": filters,
        "query": query_without_page(request),
        "actions": AuditAction.choices,
        "target_types": TARGET_TYPES,
        "members": visibility.members(request.user)
        .order_by("user__first_name", "user__last_name")
        .values_list("pk", "user__first_name", "user__last_name", "user__username"),
    }
    return render(request, "audit/audit_list.html", context)
