"""Tags are shared by everyone: one member adds at most GILDE_NEW_TAGS_PER_DAY new ones in any
24 hours (and at most ten in one save); the API answers more with 429, the page with a message,
and nothing is saved."""

from __future__ import annotations

import datetime as dt

from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from gilde.accounts.services import api_token_create
from gilde.relations.models import Person, Tag
from tests.accounts.test_api import Api
from tests.conftest import client_for
from tests.factories import PersonFactory


def _api(member) -> Api:
    return Api(api_token_create(member=member, name="tags")[1])


def _person(tags: list[str]) -> dict:
    return {"family_name": "Berg", "tags": tags}


@override_settings(GILDE_NEW_TAGS_PER_DAY=12)
def test_a_member_adds_only_so_many_new_tags_a_day(owner, colleague):
    api = _api(owner)
    assert api.post("/persons", _person([f"eerste-{n}" for n in range(10)])).status_code == 201
    refused = api.post("/persons", _person([f"tweede-{n}" for n in range(3)]))
    assert refused.status_code == 429
    assert "12" in refused.json()["detail"][0]["msg"]
    assert Tag.objects.count() == 10 and Person.objects.count() == 1
    # Tags that exist already are no new tags; another colleague has a day of their own.
    assert api.post("/persons", _person([f"eerste-{n}" for n in range(10)])).status_code == 201
    assert _api(colleague).post("/persons", _person(["tweede-1"])).status_code == 201


@override_settings(GILDE_NEW_TAGS_PER_DAY=12)
def test_the_day_is_any_24_hours(owner):
    api = _api(owner)
    api.post("/persons", _person([f"eerste-{n}" for n in range(10)]))
    Tag.objects.update(created_at=timezone.now() - dt.timedelta(hours=25))
    assert api.post("/persons", _person([f"tweede-{n}" for n in range(10)])).status_code == 201


@override_settings(GILDE_NEW_TAGS_PER_DAY=2)
def test_the_person_form_says_why_it_refuses_new_tags(owner):
    person = PersonFactory(owner=owner)
    _api(owner).patch(f"/persons/{person.pk}", {"tags": ["een", "twee"]})
    person.refresh_from_db()
    response = client_for(owner).post(
        reverse("person_edit", args=[person.pk]),
        {
            "family_name": person.family_name,
            "language": "nl",
            "tags": "een, twee, drie",
            "version": person.version,
            "addresses-TOTAL_FORMS": "0",
            "addresses-INITIAL_FORMS": "0",
        },
    )
    assert "hoogstens 2 per dag" in response.content.decode()
    assert not Tag.objects.filter(name="drie").exists()


@override_settings(GILDE_NEW_TAGS_PER_DAY=3)
def test_event_themes_count_toward_the_same_daily_limit(owner):
    from gilde.events.models import Event

    api = _api(owner)
    api.post("/persons", _person(["een", "twee"]))
    event = {
        "kind": "dinner",
        "title": "Diner",
        "starts_at": "2027-03-01T18:00:00+01:00",
        "ends_at": "2027-03-01T21:00:00+01:00",
        "themes": ["drie", "vier"],
    }
    refused = api.post("/events", event)
    assert refused.status_code == 429
    assert not Event.objects.exists() and not Tag.objects.filter(name="drie").exists()
    # Existing tags are no new tags.
    assert api.post("/events", {**event, "themes": ["een", "twee"]}).status_code == 201
    response = client_for(owner).post(
        reverse("events:create"),
        {
            "kind": "dinner",
            "title": "Tweede diner",
            "starts_at": "2027-03-02T18:00",
            "ends_at": "2027-03-02T21:00",
            "language": "nl",
            "visibility": "organisation",
            "themes": "drie, vier",
            "organisers": [owner.pk],
        },
    )
    assert "hoogstens 3 per dag" in response.content.decode()
    assert Event.objects.count() == 1
