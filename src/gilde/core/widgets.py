"""Form widgets for long lists: a network has hundreds or thousands of colleagues, and Django's
template-per-option rendering of a choice widget costs a millisecond per option."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString


class ChecklistWidget(forms.CheckboxSelectMultiple):
    """Checkboxes in a scrollable box, rendered in one pass instead of a template per option."""

    def render(
        self,
        name: str,
        value: Any,
        attrs: dict[str, Any] | None = None,
        renderer: Any = None,
    ) -> SafeString:
        chosen = {str(v) for v in (value or [])}
        rows = format_html_join(
            "",
            '<label><input type="checkbox" name="{}" value="{}"{}> {}</label>',
            self._rows(name, chosen),
        )
        return format_html('<div class="checklist">{}</div>', rows)

    def _rows(self, name: str, chosen: set[str]) -> Iterable[tuple[str, str, SafeString, str]]:
        for option_value, label in self.choices:
            key = str(getattr(option_value, "value", option_value))
            if key == "":
                continue
            checked = SafeString(" checked") if key in chosen else SafeString("")
            yield name, key, checked, str(label)


def option_tags(choices: Iterable[tuple[Any, str]], selected: Any = None) -> SafeString:
    """`<option>` tags for a filter select of many colleagues, built in one pass (a template
    loop with a comparison per option costs tens of milliseconds at 1,000 colleagues)."""
    return format_html_join(
        "",
        '<option value="{}"{}>{}</option>',
        (
            (value, SafeString(" selected") if value == selected else SafeString(""), label)
            for value, label in choices
        ),
    )


class AutocompleteSelect(forms.Widget):
    """Choose one row out of many by typing: a search box asks `url` (with htmx) for matches
    through the visibility scope, and the form posts the chosen id, which the field validates
    against its own (scoped) queryset. No <select> of ten thousand options is ever rendered."""

    def __init__(self, url_name: str, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs)
        self.url_name = url_name
        self.choices: Any = None

    def chosen(self, value: Any) -> Any:
        queryset = getattr(self.choices, "queryset", None)
        if queryset is None or value in (None, ""):
            return None
        try:
            return queryset.filter(pk=int(value)).first()
        except (TypeError, ValueError):
            return None

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None
    ) -> SafeString:
        from django.template.loader import render_to_string
        from django.urls import reverse

        chosen = self.chosen(value)
        return render_to_string(
            "core/_autocomplete.html",
            {
                "name": name,
                "chosen": chosen,
                "url": reverse(self.url_name),
                "id": (attrs or {}).get("id") or f"id_{name}",
            },
        )

    def value_from_datadict(self, data: Any, files: Any, name: str) -> Any:
        return data.get(name)
