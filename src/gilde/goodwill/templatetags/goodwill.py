"""The goodwill panel that person and organisation pages include."""

from __future__ import annotations

from typing import Any

from django import template

from gilde import visibility
from gilde.relations.models import Organisation, Person

register = template.Library()


@register.inclusion_tag("goodwill/_panel.html", takes_context=True)
def goodwill_panel(context: template.Context, subject: Person | Organisation) -> dict[str, Any]:
    """Balance, recent favours and the form to record one, for the acting user."""
    from gilde.goodwill.views import panel_context

    user = context["request"].user
    panel = panel_context(user=user, member=visibility.member_of(user), subject=subject)
    return {**panel, "request": context["request"], "csrf_token": context.get("csrf_token")}
