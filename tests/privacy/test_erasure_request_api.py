"""An API client that asked for an erasure follows it: GET /erasure-requests/{id} answers its
state, by person number only, to those who may ask for an erasure; to others it does not exist."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from gilde.accounts.models import ApiToken
from gilde.privacy.erasure_requests import erasure_request
from gilde.privacy.models import ErasureRequest, ErasureStatus
from gilde.relations.services import person_create
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db


def _get(member, request_id):  # type: ignore[no-untyped-def]
    raw, prefix, key_hash = ApiToken.generate()
    ApiToken.objects.create(member=member, name="t", key_prefix=prefix, key_hash=key_hash)
    return Client().get(
        f"/api/v1/erasure-requests/{request_id}", HTTP_AUTHORIZATION=f"Bearer {raw}"
    )


def _femke(manager):  # type: ignore[no-untyped-def]
    return person_create(
        actor=manager,
        given_name="Femke",
        tussenvoegsel="van",
        family_name="Dalen",
        emails=["femke@dalen.nl"],
    )


def test_a_queued_request_answers_queued_without_dates_of_work(manager):
    femke = _femke(manager)
    request = ErasureRequest.objects.create(person_id=femke.pk, requested_by=manager)
    body = _get(manager, request.pk).json()
    assert body["id"] == request.pk and body["person_id"] == femke.pk
    assert body["status"] == "queued" and body["requested_at"]
    assert body["started_at"] is None and body["finished_at"] is None and body["outcome"] == ""


def test_a_running_request_answers_running_with_its_start(manager):
    femke = _femke(manager)
    request = ErasureRequest.objects.create(
        person_id=femke.pk, requested_by=manager, status=ErasureStatus.RUNNING
    )
    ErasureRequest.objects.filter(pk=request.pk).update(started_at=request.requested_at)
    body = _get(manager, request.pk).json()
    assert body["status"] == "running" and body["started_at"] and body["finished_at"] is None


def test_a_done_request_answers_done_and_names_nothing_of_the_person(manager):
    femke = _femke(manager)
    request = erasure_request(actor=manager, person=femke, background_flag=False)
    response = _get(manager, request.pk)
    body = response.json()
    assert body["status"] == "done" and body["finished_at"] and body["outcome"] == ""
    text = response.content.decode()
    assert all(word not in text for word in ("Femke", "Dalen", "femke@dalen.nl"))


def test_a_failed_request_answers_failed_with_the_reason(manager):
    request = ErasureRequest.objects.create(
        person_id=987654, requested_by=manager, status=ErasureStatus.FAILED, message="gone"
    )
    body = _get(manager, request.pk).json()
    assert body["status"] == "failed"
    assert "no longer exists" in body["outcome"] or "bestaat niet meer" in body["outcome"]


def test_a_request_whose_job_stopped_reporting_answers_failed(manager):
    femke = _femke(manager)
    request = ErasureRequest.objects.create(
        person_id=femke.pk, requested_by=manager, status=ErasureStatus.RUNNING
    )
    long_ago = request.requested_at - dt.timedelta(hours=1)
    ErasureRequest.objects.filter(pk=request.pk).update(requested_at=long_ago, started_at=long_ago)
    body = _get(manager, request.pk).json()
    assert body["status"] == "failed" and body["outcome"]


@pytest.mark.parametrize("role", ["networker", "read_only"])
def test_a_member_who_may_not_erase_does_not_find_the_request(manager, role):
    request = ErasureRequest.objects.create(person_id=_femke(manager).pk, requested_by=manager)
    assert _get(MemberFactory(role=role), request.pk).status_code == 404


def test_an_unknown_request_is_not_found(manager):
    assert _get(manager, 424242).status_code == 404
