"""After the door: who was there becomes contact history through care's one entry point, and
person and colleague pages list the events."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from gilde.accounts.models import Member
from gilde.contacts.models import ContactKind, ContactMoment
from gilde.events import attendance
from gilde.events.models import Event, EventStatus, Guest, GuestRole, GuestStatus
from gilde.maintenance.models import RelationCare, TieStrength
from gilde.maintenance.services import care_follow
from tests.conftest import client_for
from tests.factories import EventFactory, GuestFactory, PersonFactory, TieFactory

pytestmark = pytest.mark.django_db


def _held_event(owner: Member, **kwargs: Any) -> Event:
    start = timezone.now() - dt.timedelta(days=2)
    return EventFactory(
        organisers=[owner], starts_at=start, ends_at=start + dt.timedelta(hours=3), **kwargs
    )


def test_attendance_becomes_contact_moments_that_feed_care(
    owner: Member, colleague: Member
) -> None:
    event = _held_event(owner)
    host_place = Guest.objects.create(
        event=event, member=colleague, role=GuestRole.HOST, status=GuestStatus.ACCEPTED
    )
    Guest.objects.create(
        event=event, member=owner, role=GuestRole.HOST, status=GuestStatus.ACCEPTED
    )
    hosted = GuestFactory(event=event, status=GuestStatus.ACCEPTED, host=colleague)
    TieFactory(person=hosted.person, member=colleague, strength=2)
    care_follow(person_ids=[hosted.person_id])
    before = TieStrength.objects.get(person=hosted.person, member=colleague).score
    unhosted = GuestFactory(event=event, status=GuestStatus.ACCEPTED)
    absent = GuestFactory(event=event, status=GuestStatus.ACCEPTED)
    response = client_for(owner).post(
        reverse("events:attendance", args=[event.pk]),
        {"present": [host_place.pk, hosted.pk, unhosted.pk]},
    )
    assert response.status_code == 302
    hosted.refresh_from_db()
    absent.refresh_from_db()
    assert hosted.status == GuestStatus.ATTENDED and absent.status == GuestStatus.NO_SHOW
    event.refresh_from_db()
    assert event.status == EventStatus.HELD
    assert hosted.status_changes.last().status == GuestStatus.ATTENDED
    moment = ContactMoment.objects.get(persons=hosted.person)
    assert moment.kind == ContactKind.EVENT and moment.summary == event.title
    assert moment.occurred_at == event.starts_at
    # The relation's host was there and received them; the organiser was absent (not ticked).
    assert list(moment.members.all()) == [colleague]
    assert not ContactMoment.objects.get(persons=unhosted.person).members.exists()
    assert not ContactMoment.objects.filter(persons=absent.person).exists()
    care = RelationCare.objects.get(person=hosted.person)
    assert care.last_contact_at == event.starts_at
    assert TieStrength.objects.get(person=hosted.person, member=colleague).score > before
    # Corrected: the hosted guest did not come after all; the moment and its care go.
    attendance.attendance_set(member=owner, event=event, present=[host_place.pk, unhosted.pk])
    hosted.refresh_from_db()
    assert hosted.contact_moment_id is None
    assert not ContactMoment.objects.filter(persons=hosted.person).exists()
    assert RelationCare.objects.get(person=hosted.person).last_contact_at is None


def test_the_organisers_present_receive_guests_without_a_host(owner: Member) -> None:
    event = _held_event(owner)
    me = Guest.objects.create(
        event=event, member=owner, role=GuestRole.HOST, status=GuestStatus.ACCEPTED
    )
    guest = GuestFactory(event=event, status=GuestStatus.ACCEPTED)
    attendance.attendance_set(member=owner, event=event, present=[me.pk, guest.pk])
    assert list(ContactMoment.objects.get(persons=guest.person).members.all()) == [owner]


def test_attendance_before_the_start_and_of_others_is_refused(owner: Member) -> None:
    event = EventFactory(organisers=[owner])  # next month
    guest = GuestFactory(event=event, status=GuestStatus.ACCEPTED)
    with pytest.raises(ValidationError):
        attendance.attendance_set(member=owner, event=event, present=[guest.pk])
    held = _held_event(owner)
    with pytest.raises(ValidationError):
        attendance.attendance_set(member=owner, event=held, present=[guest.pk])
    guest.refresh_from_db()
    assert guest.status == GuestStatus.ACCEPTED
    assert not ContactMoment.objects.exists()


def test_person_and_colleague_pages_list_events(owner: Member, colleague: Member) -> None:
    event = _held_event(owner, title="Nieuwjaarsreceptie haven")
    place = GuestFactory(event=event, status=GuestStatus.DECLINED, host=colleague)
    Guest.objects.create(event=event, member=colleague, role=GuestRole.HOST)
    client = client_for(colleague)
    page = client.get(reverse("person_detail", args=[place.person_id])).content.decode()
    assert "Nieuwjaarsreceptie haven" in page and "Afgemeld" in page
    page = client.get(reverse("member_detail", args=[colleague.pk])).content.decode()
    assert "Nieuwjaarsreceptie haven" in page and "gastheer/gastvrouw van 1 gast" in page
    page = client.get(reverse("member_detail", args=[owner.pk])).content.decode()
    assert "Nieuwjaarsreceptie haven" in page and "organisator" in page


def test_a_hidden_guest_is_not_on_the_attendance_page(
    owner: Member, colleague: Member, manager: Member
) -> None:
    event = _held_event(manager)
    event.organisers.add(colleague)
    secret = PersonFactory(confidential=True, owner=owner, family_name="Geheimhouder")
    GuestFactory(event=event, person=secret, status=GuestStatus.ACCEPTED)
    page = client_for(colleague).get(reverse("events:attendance", args=[event.pk])).content.decode()
    assert "Geheimhouder" not in page
    page = client_for(manager).get(reverse("events:attendance", args=[event.pk])).content.decode()
    assert "Geheimhouder" in page
    # Saving the attendance as the colleague leaves the hidden guest as they were.
    client_for(colleague).post(reverse("events:attendance", args=[event.pk]), {"present": []})
    assert Guest.objects.get(person=secret).status == GuestStatus.ACCEPTED
