"""Check-in at the door: search as you type, QR code, walk-ins becoming relations with
provenance and lawful basis, one arrival however many devices, the live count, the PDFs and
the API."""

from __future__ import annotations

import threading

import pytest
from django.db import connections
from django.test import Client

from gilde.accounts.services import api_token_create
from gilde.contacts.models import ContactKind, ContactMoment
from gilde.events import checkin, services
from gilde.events.models import Guest, GuestStatus
from gilde.privacy.models import LawfulBasis, PersonPrivacy
from gilde.relations.models import Person
from tests.conftest import client_for
from tests.events.invitation_fixtures import published_event, relation

pytestmark = pytest.mark.django_db


def _expected(manager, event, *names: str) -> list[Guest]:
    guests = []
    for name in names:
        guest = services.guest_add(member=manager, event=event, person=relation(name))
        services.guest_status_record(guest, GuestStatus.ACCEPTED)
        guests.append(guest)
    return guests


def test_search_as_you_type_finds_expected_guests_by_dutch_name(manager):
    event = published_event(manager)
    (berg,) = _expected(manager, event, "Berg")
    Person.objects.filter(pk=berg.person_id).update(tussenvoegsel="van den")
    from gilde.relations.services import person_reindex

    person_reindex(person=Person.objects.get(pk=berg.person_id))
    _expected(manager, event, "Smit")
    client = client_for(manager)
    found = client.get(f"/events/{event.pk}/check-in/search/?q=van+den+ber").content.decode()
    assert "Anna van den Berg" in found and "Smit" not in found
    assert "Aanmelden" not in found and "Registreren" in found


def test_two_devices_checking_in_the_same_guest_count_once(manager, colleague):
    event = published_event(manager)
    guest, _other = _expected(manager, event, "Dubbel", "Ander")
    desk_one, desk_two = client_for(manager), client_for(manager)
    first = desk_one.post(f"/events/{event.pk}/check-in/{guest.pk}/")
    second = desk_two.post(f"/events/{event.pk}/check-in/{guest.pk}/")
    assert first["HX-Trigger"] == "door-count"
    assert "Binnen om" in first.content.decode() and "Al binnen om" in second.content.decode()
    guest.refresh_from_db()
    assert guest.status == GuestStatus.ATTENDED and guest.checked_in_by == manager
    assert guest.status_changes.filter(status=GuestStatus.ATTENDED).count() == 1
    # The arrival is in the relation's contact history, once.
    moments = ContactMoment.objects.filter(persons=guest.person, kind=ContactKind.EVENT)
    assert moments.count() == 1 and guest.contact_moment_id == moments.get().pk
    count = checkin.door_count(event, user=manager.user)
    assert (count.arrived, count.expected) == (1, 2)
    Guest.objects.filter(pk=_other.pk).update(companion_name="Partner")
    assert checkin.door_count(event, user=manager.user).expected == 3  # heads
    html = desk_one.get(f"/events/{event.pk}/check-in/count/").content.decode()
    assert 'data-count="arrived">1<' in html and 'data-count="expected">3<' in html
    desk_one.post(f"/events/{event.pk}/check-in/{guest.pk}/undo/")
    guest.refresh_from_db()
    assert guest.status == GuestStatus.ACCEPTED and guest.checked_in_at is None
    assert not moments.exists() and guest.contact_moment_id is None


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_three_devices_at_once_arrive_one_guest_once(manager):
    event = published_event(manager)
    (guest,) = _expected(manager, event, "Tegelijk")
    start = threading.Barrier(3)
    results: list[bool] = []

    def desk() -> None:
        try:
            start.wait()
            results.append(checkin.checkin(member=manager, guest=guest).new)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=desk) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert sorted(results) == [False, False, True]
    assert (
        Guest.objects.get(pk=guest.pk).status_changes.filter(status=GuestStatus.ATTENDED).count()
        == 1
    )


