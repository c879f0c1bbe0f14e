"""The contact strip on a relation's page: `{% include "contacts/_contact_strip.html" %}`."""

from __future__ import annotations

from typing import Any

from django import template

from gilde import visibility
from gilde.contacts.charts import person_strip
from gilde.relations.models import Person

register = template.Library()


@register.inclusion_tag("core/_chart.html", takes_context=True)
def contact_strip(context: Any, person: Person) -> dict[str, Any]:
    request = context.get("request")
    user = getattr(request, "user", None)
    if visibility.member_of(user) is None:
        return {"chart": None}
    return {"chart": person_strip(user=user, person=person), "label_heading": ""}
