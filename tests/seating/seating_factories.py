"""Small instances built in code, so each test shows the data it depends on."""

from __future__ import annotations

from typing import Any


def instance_data(
    guests: list[str] | list[dict[str, Any]],
    tables: dict[str, int],
    pairs: dict[tuple[str, str], float] | None = None,
    **extra: Any,
) -> dict[str, Any]:
    """Instance JSON data; guests may be bare ids or full guest objects."""
    guest_list = [g if isinstance(g, dict) else {"id": g} for g in guests]
    data: dict[str, Any] = {
        "guests": guest_list,
        "tables": [{"id": t, "capacity": c} for t, c in tables.items()],
        "pairs": [{"a": a, "b": b, "value": v} for (a, b), v in (pairs or {}).items()],
    }
    data.update(extra)
    return data


def plan_data(*rounds: dict[str, list[str]]) -> dict[str, Any]:
    """Plan JSON data with one table mapping per round."""
    return {"rounds": [{"tables": r} for r in rounds]}
