"""The network kind chosen at first run, its vocabulary, and the goal page."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import translation

from gilde.members.models import Network, NetworkKind
from gilde.members.network import network_kind, words_for
from gilde.members.services import network_goal_update, network_setup
from tests.conftest import client_for


def test_an_installation_is_an_organisation_until_its_kind_is_chosen(db):
    assert network_kind() == NetworkKind.ORGANISATION
    assert not Network.objects.exists()


def test_the_coordinator_chooses_a_member_network_at_first_run(manager_client, manager):
    response = manager_client.post(reverse("members:setup"), {"kind": "members"})
    assert response.status_code == 302
    network = Network.objects.get()
    assert network.kind == NetworkKind.MEMBERS and network.kind_chosen_at is not None


def test_a_member_may_not_choose_the_kind(owner):
    with pytest.raises(PermissionDenied):
        network_setup(actor=owner, kind=NetworkKind.MEMBERS)


def test_an_unknown_kind_is_refused(manager):
    with pytest.raises(ValidationError):
        network_setup(actor=manager, kind="club")
    assert not Network.objects.filter(kind="club").exists()


def test_the_words_follow_the_kind_in_both_languages():
    with translation.override("nl"):
        assert str(words_for(NetworkKind.ORGANISATION)["colleagues"]) == "Collega's"
        assert str(words_for(NetworkKind.MEMBERS)["colleagues"]) == "Leden"
    with translation.override("en"):
        assert str(words_for(NetworkKind.MEMBERS)["colleagues"]) == "Members"


def test_the_main_menu_says_members_in_a_member_network(owner_client, network):
    page = owner_client.get(reverse("dashboard"), HTTP_ACCEPT_LANGUAGE="nl")
    html = page.content.decode()
    assert f'href="{reverse("members:directory")}">Leden</a>' in html
    assert ">Collega&#x27;s</a>" not in html


def test_the_main_menu_says_colleagues_in_an_organisation(owner_client):
    html = owner_client.get(reverse("dashboard")).content.decode()
    assert f'href="{reverse("member_list")}">Collega&#x27;s</a>' in html


def test_every_member_reads_the_goal(colleague, network):
    page = client_for(colleague).get(reverse("members:goal"))
    assert "Meer werk in de regio houden." in page.content.decode()
    assert "Kom naar de meeste bijeenkomsten." in page.content.decode()


def test_only_the_coordinator_changes_the_goal(owner, manager, network):
    with pytest.raises(PermissionDenied):
        network_goal_update(actor=owner, goal="Iets anders")
    assert Network.objects.get().goal == "Meer werk in de regio houden."
    response = client_for(manager).post(
        reverse("members:goal_edit"),
        {
            "name": "Kring",
            "goal": "Samen sterker",
            "objectives": "",
            "expectations": "",
            "how_to_join": "",
        },
    )
    assert response.status_code == 302
    assert Network.objects.get().goal == "Samen sterker"


def test_the_first_steps_ask_the_coordinator_to_choose_the_kind(manager_client, manager):
    page = manager_client.get(reverse("dashboard")).content.decode()
    assert "Kies het soort netwerk" in page
    network_setup(actor=manager, kind=NetworkKind.ORGANISATION)
    assert "Kies het soort netwerk" not in manager_client.get(reverse("dashboard")).content.decode()
