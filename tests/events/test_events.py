"""Events, their programme and costs: creating and changing them on the pages, the share of
time to meet, cost per guest, who may change what and who may see what."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from gilde.accounts.models import Member
from gilde.events import selectors, services
from gilde.events.models import (
    CostItem,
    Event,
    EventVisibility,
    GuestStatus,
    ProgrammeItem,
)
from tests.conftest import client_for
from tests.factories import EventFactory, GuestFactory, PersonFactory

pytestmark = pytest.mark.django_db


def _local(event: Event, hours: float) -> str:
    when = timezone.localtime(event.starts_at + dt.timedelta(hours=hours))
    return when.strftime("%Y-%m-%dT%H:%M")


def test_a_networker_creates_an_event_and_is_its_organiser(owner: Member) -> None:
    client = client_for(owner)
    start = (timezone.localtime() + dt.timedelta(days=20)).replace(hour=16, minute=0)
    response = client.post(
        reverse("events:create"),
        {
            "title": "Haringparty 2027",
            "kind": "herring_party",
            "starts_at": start.strftime("%Y-%m-%dT%H:%M"),
            "ends_at": (start + dt.timedelta(hours=3)).strftime("%Y-%m-%dT%H:%M"),
            "venue": "Loods 5",
            "capacity": "80",
            "language": "nl",
            "visibility": "organisation",
            "themes": "haven, logistiek",
            "organisers": [str(owner.pk)],
        },
    )
    event = Event.objects.get(title="Haringparty 2027")
    assert response.status_code == 302
    assert response["Location"] == event.get_absolute_url()
    assert list(event.organisers.all()) == [owner]
    assert sorted(event.themes.values_list("name", flat=True)) == ["haven", "logistiek"]
    assert event.created_by == owner
    page = client.get(event.get_absolute_url())
    assert "Haringparty 2027" in page.content.decode()


def test_an_event_ends_after_it_starts(owner: Member) -> None:
    client = client_for(owner)
    start = timezone.localtime() + dt.timedelta(days=5)
    response = client.post(
        reverse("events:create"),
        {
            "title": "Achterstevoren",
            "kind": "dinner",
            "starts_at": start.strftime("%Y-%m-%dT%H:%M"),
            "ends_at": (start - dt.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
            "language": "nl",
            "visibility": "organisation",
        },
    )
    assert response.status_code == 200
    assert "Een bijeenkomst eindigt na het begin." in response.content.decode()
    assert not Event.objects.exists()


def test_a_reader_cannot_create_events(reader: Member) -> None:
    client = client_for(reader)
    assert client.get(reverse("events:create")).status_code == 403
    with pytest.raises(PermissionDenied):
        services.event_create(
            member=reader,
            title="x",
            starts_at=timezone.now(),
            ends_at=timezone.now() + dt.timedelta(hours=1),
        )


def test_programme_share_of_time_to_meet_warns_below_the_threshold(owner: Member) -> None:
    event = EventFactory(organisers=[owner])  # three hours
    client = client_for(owner)
    url = reverse("events:programme_add", args=[event.pk])
    talk = {
        "starts_at": _local(event, 0),
        "duration_minutes": "120",
        "kind": "speaker",
        "title": "Keynote",
    }
    page = client.post(url, talk, HTTP_HX_REQUEST="true").content.decode()
    assert "Keynote" in page
    assert "0% van de tijd is netwerktijd" in page
    assert "Minder dan 40%" in page
    drinks = {
        "starts_at": _local(event, 2),
        "duration_minutes": "60",
        "kind": "networking",
        "title": "Netwerkborrel",
    }
    page = client.post(url, drinks, HTTP_HX_REQUEST="true").content.decode()
    assert "33% van de tijd is netwerktijd" in page
    assert "Minder dan 40%" in page
    ttm = selectors.time_to_meet(event)
    assert (ttm.meeting_minutes, ttm.total_minutes, ttm.too_little) == (60, 180, True)
    keynote = event.programme.get(title="Keynote")
    client.post(
        reverse("events:programme_delete", args=[event.pk, keynote.pk]), HTTP_HX_REQUEST="true"
    )
    page = client.get(event.get_absolute_url()).content.decode()
    assert "33% van de tijd is netwerktijd" in page
    assert "Keynote" not in page


def test_a_programme_item_outside_the_event_is_refused(owner: Member) -> None:
    event = EventFactory(organisers=[owner])
    client = client_for(owner)
    late = {
        "starts_at": _local(event, 2.5),
        "duration_minutes": "60",
        "kind": "meal",
        "title": "Diner",
    }
    page = client.post(
        reverse("events:programme_add", args=[event.pk]), late, HTTP_HX_REQUEST="true"
    ).content.decode()
    assert "Een programmaonderdeel valt binnen de tijd" in page
    assert not ProgrammeItem.objects.exists()


def test_moving_the_event_away_from_its_programme_is_refused(owner: Member) -> None:
    event = EventFactory(organisers=[owner])
    ProgrammeItem.objects.create(
        event=event,
        starts_at=event.starts_at,
        duration_minutes=60,
        kind="networking",
        title="Inloop",
    )
    with pytest.raises(ValidationError, match="buiten de tijd van de bijeenkomst"):
        services.event_update(
            member=owner, event=event, starts_at=event.starts_at + dt.timedelta(minutes=30)
        )
    event.refresh_from_db()
    assert event.version == 1


def test_costs_per_invited_and_attending_guest(owner: Member) -> None:
    event = EventFactory(organisers=[owner], budget=Decimal("500"))
    client = client_for(owner)
    url = reverse("events:cost_add", args=[event.pk])
    client.post(
        url,
        {"category": "venue", "description": "Zaalhuur", "planned": "300"},
        HTTP_HX_REQUEST="true",
    )
    page = client.post(
        url,
        {"category": "catering", "description": "Borrel", "planned": "250", "actual": "260"},
        HTTP_HX_REQUEST="true",
    ).content.decode()
    assert "boven budget" in page
    for status in [
        GuestStatus.INVITED,
        GuestStatus.ACCEPTED,
        GuestStatus.ACCEPTED,
        GuestStatus.DECLINED,
        GuestStatus.PROPOSED,
    ]:
        GuestFactory(event=event, status=status)
    costs = selectors.costs(owner.user, event)
    assert costs.planned == Decimal("550.00") and costs.actual == Decimal("260.00")
    assert costs.invited == 4 and costs.attending == 2
    assert costs.expected == Decimal("560.00")  # actual where known: 300 + 260
    assert costs.per_invited == Decimal("140.00")
    assert costs.per_attending == Decimal("280.00")
    page = client.get(event.get_absolute_url()).content.decode()
    assert "140,00" in page


def test_negative_costs_are_refused(owner: Member) -> None:
    event = EventFactory(organisers=[owner])
    client = client_for(owner)
    page = client.post(
        reverse("events:cost_add", args=[event.pk]),
        {"category": "venue", "description": "Korting", "planned": "-10"},
        HTTP_HX_REQUEST="true",
    ).content.decode()
    assert not CostItem.objects.exists()
    assert "minstens 0" in page


def test_capacity_below_accepted_guests_is_refused_with_the_number(owner: Member) -> None:
    event = EventFactory(organisers=[owner], capacity=10)
    for _ in range(3):
        GuestFactory(event=event, status=GuestStatus.ACCEPTED)
    with pytest.raises(ValidationError, match="al 3 gasten aangemeld"):
        services.event_update(member=owner, event=event, capacity=2)
    event.refresh_from_db()
    assert event.capacity == 10


def test_a_stale_edit_is_refused(owner: Member, manager: Member) -> None:
    event = EventFactory(organisers=[owner])
    services.event_update(member=manager, event=event, title="Nieuwe titel")
    with pytest.raises(ValidationError, match="Iemand anders heeft deze bijeenkomst gewijzigd"):
        services.event_update(member=owner, event=event, version=1, title="Mijn titel")
    event.refresh_from_db()
    assert event.title == "Nieuwe titel"


def test_only_organisers_and_managers_change_an_event(
    owner: Member, colleague: Member, manager: Member
) -> None:
    event = EventFactory(organisers=[owner])
    assert client_for(colleague).get(reverse("events:edit", args=[event.pk])).status_code == 403
    response = client_for(colleague).post(
        reverse("events:programme_add", args=[event.pk]),
        {"starts_at": _local(event, 0), "duration_minutes": "30", "kind": "break", "title": "x"},
    )
    assert response.status_code == 403
    assert not ProgrammeItem.objects.exists()
    assert client_for(manager).get(reverse("events:edit", args=[event.pk])).status_code == 200


def test_an_organisers_only_event_is_invisible_to_others(
    owner: Member, colleague: Member, manager: Member, outsider: Any
) -> None:
    event = EventFactory(organisers=[owner], visibility=EventVisibility.ORGANISERS)
    url = event.get_absolute_url()
    assert client_for(owner).get(url).status_code == 200
    assert client_for(manager).get(url).status_code == 200
    assert client_for(colleague).get(url).status_code == 404
    assert client_for(outsider).get(url).status_code == 404
    assert event.title not in client_for(colleague).get(reverse("events:list")).content.decode()
    assert event.title in client_for(owner).get(reverse("events:list")).content.decode()


def test_a_hidden_guest_changes_no_count_a_colleague_sees(owner: Member, colleague: Member) -> None:
    event = EventFactory(organisers=[owner])
    GuestFactory(event=event, status=GuestStatus.ACCEPTED)
    secret = PersonFactory(confidential=True, owner=owner)
    GuestFactory(event=event, person=secret, status=GuestStatus.ACCEPTED)
    assert selectors.status_counts(colleague.user, [event])[event.pk][GuestStatus.ACCEPTED] == 1
    assert selectors.status_counts(owner.user, [event])[event.pk][GuestStatus.ACCEPTED] == 2
    assert selectors.costs(colleague.user, event).invited == 1
    page = client_for(colleague).get(event.get_absolute_url()).content.decode()
    assert "1 van 40 plaatsen bezet" in page
    assert secret.family_name not in page


def test_events_list_upcoming_and_past(owner: Member) -> None:
    upcoming = EventFactory(title="Komt nog")
    past = EventFactory(
        title="Was al",
        starts_at=timezone.now() - dt.timedelta(days=10),
        ends_at=timezone.now() - dt.timedelta(days=10, hours=-2),
    )
    client = client_for(owner)
    page = client.get(reverse("events:list")).content.decode()
    assert upcoming.title in page and past.title not in page
    page = client.get(reverse("events:list"), {"when": "past"}).content.decode()
    assert past.title in page and upcoming.title not in page


def test_a_freed_or_added_seat_goes_to_the_waiting_list(owner: Member) -> None:
    event = EventFactory(organisers=[owner], capacity=1)
    seated = GuestFactory(event=event, status=GuestStatus.ACCEPTED)
    first = GuestFactory(event=event, status=GuestStatus.WAITLISTED)
    second = GuestFactory(event=event, status=GuestStatus.WAITLISTED)
    services.guest_remove(member=owner, guest=seated)
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status) == (GuestStatus.ACCEPTED, GuestStatus.WAITLISTED)
    services.event_update(member=owner, event=event, capacity=2)
    second.refresh_from_db()
    assert second.status == GuestStatus.ACCEPTED
