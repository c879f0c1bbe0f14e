"""Privacy: the record of processing says what is read, access requests show automatically found
contacts and where moments came from, erasure removes the contacts never logged."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from gilde.autolog.models import Entry, EntryStatus
from gilde.autolog.services import Found, found_record, rules_for, settings_update
from gilde.privacy.access import access_report
from gilde.privacy.erasure import person_erase
from gilde.privacy.processing import processing_record
from gilde.relations.models import EmailAddress
from tests.factories import MemberFactory, PersonFactory

pytestmark = pytest.mark.django_db


def _found(member, address: str, key: str, *, review: bool = True):
    settings_update(actor=member, review=review, keep_body=False, start_days=30)
    return found_record(
        rules=rules_for(member),
        source="calendar",
        found=Found(
            key=key * 64,
            thread_key=key * 64,
            kind="meeting",
            summary="Jaargesprek",
            occurred_at=timezone.now() - dt.timedelta(days=1),
            addresses=(address,),
        ),
    )


@pytest.fixture
def anna():
    person = PersonFactory()
    EmailAddress.objects.create(person=person, address="anna@rijnbouw.nl")
    return person


def test_the_record_of_processing_says_what_is_read(db):
    record = processing_record()
    assert any("automatisch" in str(p).lower() for p in record["purposes"])
    assert any("nooit de tekst" in str(d) for d in record["person_data"])


def test_an_access_request_shows_found_contacts_and_where_moments_came_from(anna, manager):
    member = MemberFactory()
    _found(member, "anna@rijnbouw.nl", "a")
    _found(member, "anna@rijnbouw.nl", "b", review=False)
    report = access_report(actor=manager, person=anna)
    assert [f["summary"] for f in report["found_automatically"]] == ["Jaargesprek"]
    assert [m["source"] for m in report["contact_moments"]] == ["via agenda"]


def test_erasure_removes_contacts_never_logged_and_their_address_from_unknown_lists(anna, manager):
    member = MemberFactory()
    _found(member, "anna@rijnbouw.nl", "a")
    other = Entry.objects.create(
        member=member,
        source="mail_in",
        thread_key="x" * 64,
        kind="email",
        occurred_at=timezone.now(),
        summary="Iets",
        unknown_addresses=["anna@rijnbouw.nl", "bert@haven.nl"],
    )
    person_erase(actor=manager, person=anna)
    assert not Entry.objects.filter(status=EntryStatus.PENDING, persons=anna).exists()
    other.refresh_from_db()
    assert other.unknown_addresses == ["bert@haven.nl"]
