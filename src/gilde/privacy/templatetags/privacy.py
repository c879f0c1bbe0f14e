"""`{% privacy_panel person %}`: provenance, lawful basis and informing on the person's page."""

from __future__ import annotations

from typing import Any

from django import template

from gilde.permissions import can_edit_privacy, is_privacy_officer
from gilde.privacy.selectors import is_indirect
from gilde.privacy.services import privacy_file
from gilde.relations.models import Person

register = template.Library()


@register.inclusion_tag("privacy/_person_panel.html", takes_context=True)
def privacy_panel(context: template.Context, person: Person) -> dict[str, Any]:
    member = context.get("current_member")
    return {
        "person": person,
        "file": privacy_file(person),
        "batch": person.import_batch,
        "indirect": is_indirect(person),
        "can_edit_privacy": can_edit_privacy(member, person),
        "is_officer": is_privacy_officer(member),
    }
