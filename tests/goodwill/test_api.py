"""Favours, balances and signals through the JSON API, in the same scope as the pages."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from gilde.accounts.services import api_token_create
from gilde.goodwill.models import Favour
from tests.accounts.test_api import Api
from tests.factories import ContactMomentFactory, OrganisationFactory, PersonFactory
from tests.goodwill.factories import FavourFactory


@pytest.fixture
def api(owner) -> Api:
    return Api(api_token_create(member=owner, name="test")[1])


def test_a_favour_is_created_read_changed_and_deleted(api, owner):
    person = PersonFactory()
    response = api.post(
        "/favours",
        {"person_id": person.pk, "direction": "received", "kind": "referral", "note": "Klant"},
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["member_id"] == owner.pk and body["occurred_on"] == timezone.localdate().isoformat()
    favour_id = body["id"]
    assert api.get(f"/favours/{favour_id}").json()["kind"] == "referral"
    assert api.patch(f"/favours/{favour_id}", {"kind": "help"}).json()["kind"] == "help"
    assert api.get("/favours", person_id=person.pk).json()["count"] == 1
    assert api.delete(f"/favours/{favour_id}").status_code == 204
    assert not Favour.objects.exists()


def test_invalid_favours_answer_422_and_save_nothing(api):
    person = PersonFactory()
    future = (timezone.localdate() + dt.timedelta(days=5)).isoformat()
    for body in (
        {"person_id": person.pk, "direction": "sideways", "kind": "gift"},
        {"person_id": person.pk, "direction": "given", "kind": "gift", "occurred_on": future},
        {"direction": "given", "kind": "gift"},
    ):
        assert api.post("/favours", body).status_code == 422, body
    assert not Favour.objects.exists()


def test_unknown_relations_answer_404(api):
    body = {"person_id": 999_999, "direction": "given", "kind": "gift"}
    assert api.post("/favours", body).status_code == 404
    assert api.get("/favours/999999").status_code == 404


def test_a_read_only_member_gets_403(reader):
    api = Api(api_token_create(member=reader, name="t")[1])
    person = PersonFactory()
    response = api.post("/favours", {"person_id": person.pk, "direction": "given", "kind": "gift"})
    assert response.status_code == 403
    favour = FavourFactory(person=person)
    assert api.patch(f"/favours/{favour.pk}", {"kind": "help"}).status_code == 403
    assert api.delete(f"/favours/{favour.pk}").status_code == 403
    assert api.get(f"/favours/{favour.pk}").status_code == 200


def test_a_colleague_may_not_change_my_favour(api, colleague):
    favour = FavourFactory(member=colleague)
    assert api.patch(f"/favours/{favour.pk}", {"note": "x"}).status_code == 403


def test_the_balance_per_person_and_organisation(api):
    person = PersonFactory()
    FavourFactory(person=person, kind="introduction")
    org = OrganisationFactory()
    FavourFactory(person=None, organisation=org, direction="given", kind="referral")
    body = api.get(f"/persons/{person.pk}/goodwill").json()
    assert body == {
        "given": 0.0,
        "received": 3.0,
        "points": -3.0,
        "given_count": 0,
        "received_count": 1,
        "state": "owe",
    }
    assert api.get(f"/organisations/{org.pk}/goodwill").json()["state"] == "ahead"
    assert api.get("/persons/999999/goodwill").status_code == 404


def test_the_give_back_list(api):
    taker = PersonFactory(given_name="Nina", tussenvoegsel="", family_name="Nemer")
    FavourFactory(person=taker, kind="introduction")
    FavourFactory(person=PersonFactory(), direction="given")
    body = api.get("/goodwill/give-back").json()
    assert body["count"] == 1
    assert body["items"][0]["id"] == taker.pk and body["items"][0]["name"] == "Nina Nemer"


def test_the_signals_list_with_filters(api):
    energy = OrganisationFactory(sector="energy")
    ContactMomentFactory(
        signals="Windpark gaat door", organisation=energy, persons=[PersonFactory()]
    )
    ContactMomentFactory(signals="Zorgbudget krimpt", persons=[PersonFactory()])
    ContactMomentFactory(signals="")
    assert api.get("/signals").json()["count"] == 2
    body = api.get("/signals", sector="energy").json()
    assert [item["signals"] for item in body["items"]] == ["Windpark gaat door"]
    assert body["items"][0]["organisation_id"] == energy.pk
    assert api.get("/signals", q="zorgbudget").json()["count"] == 1
