"""Who introduced a colleague to a relation, recorded with their own tie and shown on the person
page only to those who may see the introducer."""

from __future__ import annotations

import pytest
from django.urls import reverse

from gilde.relations.models import Tie
from tests.conftest import client_for
from tests.factories import PersonFactory, TieFactory


@pytest.fixture
def person(owner):
    return PersonFactory(owner=owner, given_name="Pieter", tussenvoegsel="", family_name="Smit")


@pytest.fixture
def broker(owner):
    return PersonFactory(owner=owner, given_name="Cor", tussenvoegsel="", family_name="Verbinder")


@pytest.fixture
def secret(owner):
    """A confidential relation of `owner`, shared with no one."""
    return PersonFactory(
        owner=owner, given_name="Greta", tussenvoegsel="", family_name="Geheim", confidential=True
    )


def _tie_url(person):
    return reverse("tie_form", args=[person.pk])


def test_a_colleague_records_who_introduced_them(person, broker, colleague, colleague_client):
    response = colleague_client.post(
        _tie_url(person), {"strength": 4, "how_met": "introduction", "introduced_by": broker.pk}
    )
    assert response.status_code == 302
    tie = Tie.objects.get(member=colleague, person=person)
    assert tie.introduced_by == broker


def test_the_introducer_is_shown_on_the_person_page(person, broker, colleague, colleague_client):
    TieFactory(person=person, member=colleague, introduced_by=broker)
    page = colleague_client.get(reverse("person_detail", args=[person.pk])).content.decode()
    assert "geïntroduceerd door Cor Verbinder" in page


def test_the_introducer_is_chosen_by_typing(person, broker, colleague_client):
    page = colleague_client.get(_tie_url(person)).content.decode()
    assert reverse("person_search") in page and 'name="introduced_by"' in page
    assert "Cor Verbinder" not in page  # no <select> listing every relation


def test_the_form_shows_the_introducer_already_recorded(
    person, broker, colleague, colleague_client
):
    TieFactory(person=person, member=colleague, introduced_by=broker)
    page = colleague_client.get(_tie_url(person)).content.decode()
    assert "Cor Verbinder" in page and f'value="{broker.pk}"' in page


def test_a_person_hidden_from_the_user_cannot_be_chosen_as_introducer(
    person, secret, colleague, colleague_client
):
    response = colleague_client.post(_tie_url(person), {"strength": 3, "introduced_by": secret.pk})
    assert response.status_code == 200
    assert "errorlist" in response.content.decode()
    assert not Tie.objects.filter(member=colleague).exists()


def test_a_person_cannot_be_their_own_introducer(person, colleague, colleague_client):
    response = colleague_client.post(_tie_url(person), {"strength": 3, "introduced_by": person.pk})
    assert response.status_code == 200
    assert not Tie.objects.filter(member=colleague).exists()


def test_the_introducer_can_be_cleared(person, broker, colleague, colleague_client):
    tie = TieFactory(person=person, member=colleague, introduced_by=broker)
    colleague_client.post(_tie_url(person), {"strength": 3, "introduced_by": ""})
    tie.refresh_from_db()
    assert tie.introduced_by is None


def test_a_confidential_introducer_is_not_named_to_who_may_not_see_them(
    person, secret, colleague, colleague_client
):
    TieFactory(person=person, member=colleague, introduced_by=secret)
    page = colleague_client.get(reverse("person_detail", args=[person.pk])).content.decode()
    assert "Geheim" not in page and "geïntroduceerd door" not in page


def test_a_confidential_introducer_is_named_to_their_owner(person, secret, owner, colleague):
    TieFactory(person=person, member=colleague, introduced_by=secret)
    page = client_for(owner).get(reverse("person_detail", args=[person.pk])).content.decode()
    assert "geïntroduceerd door Greta Geheim" in page


def test_changing_the_tie_keeps_an_introducer_the_user_may_not_see(
    person, secret, colleague, colleague_client
):
    tie = TieFactory(person=person, member=colleague, introduced_by=secret)
    form = colleague_client.get(_tie_url(person)).content.decode()
    assert "Geheim" not in form and 'name="introduced_by"' not in form
    response = colleague_client.post(_tie_url(person), {"strength": 5, "introduced_by": ""})
    assert response.status_code == 302
    tie.refresh_from_db()
    assert (tie.strength, tie.introduced_by) == (5, secret)


def test_a_reader_may_not_record_an_introducer(person, broker, reader):
    response = client_for(reader).post(
        _tie_url(person), {"strength": 3, "introduced_by": broker.pk}
    )
    assert response.status_code == 403
    assert not Tie.objects.exists()