def test_the_qr_code_checks_in_and_a_code_of_another_event_is_refused(manager):
    event, other = published_event(manager), published_event(manager, title="Ander")
    (guest,) = _expected(manager, event, "Qr")
    (stranger,) = _expected(manager, other, "Elders")
    client = client_for(manager)
    wrong = client.post(
        f"/events/{event.pk}/check-in/code/", {"code": checkin.checkin_code(stranger)}
    )
    assert wrong.status_code == 422 and "andere bijeenkomst" in wrong.content.decode()
    fake = client.post(f"/events/{event.pk}/check-in/code/", {"code": "GILDE:1.1:forged"})
    assert fake.status_code == 422
    ok = client.post(f"/events/{event.pk}/check-in/code/", {"code": checkin.checkin_code(guest)})
    assert ok.status_code == 200 and "Welkom" in ok.content.decode()
    guest.refresh_from_db()
    assert guest.checked_in_at is not None
    stranger.refresh_from_db()
    assert stranger.checked_in_at is None


def test_a_walk_in_becomes_a_relation_with_provenance_and_lawful_basis(manager):
    event = published_event(manager)
    client = client_for(manager)
    response = client.post(
        f"/events/{event.pk}/check-in/walk-in/",
        {
            "given_name": "Wim",
            "family_name": "Binnenloper",
            "email": "wim@example.org",
            "lawful_basis": LawfulBasis.LEGITIMATE_INTEREST,
        },
    )
    assert response.status_code == 200 and "Wim Binnenloper" in response.content.decode()
    person = Person.objects.get(family_name="Binnenloper")
    assert person.source == "Bijeenkomst: Netwerkborrel Haven"
    privacy = PersonPrivacy.objects.get(person=person)
    assert privacy.lawful_basis == LawfulBasis.LEGITIMATE_INTEREST and privacy.balancing_note
    guest = Guest.objects.get(person=person)
    assert guest.status == GuestStatus.ATTENDED and guest.reason == "Binnenloper"
    refused = client.post(f"/events/{event.pk}/check-in/walk-in/", {"family_name": "Zonder"})
    assert refused.status_code == 422 and "grondslag" in refused.content.decode()
    assert not Person.objects.filter(family_name="Zonder").exists()


def test_a_companion_becomes_a_relation_by_consent(manager):
    event = published_event(manager)
    (host_guest,) = _expected(manager, event, "Gastheer")
    guest = checkin.walk_in_add(
        member=manager,
        event=event,
        given_name="Els",
        family_name="Mee",
        lawful_basis=LawfulBasis.CONSENT,
        companion_of=host_guest,
    )
    assert guest.reason.startswith("Introducé van")
    assert PersonPrivacy.objects.get(person=guest.person).has_consent


def test_badges_and_guest_list_are_pdfs_of_the_expected_guests(manager):
    event = published_event(manager)
    _expected(manager, event, *[f"Badge{i}" for i in range(9)])
    client = client_for(manager)
    for path in ("badges.pdf", "guest-list.pdf"):
        response = client.get(f"/events/{event.pk}/{path}")
        assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
        assert response.content.startswith(b"%PDF")
    badges = client.get(f"/events/{event.pk}/badges.pdf").content
    assert b"/Count 2" in badges  # nine badges: eight to a sheet


def test_the_door_page_allows_the_camera_and_checks_permissions(manager, colleague, reader):
    event = published_event(manager)
    page = client_for(manager).get(f"/events/{event.pk}/check-in/")
    assert page.status_code == 200 and "camera=(self)" in page["Permissions-Policy"]
    assert client_for(reader).get(f"/events/{event.pk}/check-in/").status_code == 403
    hidden = published_event(manager, visibility="organisers")
    assert client_for(colleague).get(f"/events/{hidden.pk}/check-in/").status_code == 404


