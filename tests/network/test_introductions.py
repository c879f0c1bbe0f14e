"""Warm introductions on the pages, in the API and on the command line: the best paths, each
step explained, and asking for one makes a follow-up for the colleague who starts the path."""

from __future__ import annotations

import json
from io import StringIO
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from django.utils import translation

from gilde.accounts.models import Member
from gilde.accounts.services import api_token_create
from gilde.contacts.models import FollowUp
from gilde.network.introductions import warm_paths
from tests.conftest import client_for
from tests.factories import AffiliationFactory, OrganisationFactory, PersonFactory, TieFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(owner: Member, colleague: Member) -> dict[str, Any]:
    """Jeroen (owner) knows Anna well, Sanne (colleague) knows Bram a little; Anna and Bram
    both know Carla, who works at Rijnbouw as director."""
    anna = PersonFactory(given_name="Anna", family_name="Aalders", tussenvoegsel="")
    bram = PersonFactory(given_name="Bram", family_name="Bos", tussenvoegsel="")
    carla = PersonFactory(given_name="Carla", family_name="Claes", tussenvoegsel="")
    org = OrganisationFactory(name="Rijnbouw")
    TieFactory(member=owner, person=anna, strength=5)
    TieFactory(member=colleague, person=bram, strength=1)
    TieFactory(member=None, other_person=anna, person=carla, strength=5)
    TieFactory(member=None, other_person=bram, person=carla, strength=2)
    AffiliationFactory(person=carla, organisation=org, role="directeur")
    return {"anna": anna, "bram": bram, "carla": carla, "org": org}


def test_the_strongest_path_comes_first_with_each_step_explained(
    world: dict[str, Any], owner: Member, colleague: Member
) -> None:
    with translation.override("en"):
        paths = warm_paths(owner.user, person=world["carla"])
    assert [p.colleague for p in paths] == [owner, colleague]
    assert paths[0].score > paths[1].score
    assert paths[0].route == "Jeroen Jansen → Anna Aalders → Carla Claes".replace(
        "Jeroen Jansen", owner.name
    )
    assert paths[0].steps[1].text == "Anna Aalders knows Carla Claes (declared strength 5 of 5)"
    assert [i.person for i in paths[0].intermediaries] == [world["anna"]]


def test_a_path_to_an_organisation_ends_with_the_job(world: dict[str, Any], owner: Member) -> None:
    with translation.override("en"):
        paths = warm_paths(owner.user, organisation=world["org"])
    assert paths[0].steps[-1].text == "Carla Claes works at Rijnbouw as directeur"
    with translation.override("nl"):
        paths = warm_paths(owner.user, organisation=world["org"])
    assert paths[0].steps[-1].text == "Carla Claes werkt bij Rijnbouw als directeur"


def test_paths_from_one_colleague_start_with_them(
    world: dict[str, Any], owner: Member, colleague: Member
) -> None:
    paths = warm_paths(owner.user, person=world["carla"], member=colleague)
    assert [p.colleague for p in paths] == [colleague]


def test_the_panel_shows_paths_and_asking_makes_a_follow_up_for_the_colleague(
    world: dict[str, Any], owner: Member, colleague: Member
) -> None:
    client = client_for(colleague)
    page = client.get(reverse("person_detail", args=[world["carla"].pk]))
    assert reverse("network:person_paths", args=[world["carla"].pk]) in page.content.decode()
    panel = client.get(reverse("network:person_paths", args=[world["carla"].pk]))
    assert "Anna Aalders kent Carla Claes" in panel.content.decode()
    asked = client.post(
        reverse("network:person_ask", args=[world["carla"].pk]),
        {"path": "1"},
        HTTP_HX_REQUEST="true",
    )
    assert asked.status_code == 200
    follow_up = FollowUp.objects.get()
    assert follow_up.owner == owner
    assert follow_up.person == world["anna"]
    assert "Carla Claes" in follow_up.title and "Anna Aalders" in follow_up.title
    assert owner.name in asked.content.decode()


def test_a_reader_may_not_ask_for_an_introduction(world: dict[str, Any], reader: Member) -> None:
    response = client_for(reader).post(
        reverse("network:person_ask", args=[world["carla"].pk]), {"path": "1"}
    )
    assert response.status_code == 403
    assert not FollowUp.objects.exists()


def test_asking_for_a_path_that_is_not_there_changes_nothing(
    world: dict[str, Any], owner: Member
) -> None:
    response = client_for(owner).post(
        reverse("network:person_ask", args=[world["carla"].pk]), {"path": "3"}
    )
    assert response.status_code == 422
    assert "bestaat niet meer" in response.content.decode()
    assert not FollowUp.objects.exists()


def _api(member: Member) -> tuple[Client, dict[str, str]]:
    _token, key = api_token_create(member=member, name="test")
    return Client(), {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def test_the_api_gives_the_paths_and_asks_for_the_introduction(
    world: dict[str, Any], owner: Member
) -> None:
    client, auth = _api(owner)
    paths = client.get(f"/api/v1/persons/{world['carla'].pk}/warm-paths", **auth).json()
    assert paths[0]["colleague"]["id"] == owner.pk
    assert paths[0]["steps"][0]["to"] == {
        "type": "person",
        "id": world["anna"].pk,
        "name": "Anna Aalders",
    }
    asked = client.post(
        f"/api/v1/persons/{world['carla'].pk}/introductions",
        json.dumps({"path": 2}),
        content_type="application/json",
        **auth,
    )
    assert asked.status_code == 201
    assert FollowUp.objects.get(pk=asked.json()["follow_up_id"]).person == world["bram"]


def test_the_api_reach_counts_the_visible_network(world: dict[str, Any], owner: Member) -> None:
    client, auth = _api(owner)
    reach = client.get("/api/v1/network/reach", **auth).json()
    assert (reach["first_persons"], reach["second_persons"]) == (2, 1)
    assert reach["efficiency"] == 0.5
    mine = client.get(f"/api/v1/network/reach?member_id={owner.pk}", **auth).json()
    assert (mine["first_persons"], mine["second_persons"]) == (1, 1)


def test_the_command_line_prints_paths_and_reach(world: dict[str, Any], owner: Member) -> None:
    out = StringIO()
    call_command(
        "network", "paths", "--member", "eigenaar", "--to", str(world["carla"].pk), stdout=out
    )
    assert "Anna Aalders kent Carla Claes" in out.getvalue()
    out = StringIO()
    call_command("network", "reach", "--member", "eigenaar", "--json", stdout=out)
    assert json.loads(out.getvalue())["first_persons"] == 1


def test_the_command_line_refuses_a_department_of_nobody_and_person_zero(
    world: dict[str, Any], owner: Member
) -> None:
    with pytest.raises(CommandError, match="--department: no colleague works in 'Nergens'"):
        call_command("network", "reach", "--member", "eigenaar", "--department", "Nergens")
    with pytest.raises(CommandError, match="No such person or organisation"):
        call_command("network", "paths", "--member", "eigenaar", "--to", "0")


def test_the_network_page_shows_reach_risk_and_brokers(
    world: dict[str, Any], owner: Member
) -> None:
    page = client_for(owner).get(reverse("network:overview"), {"member": owner.pk})
    text = page.content.decode()
    assert page.status_code == 200
    assert "Wat we kwijtraken zonder" in text
    assert "Afhankelijkheid van één collega" in text and "Verbinders" in text
