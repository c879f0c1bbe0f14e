"""The goodwill panel on relation pages, recording a favour there, and the give-back list."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from gilde.goodwill.models import Favour
from tests.conftest import client_for
from tests.factories import OrganisationFactory, PersonFactory
from tests.goodwill.factories import FavourFactory


def favour_data(**overrides: str) -> dict[str, str]:
    return {
        "direction": "given",
        "kind": "introduction",
        "occurred_on": timezone.localdate().isoformat(),
        "note": "Voorgesteld aan de wethouder",
        **overrides,
    }


def test_the_person_page_shows_the_balance_and_recent_favours(owner, owner_client):
    person = PersonFactory()
    FavourFactory(person=person, member=owner, kind="referral", note="Klant doorverwezen")
    page = owner_client.get(reverse("person_detail", args=[person.pk])).content.decode()
    assert "goodwill-panel" in page
    assert "Klant doorverwezen" in page
    assert "Tijd om iets terug te doen" in page  # one referral received, nothing given


def test_the_organisation_page_shows_its_own_balance(owner_client):
    org = OrganisationFactory()
    FavourFactory(person=None, organisation=org, direction="given", note="Uitgenodigd voor diner")
    page = owner_client.get(reverse("organisation_detail", args=[org.pk])).content.decode()
    assert "Uitgenodigd voor diner" in page


def test_recording_a_favour_with_htmx_redraws_only_the_panel(owner, owner_client):
    person = PersonFactory()
    response = owner_client.post(
        reverse("favour_record_person", args=[person.pk]), favour_data(), HTTP_HX_REQUEST="true"
    )
    html = response.content.decode()
    assert response.status_code == 200 and "<html" not in html
    assert "Voorgesteld aan de wethouder" in html
    favour = Favour.objects.get()
    assert favour.person == person and favour.member == owner and favour.direction == "given"


def test_recording_a_favour_without_javascript_returns_to_the_page(owner_client):
    org = OrganisationFactory()
    response = owner_client.post(
        reverse("favour_record_organisation", args=[org.pk]), favour_data()
    )
    assert response.status_code == 302 and response["Location"] == org.get_absolute_url()
    assert Favour.objects.get().organisation == org


def test_a_bad_favour_shows_the_error_and_saves_nothing(owner_client):
    person = PersonFactory()
    future = (timezone.localdate() + dt.timedelta(days=3)).isoformat()
    response = owner_client.post(
        reverse("favour_record_person", args=[person.pk]),
        favour_data(occurred_on=future),
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert "toekomst" in response.content.decode()
    response = owner_client.post(
        reverse("favour_record_person", args=[person.pk]), favour_data(kind="omkoping")
    )
    assert response.status_code == 422
    assert not Favour.objects.exists()


def test_a_read_only_member_sees_no_form_and_cannot_record(reader):
    person = PersonFactory()
    client = client_for(reader)
    page = client.get(reverse("person_detail", args=[person.pk])).content.decode()
    assert "goodwill-panel" in page and "favours/" not in page
    response = client.post(reverse("favour_record_person", args=[person.pk]), favour_data())
    assert response.status_code == 403
    assert not Favour.objects.exists()


def test_an_outsider_cannot_record_or_edit_favours(outsider, owner):
    person = PersonFactory()
    favour = FavourFactory(person=person, member=owner)
    client = client_for(outsider)
    assert (
        client.post(reverse("favour_record_person", args=[person.pk]), favour_data()).status_code
        == 404
    )
    assert client.get(reverse("favour_edit", args=[favour.pk])).status_code == 404
    assert client.post(reverse("favour_delete", args=[favour.pk])).status_code == 404
    assert Favour.objects.count() == 1


def test_the_recorder_edits_and_deletes_a_favour(owner, owner_client):
    favour = FavourFactory(member=owner)
    response = owner_client.post(
        reverse("favour_edit", args=[favour.pk]), favour_data(kind="help", note="Meegedacht")
    )
    assert response.status_code == 302
    favour.refresh_from_db()
    assert favour.kind == "help" and favour.note == "Meegedacht"
    owner_client.post(reverse("favour_delete", args=[favour.pk]))
    assert not Favour.objects.exists()


def test_a_colleague_may_not_edit_someone_elses_favour(owner, colleague):
    favour = FavourFactory(member=owner)
    client = client_for(colleague)
    assert client.get(reverse("favour_edit", args=[favour.pk])).status_code == 403
    assert client.post(reverse("favour_delete", args=[favour.pk])).status_code == 403


def test_the_give_back_page_lists_relations_we_took_from(owner_client):
    taker = PersonFactory(family_name="Nemer")
    FavourFactory(person=taker, kind="introduction")
    giver = PersonFactory(family_name="Gever")
    FavourFactory(person=giver, direction="given")
    page = owner_client.get(reverse("give_back")).content.decode()
    assert "Nemer" in page and "Gever" not in page


def test_the_give_back_page_costs_a_fixed_number_of_queries(
    owner_client, django_assert_max_num_queries
):
    for _ in range(30):
        FavourFactory(person=PersonFactory(), kind="referral")
        FavourFactory(person=None, organisation=OrganisationFactory(), kind="referral")
    for of in ("persons", "organisations"):
        with django_assert_max_num_queries(10):
            response = owner_client.get(reverse("give_back"), {"of": of})
        listed = response.content.decode().split('class="striped card-table"')[1]  # not the chart's
        assert response.status_code == 200 and listed.count("<tr>") == 26


def test_the_person_page_with_many_favours_costs_a_fixed_number_of_extra_queries(
    owner, owner_client
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    person = PersonFactory()
    url = reverse("person_detail", args=[person.pk])
    owner_client.get(url)
    FavourFactory(person=person, member=owner)
    with CaptureQueriesContext(connection) as one:
        assert owner_client.get(url).status_code == 200
    for _ in range(20):
        FavourFactory(person=person, member=owner)
    with CaptureQueriesContext(connection) as many:
        assert owner_client.get(url).status_code == 200
    assert len(many) == len(one), "each favour costs queries of its own"
    assert len(many) <= 40
