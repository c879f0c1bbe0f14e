"""Figures for the dashboard, through the visibility scope like every other read."""

from __future__ import annotations

from typing import Any

from gilde import visibility


def dashboard_counts(*, user: Any) -> dict[str, int]:
    return {
        "persons": visibility.persons(user).count(),
        "organisations": visibility.organisations(user).count(),
        "members": visibility.members(user).count(),
        "contact_moments": visibility.contact_moments(user).count(),
        "open_follow_ups": visibility.follow_ups(user).open().count(),
    }
