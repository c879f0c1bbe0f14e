"""The strategy's API: themes, a relation's themes, linking, coverage and the heatmap; a hidden
relation is not there for those who may not see it."""

from __future__ import annotations

from gilde.accounts.services import api_token_create
from tests.accounts.test_api import Api
from tests.factories import PersonFactory
from tests.strategy.factories import ThemeFactory, ThemeLinkFactory


def test_link_a_person_and_read_the_coverage(owner):
    api = Api(api_token_create(member=owner, name="t")[1])
    theme, person = ThemeFactory(name="Energie"), PersonFactory()
    response = api.post(
        f"/strategy/themes/{theme.pk}/links",
        {"person_id": person.pk, "role": "influencer", "importance": 3},
    )
    assert response.status_code == 201 and response.json()["role"] == "influencer"
    assert [t["name"] for t in api.get("/strategy/themes").json()] == ["Energie"]
    assert api.get(f"/persons/{person.pk}/themes").json()[0]["theme_id"] == theme.pk
    coverage = api.get(f"/strategy/themes/{theme.pk}/coverage").json()
    assert coverage["linked"] == 1 and coverage["by_role"] == {"influencer": 1}


def test_a_hidden_person_is_not_in_the_api(owner, colleague):
    api = Api(api_token_create(member=colleague, name="t")[1])
    theme = ThemeFactory()
    secret = PersonFactory(confidential=True, owner=owner)
    link = ThemeLinkFactory(theme=theme, person=secret)
    assert api.get(f"/strategy/themes/{theme.pk}/coverage").json()["linked"] == 0
    assert api.get(f"/persons/{secret.pk}/themes").status_code == 404
    assert api.delete(f"/strategy/theme-links/{link.pk}").status_code == 404
    assert api.get("/strategy/heatmap").json() == []
