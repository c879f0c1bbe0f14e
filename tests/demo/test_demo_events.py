"""The demo network holds past events with a believable turnout history and one upcoming event
whose guest list is being built."""

from __future__ import annotations

import pytest
from django.db.models import Count

from gilde.accounts.models import Member
from gilde.demo.events import build_events
from gilde.demo.generator import build_demo
from gilde.events import guestlist, turnout_check
from gilde.events.models import Event, EventStatus, Guest, GuestStatus, GuestStatusChange
from gilde.events.suggestions import suggestions_for


@pytest.fixture
def demo(db):
    return build_demo(size="small", seed=3)


def test_past_events_have_every_guests_way_to_the_end(demo):
    past = Event.objects.filter(status=EventStatus.HELD)
    assert past.count() == 8
    statuses = dict(
        Guest.objects.filter(event__in=past, person__isnull=False)
        .values_list("status")
        .annotate(n=Count("id"))
    )
    assert set(statuses) == {"attended", "no_show", "declined", "no_answer"}
    accepted = statuses["attended"] + statuses["no_show"]
    assert 0.1 < statuses["no_show"] / accepted < 0.4
    guest = Guest.objects.filter(
        event__in=past, person__isnull=False, status=GuestStatus.ATTENDED
    ).first()
    way = list(GuestStatusChange.objects.filter(guest=guest).values_list("status", flat=True))
    assert way == ["proposed", "invited", "accepted", "attended"]


def test_one_upcoming_event_has_a_list_being_built(demo):
    (upcoming,) = Event.objects.filter(status=EventStatus.PUBLISHED)
    assert not upcoming.is_past
    assert upcoming.themes.count() == 2
    assert upcoming.programme.exists()
    assert upcoming.guests.filter(role="host").exists()
    assert {"proposed", "invited", "accepted", "declined"} <= set(
        upcoming.guests.values_list("status", flat=True)
    )
    manager = Member.objects.get(user__username="beheer")
    assert suggestions_for(user=manager.user, event=upcoming)
    assert guestlist.turnout_for(user=manager.user, event=upcoming).history_size > 100


def test_the_events_step_runs_once(demo):
    assert build_events(seed=3) == {"events": 0, "guests": 0}


def test_a_relations_own_record_predicts_better_than_their_tier(demo):
    held = Event.objects.filter(status=EventStatus.HELD).order_by("-starts_at")[:3]
    quality = turnout_check.held_out(held)
    assert quality.guests > 50
    assert quality.brier_person < quality.brier_tier
