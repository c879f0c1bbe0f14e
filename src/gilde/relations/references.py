"""What hangs off a person or an organisation: every table of every app with a foreign key to
it. Merging two persons moves these rows; undoing an import checks them for what others added."""

from __future__ import annotations

from django.db import models

# Tables other apps derive from the data and rebuild at will ("gilde recompute").
DERIVED = frozenset({"maintenance.tiestrength", "maintenance.tiersuggestion"})


def references_to(
    model: type[models.Model], *, ignore: tuple[type[models.Model], ...] = ()
) -> list[tuple[type[models.Model], str]]:
    """(model, field name) of every foreign key to model, including many-to-many tables."""
    found = []
    for rel in model._meta.get_fields(include_hidden=True):
        if (rel.one_to_many or rel.one_to_one) and rel.auto_created and not rel.concrete:
            related = rel.related_model
            if related is not None and not issubclass(related, ignore):
                found.append((related, rel.field.name))  # type: ignore[union-attr]
    return found
