"""403, 404 and 500 answer with Gilde's own page: the menu, the user's language, a way back."""

from __future__ import annotations

from django.db import OperationalError
from django.test import RequestFactory
from django.urls import reverse
from django.utils import translation

from gilde.core.views import server_error


def test_a_networker_on_a_managers_page_gets_a_dutch_page_with_the_menu(owner_client):
    response = owner_client.get(reverse("maintenance_going_cold"))
    assert response.status_code == 403
    page = response.content.decode()
    assert "Niet toegestaan" in page
    assert "Alleen een relatienetwerkmanager" in page
    assert reverse("person_list") in page  # the menu
    assert "403 Forbidden" not in page


def test_the_403_page_speaks_english_to_an_english_colleague(owner, owner_client):
    owner.language = "en"
    owner.save()
    page = owner_client.get(reverse("maintenance_going_cold")).content.decode()
    assert "Not allowed" in page
    assert "Back to the dashboard" in page


def test_an_unknown_relation_gets_a_dutch_404_with_the_menu(owner_client):
    response = owner_client.get(reverse("person_detail", args=[987654]))
    assert response.status_code == 404
    page = response.content.decode()
    assert "Pagina niet gevonden" in page
    assert reverse("organisation_list") in page
    assert "<h1>Not Found</h1>" not in page


def test_the_500_page_has_the_menu_and_the_users_language(owner):
    request = RequestFactory().get("/")
    request.user = owner.user
    with translation.override("nl"):
        response = server_error(request)
    assert response.status_code == 500
    page = response.content.decode()
    assert "Er ging iets mis" in page
    assert reverse("person_list") in page


def test_the_500_page_still_answers_when_the_menu_cannot_be_drawn(owner, monkeypatch):
    def database_gone(user):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr("gilde.core.context.visibility.member_of", database_gone)
    request = RequestFactory().get("/")
    request.user = owner.user
    with translation.override("en"):
        response = server_error(request)
    assert response.status_code == 500
    page = response.content.decode()
    assert "Something went wrong" in page
    assert reverse("person_list") not in page
