"""The events API: the same services, permissions and visibility as the pages."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from gilde.accounts.models import Member
from gilde.accounts.services import api_token_create
from gilde.contacts.models import ContactMoment
from gilde.events.models import Event, EventVisibility, Guest, GuestStatus
from tests.factories import EventFactory, GuestFactory, PersonFactory

pytestmark = pytest.mark.django_db


def api(member: Member) -> Any:
    _, raw = api_token_create(member=member, name="test")
    client = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")

    def call(method: str, path: str, body: Any = None) -> Any:
        return getattr(client, method)(f"/api/v1{path}", data=body, content_type="application/json")

    return call


def test_create_event_add_programme_costs_guests_and_attendance(owner: Member) -> None:
    call = api(owner)
    start = timezone.now() + dt.timedelta(days=14)
    response = call(
        "post",
        "/events",
        {
            "title": "Open Coffee Zuidas",
            "kind": "open_coffee",
            "starts_at": start.isoformat(),
            "ends_at": (start + dt.timedelta(hours=2)).isoformat(),
            "capacity": 25,
            "themes": ["starters"],
        },
    )
    assert response.status_code == 201, response.content
    event = response.json()
    assert event["organiser_ids"] == [owner.pk] and event["themes"] == ["starters"]
    eid = event["id"]
    response = call(
        "post",
        f"/events/{eid}/programme",
        {
            "starts_at": start.isoformat(),
            "duration_minutes": 90,
            "kind": "networking",
            "title": "Koffie en kennismaken",
        },
    )
    assert response.status_code == 201
    assert response.json()["meeting_share"] == 75
    response = call(
        "post",
        f"/events/{eid}/programme",
        {
            "starts_at": (start + dt.timedelta(hours=1, minutes=45)).isoformat(),
            "duration_minutes": 30,
            "kind": "speaker",
            "title": "Te laat",
        },
    )
    assert response.status_code == 422
    response = call(
        "post",
        f"/events/{eid}/costs",
        {"category": "catering", "description": "Koffie", "planned": "80"},
    )
    assert response.status_code == 201 and response.json()["expected"] == "80.00"
    person = PersonFactory()
    response = call("post", f"/events/{eid}/guests", {"person_id": person.pk})
    assert response.status_code == 201 and response.json()["status"] == "proposed"
    assert (
        call("post", f"/events/{eid}/guests", {"person_id": person.pk}).json()["id"]
        == (response.json()["id"])
    )
    response = call("patch", f"/events/{eid}", {"capacity": 30, "version": 1})
    assert response.status_code == 200 and response.json()["version"] == 2
    response = call("patch", f"/events/{eid}", {"title": "Oud", "version": 1})
    assert response.status_code == 409


def test_a_programme_time_without_offset_is_local_time(owner: Member) -> None:
    """A time without its UTC offset is read in Gilde's time zone, as for the event itself (it
    was compared with the event's aware times and failed with a 500)."""
    start = timezone.localtime(timezone.now() + dt.timedelta(days=7)).replace(
        hour=16, minute=0, second=0, microsecond=0
    )
    event = EventFactory(organisers=[owner], starts_at=start, ends_at=start + dt.timedelta(hours=2))
    call = api(owner)
    naive = start.replace(tzinfo=None)
    body = {"duration_minutes": 30, "kind": "speaker", "title": "Welkom"}
    response = call(
        "post", f"/events/{event.pk}/programme", {**body, "starts_at": naive.isoformat()}
    )
    assert response.status_code == 201, response.content
    assert event.programme.get().starts_at == start
    late = (naive + dt.timedelta(hours=1, minutes=45)).isoformat()
    response = call("post", f"/events/{event.pk}/programme", {**body, "starts_at": late})
    assert response.status_code == 422
    assert event.programme.count() == 1


def test_attendance_through_the_api_feeds_contact_history(owner: Member) -> None:
    start = timezone.now() - dt.timedelta(days=1)
    event = EventFactory(organisers=[owner], starts_at=start, ends_at=start + dt.timedelta(hours=2))
    guest = GuestFactory(event=event, status=GuestStatus.ACCEPTED)
    response = api(owner)("put", f"/events/{event.pk}/attendance", {"present": [guest.pk]})
    assert response.status_code == 200 and response.json() == {"changed": 1}
    assert ContactMoment.objects.filter(persons=guest.person, kind="event").count() == 1


def test_visibility_and_permissions(owner: Member, colleague: Member, reader: Member) -> None:
    hidden_event = EventFactory(organisers=[owner], visibility=EventVisibility.ORGANISERS)
    event = EventFactory(organisers=[owner])
    secret = PersonFactory(confidential=True, owner=owner)
    GuestFactory(event=event, person=secret, status=GuestStatus.INVITED)
    GuestFactory(event=event, status=GuestStatus.INVITED)
    as_colleague = api(colleague)
    assert as_colleague("get", f"/events/{hidden_event.pk}").status_code == 404
    ids = [e["id"] for e in as_colleague("get", "/events").json()["items"]]
    assert event.pk in ids and hidden_event.pk not in ids
    guests = as_colleague("get", f"/events/{event.pk}/guests").json()
    assert guests["count"] == 1 and secret.pk not in [g["person_id"] for g in guests["items"]]
    assert as_colleague("get", f"/events/{event.pk}/costs").json()["invited"] == 1
    assert as_colleague("patch", f"/events/{event.pk}", {"title": "x"}).status_code == 403
    assert (
        api(reader)(
            "post",
            "/events",
            {
                "title": "x",
                "starts_at": timezone.now().isoformat(),
                "ends_at": (timezone.now() + dt.timedelta(hours=1)).isoformat(),
            },
        ).status_code
        == 403
    )
    assert (
        as_colleague("post", f"/events/{event.pk}/guests", {"person_id": secret.pk}).status_code
        == 403
    )
    assert api(owner)("post", f"/events/{event.pk}/guests", {"person_id": True}).status_code == 422
    assert Event.objects.filter(title="x").count() == 0
    assert Guest.objects.filter(event=event).count() == 2


def test_an_organiser_cannot_add_or_mark_a_relation_hidden_from_them(
    owner: Member, colleague: Member
) -> None:
    event = EventFactory(organisers=[colleague])
    secret = PersonFactory(confidential=True, owner=owner)
    as_colleague = api(colleague)
    assert (
        as_colleague("post", f"/events/{event.pk}/guests", {"person_id": secret.pk}).status_code
        == 404
    )
    place = GuestFactory(event=event, person=secret, status=GuestStatus.ACCEPTED)
    event.starts_at = timezone.now() - dt.timedelta(hours=1)
    event.save()
    response = as_colleague("put", f"/events/{event.pk}/attendance", {"present": [place.pk]})
    assert response.status_code == 422
    place.refresh_from_db()
    assert place.status == GuestStatus.ACCEPTED
