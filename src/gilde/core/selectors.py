"""Figures for the dashboard, through the visibility scope like every other read."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from gilde import visibility

# The dashboard counts contact moments of the past 30 days: what the network is doing now, and a
# count the (occurred_at, id) index answers without reading a million rows of history.
RECENT_CONTACT_DAYS = 30


def dashboard_counts(*, user: Any, now: dt.datetime | None = None) -> dict[str, int]:
    since = (now or timezone.now()) - dt.timedelta(days=RECENT_CONTACT_DAYS)
    return {
        "persons": visibility.person_count(user),
        "organisations": visibility.organisations(user).count(),
        "members": visibility.members(user).count(),
        "contact_moments": visibility.contact_moments(user).filter(occurred_at__gte=since).count(),
        "open_follow_ups": visibility.open_follow_up_count(user),
    }
