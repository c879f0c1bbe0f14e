"""The member network's public pages against abuse: a limit per client address with a plain
429 page, and a honeypot field a person never sees; and the door's QR code for the coordinator."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from django.conf import settings
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from gilde.events.models import Event, Guest
from gilde.members.dropin import drop_in_key
from gilde.members.models import Application
from tests.conftest import client_for
from tests.factories import EventFactory

_addresses = itertools.count(1)

FORM = {
    "kind": "join",
    "first_name": "Fleur",
    "last_name": "de Wit",
    "email": "fleur@example.nl",
    "introduced_by_name": "",
    "consent": "1",
}


@pytest.fixture
def anonymous():
    """A visitor from an address of their own (the counters live in the cache across tests)."""
    return Client(REMOTE_ADDR=f"192.0.2.{next(_addresses)}")


@pytest.fixture
def door(network):
    start = timezone.now() + dt.timedelta(hours=1)
    event = EventFactory(
        title="Open Coffee",
        kind="open_coffee",
        starts_at=start,
        ends_at=start + dt.timedelta(hours=2),
    )
    return event, reverse("members:drop_in", args=[drop_in_key(event)])


@override_settings(GILDE_PUBLIC_PAGE_RATE_LIMIT=3)
def test_too_many_requests_from_one_address_get_429_in_dutch(network, anonymous):
    for _ in range(3):
        assert anonymous.get(reverse("members:join")).status_code == 200
    page = anonymous.get(reverse("members:join"), HTTP_ACCEPT_LANGUAGE="nl")
    assert page.status_code == 429 and page["Retry-After"] == "60"
    assert "Te veel verzoeken" in page.content.decode()
    # another address is not held up
    assert Client(REMOTE_ADDR="198.51.100.7").get(reverse("members:join")).status_code == 200


@override_settings(GILDE_PUBLIC_PAGE_RATE_LIMIT=3)
def test_the_limit_speaks_english_too(network, anonymous):
    anonymous.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    for _ in range(3):
        anonymous.get(reverse("members:join"))
    page = anonymous.get(reverse("members:join"))
    assert page.status_code == 429 and "Too many requests" in page.content.decode()


@override_settings(GILDE_PUBLIC_FORM_SEND_LIMIT=2)
def test_too_many_applications_from_one_address_keep_nothing(network, anonymous):
    for n in range(2):
        response = anonymous.post(reverse("members:join"), {**FORM, "email": f"f{n}@example.nl"})
        assert response.status_code == 302
    refused = anonymous.post(reverse("members:join"), {**FORM, "email": "f9@example.nl"})
    assert refused.status_code == 429 and refused["Retry-After"] == "3600"
    assert Application.objects.count() == 2


@override_settings(GILDE_PUBLIC_PAGE_RATE_LIMIT=2)
def test_the_door_page_is_limited_too(door, anonymous):
    _event, url = door
    assert anonymous.get(url).status_code == 200
    assert anonymous.get(url).status_code == 200
    assert anonymous.get(url).status_code == 429


def test_the_form_carries_a_honeypot_a_person_does_not_see(network, anonymous):
    html = anonymous.get(reverse("members:join")).content.decode()
    assert 'name="website"' in html and 'aria-hidden="true"' in html and 'tabindex="-1"' in html


def test_a_robot_filling_the_honeypot_is_thanked_and_nothing_is_kept(network, anonymous):
    response = anonymous.post(reverse("members:join"), {**FORM, "website": "https://spam.example"})
    assert response.status_code == 302 and response["Location"] == reverse("members:join_thanks")
    assert not Application.objects.exists()


def test_a_person_leaving_the_honeypot_empty_applies(network, anonymous):
    response = anonymous.post(reverse("members:join"), {**FORM, "website": ""})
    assert response.status_code == 302 and Application.objects.count() == 1


def test_a_robot_at_the_door_checks_no_one_in(door, anonymous, owner):
    event, url = door
    page = anonymous.post(
        url, {"first_name": "Bot", "email": owner.user.email or "x@example.nl", "website": "x"}
    )
    assert page.status_code == 200 and 'id="checked-in"' in page.content.decode()
    assert not Guest.objects.filter(event=event).exists()
    assert not Application.objects.exists()


def test_the_coordinator_prints_the_door_qr_code(door, manager):
    event, url = door
    page = client_for(manager).get(reverse("members:drop_in_door", args=[event.pk]))
    html = page.content.decode()
    assert page.status_code == 200
    assert "<svg" in html and "http://testserver" + url in html and "Open Coffee" in html
    listing = client_for(manager).get(reverse("members:drop_ins")).content.decode()
    assert reverse("members:drop_in_door", args=[event.pk]) in listing


def test_a_member_does_not_get_the_door_sheet(door, owner):
    event, _url = door
    page = client_for(owner).get(reverse("members:drop_in_door", args=[event.pk]))
    assert page.status_code == 403


def test_an_ordinary_event_has_no_door_sheet(network, manager):
    event = EventFactory()
    assert Event.objects.get(pk=event.pk).kind != "open_coffee"
    page = client_for(manager).get(reverse("members:drop_in_door", args=[event.pk]))
    assert page.status_code == 404
