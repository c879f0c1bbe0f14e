"""Odd input answers a clear refusal (or simply matches nothing) and changes nothing: a digit that
is not ASCII, an id no column can hold, a time without a UTC offset, an explicit null, a page
past the end of the world, a path the API does not have."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from gilde.accounts.services import api_token_create
from gilde.contacts.models import ContactMoment, FollowUp
from gilde.core.web import MAX_ID, parse_id
from tests.accounts.test_api import Api
from tests.conftest import client_for
from tests.factories import OrganisationFactory, PersonFactory

# "²" is a digit to str.isdigit() but not to int(); the other is larger than any 64-bit id.
ODD_NUMBERS = ["²", "٣", "99999999999999999999999", "-1", "1e3", " 7"]


@pytest.fixture
def api(owner) -> Api:
    return Api(api_token_create(member=owner, name="test")[1])


@pytest.mark.parametrize("value", ODD_NUMBERS)
def test_an_odd_number_is_no_id(value):
    assert parse_id(value) is None


def test_an_id_as_large_as_a_column_holds_is_still_an_id():
    assert parse_id(str(MAX_ID)) == MAX_ID
    assert parse_id(str(MAX_ID + 1)) is None


@pytest.mark.parametrize("value", ODD_NUMBERS)
@pytest.mark.parametrize(
    "path, name",
    [
        ("person_list", "known_by"),
        ("person_export", "known_by"),
        ("maintenance_due", "member"),
        ("signal_list", "page"),
    ],
)
def test_pages_shrug_off_odd_numbers_in_their_filters(manager, value, path, name):
    PersonFactory(family_name="Berg")
    response = client_for(manager).get(reverse(path), {name: value})
    assert response.status_code == 200


@pytest.mark.parametrize("value", ODD_NUMBERS)
def test_choosing_an_odd_number_in_a_search_box_finds_nothing(owner, value):
    response = client_for(owner).get(
        reverse("person_search"), {"field": "person", "box": "person-box", "choose": value}
    )
    assert response.status_code == 404


def test_a_contact_time_without_offset_is_taken_as_local_time(api, owner):
    person = PersonFactory(owner=owner)
    response = api.post(
        "/contact-moments",
        {"occurred_at": "2026-01-05T10:00:00", "person_ids": [person.pk], "summary": "Koffie"},
    )
    assert response.status_code == 201
    moment = ContactMoment.objects.get(pk=response.json()["id"])
    local = timezone.localtime(moment.occurred_at, timezone.get_default_timezone())
    assert (local.hour, local.utcoffset()) == (10, dt.timedelta(hours=1))  # Amsterdam, winter


def test_a_contact_time_without_offset_can_be_changed_too(api, owner):
    person = PersonFactory(owner=owner)
    created = api.post(
        "/contact-moments",
        {"occurred_at": "2026-01-05T10:00:00Z", "person_ids": [person.pk], "summary": "Koffie"},
    ).json()
    response = api.patch(f"/contact-moments/{created['id']}", {"occurred_at": "2026-01-06T09:30"})
    assert response.status_code == 200
    assert response.json()["occurred_at"] == "2026-01-06T08:30:00Z"


@pytest.mark.parametrize("field", ["family_name", "given_name", "emails", "tags"])
def test_null_for_a_name_or_list_is_refused_and_changes_nothing(api, owner, field):
    person = PersonFactory(owner=owner, given_name="Jan", family_name="Berg")
    response = api.patch(f"/persons/{person.pk}", {field: None})
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"][-1] == field
    person.refresh_from_db()
    assert (person.given_name, person.family_name) == ("Jan", "Berg")


def test_null_clears_what_may_be_empty(api, owner):
    person = PersonFactory(owner=owner, birthday=dt.date(1970, 3, 1))
    response = api.patch(f"/persons/{person.pk}", {"birthday": None})
    assert response.status_code == 200
    person.refresh_from_db()
    assert person.birthday is None


def test_null_for_an_organisation_name_is_refused(manager):
    organisation = OrganisationFactory(name="Gemeente Utrecht")
    api = Api(api_token_create(member=manager, name="test")[1])
    response = api.patch(f"/organisations/{organisation.pk}", {"name": None})
    assert response.status_code == 422
    organisation.refresh_from_db()
    assert organisation.name == "Gemeente Utrecht"


@pytest.mark.parametrize(
    "params, field",
    [({"offset": "99999999999999999999999"}, "offset"), ({"limit": "100000"}, "limit")],
)
def test_a_page_past_any_table_or_too_large_is_refused(api, params, field):
    response = api.get("/persons", **params)
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"][-1] == field


def test_an_unknown_api_path_answers_json_404(api):
    response = api.get("/no-such-thing/7")
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found: no such API path."}


def test_a_follow_up_is_created_through_the_api_for_a_colleague(api, owner, colleague):
    person = PersonFactory(owner=owner)
    response = api.post(
        "/follow-ups",
        {
            "title": "Offerte sturen",
            "person_id": person.pk,
            "owner_id": colleague.pk,
            "due_date": "2030-01-15",
        },
    )
    assert response.status_code == 201
    body = response.json()
    assert (body["owner_id"], body["person_id"], body["due_date"]) == (
        colleague.pk,
        person.pk,
        "2030-01-15",
    )


def test_a_follow_up_about_a_hidden_relation_is_refused(api, colleague):
    hidden = PersonFactory(confidential=True, owner=colleague)
    response = api.post("/follow-ups", {"title": "Bellen", "person_id": hidden.pk})
    assert response.status_code == 404  # like any id that names nothing you may see
    assert not FollowUp.objects.exists()


def test_a_follow_up_without_a_title_is_refused(api):
    assert api.post("/follow-ups", {"title": ""}).status_code == 422
