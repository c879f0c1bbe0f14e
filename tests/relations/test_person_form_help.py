"""The person form helps: fields in the order people think, errors summed up at the top, a
warning while typing someone who may already exist, and a new organisation from the picker."""

from __future__ import annotations

from django.urls import reverse

from gilde.relations.models import EmailAddress, Organisation
from tests.conftest import client_for
from tests.factories import MemberFactory, OrganisationFactory, PersonFactory


def _form(client) -> str:
    return client.get(reverse("person_create")).content.decode()


def test_fields_come_in_the_order_people_think(owner_client):
    page = _form(owner_client)
    order = [
        'name="family_name"',
        'name="organisation"',
        'name="role"',
        'name="emails"',
        'name="phones"',
        'name="tier"',
        'name="passions"',
    ]
    positions = [page.index(marker) for marker in order]
    assert positions == sorted(positions)


def test_errors_are_summed_up_at_the_top_with_links_to_the_fields(owner_client):
    response = owner_client.post(
        reverse("person_create"), {"family_name": "", "emails": "geen-adres"}
    )
    page = response.content.decode()
    assert response.status_code == 200
    summary = page[page.index('id="error-summary"') : page.index('name="title"')]
    assert 'href="#id_family_name"' in summary
    assert "Achternaam" in summary or "achternaam" in summary


def test_a_known_e_mail_address_is_flagged_while_typing(owner, owner_client):
    known = PersonFactory(given_name="Jan", tussenvoegsel="van der", family_name="Berg")
    EmailAddress.objects.create(person=known, address="Jan@Rijnbouw.nl", is_primary=True)
    html = owner_client.get(
        reverse("person_duplicates"), {"emails": "jan@rijnbouw.nl"}
    ).content.decode()
    assert "Deze persoon bestaat misschien al" in html
    assert reverse("person_detail", args=[known.pk]) in html
    assert "zelfde e-mailadres" in html


def test_a_known_name_is_flagged_while_typing(owner_client):
    known = PersonFactory(given_name="Jan", tussenvoegsel="van der", family_name="Berg")
    html = owner_client.get(
        reverse("person_duplicates"), {"given_name": "J.", "family_name": "Berg"}
    ).content.decode()
    assert reverse("person_detail", args=[known.pk]) in html
    assert "zelfde naam" in html


def test_another_given_name_is_not_a_duplicate(owner_client):
    PersonFactory(given_name="Jan", tussenvoegsel="", family_name="Berg")
    html = owner_client.get(
        reverse("person_duplicates"), {"given_name": "Piet", "family_name": "Berg"}
    ).content.decode()
    assert html.strip() == ""


def test_the_person_being_edited_is_not_their_own_duplicate(owner_client):
    known = PersonFactory(given_name="Jan", tussenvoegsel="", family_name="Berg")
    html = owner_client.get(
        reverse("person_duplicates"),
        {"given_name": "Jan", "family_name": "Berg", "exclude": known.pk},
    ).content.decode()
    assert html.strip() == ""


def test_a_confidential_person_is_never_hinted_at(owner, colleague):
    secret = PersonFactory(
        given_name="Geheim",
        tussenvoegsel="",
        family_name="Kandidaat",
        owner=owner,
        confidential=True,
    )
    EmailAddress.objects.create(person=secret, address="geheim@example.nl")
    html = (
        client_for(colleague)
        .get(
            reverse("person_duplicates"),
            {"given_name": "Geheim", "family_name": "Kandidaat", "emails": "geheim@example.nl"},
        )
        .content.decode()
    )
    assert html.strip() == ""
    assert "Kandidaat" not in html


def test_the_organisation_picker_offers_to_create_what_was_typed(owner_client):
    OrganisationFactory(name="Rijnbouw Groep")
    html = owner_client.get(
        reverse("organisation_search"),
        {"field": "organisation", "box": "id_organisation", "organisation__search": "Deltawerk"},
    ).content.decode()
    assert "Organisatie “Deltawerk” aanmaken" in html
    assert reverse("organisation_quick_create") in html


def test_no_create_offer_when_the_organisation_exists(owner_client):
    OrganisationFactory(name="Rijnbouw")
    html = owner_client.get(
        reverse("organisation_search"),
        {"field": "organisation", "box": "id_organisation", "organisation__search": "rijnbouw"},
    ).content.decode()
    assert "aanmaken" not in html


def test_creating_an_organisation_from_the_picker_chooses_it(owner_client):
    response = owner_client.post(
        reverse("organisation_quick_create"),
        {
            "field": "organisation",
            "box": "id_organisation",
            "organisation__search": "  Deltawerk  BV ",
        },
    )
    organisation = Organisation.objects.get(name="Deltawerk BV")
    html = response.content.decode()
    assert f'value="{organisation.pk}"' in html and "Deltawerk BV" in html


def test_a_reader_cannot_create_an_organisation_from_the_picker(reader):
    client = client_for(reader)
    html = client.get(
        reverse("organisation_search"),
        {"field": "organisation", "box": "b", "organisation__search": "Deltawerk"},
    ).content.decode()
    assert "aanmaken" not in html
    response = client.post(
        reverse("organisation_quick_create"),
        {"field": "organisation", "box": "b", "organisation__search": "X"},
    )
    assert response.status_code == 403
    assert not Organisation.objects.filter(name="X").exists()


def test_the_confidential_checkbox_has_its_own_line_and_the_picker_follows_it(owner_client):
    MemberFactory()
    page = _form(owner_client)
    box = page[page.index('class="confidential-choice"') :]
    assert box.index('name="confidential"') < box.index("</label>") < box.index("<small")
    assert 'class="confidential-members"' in box
