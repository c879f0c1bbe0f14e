"""The person and organisation pages, as a networker uses them."""

from __future__ import annotations

import pytest
from django.urls import reverse

from gilde.relations.models import Person, Tier
from tests.conftest import client_for
from tests.factories import (
    AffiliationFactory,
    ContactMomentFactory,
    NoteFactory,
    OrganisationFactory,
    PersonFactory,
    TieFactory,
)


def test_login_is_required(client, db):
    response = client.get(reverse("person_list"))
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_the_person_list_shows_and_searches(owner_client):
    PersonFactory(given_name="Jan", tussenvoegsel="van der", family_name="Berg")
    PersonFactory(given_name="Piet", tussenvoegsel="", family_name="Jansen")
    response = owner_client.get(reverse("person_list"), {"q": "van der berg"})
    assert response.status_code == 200
    assert "Berg, Jan van der" in response.content.decode()
    assert "Jansen" not in response.content.decode()


def test_the_person_list_costs_a_fixed_number_of_queries(
    owner_client, django_assert_max_num_queries
):
    for _ in range(30):
        AffiliationFactory(person=PersonFactory())
    # One more than before the status column: the last contact of relations without a care row;
    # one more for the strategy themes in the filters.
    with django_assert_max_num_queries(16):
        response = owner_client.get(reverse("person_list"))
    assert response.status_code == 200


def test_htmx_search_returns_only_the_rows(owner_client):
    PersonFactory(family_name="Jansen")
    response = owner_client.get(reverse("person_list"), {"q": "jansen"}, HTTP_HX_REQUEST="true")
    assert "<html" not in response.content.decode()
    assert "Jansen" in response.content.decode()


def test_the_person_page_shows_jobs_ties_timeline_and_notes(owner, owner_client, colleague):
    person = PersonFactory(given_name="Anna", tussenvoegsel="de", family_name="Wit")
    AffiliationFactory(
        person=person, organisation=OrganisationFactory(name="Deltabouw"), role="CFO"
    )
    TieFactory(person=person, member=colleague, strength=5)
    ContactMomentFactory(persons=[person], members=[colleague], summary="Lunch over de regiodeal")
    NoteFactory(person=person, author=owner, text="Zit in de klantenraad")
    page = owner_client.get(reverse("person_detail", args=[person.pk])).content.decode()
    for text in (
        "Anna de Wit",
        "Deltabouw",
        "CFO",
        colleague.name,
        "Lunch over de regiodeal",
        "Zit in de klantenraad",
    ):
        assert text in page


def test_an_unknown_person_answers_404(owner_client):
    assert owner_client.get(reverse("person_detail", args=[999999])).status_code == 404


def test_creating_a_person_through_the_form(owner_client):
    org = OrganisationFactory(name="Rijnbouw")
    response = owner_client.post(
        reverse("person_create"),
        {
            "given_name": "Jan",
            "tussenvoegsel": "van der",
            "family_name": "Berg",
            "language": "nl",
            "tier": Tier.objects.get(code="A").pk,
            "emails": "jan@rijnbouw.nl\njan@prive.nl",
            "tags": "bestuur, alumni",
            "organisation": org.pk,
            "role": "Directeur",
        },
    )
    person = Person.objects.get(family_name="Berg")
    assert response.status_code == 302
    assert list(person.emails.values_list("address", flat=True)) == [
        "jan@rijnbouw.nl",
        "jan@prive.nl",
    ]
    assert person.affiliations.get().organisation == org
    assert person.tags.count() == 2


def test_the_form_shows_errors_and_saves_nothing(owner_client):
    response = owner_client.post(
        reverse("person_create"), {"family_name": "", "language": "nl", "emails": "geen"}
    )
    assert response.status_code == 200
    assert Person.objects.count() == 0


