"""The right of access: everything about the person, nothing about anyone else."""

from __future__ import annotations

import json

import pytest
from django.test import Client
from django.urls import reverse

from gilde.accounts.models import ApiToken
from gilde.audit.models import AuditAction, AuditEntry
from gilde.relations.models import EmailAddress, PhoneNumber
from tests.conftest import client_for
from tests.factories import (
    AffiliationFactory,
    ContactMomentFactory,
    NoteFactory,
    OrganisationFactory,
    PersonFactory,
    TieFactory,
)
from tests.privacy.factories import FavourFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def subject(colleague, owner):  # type: ignore[no-untyped-def]
    person = PersonFactory(given_name="Femke", tussenvoegsel="van", family_name="Dalen")
    EmailAddress.objects.create(person=person, address="femke@dalen.nl")
    PhoneNumber.objects.create(person=person, number="06 1234 5678")
    AffiliationFactory(person=person, organisation=OrganisationFactory(name="Dalen Advies"))
    TieFactory(person=person, member=colleague, strength=4)
    other = PersonFactory(given_name="Kees", family_name="Buitenstaander")
    TieFactory(person=person, member=None, other_person=other)
    ContactMomentFactory(persons=[person, other], members=[colleague], summary="Lunch in Utrecht")
    ContactMomentFactory(persons=[other], summary="Alleen met Kees")
    NoteFactory(person=person, author=owner, text="Gedeelde notitie", is_private=False)
    NoteFactory(person=person, author=colleague, text="Prive van Sanne", is_private=True)
    FavourFactory(person=person, member=colleague, note="Introductie bij de provincie")
    return person


def _report(manager, person) -> dict:  # type: ignore[no-untyped-def]
    response = client_for(manager).get(
        reverse("person_access_request", args=[person.pk]), {"format": "json"}
    )
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    return json.loads(response.content)


def test_the_report_holds_everything_about_the_person(manager, subject):
    report = _report(manager, subject)
    assert report["person"]["full_name"] == "Femke van Dalen"
    assert report["emails"] == ["femke@dalen.nl"]
    assert report["phones"] == ["06 1234 5678"]
    assert report["affiliations"][0]["organisation"] == "Dalen Advies"
    assert len(report["ties"]) == 2
    assert [m["summary"] for m in report["contact_moments"]] == ["Lunch in Utrecht"]
    assert report["favours"][0]["note"] == "Introductie bij de provincie"
    assert [n["text"] for n in report["notes"]] == ["Gedeelde notitie"]


def test_other_peoples_details_and_private_notes_are_left_out(manager, subject):
    text = json.dumps(_report(manager, subject), ensure_ascii=False)
    assert "Kees" not in text and "Buitenstaander" not in text
    assert "Alleen met Kees" not in text
    assert "Prive van Sanne" not in text
    assert "Sanne" in text  # a colleague who took part is named


def test_the_request_is_audited_and_the_report_lists_earlier_audit_entries(manager, subject):
    client_for(manager).get(reverse("person_detail", args=[subject.pk]))
    report = _report(manager, subject)
    assert any(e["by"] == "beheer" for e in report["audit"])
    entry = AuditEntry.objects.get(action=AuditAction.ACCESS_REQUEST)
    assert (entry.target_id, entry.detail) == (subject.pk, {"format": "json"})


def test_the_printable_page_speaks_the_users_language(manager, subject):
    client = client_for(manager)
    client.post(reverse("language_set"), {"language": "en", "next": "/"})
    english = client.get(reverse("person_access_request", args=[subject.pk])).content.decode()
    assert "Personal data we hold about you" in english and "femke@dalen.nl" in english
    client.post(reverse("language_set"), {"language": "nl", "next": "/"})
    dutch = client.get(reverse("person_access_request", args=[subject.pk])).content.decode()
    assert "Persoonsgegevens die wij van u hebben" in dutch


def test_only_managers_answer_access_requests(owner, outsider, subject):
    url = reverse("person_access_request", args=[subject.pk])
    assert client_for(owner).get(url).status_code == 403
    assert client_for(outsider).get(url).status_code == 404


def test_the_api_gives_the_same_report_to_managers(manager, owner, subject):
    def token(member):  # type: ignore[no-untyped-def]
        raw, prefix, key_hash = ApiToken.generate()
        ApiToken.objects.create(member=member, name="t", key_prefix=prefix, key_hash=key_hash)
        return f"Bearer {raw}"

    url = f"/api/v1/persons/{subject.pk}/access-report"
    response = Client().get(url, HTTP_AUTHORIZATION=token(manager))
    assert response.status_code == 200 and response.json()["emails"] == ["femke@dalen.nl"]
    assert Client().get(url, HTTP_AUTHORIZATION=token(owner)).status_code == 403
