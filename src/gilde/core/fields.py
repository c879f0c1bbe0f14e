"""Form fields every form may use in place of Django's own."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from gilde.core.web import MAX_ID


class ModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Django's, except that an id beyond the database's integer range is an invalid choice like
    any unknown id, instead of an OverflowError from the database (SQLite) during validation."""

    def clean(self, value: Any) -> Any:
        for pk in value if isinstance(value, list | tuple) else ():
            text = str(pk).strip()
            if text.lstrip("-").isdigit() and abs(int(text)) > MAX_ID:
                raise ValidationError(
                    self.error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"value": text},
                )
        return super().clean(value)
