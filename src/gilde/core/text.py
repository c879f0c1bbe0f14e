"""Text as people type it, and nothing else: what every model with free text checks in
full_clean(), so the forms, the API and the services refuse the same input with the same reason.

A single-line field (a name, a title, a tag) takes no control characters at all: a line break
or a NUL in a name breaks exports, vCards and e-mail headers, and a tab hides in a list. A
multi-line field (a note, what was discussed) takes line breaks and tabs, no other control
characters, and at most GILDE_TEXT_MAX_CHARS characters: a note is not a place for a 9 MB file."""

from __future__ import annotations

import re
from collections.abc import Collection

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
_CONTROL_EXCEPT_LINES = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def text_problem(field: models.Field, value: str) -> str | None:
    """Why this value cannot be stored in this field, or None."""
    if isinstance(field, models.TextField):
        if _CONTROL_EXCEPT_LINES.search(value):
            return str(_("This text contains control characters; remove them."))
        limit = settings.GILDE_TEXT_MAX_CHARS
        if len(value) > limit:
            return str(
                _("This text is %(length)d characters long; at most %(limit)d are kept.")
                % {"length": len(value), "limit": limit}
            )
    elif isinstance(field, models.CharField) and _CONTROL.search(value):
        return str(_("This field is one line: remove line breaks, tabs and control characters."))
    return None


class CleanTextMixin:
    """Mixed into a model: clean_fields() also checks every text field (see the module)."""

    def clean_fields(self, exclude: Collection[str] | None = None) -> None:
        problems: dict[str, list[str]] = {}
        for field in self._meta.concrete_fields:  # type: ignore[attr-defined]
            if not field.editable or (exclude and field.name in exclude):
                continue
            value = getattr(self, field.attname)
            if isinstance(value, str) and (problem := text_problem(field, value)):
                problems[field.name] = [problem]
        try:
            super().clean_fields(exclude=exclude)  # type: ignore[misc]
        except ValidationError as error:
            for name, messages in error.message_dict.items():
                problems.setdefault(name, []).extend(messages)
        if problems:
            raise ValidationError(problems)


def split_values(text: str) -> list[str]:
    """Values typed one per line or separated by commas or semicolons."""
    return [part.strip() for part in re.split(r"[\n,;]+", text or "") if part.strip()]
