"""The events panels that person and colleague pages include."""

from __future__ import annotations

from typing import Any

from django import template

from gilde.events import selectors

register = template.Library()


@register.inclusion_tag("events/_person_events.html", takes_context=True)
def person_events(context: template.Context, person: Any) -> dict[str, Any]:
    return {"places": selectors.person_events(context["request"].user, person.pk)}


@register.inclusion_tag("events/_member_events.html", takes_context=True)
def member_events(context: template.Context, member: Any) -> dict[str, Any]:
    return {"events": selectors.member_events(context["request"].user, member.pk)}
