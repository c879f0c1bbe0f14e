"""The themes panel that person and organisation pages include, and small helpers of the
strategy pages."""

from __future__ import annotations

from typing import Any

from django import template

from gilde import visibility
from gilde.relations.models import Organisation, Person

register = template.Library()


@register.inclusion_tag("strategy/_panel.html", takes_context=True)
def themes_panel(context: template.Context, subject: Person | Organisation) -> dict[str, Any]:
    """The themes a relation is linked to, in which role, and the form to link it."""
    from gilde.strategy.views import panel_context

    user = context["request"].user
    panel = panel_context(user=user, member=visibility.member_of(user), subject=subject)
    return {**panel, "request": context["request"], "csrf_token": context.get("csrf_token")}


@register.filter
def get_item(mapping: dict[Any, Any] | None, key: Any) -> Any:
    return (mapping or {}).get(key)


@register.inclusion_tag("strategy/_theme_filter.html", takes_context=True)
def theme_filter(context: template.Context, selected: Any = None) -> dict[str, Any]:
    """The theme select of the relations list and its export."""
    from gilde.strategy.selectors import themes

    return {"themes": themes(), "selected": str(selected or "")}


@register.inclusion_tag("strategy/_tier_mix.html", takes_context=True)
def tier_mix_per_colleague(context: template.Context) -> dict[str, Any]:
    """The tier review's chart of each colleague's tier mix against the guideline."""
    from gilde.strategy.charts import tier_mix_per_colleague_chart
    from gilde.strategy.selectors import tier_mix_per_colleague as mixes

    found = mixes(user=context["request"].user)
    return {"chart": tier_mix_per_colleague_chart(found) if found else None, "mixes": found}
