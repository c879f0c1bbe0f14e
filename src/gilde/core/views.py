"""The dashboard, the health check and the page shown when something went wrong."""

from __future__ import annotations

import logging

from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.views.decorators.cache import never_cache

from gilde.contacts import charts as contact_charts
from gilde.contacts import selectors as contact_selectors
from gilde.core.selectors import dashboard_counts, first_steps
from gilde.core.web import current_member, member_required


@member_required
def dashboard(request: HttpRequest) -> HttpResponse:
    member = current_member(request)
    counts = dashboard_counts(user=request.user)
    context = {
        "counts": counts,
        "first_steps": first_steps(user=request.user, member=member)
        if not counts["persons"]
        else [],
        "recent": contact_selectors.recent_contact_moments(user=request.user)[:10],
        "my_recent": contact_selectors.recent_contact_moments(
            user=request.user, member_id=member.pk
        )[:5],
        "my_follow_ups": contact_selectors.open_follow_ups(user=request.user, owner_id=member.pk)[
            :10
        ],
        "chart": contact_charts.dashboard_chart(user=request.user, member_id=member.pk),
    }
    return render(request, "core/dashboard.html", context)


@never_cache
def health(request: HttpRequest) -> JsonResponse:
    """For load balancers: answers 200 when the database answers."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


def server_error(request: HttpRequest) -> HttpResponse:
    """The 500 page with the menu, in the user's language. Django's own renders without the
    request (no menu, no member); when even that rendering fails (the database is down), a
    page that needs nothing but the template engine."""
    try:
        body = loader.render_to_string("500.html", request=request)
    except Exception:  # noqa: BLE001 - whatever broke the request may break the menu too
        logging.getLogger(__name__).warning("500 page rendered without the menu", exc_info=True)
        body = loader.render_to_string("500_plain.html")
    return HttpResponse(body, status=500)
