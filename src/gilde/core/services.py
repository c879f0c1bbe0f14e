"""Pieces every app's services share."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


def fields_assign(obj: Any, fields: dict[str, Any], allowed: frozenset[str]) -> None:
    """Set the given fields on obj, refusing any field a caller may not set directly."""
    unknown = set(fields) - allowed
    if unknown:
        raise ValidationError(
            _("Unknown fields: %(fields)s") % {"fields": ", ".join(sorted(unknown))}
        )
    for name, value in fields.items():
        setattr(obj, name, value)
