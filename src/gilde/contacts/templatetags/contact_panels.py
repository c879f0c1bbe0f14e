"""The contacts app's panels on other apps' pages (a person's or an organisation's page): the
timeline, the open follow-ups and the quick log. The page's app includes the template and this
tag fills it, so no other app imports contacts' forms or selectors to draw them."""

from __future__ import annotations

from typing import Any

from django import template
from django.core.paginator import Page

from gilde.contacts import selectors
from gilde.contacts.forms import QuickLogForm
from gilde.core.web import paginate

register = template.Library()

TIMELINE_PAGE = 20


@register.simple_tag(takes_context=True)
def person_timeline(context: template.Context, person: Any) -> Page:
    request = context["request"]
    moments = selectors.person_timeline(user=request.user, person=person)
    return paginate(request, moments, TIMELINE_PAGE)


@register.simple_tag(takes_context=True)
def organisation_timeline(context: template.Context, organisation: Any) -> Page:
    request = context["request"]
    moments = selectors.organisation_timeline(user=request.user, organisation=organisation)
    return paginate(request, moments, TIMELINE_PAGE)


@register.simple_tag(takes_context=True)
def person_follow_ups(context: template.Context, person: Any) -> Any:
    return selectors.person_follow_ups(user=context["request"].user, person=person)


@register.simple_tag
def quick_log_form() -> QuickLogForm:
    """An empty quick log; a page that answers a failed log passes its bound form instead."""
    return QuickLogForm()