def test_the_api_checks_in_once_and_counts(manager, colleague):
    event = published_event(manager)
    (guest,) = _expected(manager, event, "Api")
    _token, raw = api_token_create(member=manager, name="deur")
    client = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")
    url = f"/api/v1/events/{event.pk}/guests/{guest.pk}/check-in"
    first = client.post(url)
    assert first.status_code == 200 and first.json()["new"] is True
    assert client.post(url).json()["new"] is False
    assert client.get(f"/api/v1/events/{event.pk}/check-in").json() == {"arrived": 1, "expected": 1}
    listed = client.get(f"/api/v1/events/{event.pk}/invitations").json()
    assert [row["guest_id"] for row in listed] == [guest.pk]
    assert client.get(f"/api/v1/events/{event.pk}/rsvp").json()["accepted"] == 1
    hidden = published_event(manager, visibility="organisers")
    _t, other = api_token_create(member=colleague, name="elders")
    outsider = Client(HTTP_AUTHORIZATION=f"Bearer {other}")
    assert outsider.get(f"/api/v1/events/{hidden.pk}/invitations").status_code == 404
    assert outsider.post(url).status_code == 403
    sent = client.post(
        f"/api/v1/events/{event.pk}/invitations/send", {}, content_type="application/json"
    )
    assert sent.status_code == 202 and sent.json()["queued"] == 0


def test_a_relation_who_came_unlisted_is_found_in_the_network_and_not_made_twice(manager):
    event = published_event(manager)
    known = relation("Bekende", given_name="Karel")
    client = client_for(manager)
    found = client.get(f"/events/{event.pk}/check-in/search/?q=bekende").content.decode()
    assert "Niet op de lijst" not in found and "Karel de Bekende" in found
    response = client.post(f"/events/{event.pk}/check-in/walk-in/{known.pk}/")
    assert response.status_code == 200 and response["HX-Trigger"] == "door-count"
    guest = Guest.objects.get(event=event, person=known)
    assert guest.status == GuestStatus.ATTENDED and guest.reason == "Binnenloper"
    assert Person.objects.filter(family_name="Bekende").count() == 1
    again = client.get(f"/events/{event.pk}/check-in/search/?q=bekende").content.decode()
    assert again.count("Karel de Bekende") == 1  # on the list now, not offered again


def test_a_guest_who_declined_and_came_after_all_is_found(manager):
    event = published_event(manager)
    guest = services.guest_add(member=manager, event=event, person=relation("Afzegger"))
    services.guest_status_record(guest, GuestStatus.DECLINED)
    found = client_for(manager).get(f"/events/{event.pk}/check-in/search/?q=afzeg")
    assert "Afzegger" in found.content.decode()


def test_the_companion_a_guest_brought_becomes_a_relation_of_their_own(manager):
    event = published_event(manager)
    (guest,) = _expected(manager, event, "Meenemer")
    Guest.objects.filter(pk=guest.pk).update(companion_name="Marloes van der Berg")
    client = client_for(manager)
    client.post(f"/events/{event.pk}/check-in/{guest.pk}/")
    assert checkin.door_count(event, user=manager.user).arrived == 2
    response = client.post(
        f"/events/{event.pk}/check-in/{guest.pk}/companion/", {"lawful_basis": LawfulBasis.CONSENT}
    )
    assert response.status_code == 200 and "Marloes van der Berg" in response.content.decode()
    person = Person.objects.get(family_name="Berg")
    assert (person.given_name, person.tussenvoegsel) == ("Marloes", "van der")
    assert person.source == "Bijeenkomst: Netwerkborrel Haven"
    assert PersonPrivacy.objects.get(person=person).has_consent
    companion = Guest.objects.get(person=person)
    assert companion.status == GuestStatus.ATTENDED and companion.reason.startswith("Introducé van")
    guest.refresh_from_db()
    assert guest.companion_name == ""
    assert checkin.door_count(event, user=manager.user).arrived == 2  # the same two heads
    again = client.post(
        f"/events/{event.pk}/check-in/{guest.pk}/companion/", {"lawful_basis": LawfulBasis.CONSENT}
    )
    assert again.status_code == 422 and Person.objects.filter(family_name="Berg").count() == 1
