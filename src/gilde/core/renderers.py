"""The form renderer: Django's Jinja2 widget templates for speed, and Django templates for the
widgets that exist only there (the admin's: related-object links, date pickers, file fields)."""

from __future__ import annotations

from typing import Any

from django.forms.renderers import DjangoTemplates, Jinja2
from django.template import TemplateDoesNotExist
from django.utils.functional import cached_property


class GildeFormRenderer(Jinja2):
    """Jinja2 first; a template Jinja2 does not have is looked up once among Django's templates
    and remembered, so the admin's widgets render and the app's forms keep their speed."""

    def __init__(self) -> None:
        self._django_only: set[str] = set()

    @cached_property
    def django_templates(self) -> DjangoTemplates:
        return DjangoTemplates()

    def get_template(self, template_name: str) -> Any:
        if template_name not in self._django_only:
            try:
                return super().get_template(template_name)
            except TemplateDoesNotExist:
                self._django_only.add(template_name)
        return self.django_templates.get_template(template_name)