def test_a_networker_gets_403_editing_a_colleagues_person(owner, colleague):
    person = PersonFactory(owner=owner)
    response = client_for(colleague).post(
        reverse("person_edit", args=[person.pk]), {"family_name": "X", "language": "nl"}
    )
    assert response.status_code == 403
    person.refresh_from_db()
    assert person.family_name != "X"


@pytest.mark.parametrize(
    "name",
    [
        "dashboard",
        "person_list",
        "organisation_list",
        "member_list",
        "token_list",
        "person_create",
        "organisation_create",
    ],
)
def test_every_main_page_renders_for_a_member(owner_client, name):
    assert owner_client.get(reverse(name)).status_code == 200


def test_the_organisation_page_shows_people_and_who_knows_them(owner_client, colleague):
    org = OrganisationFactory(name="Deltabouw")
    person = PersonFactory(family_name="Wit")
    AffiliationFactory(person=person, organisation=org, role="CFO")
    TieFactory(person=person, member=colleague, strength=4)
    page = owner_client.get(reverse("organisation_detail", args=[org.pk])).content.decode()
    assert "Wit" in page and colleague.name in page


def test_the_member_page_shows_their_network(owner_client, colleague):
    TieFactory(person=PersonFactory(family_name="Bekende"), member=colleague)
    page = owner_client.get(reverse("member_detail", args=[colleague.pk])).content.decode()
    assert "Bekende" in page


def test_the_language_switch_changes_the_interface(owner, owner_client):
    owner_client.post(reverse("language_set"), {"language": "en", "next": "/persons/"})
    assert "Relations" in owner_client.get(reverse("person_list")).content.decode()
    owner.refresh_from_db()
    assert owner.language == "en"
    owner_client.post(reverse("language_set"), {"language": "nl", "next": "/persons/"})
    assert "Relaties" in owner_client.get(reverse("person_list")).content.decode()


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/", "abc", ""])
def test_the_language_switch_refuses_an_outside_redirect(owner_client, target):
    """Another site, or a bare word (which redirect() would take for a view's name: a 500)."""
    response = owner_client.post(reverse("language_set"), {"language": "en", "next": target})
    assert response.status_code == 302 and response["Location"] == "/"


def test_the_address_is_kept_from_the_form_and_shown(owner_client):
    owner_client.post(
        reverse("person_create"),
        {
            "family_name": "Adres",
            "language": "nl",
            "addresses-TOTAL_FORMS": "1",
            "addresses-INITIAL_FORMS": "0",
            "addresses-0-kind": "work",
            "addresses-0-street": "Kerkstraat 12",
            "addresses-0-postal_code": "3511 AB",
            "addresses-0-city": "Utrecht",
            "addresses-0-country": "Nederland",
        },
    )
    person = Person.objects.get(family_name="Adres")
    page = owner_client.get(reverse("person_detail", args=[person.pk])).content.decode()
    assert "Kerkstraat 12" in page and "3511 AB Utrecht" in page


def test_a_photo_is_uploaded_and_served_only_through_the_scope(owner, owner_client, outsider):
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "orange").save(buffer, format="PNG")
    person = PersonFactory(owner=owner)
    response = owner_client.post(
        reverse("person_edit", args=[person.pk]),
        {
            "family_name": person.family_name,
            "language": "nl",
            "photo": SimpleUploadedFile("p.png", buffer.getvalue(), "image/png"),
        },
    )
    assert response.status_code == 302
    assert owner_client.get(reverse("person_photo", args=[person.pk])).status_code == 200
    assert client_for(outsider).get(reverse("person_photo", args=[person.pk])).status_code == 404


def test_a_file_that_is_not_an_image_is_refused_as_photo(owner, owner_client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    person = PersonFactory(owner=owner)
    response = owner_client.post(
        reverse("person_edit", args=[person.pk]),
        {
            "family_name": person.family_name,
            "language": "nl",
            "photo": SimpleUploadedFile("p.png", b"not an image", "image/png"),
        },
    )
    assert response.status_code == 200
    person.refresh_from_db()
    assert not person.photo
