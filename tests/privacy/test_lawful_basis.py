"""Lawful basis, consent and provenance per person: recorded by managers or the owner."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from gilde.audit.models import AuditEntry
from gilde.privacy.models import PersonPrivacy
from gilde.privacy.services import consent_withdraw, lawful_basis_set
from tests.conftest import client_for
from tests.factories import PersonFactory
from tests.privacy.factories import ImportBatchFactory

pytestmark = pytest.mark.django_db


def test_legitimate_interest_needs_a_balancing_note(manager):
    person = PersonFactory()
    with pytest.raises(ValidationError):
        lawful_basis_set(actor=manager, person=person, lawful_basis="legitimate_interest")
    assert not PersonPrivacy.objects.exists()


def test_consent_needs_when_and_how(manager):
    with pytest.raises(ValidationError):
        lawful_basis_set(actor=manager, person=PersonFactory(), lawful_basis="consent")


def test_the_owner_records_consent_and_withdraws_it_with_one_button(owner):
    person = PersonFactory(owner=owner)
    client = client_for(owner)
    response = client.post(
        reverse("person_privacy", args=[person.pk]),
        {
            "lawful_basis": "consent",
            "consent_given_on": "2026-01-15",
            "consent_how": "Formulier op het netwerkdiner",
        },
    )
    assert response.status_code == 302
    file = PersonPrivacy.objects.get(person=person)
    assert file.has_consent and file.consent_given_on == dt.date(2026, 1, 15)
    client.post(reverse("person_consent_withdraw", args=[person.pk]))
    file.refresh_from_db()
    assert not file.has_consent
    assert file.consent_withdrawn_at is not None
    assert AuditEntry.objects.filter(target_id=person.pk, detail__privacy=["consent_withdrawn_at"])


def test_giving_consent_again_clears_the_withdrawal(owner):
    person = PersonFactory(owner=owner)
    lawful_basis_set(
        actor=owner,
        person=person,
        lawful_basis="consent",
        consent_given_on=dt.date(2026, 1, 1),
        consent_how="e-mail",
    )
    consent_withdraw(actor=owner, person=person)
    file = lawful_basis_set(
        actor=owner,
        person=person,
        lawful_basis="consent",
        consent_given_on=timezone.localdate(),
        consent_how="telefonisch",
    )
    assert file.has_consent


def test_a_colleague_who_does_not_own_the_relation_may_not_change_it(colleague, owner):
    person = PersonFactory(owner=owner)
    with pytest.raises(PermissionDenied):
        lawful_basis_set(
            actor=colleague, person=person, lawful_basis="contract", contract_reference="X"
        )
    assert client_for(colleague).get(reverse("person_privacy", args=[person.pk])).status_code == 403


def test_an_outsider_gets_404_on_a_privacy_file(outsider):
    person = PersonFactory()
    assert client_for(outsider).get(reverse("person_privacy", args=[person.pk])).status_code == 404


def test_the_person_page_shows_provenance_and_lawful_basis(manager):
    batch = ImportBatchFactory(file_name="beurs-2026.csv")
    person = PersonFactory(source="csv:beurs-2026.csv", import_batch=batch)
    lawful_basis_set(
        actor=manager,
        person=person,
        lawful_basis="legitimate_interest",
        balancing_note="Zakelijk contact, beperkte gegevens",
    )
    client = client_for(manager)
    client.post(reverse("language_set"), {"language": "en", "next": "/"})
    page = client.get(reverse("person_detail", args=[person.pk])).content.decode()
    assert "Legitimate interest" in page
    assert "beurs-2026.csv" in page
    assert "not yet" in page  # imported and not informed
    assert reverse("person_access_request", args=[person.pk]) in page
    assert reverse("person_erase", args=[person.pk]) in page


def test_a_networker_sees_provenance_but_no_erasure_link(colleague):
    person = PersonFactory()
    page = client_for(colleague).get(reverse("person_detail", args=[person.pk])).content.decode()
    assert "Herkomst" in page or "Provenance" in page
    assert reverse("person_erase", args=[person.pk]) not in page
