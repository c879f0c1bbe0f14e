"""A member's private iCalendar feed: relations to contact and open follow-ups as all-day events,
for Outlook, Google and Apple calendars (which show events, not tasks, from subscriptions)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from gilde.accounts.models import Member
from gilde.maintenance import explain, selectors

DUE_HORIZON_DAYS = 60
MAX_EVENTS = 500


def base_url() -> str:
    return str(settings.GILDE_BASE_URL)


def feed_url(token: str, request: HttpRequest | None = None) -> str:
    path = reverse("maintenance_calendar_feed", args=[token])
    return request.build_absolute_uri(path) if request is not None else base_url() + path


def _all_day(
    summary: str, day: dt.date, uid: str, url: str, description: str, now: dt.datetime
) -> Event:
    event = Event()
    event.add("uid", uid)
    event.add("dtstamp", now)
    event.add("summary", summary)
    event.add("dtstart", day)
    event.add("dtend", day + dt.timedelta(days=1))
    event.add("transp", "TRANSPARENT")
    event.add("url", url)
    event.add("description", description)
    return event


def feed_for(*, member: Member, today: dt.date | None = None) -> bytes:
    """Due and overdue relations on today (they stay until contact is logged), relations that
    become due within DUE_HORIZON_DAYS on that day, and open follow-ups on their due date."""
    today = today or timezone.localdate()
    now = timezone.now()
    user = member.user
    host = base_url().split("//", 1)[-1]
    cal = Calendar()
    cal.add("prodid", "-//Gilde//maintenance//EN")
    cal.add("version", "2.0")
    with translation.override(member.language):
        cal.add("x-wr-calname", _("Gilde: relations to contact"))
        items = selectors.due_for_member(user=user, member=member, today=today)
        upcoming = selectors.upcoming_for_member(
            user=user, member=member, today=today, days=DUE_HORIZON_DAYS
        )
        for item in (items + upcoming)[:MAX_EVENTS]:
            person = item.person
            day = max(item.status.due_on or today, today)
            url = base_url() + person.get_absolute_url()
            cal.add_component(
                _all_day(
                    _("Contact %(name)s") % {"name": person.full_name},
                    day,
                    f"due-{person.pk}@{host}",
                    url,
                    _("Tier %(tier)s, %(status)s.")
                    % {
                        "tier": person.tier.code if person.tier else "-",
                        "status": explain.status_label(item.status.status),
                    },
                    now,
                )
            )
        for follow_up in selectors.follow_ups_of(user=user, member=member).filter(
            due_date__isnull=False
        )[:MAX_EVENTS]:
            assert follow_up.due_date is not None
            url = base_url() + (follow_up.person.get_absolute_url() if follow_up.person else "/")
            cal.add_component(
                _all_day(
                    _("Follow-up: %(title)s") % {"title": follow_up.title},
                    max(follow_up.due_date, today),
                    f"follow-up-{follow_up.pk}@{host}",
                    url,
                    follow_up.person.full_name if follow_up.person else "",
                    now,
                )
            )
    return cal.to_ical()
