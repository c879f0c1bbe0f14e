"""Drop-in meetings: a recurring Open Coffee without invitations, where anyone checks in at the
door; visitors say whether they want to hear more."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from gilde.events.models import Event, Guest, GuestStatus
from gilde.members.dropin import drop_in_check_in, drop_in_key, drop_in_series_create
from gilde.members.models import Application, ApplicationStatus
from tests.conftest import client_for


@pytest.fixture
def series(manager):
    first = (timezone.now() + dt.timedelta(days=2)).replace(hour=8, minute=0)
    return drop_in_series_create(
        actor=manager,
        title="Open Coffee Utrecht",
        first=first,
        every_days=28,
        count=4,
        venue="Café De Rode Draad",
    )


def test_a_series_plans_recurring_meetings_open_to_everyone(series):
    assert len(series) == 4
    assert series[1].starts_at - series[0].starts_at == dt.timedelta(days=28)
    assert {e.kind for e in series} == {"open_coffee"}
    assert not Guest.objects.exists()  # no invitations


def test_a_series_out_of_bounds_is_refused(manager):
    with pytest.raises(ValidationError):
        drop_in_series_create(
            actor=manager, title="Koffie", first=timezone.now(), every_days=7, count=500
        )
    assert not Event.objects.exists()


def test_a_member_is_recognised_by_address_and_checked_in(series, owner):
    owner.user.email = "jeroen@example.nl"
    owner.user.save()
    guest = drop_in_check_in(
        event=series[0], first_name="Jeroen", last_name="", email="Jeroen@Example.nl"
    )
    assert guest.member == owner and guest.status == GuestStatus.ATTENDED


def test_a_visitor_who_wants_to_hear_more_is_followed_up(series):
    visit = drop_in_check_in(
        event=series[0],
        first_name="Bram",
        last_name="Jansen",
        email="bram@example.nl",
        hear_more=True,
        consent=True,
    )
    assert visit.hear_more and visit.status == ApplicationStatus.APPLIED


def test_a_visitor_without_consent_is_not_kept(series):
    with pytest.raises(ValidationError):
        drop_in_check_in(event=series[0], first_name="Bram", last_name="", email="b@example.nl")
    assert not Application.objects.exists()


def test_the_door_page_needs_no_login(client, series, network):
    url = reverse("members:drop_in", args=[drop_in_key(series[0])])
    response = client.post(
        url, {"first_name": "Noor", "email": "noor@example.nl", "hear_more": "on", "consent": "on"}
    )
    assert response.status_code == 200 and 'id="checked-in"' in response.content.decode()
    assert Application.objects.get().event == series[0]


def test_an_altered_door_link_finds_nothing(client, series):
    key = drop_in_key(series[0])
    assert client.get(reverse("members:drop_in", args=[key + "x"])).status_code == 404


def test_members_see_the_door_links(series, colleague, network):
    page = client_for(colleague).get(reverse("members:drop_ins")).content.decode()
    assert drop_in_key(series[0]) in page
