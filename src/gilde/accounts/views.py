"""Pages for colleagues (members and their networks) and for one's own API tokens."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils import translation
from django.views.decorators.http import require_POST

from gilde import visibility
from gilde.accounts import selectors, services
from gilde.accounts.models import ApiToken
from gilde.contacts import charts as contact_charts
from gilde.contacts import selectors as contact_selectors
from gilde.core.web import current_member, get_or_404, member_required, paginate, safe_next
from gilde.maintenance.charts import tier_mix_chart
from gilde.relations import selectors as relation_selectors


@member_required
def member_list(request: HttpRequest) -> HttpResponse:
    page = paginate(request, selectors.member_ids_by_name(user=request.user), 50)
    page.object_list = selectors.members_with_tie_counts(user=request.user, ids=list(page))
    return render(request, "accounts/member_list.html", {"page": page})


@member_required
def member_detail(request: HttpRequest, pk: int) -> HttpResponse:
    member = get_or_404(visibility.members(request.user).select_related("user").get, pk=pk)
    summary = relation_selectors.member_network_summary(user=request.user, member_id=member.pk)
    context = {
        "member": member,
        "network": paginate(
            request, relation_selectors.member_network(user=request.user, member_id=member.pk), 50
        ),
        "summary": summary,
        "recent": contact_selectors.recent_contact_moments(user=request.user, member_id=member.pk)[
            :10
        ],
        "follow_ups": contact_selectors.open_follow_ups(user=request.user, owner_id=member.pk)[:20],
    }
    context["contacts_chart"] = contact_charts.member_chart(user=request.user, member_id=member.pk)
    context["tier_chart"] = tier_mix_chart(key="member-tier-mix", counts=summary["by_tier"])
    return render(request, "accounts/member_detail.html", context)


@member_required
def token_list(request: HttpRequest) -> HttpResponse:
    member = current_member(request)
    new_token = None
    if request.method == "POST":
        _token, new_token = services.api_token_create(
            member=member, name=request.POST.get("name", "")[:100]
        )
    tokens = ApiToken.objects.filter(member=member)
    return render(request, "accounts/token_list.html", {"tokens": tokens, "new_token": new_token})


@member_required
@require_POST
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    member = current_member(request)
    token = get_or_404(ApiToken.objects.filter(member=member).get, pk=pk)
    services.api_token_revoke(member=member, token=token)
    return redirect("token_list")


@require_POST
def language_set(request: HttpRequest) -> HttpResponse:
    """Switch the interface language and remember it for the member (digests use it too)."""
    from django.conf import settings

    language = request.POST.get("language", "")
    response = HttpResponseRedirect(safe_next(request, request.POST.get("next", ""), "/"))
    if language in dict(settings.LANGUAGES):
        member = visibility.member_of(request.user)
        if member is not None:
            services.member_set_language(member=member, language=language)
        translation.activate(language)
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME, language, samesite="Lax", max_age=365 * 86400
        )
    return response
