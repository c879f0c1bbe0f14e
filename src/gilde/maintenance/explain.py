"""Tie strength in words, in the reader's language: "strong because: 6 meetings in the last
year, last one 12 days ago"."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from gilde.maintenance import strength
from gilde.maintenance.models import TieStrength
from gilde.maintenance.rhythm import CareStatus, Status


def status_label(status: Status | str) -> str:
    return {
        Status.ON_TRACK: _("on track"),
        Status.DUE: _("due"),
        Status.OVERDUE: _("overdue"),
        Status.NEVER: _("never contacted"),
        Status.NO_RHYTHM: _("no reminders"),
    }[Status(status)]


def status_detail(status: CareStatus, today: dt.date) -> str:
    """What the status means for this relation, in words that agree with it: 'due' counts the
    days since it became due, 'overdue' the days past the maximum interval."""
    if status.status == Status.DUE:
        n = status.days_past_due(today)
        if n <= 0:
            return _("due from today")
        return ngettext("due for %(n)d day", "due for %(n)d days", n) % {"n": n}
    if status.status == Status.OVERDUE:
        n = status.days_overdue(today)
        if n <= 0:
            return _("past the maximum interval from today")
        return ngettext(
            "%(n)d day past the maximum interval", "%(n)d days past the maximum interval", n
        ) % {"n": n}
    return ""


def band_label(score: int) -> str:
    return {
        "strong": _("strong"),
        "moderate": _("moderate"),
        "weak": _("weak"),
    }[strength.band(score)]


def _ago(days: int) -> str:
    if days <= 0:
        return _("last one today")
    return ngettext("last one %(n)d day ago", "last one %(n)d days ago", days) % {"n": days}


def reasons(
    facts: TieStrength, *, declared: int, since: dt.date | None, now: dt.datetime
) -> list[str]:
    """The facts behind a score, most telling first."""
    parts: list[str] = []
    if facts.meetings_year:
        n = facts.meetings_year
        parts.append(
            ngettext("%(n)d meeting in the last year", "%(n)d meetings in the last year", n)
            % {"n": n}
        )
    if facts.calls_year:
        n = facts.calls_year
        parts.append(
            ngettext("%(n)d call in the last year", "%(n)d calls in the last year", n) % {"n": n}
        )
    other = facts.contacts_year - facts.meetings_year - facts.calls_year
    if other > 0:
        parts.append(
            ngettext(
                "%(n)d other contact in the last year",
                "%(n)d other contacts in the last year",
                other,
            )
            % {"n": other}
        )
    if facts.last_contact_at is not None:
        days = (now - facts.last_contact_at).days
        if facts.contacts_year:
            parts.append(_ago(days))
        else:
            parts.append(_("no contact in the last year") + ", " + _ago(days))
    else:
        parts.append(_("no contact recorded"))
    parts.append(_("declared %(n)d of 5") % {"n": declared})
    start = since or (facts.first_contact_at.date() if facts.first_contact_at else None)
    if start is not None:
        years = (now.date() - start).days // 365
        if years >= 1:
            parts.append(
                ngettext("known for %(n)d year", "known for %(n)d years", years) % {"n": years}
            )
    return parts


def explanation(
    facts: TieStrength, *, declared: int, since: dt.date | None, now: dt.datetime
) -> str:
    """ "strong because: …" as one line."""
    return _("%(band)s because: %(reasons)s") % {
        "band": band_label(facts.score),
        "reasons": ", ".join(reasons(facts, declared=declared, since=since, now=now)),
    }
