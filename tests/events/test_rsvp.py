"""The public RSVP page: the guest's own signed link, no login; seats, waiting list, deadline,
and links or forms that cannot be used answer a clear page and change nothing."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core import mail
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from gilde.events import invitations, rsvp, services
from gilde.events.models import EventMail, EventMailKind, Guest, GuestStatus
from tests.events.invitation_fixtures import guests_on, published_event, relation
from tests.jobs import run_jobs

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_rate_limit() -> None:
    cache.clear()


def _invited(manager, event, count: int = 1) -> list[Guest]:
    guests = guests_on(manager, event, count)
    invitations.invitations_send(member=manager, event=event)
    run_jobs()
    for guest in guests:
        guest.refresh_from_db()
    return guests


def _stamp(page: str) -> str:
    match = re.search(r'name="stamp" value="([^"]+)"', page)
    assert match, "the form carries its stamp"
    return match.group(1)


def _answer(client: Client, guest: Guest, attending: str = "yes", **fields: str):
    url = rsvp.rsvp_path(guest)
    stamp = _stamp(client.get(url).content.decode())
    return client.post(url, {"attending": attending, "stamp": stamp, **fields})


def test_the_guest_answers_through_the_link_without_logging_in(manager):
    event = published_event(manager)
    other = services.guest_add(member=manager, event=event, person=relation("Anders"))
    (guest,) = _invited(manager, event)
    client = Client()
    page = client.get(rsvp.rsvp_path(guest))
    html = page.content.decode()
    assert page.status_code == 200
    assert "Netwerkborrel Haven" in html and guest.person.formal_name in html
    assert "Anders" not in html  # only the guest's own data
    assert page["Cache-Control"] == "no-store"
    stamp = _stamp(html)
    done = client.post(
        rsvp.rsvp_path(guest),
        {
            "attending": "yes",
            "stamp": stamp,
            "companion": "yes",
            "companion_name": "Piet Jansen",
            "dietary_wishes": "vegetarisch",
            "wish_to_meet": "Iemand van de gemeente",
        },
    )
    assert done.status_code == 200 and "u bent aangemeld" in done.content.decode()
    guest.refresh_from_db()
    assert guest.status == GuestStatus.ACCEPTED and guest.companion_name == "Piet Jansen"
    assert guest.dietary_wishes == "vegetarisch" and guest.wish_to_meet == "Iemand van de gemeente"
    assert guest.responded_at is not None
    assert other.status == GuestStatus.PROPOSED
    # Changed later: declines.
    _answer(client, guest, "no")
    guest.refresh_from_db()
    assert guest.status == GuestStatus.DECLINED and guest.companion_name == ""
    assert [c.status for c in guest.status_changes.all()] == [
        GuestStatus.PROPOSED,
        GuestStatus.INVITED,
        GuestStatus.ACCEPTED,
        GuestStatus.DECLINED,
    ]


def test_the_page_speaks_the_guests_language(manager):
    event = published_event(manager)
    services.guest_add(member=manager, event=event, person=relation("Smith", language="en"))
    invitations.invitations_send(member=manager, event=event)
    run_jobs()
    guest = Guest.objects.get()
    html = Client().get(rsvp.rsvp_path(guest)).content.decode()
    assert "Will you come?" in html and 'lang="en"' in html


def test_a_tampered_link_answers_a_clear_page_and_changes_nothing(manager):
    event = published_event(manager)
    (guest,) = _invited(manager, event)
    key = rsvp.rsvp_key(guest)
    client = Client()
    for broken in (key[:-1] + ("A" if key[-1] != "A" else "B"), "nonsense", key.split(":")[0]):
        response = client.post(f"/rsvp/{broken}/", {"attending": "yes"})
        assert response.status_code == 404
        assert "Deze link werkt niet" in response.content.decode()
    guest.refresh_from_db()
    assert guest.status == GuestStatus.INVITED


def test_a_guest_not_yet_invited_or_removed_has_no_working_link(manager):
    event = published_event(manager)
    (proposed,) = guests_on(manager, event, 1)
    assert Client().get(rsvp.rsvp_path(proposed)).status_code == 404
    (invited,) = _invited(manager, event, 1)
    path = rsvp.rsvp_path(invited)
    services.guest_remove(member=manager, guest=invited)
    assert Client().get(path).status_code == 404


def test_after_the_deadline_the_answer_cannot_change(manager):
    event = published_event(manager)
    (guest,) = _invited(manager, event)
    client = Client()
    stamp = _stamp(client.get(rsvp.rsvp_path(guest)).content.decode())
    type(event).objects.filter(pk=event.pk).update(
        rsvp_deadline=timezone.now() - dt.timedelta(seconds=1)
    )
    closed = client.post(rsvp.rsvp_path(guest), {"attending": "yes", "stamp": stamp})
    assert closed.status_code == 410 and "Aanmelden is gesloten" in closed.content.decode()
    page = client.get(rsvp.rsvp_path(guest)).content.decode()
    assert 'name="stamp"' not in page
    guest.refresh_from_db()
    assert guest.status == GuestStatus.INVITED and guest.responded_at is None


def test_a_form_sent_twice_or_overtaken_changes_nothing(manager):
    event = published_event(manager)
    (guest,) = _invited(manager, event)
    phone, laptop = Client(), Client()
    url = rsvp.rsvp_path(guest)
    old_stamp = _stamp(laptop.get(url).content.decode())
    assert (
        phone.post(
            url, {"attending": "yes", "stamp": old_stamp, "dietary_wishes": "geen"}
        ).status_code
        == 200
    )
    again = laptop.post(url, {"attending": "no", "stamp": old_stamp})
    assert again.status_code == 409 and "al verstuurd" in again.content.decode()
    guest.refresh_from_db()
    assert guest.status == GuestStatus.ACCEPTED and guest.dietary_wishes == "geen"


def test_no_answer_chosen_is_a_clear_message(manager):
    event = published_event(manager)
    (guest,) = _invited(manager, event)
    client = Client()
    stamp = _stamp(client.get(rsvp.rsvp_path(guest)).content.decode())
    response = client.post(rsvp.rsvp_path(guest), {"stamp": stamp})
    assert response.status_code == 422 and "Kies of u komt." in response.content.decode()
    guest.refresh_from_db()
    assert guest.status == GuestStatus.INVITED


def test_a_full_event_puts_guests_on_the_waiting_list_and_a_freed_seat_moves_them_up(manager):
    event = published_event(manager, capacity=3)
    first, second, third, fourth = _invited(manager, event, 4)
    mail.outbox.clear()
    _answer(Client(), first, companion="yes", companion_name="Partner")  # two seats
    _answer(Client(), second)
    waiting = _answer(Client(), third)
    assert "wachtlijst" in waiting.content.decode()
    _answer(Client(), fourth)
    statuses = {g.pk: g.status for g in Guest.objects.all()}
    assert statuses[third.pk] == statuses[fourth.pk] == GuestStatus.WAITLISTED
    assert rsvp.seats_taken(event) == 3
    # The first drops the companion: one seat frees and goes to the first on the list.
    _answer(Client(), first, companion_name="")
    third.refresh_from_db()
    fourth.refresh_from_db()
    assert third.status == GuestStatus.ACCEPTED and fourth.status == GuestStatus.WAITLISTED
    # The second declines: the fourth moves up too.
    _answer(Client(), second, "no")
    fourth.refresh_from_db()
    assert fourth.status == GuestStatus.ACCEPTED and rsvp.seats_taken(event) == 3
    moved = EventMail.objects.filter(kind=EventMailKind.MOVED_UP)
    assert sorted(moved.values_list("guest_id", flat=True)) == [third.pk, fourth.pk]
    run_jobs()
    assert (
        sorted(m.subject for m in mail.outbox)
        == ["Er is een plaats vrij voor u: Netwerkborrel Haven"] * 2
    )


def test_a_seated_guest_who_adds_a_companion_without_a_seat_keeps_their_own(manager):
    event = published_event(manager, capacity=1)
    (guest,) = _invited(manager, event)
    _answer(Client(), guest)
    response = _answer(Client(), guest, companion="yes", companion_name="Partner")
    assert response.status_code == 422 and "uw eigen plaats" in response.content.decode()
    guest.refresh_from_db()
    assert guest.status == GuestStatus.ACCEPTED and guest.companion_name == ""


def test_the_page_is_rate_limited(manager, settings):
    settings.GILDE_RSVP_RATE_LIMIT = 5
    event = published_event(manager)
    (guest,) = _invited(manager, event)
    client = Client()
    codes = [client.get(rsvp.rsvp_path(guest)).status_code for _ in range(7)]
    assert codes[:5] == [200] * 5 and codes[5:] == [429, 429]
    assert client.get("/rsvp/guessing/").status_code == 429
