"""Erasure asked for on a page or through the API runs as a background job: queued, then done in
one transaction, or failed with nothing erased; one at a time per relation."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from gilde.accounts.models import ApiToken
from gilde.audit.models import AuditAction, AuditEntry
from gilde.contacts.models import ContactMoment
from gilde.privacy.erasure import ERASED
from gilde.privacy.erasure_requests import erasure_request
from gilde.privacy.models import ErasureRecord, ErasureRequest, ErasureStatus
from gilde.relations.models import EmailAddress, Person
from gilde.relations.services import person_create
from tests.conftest import client_for
from tests.factories import ContactMomentFactory, MemberFactory
from tests.jobs import run_jobs

# Transactional (the job reads what the request committed); serialized rollback like every
# transactional test (see tests/imports/test_merge_export_cli.py).
background_db = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def _femke(manager):  # type: ignore[no-untyped-def]
    return person_create(
        actor=manager,
        given_name="Femke",
        tussenvoegsel="van",
        family_name="Dalen",
        emails=["femke@dalen.nl"],
    )


def _token(member):  # type: ignore[no-untyped-def]
    raw, prefix, key_hash = ApiToken.generate()
    ApiToken.objects.create(member=member, name="t", key_prefix=prefix, key_hash=key_hash)
    return f"Bearer {raw}"


def _in_either_language(page: str, english: str, dutch: str) -> bool:
    return english in page or dutch in page


@background_db
def test_a_queued_erasure_completes_in_the_background():
    manager = MemberFactory(role="network_manager")
    femke = _femke(manager)
    client = client_for(manager)
    response = client.post(reverse("person_erase", args=[femke.pk]), {"confirm": "on"})
    assert response.status_code == 302
    request = ErasureRequest.objects.get()
    assert request.person_id == femke.pk and request.requested_by == manager
    run_jobs()
    request.refresh_from_db()
    assert request.status == ErasureStatus.DONE and request.finished_at is not None
    person = Person.objects.get(pk=femke.pk)
    assert person.family_name == ERASED and not EmailAddress.objects.filter(person=person).exists()
    assert ErasureRecord.objects.get().person_id == femke.pk
    assert AuditEntry.objects.filter(action=AuditAction.ERASE, target_id=femke.pk).count() == 1
    register = client.get(reverse("privacy_erasures")).content.decode()
    assert _in_either_language(register, "Done", "Gedaan")
    assert "Dalen" not in register


@background_db
def test_a_failed_job_records_the_failure_and_leaves_the_person_intact(monkeypatch):
    manager = MemberFactory(role="network_manager")
    femke = _femke(manager)
    ContactMomentFactory(persons=[femke], summary="Femke belde")

    def broken(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise RuntimeError("disk full")

    monkeypatch.setattr("gilde.privacy.erasure._erase_person_row", broken)
    erasure_request(actor=manager, person=femke)
    run_jobs()
    request = ErasureRequest.objects.get()
    assert request.status == ErasureStatus.FAILED and "RuntimeError" in request.outcome
    assert "nothing was erased" in request.outcome or "niets gewist" in request.outcome
    person = Person.objects.get(pk=femke.pk)
    assert (person.given_name, person.family_name) == ("Femke", "Dalen")
    assert ContactMoment.objects.get(persons=femke).summary == "Femke belde"
    assert not ErasureRecord.objects.exists()
    assert not AuditEntry.objects.filter(action=AuditAction.ERASE).exists()
    register = client_for(manager).get(reverse("privacy_erasures")).content.decode()
    assert "RuntimeError" in register
    # A failed request does not block a new one.
    monkeypatch.undo()
    erasure_request(actor=manager, person=femke)
    run_jobs()
    assert Person.objects.get(pk=femke.pk).family_name == ERASED


@background_db
def test_the_api_queues_the_erasure_for_managers_only():
    manager, owner = MemberFactory(role="network_manager"), MemberFactory(role="networker")
    femke = _femke(manager)
    url = f"/api/v1/persons/{femke.pk}/erase"
    assert Client().post(url, HTTP_AUTHORIZATION=_token(owner)).status_code == 403
    answer = Client().post(url, HTTP_AUTHORIZATION=_token(manager))
    assert answer.status_code == 202
    body = answer.json()
    assert body["person_id"] == femke.pk and body["status"] in ("queued", "running", "done")
    run_jobs()
    assert ErasureRequest.objects.get(pk=body["id"]).status == ErasureStatus.DONE
    assert Person.objects.get(pk=femke.pk).family_name == ERASED


@pytest.mark.django_db
def test_a_second_request_while_one_is_pending_is_refused(manager):
    femke = _femke(manager)
    ErasureRequest.objects.create(person_id=femke.pk, requested_by=manager)
    client = client_for(manager)
    page = client.get(reverse("person_erase", args=[femke.pk])).content.decode()
    assert _in_either_language(page, "Erasure in progress", "Wissen is bezig")
    assert "Erase now" not in page and "Nu wissen" not in page
    response = client.post(reverse("person_erase", args=[femke.pk]), {"confirm": "on"}, follow=True)
    assert _in_either_language(response.content.decode(), "already in progress", "al bezig")
    answer = Client().post(f"/api/v1/persons/{femke.pk}/erase", HTTP_AUTHORIZATION=_token(manager))
    assert answer.status_code == 422
    assert _in_either_language(answer.content.decode(), "already in progress", "al bezig")
    assert ErasureRequest.objects.count() == 1
    assert Person.objects.get(pk=femke.pk).family_name == "Dalen"
    privacy = client.get(reverse("person_privacy", args=[femke.pk])).content.decode()
    assert _in_either_language(privacy, "Erasure in progress", "Wissen is bezig")


@pytest.mark.django_db
def test_an_interrupted_request_no_longer_blocks_a_new_one(manager):
    femke = _femke(manager)
    old = ErasureRequest.objects.create(
        person_id=femke.pk, requested_by=manager, status=ErasureStatus.RUNNING
    )
    long_ago = old.requested_at - dt.timedelta(hours=1)
    ErasureRequest.objects.filter(pk=old.pk).update(requested_at=long_ago, started_at=long_ago)
    request = erasure_request(actor=manager, person=femke, background_flag=False)
    assert request.status == ErasureStatus.DONE
    old.refresh_from_db()
    assert (
        old.status == ErasureStatus.FAILED
        and "interrupted" in old.outcome.lower()
        or ("onderbroken" in old.outcome)
    )
    assert Person.objects.get(pk=femke.pk).family_name == ERASED


@pytest.mark.django_db
def test_a_networker_may_not_ask_for_an_erasure(owner, manager):
    from django.core.exceptions import PermissionDenied

    femke = _femke(manager)
    with pytest.raises(PermissionDenied):
        erasure_request(actor=owner, person=femke)
    assert not ErasureRequest.objects.exists()
