"""The ranking's reasons in the reader's language, as the tier review shows them."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from gilde.strategy.ranking import WEIGHTS


def _labels() -> dict[str, str]:
    return {
        "theme": _("theme importance"),
        "strength": _("tie strength"),
        "trend": _("contact trend"),
        "contacts": _("contact history"),
        "goodwill": _("goodwill"),
        "signals": _("signals received"),
        "events": _("event attendance"),
    }


def ranking_reasons(facts: dict[str, Any], *, up: bool) -> str:
    """'score 64 of 100; weighs most: theme importance 25/25, tie strength 16/20…' for a move
    up, 'score 6 of 100; missing most: …' for a move down."""
    labels = _labels()
    parts = [
        f"{labels.get(name, name)} {round(points)}/{round(WEIGHTS.get(name, 0))}"
        for name, points in facts.get("reasons", [])
    ]
    lead = _("weighs most") if up else _("missing most")
    return _("score %(s)s of 100; %(lead)s: %(parts)s") % {
        "s": round(facts.get("score", 0)),
        "lead": lead,
        "parts": ", ".join(parts),
    }
