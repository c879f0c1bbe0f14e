"""Figures for the dashboard, through the visibility scope like every other read."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from gilde import visibility
from gilde.accounts.models import Member
from gilde.permissions import can_import
from gilde.relations.models import Tier

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


@dataclass(frozen=True)
class FirstStep:
    """One thing to do on a new, empty Gilde, with where to do it (None: not reachable yet)."""

    title: str
    text: str
    url: str | None


def _network_kind_chosen() -> bool:
    from gilde.members.models import Network

    return Network.objects.filter(kind_chosen_at__isnull=False).exists()


def first_steps(*, user: Any, member: Member) -> list[FirstStep]:
    """What a new, empty Gilde asks first, of whoever may do it (the dashboard shows them while
    the member sees no relations)."""
    steps = []
    if member.manages_network and not _network_kind_chosen():
        steps.append(
            FirstStep(
                _("Choose the kind of network"),
                _(
                    "An organisation with its colleagues, or a network of independent members "
                    "with a shared goal, profiles, referrals and shared costs."
                ),
                reverse("members:setup"),
            )
        )
    if member.manages_network:
        steps.append(
            FirstStep(
                _("Invite your colleagues"),
                _("Each colleague gets a login and brings the relations they know."),
                reverse("accounts:invite"),
            )
        )
    if can_import(member):
        steps.append(
            FirstStep(
                _("Import your relations"),
                _("From Excel, CSV, LinkedIn, Google Contacts, Outlook or vCard files."),
                reverse("import_list"),
            )
        )
    if user.has_perm("relations.change_tier"):
        rhythm = "; ".join(
            _("%(tier)s every %(ideal)s days, at most %(max)s")
            % {"tier": t.code, "ideal": t.ideal_interval_days, "max": t.max_interval_days}
            for t in Tier.objects.filter(
                ideal_interval_days__isnull=False, max_interval_days__isnull=False
            )
        )
        steps.append(
            FirstStep(
                _("Set the contact rhythm per tier"),
                _("How often key and other relations should hear from you. Now: %(rhythm)s.")
                % {"rhythm": rhythm or _("no rhythm set")},
                reverse("admin:relations_tier_changelist"),
            )
        )
    return steps
