"""Retention: relations without contact for too long are proposed; a manager decides."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from gilde.privacy.erasure import ERASED
from gilde.privacy.models import ErasureRecord, PersonPrivacy
from gilde.privacy.selectors import retention_candidates
from gilde.privacy.services import (
    add_months,
    consent_withdraw,
    lawful_basis_set,
    retention_decide,
)
from gilde.relations.models import Person
from tests.conftest import client_for
from tests.factories import ContactMomentFactory, PersonFactory
from tests.jobs import run_jobs

pytestmark = pytest.mark.django_db


def _on_file_since(person: Person, days_ago: int) -> Person:
    Person.objects.filter(pk=person.pk).update(
        created_at=timezone.now() - dt.timedelta(days=days_ago)
    )
    return person


def _contact(person: Person, days_ago: int) -> None:
    ContactMomentFactory(persons=[person], occurred_at=timezone.now() - dt.timedelta(days=days_ago))


@pytest.fixture
def people(settings):  # type: ignore[no-untyped-def]
    settings.GILDE_RETENTION_MONTHS = 24
    cold = _on_file_since(PersonFactory(family_name="Koud"), 1000)
    _contact(cold, 800)
    warm = _on_file_since(PersonFactory(family_name="Warm"), 1000)
    _contact(warm, 30)
    never = _on_file_since(PersonFactory(family_name="Nooit"), 900)
    new = PersonFactory(family_name="Nieuw")  # on file for less than the period
    return cold, warm, never, new


def test_relations_without_recent_contact_are_proposed(manager, people):
    cold, warm, never, new = people
    assert set(retention_candidates(user=manager.user)) == {cold, never}


def test_withdrawn_consent_proposes_the_relation_at_once(manager, people):
    new = people[3]
    lawful_basis_set(
        actor=manager,
        person=new,
        lawful_basis="consent",
        consent_given_on=timezone.localdate(),
        consent_how="formulier",
    )
    consent_withdraw(actor=manager, person=new)
    assert new in retention_candidates(user=manager.user)


def test_keeping_needs_a_reason_and_hides_the_relation_for_a_period(manager, people):
    cold = people[0]
    with pytest.raises(ValidationError):
        retention_decide(actor=manager, person=cold, decision="keep")
    retention_decide(actor=manager, person=cold, decision="keep", reason="Lopend contract")
    assert cold not in retention_candidates(user=manager.user)
    later = timezone.localdate() + dt.timedelta(days=800)
    assert cold in retention_candidates(user=manager.user, today=later)


def test_extending_postpones_the_review(manager, people):
    never = people[2]
    retention_decide(actor=manager, person=never, decision="extend", months=6)
    assert never not in retention_candidates(user=manager.user)
    file = PersonPrivacy.objects.get(person=never)
    assert file.review_after == add_months(timezone.localdate(), 6)
    assert never in retention_candidates(user=manager.user, today=file.review_after)


# Transactional: the erasure is queued and the background job reads what the request committed.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_erasing_from_the_review_page(manager, people):
    cold = people[0]
    client = client_for(manager)
    page = client.get(reverse("privacy_retention"))
    assert page.status_code == 200
    assert {p.pk for p, _last in page.context["rows"]} == {people[0].pk, people[2].pk}
    client.post(reverse("person_retention_decide", args=[cold.pk]), {"decision": "erase"})
    run_jobs()
    assert Person.objects.get(pk=cold.pk).family_name == ERASED
    assert ErasureRecord.objects.get(person_id=cold.pk).reason == "retention"
    assert cold.pk not in {p.pk for p in retention_candidates(user=manager.user)}


def test_the_review_page_is_for_managers(owner, outsider):
    assert client_for(owner).get(reverse("privacy_retention")).status_code == 403
    assert client_for(outsider).get(reverse("privacy_retention")).status_code == 404


def test_the_command_erases_nothing_unless_automatic(settings, people, capsys):
    call_command("privacy", "retention")
    assert "2 relations past the retention period" in capsys.readouterr().out
    assert not Person.objects.filter(family_name=ERASED).exists()
    settings.GILDE_RETENTION_AUTOMATIC = True
    call_command("privacy", "housekeeping", "--dry-run")
    assert not Person.objects.filter(family_name=ERASED).exists()
    call_command("privacy", "retention")
    assert Person.objects.filter(family_name=ERASED).count() == 2
    assert Person.objects.get(pk=people[1].pk).family_name == "Warm"


def test_the_review_page_costs_a_fixed_number_of_queries(
    manager, settings, django_assert_max_num_queries
):
    for _ in range(20):
        _on_file_since(PersonFactory(), 1000)
    client = client_for(manager)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("privacy_retention")).status_code == 200
