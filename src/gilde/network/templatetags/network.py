"""The warm-introduction panel that person and organisation pages include; it loads its paths
after the page, so the page itself never waits for the graph."""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import reverse

register = template.Library()


@register.inclusion_tag("network/_warm_paths_panel.html")
def warm_paths(subject: Any) -> dict[str, Any]:
    kind = "organisation" if subject.__class__.__name__ == "Organisation" else "person"
    return {"url": reverse(f"network:{kind}_paths", args=[subject.pk]), "kind": kind}
