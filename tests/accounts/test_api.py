"""The JSON API: tokens, CRUD, validation errors and 404s, through the same scope as the pages."""

from __future__ import annotations

import json

import pytest
from django.test import Client
from django.urls import reverse

from gilde.accounts.models import ApiToken
from gilde.accounts.services import api_token_create, api_token_revoke
from gilde.relations.models import Person
from tests.factories import NoteFactory, OrganisationFactory, PersonFactory


class Api:
    def __init__(self, token: str) -> None:
        self.client = Client()
        self.headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"}

    def get(self, path, **params):
        return self.client.get(f"/api/v1{path}", params, **self.headers)

    def post(self, path, body):
        return self.client.post(
            f"/api/v1{path}", json.dumps(body), content_type="application/json", **self.headers
        )

    def patch(self, path, body):
        return self.client.patch(
            f"/api/v1{path}", json.dumps(body), content_type="application/json", **self.headers
        )

    def delete(self, path):
        return self.client.delete(f"/api/v1{path}", **self.headers)


@pytest.fixture
def api(owner) -> Api:
    return Api(api_token_create(member=owner, name="test")[1])


def test_the_token_is_stored_hashed(owner):
    token, raw = api_token_create(member=owner, name="script")
    assert raw not in token.key_hash and raw.startswith("gld_")
    assert ApiToken.find(raw) == token


def test_no_token_answers_401(db):
    response = Client().get("/api/v1/persons")
    assert response.status_code == 401


def test_a_revoked_token_answers_401(owner):
    token, raw = api_token_create(member=owner, name="old")
    api_token_revoke(member=owner, token=token)
    assert Api(raw).get("/persons").status_code == 401


def test_the_openapi_schema_is_public(db):
    response = Client().get("/api/v1/openapi.json")
    assert response.status_code == 200
    assert "/api/v1/persons" in response.json()["paths"]


def test_create_read_update_delete_a_person(api):
    created = api.post(
        "/persons",
        {
            "given_name": "Jan",
            "tussenvoegsel": "van der",
            "family_name": "Berg",
            "tier": "A",
            "emails": ["jan@rijnbouw.nl"],
            "tags": ["bestuur"],
            "stakeholder_types": ["client"],
        },
    )
    assert created.status_code == 201, created.content
    pid = created.json()["id"]
    assert created.json()["listed_name"] == "Berg, Jan van der"
    assert api.get(f"/persons/{pid}").json()["emails"] == ["jan@rijnbouw.nl"]
    assert api.patch(f"/persons/{pid}", {"tier": "B"}).json()["tier"] == "B"
    assert api.get("/persons", q="van der berg").json()["count"] == 1
    assert api.delete(f"/persons/{pid}").status_code == 204
    assert api.get(f"/persons/{pid}").status_code == 404


def test_invalid_input_answers_422_with_field_messages(api):
    response = api.post("/persons", {"family_name": "Berg", "emails": ["geen-adres"]})
    assert response.status_code == 422
    assert "emails" in response.json()["detail"][0]["loc"]
    assert api.post("/persons", {"given_name": "Jan"}).status_code == 422
    assert api.post("/persons", {"family_name": "Berg", "tier": "Z"}).status_code == 422
    assert Person.objects.count() == 0


def test_unknown_ids_answer_404(api):
    assert api.get("/persons/999999").status_code == 404
    assert api.patch("/organisations/999999", {"name": "x"}).status_code == 404
    assert api.post("/ties", {"person_id": 999999}).status_code == 404


def test_malformed_json_answers_4xx_not_500(api):
    response = api.client.post(
        "/api/v1/persons", "{not json", content_type="application/json", **api.headers
    )
    assert 400 <= response.status_code < 500


def test_organisations_affiliations_ties_and_contact_moments(api, owner):
    org = api.post("/organisations", {"name": "Deltabouw", "sector": "construction"}).json()
    person = api.post("/persons", {"family_name": "Wit"}).json()
    affiliation = api.post(
        "/affiliations", {"person_id": person["id"], "organisation_id": org["id"], "role": "CFO"}
    )
    assert affiliation.status_code == 201 and affiliation.json()["is_current"]
    tie = api.post("/ties", {"person_id": person["id"], "strength": 4})
    assert tie.status_code == 201 and tie.json()["member_id"] == owner.pk
    assert api.post("/ties", {"person_id": person["id"]}).status_code == 422  # duplicate
    moment = api.post(
        "/contact-moments",
        {
            "occurred_at": "2025-05-01T10:00:00+02:00",
            "kind": "lunch",
            "person_ids": [person["id"]],
            "summary": "Lunch",
        },
    )
    assert moment.status_code == 201, moment.content
    assert moment.json()["member_ids"] == [owner.pk]
    assert api.get("/contact-moments", person_id=person["id"]).json()["count"] == 1
    assert (
        api.post(
            "/contact-moments",
            {"occurred_at": "2025-05-01T10:00:00Z", "person_ids": [999999], "summary": "x"},
        ).status_code
        == 404
    )


def test_a_read_only_token_cannot_write(reader):
    raw = api_token_create(member=reader, name="r")[1]
    assert Api(raw).post("/persons", {"family_name": "Berg"}).status_code == 403


def test_a_colleague_cannot_change_my_person_through_the_api(owner, colleague):
    person = PersonFactory(owner=owner)
    raw = api_token_create(member=colleague, name="c")[1]
    assert Api(raw).patch(f"/persons/{person.pk}", {"family_name": "X"}).status_code == 403


def test_the_api_does_not_expose_private_notes(api, colleague):
    person = PersonFactory()
    NoteFactory(person=person, author=colleague, text="geheim", is_private=True)
    assert "geheim" not in api.get(f"/persons/{person.pk}").content.decode()


def test_the_token_page_shows_a_new_token_once(owner_client):
    import re

    response = owner_client.post(reverse("token_list"), {"name": "Excel-koppeling"})
    raw = re.search(r'id="new-token">(gld_[^<]+)<', response.content.decode()).group(1)
    assert ApiToken.find(raw) is not None
    assert raw not in owner_client.get(reverse("token_list")).content.decode()


def test_organisation_filters_through_the_api(api):
    OrganisationFactory(name="Zonnepark Noord", sector="energy")
    OrganisationFactory(name="Bouwbedrijf", sector="construction")
    assert [o["name"] for o in api.get("/organisations", sector="energy").json()["items"]] == [
        "Zonnepark Noord"
    ]


def test_the_address_through_the_api(api):
    created = api.post(
        "/persons",
        {
            "family_name": "Adres",
            "address": {"street": "Kerkstraat 1", "postal_code": "1011 AA", "city": "Amsterdam"},
        },
    ).json()
    assert created["address"]["city"] == "Amsterdam"
    changed = api.patch(
        f"/persons/{created['id']}", {"address": {"street": "", "postal_code": "", "city": ""}}
    ).json()
    assert changed["address"] is None
