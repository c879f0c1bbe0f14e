"""The settings page and the review inbox: each member's own, htmx answers that redraw the entry
and the count, bad input changes nothing, and credentials never come back to the page."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from gilde.autolog.models import Connection, Entry, EntryStatus, NeverLog
from gilde.contacts.models import ContactMoment
from gilde.core.models import Job
from gilde.core.schedules import schedules_enqueue
from gilde.relations.models import EmailAddress
from tests.conftest import client_for
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def _entry(member, *, person=None, unknown=()):
    entry = Entry.objects.create(
        member=member,
        source="mailbox",
        thread_key="t" * 64,
        kind="email",
        occurred_at=timezone.now() - dt.timedelta(days=1),
        summary="Offerte dakrenovatie",
        unknown_addresses=list(unknown),
    )
    if person is not None:
        entry.persons.add(person)
    return entry


def test_keeping_with_htmx_redraws_the_entry_and_the_count(owner):
    anna = PersonFactory()
    entry = _entry(owner, person=anna)
    response = client_for(owner).post(f"/review/{entry.pk}/keep/", HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert "Bewaard als contactmoment" in html
    assert 'id="review-count" hx-swap-oob="true"' in html and "0 contacten" in html
    assert ContactMoment.objects.get().persons.get() == anna


def test_discarding_logs_nothing_and_forgets_the_summary(owner):
    entry = _entry(owner, person=PersonFactory())
    client_for(owner).post(f"/review/{entry.pk}/discard/", HTTP_HX_REQUEST="true")
    entry.refresh_from_db()
    assert entry.status == EntryStatus.DISCARDED and entry.summary == "-"
    assert not ContactMoment.objects.exists()


def test_keeping_without_a_relation_says_what_to_do_and_changes_nothing(owner):
    entry = _entry(owner, unknown=["nieuw@klant.nl"])
    response = client_for(owner).post(f"/review/{entry.pk}/keep/", HTTP_HX_REQUEST="true")
    assert response.status_code == 422
    assert "voeg er eerst een toe" in response.content.decode()
    entry.refresh_from_db()
    assert entry.status == EntryStatus.PENDING


def test_an_added_relation_is_found_and_an_ignored_address_never_logged(owner):
    entry = _entry(owner, unknown=["nieuw@klant.nl", "prive@thuis.nl"])
    person = PersonFactory()
    EmailAddress.objects.create(person=person, address="nieuw@klant.nl")
    client = client_for(owner)
    client.post(f"/review/{entry.pk}/resolve/")
    client.post(f"/review/{entry.pk}/ignore/", {"address": "prive@thuis.nl"})
    entry.refresh_from_db()
    assert list(entry.persons.all()) == [person]
    assert entry.unknown_addresses == []
    assert NeverLog.objects.filter(member=owner, pattern="prive@thuis.nl").exists()


def test_a_colleagues_review_inbox_and_connections_do_not_exist(owner, colleague):
    entry = _entry(owner, person=PersonFactory())
    connection = Connection.objects.create(member=owner, kind="ics", secret="x")
    client = client_for(colleague)
    assert client.post(f"/review/{entry.pk}/keep/").status_code == 404
    assert client.post(f"/me/mail-and-calendar/{connection.pk}/disconnect/").status_code == 404
    assert "Offerte dakrenovatie" not in client.get("/review/").content.decode()


def test_connecting_stores_the_secret_encrypted_and_never_shows_it(owner):
    client = client_for(owner)
    response = client.post(
        "/me/mail-and-calendar/connect/",
        {
            "kind": "ics",
            "auth": "password",
            "secret": "https://agenda.example.nl/prive/abc123.ics",
        },
    )
    assert response.status_code == 302
    connection = Connection.objects.get(member=owner)
    assert "abc123" not in connection.secret
    assert "abc123" not in client.get("/me/mail-and-calendar/").content.decode()
    assert Job.objects.filter(kind="autolog.connection").exists()


def test_bad_input_gets_a_clear_message_and_changes_nothing(owner):
    client = client_for(owner)
    response = client.post(
        "/me/mail-and-calendar/connect/", {"kind": "imap", "auth": "password", "secret": "geheim"}
    )
    assert response.status_code == 422
    assert "Vul het adres van de server in" in response.content.decode()
    response = client.post("/me/mail-and-calendar/rules/", {"pattern": "a b@c"})
    assert response.status_code == 422
    response = client.post("/me/mail-and-calendar/", {"start_days": "9999", "review": "on"})
    assert response.status_code == 422
    assert not Connection.objects.exists() and not NeverLog.objects.exists()


def test_only_network_managers_set_rules_for_the_whole_network(owner, manager):
    client_for(owner).post(
        "/me/mail-and-calendar/rules/", {"pattern": "partner.nl", "network": "on"}
    )
    assert not NeverLog.objects.filter(member__isnull=True).exists()
    client_for(manager).post(
        "/me/mail-and-calendar/rules/", {"pattern": "partner.nl", "network": "on"}
    )
    assert NeverLog.objects.filter(member__isnull=True, pattern="partner.nl").exists()


def test_the_worker_reads_mail_and_calendars_every_quarter_of_an_hour(settings, db):
    settings.GILDE_AUTOLOG_EVERY_MINUTES = 15
    at = dt.datetime(2026, 12, 3, 10, 7, tzinfo=timezone.get_current_timezone())
    schedules_enqueue(now=at)
    schedules_enqueue(now=at + dt.timedelta(minutes=5))  # same quarter: no second job
    schedules_enqueue(now=at + dt.timedelta(minutes=10))  # the next quarter
    slots = sorted(Job.objects.filter(kind="autolog.sync").values_list("slot", flat=True))
    assert slots == ["2026-12-03T10:00", "2026-12-03T10:15"]
