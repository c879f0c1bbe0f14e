"""Template pieces of maintenance that other apps' pages include: a relation's status and tie
strengths on the person page, and "to contact this week" on the dashboard."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import template
from django.utils import timezone

from gilde import visibility
from gilde.core import datestyle
from gilde.maintenance import explain, selectors
from gilde.maintenance.models import SuggestionReason, TierSuggestion
from gilde.maintenance.rhythm import CareStatus, Status

register = template.Library()


@register.filter
def status_label(status: Status | str) -> str:
    return explain.status_label(status)


def _fact_day(value: Any) -> str:
    """A day stored in a suggestion's facts (ISO text) in the date style; '?' when absent."""
    try:
        return datestyle.day_text(dt.date.fromisoformat(str(value)[:10]))
    except ValueError:
        return "?"


def _is_up(suggestion: TierSuggestion) -> bool:
    """A move to a more important tier (A comes first)."""
    if suggestion.from_tier is None:
        return True
    return (suggestion.to_tier.order, suggestion.to_tier.code) < (
        suggestion.from_tier.order,
        suggestion.from_tier.code,
    )


@register.filter
def status_detail(status: CareStatus) -> str:
    """'due for 12 days', '40 days past the maximum interval': what the status label means."""
    return explain.status_detail(status, timezone.localdate())


@register.filter
def suggestion_reason(suggestion: TierSuggestion) -> str:
    """The reason with its figures, in the reader's language."""
    from django.utils.translation import gettext as _

    facts = suggestion.facts or {}
    if suggestion.reason == SuggestionReason.FAVOURS_AND_CONTACT:
        return _("%(f)d favours and %(c)d contact moments in the last year") % {
            "f": facts.get("favours", 0),
            "c": facts.get("contacts", 0),
        }
    if suggestion.reason == SuggestionReason.NO_CONTACT_TWO_YEARS:
        return _("no contact since %(d)s") % {"d": _fact_day(facts.get("last_contact"))}
    if suggestion.reason == SuggestionReason.RANKING:
        from gilde.strategy.explain import ranking_reasons

        return ranking_reasons(facts, up=_is_up(suggestion))
    if suggestion.reason == SuggestionReason.KEEPS_IN_TOUCH:
        return _("%(c)d contact moments in the last six months without reminders") % {
            "c": facts.get("contacts", 0)
        }
    return str(suggestion.get_reason_display())


@register.inclusion_tag("maintenance/_person_panel.html", takes_context=True)
def person_care_panel(context: Any, person: Any, ties: Any = None) -> dict[str, Any]:
    """The care panel; `ties` are the person's ties the page already read, if it did."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if visibility.member_of(user) is None:
        return {"care": None}
    care = selectors.person_care(user=user, person=person, ties=ties)
    return {"care": care, "request": request}


@register.inclusion_tag("maintenance/_dashboard_due.html", takes_context=True)
def due_this_week(context: Any, limit: int = 8) -> dict[str, Any]:
    request = context.get("request")
    member = visibility.member_of(getattr(request, "user", None))
    if member is None:
        return {"items": [], "total": 0}
    items = selectors.due_for_member(user=request.user, member=member)
    return {"items": items[:limit], "total": len(items), "request": request}
