"""A favour on a relation the user cannot see does not exist for them, on every path."""

from __future__ import annotations

import pytest
from django.urls import reverse

from gilde import visibility
from gilde.accounts.services import api_token_create
from gilde.goodwill import selectors
from tests.accounts.test_api import Api
from tests.conftest import client_for
from tests.factories import PersonFactory
from tests.goodwill.factories import FavourFactory


def test_a_login_without_a_member_sees_no_favours(outsider, owner):
    FavourFactory(member=owner)
    assert visibility.favours(outsider).count() == 0
    assert list(selectors.give_back_list(user=outsider)) == []
    assert client_for(outsider).get(reverse("give_back")).status_code == 404


def test_members_see_the_favours_of_colleagues(owner, colleague):
    FavourFactory(member=owner)
    assert visibility.favours(colleague.user).count() == 1


@pytest.fixture
def hidden_person(owner, colleague):
    """A confidential person that the colleague may not see (when the scope hides them)."""
    person = PersonFactory(family_name="Verborgen", confidential=True)
    person.confidential_members.add(owner)
    if visibility.persons(colleague.user).filter(pk=person.pk).exists():
        pytest.skip("the person scope does not hide confidential persons")
    return person


def test_favours_with_a_hidden_person_do_not_exist_for_the_user(hidden_person, owner, colleague):
    favour = FavourFactory(person=hidden_person, member=owner, kind="referral")
    assert visibility.favours(colleague.user).count() == 0
    assert list(selectors.give_back_list(user=colleague.user)) == []
    client = client_for(colleague)
    assert client.get(reverse("favour_edit", args=[favour.pk])).status_code == 404
    assert "Verborgen" not in client.get(reverse("give_back")).content.decode()
    api = Api(api_token_create(member=colleague, name="t")[1])
    assert api.get(f"/favours/{favour.pk}").status_code == 404
    assert api.get("/favours").json()["count"] == 0
    assert api.get(f"/persons/{hidden_person.pk}/goodwill").status_code == 404
    assert visibility.favours(owner.user).count() == 1
