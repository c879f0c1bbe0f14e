"""Every postal address of a person is editable on the person form: add, change, remove."""

from __future__ import annotations

from django.urls import reverse

from gilde.relations.models import PostalAddress
from tests.factories import PersonFactory


def form_data(person, rows: list[dict[str, str]], initial: int = 0) -> dict[str, str]:
    data = {
        "family_name": person.family_name,
        "language": "nl",
        "version": str(person.version),
        "addresses-TOTAL_FORMS": str(len(rows)),
        "addresses-INITIAL_FORMS": str(initial),
    }
    for i, row in enumerate(rows):
        data.update({f"addresses-{i}-{key}": value for key, value in row.items()})
    return data


def address(street: str, city: str = "Utrecht", **extra: str) -> dict[str, str]:
    return {
        "kind": "work",
        "street": street,
        "postal_code": "3511 AB",
        "city": city,
        "country": "Nederland",
        **extra,
    }


def test_the_form_shows_every_address(owner, owner_client):
    person = PersonFactory(owner=owner)
    PostalAddress.objects.create(person=person, street="Kerkstraat 1", city="Utrecht")
    PostalAddress.objects.create(person=person, street="Dorpsweg 2", city="Ede", kind="home")
    page = owner_client.get(reverse("person_edit", args=[person.pk])).content.decode()
    assert "Kerkstraat 1" in page and "Dorpsweg 2" in page
    assert 'name="addresses-TOTAL_FORMS" value="3"' in page  # two and an empty row


def test_two_addresses_are_saved(owner, owner_client):
    person = PersonFactory(owner=owner)
    response = owner_client.post(
        reverse("person_edit", args=[person.pk]),
        form_data(
            person, [address("Kerkstraat 1"), address("Dorpsweg 2", city="Ede", kind="home")]
        ),
    )
    assert response.status_code == 302
    assert sorted(person.addresses.values_list("street", "kind")) == [
        ("Dorpsweg 2", "home"),
        ("Kerkstraat 1", "work"),
    ]


def test_an_address_is_removed_with_its_checkbox(owner, owner_client):
    person = PersonFactory(owner=owner)
    PostalAddress.objects.create(person=person, street="Kerkstraat 1", city="Utrecht")
    PostalAddress.objects.create(person=person, street="Dorpsweg 2", city="Ede")
    rows = [address("Kerkstraat 1"), address("Dorpsweg 2", city="Ede", DELETE="on")]
    owner_client.post(reverse("person_edit", args=[person.pk]), form_data(person, rows, initial=2))
    assert list(person.addresses.values_list("street", flat=True)) == ["Kerkstraat 1"]


def test_an_emptied_row_is_left_out(owner, owner_client):
    person = PersonFactory(owner=owner)
    PostalAddress.objects.create(person=person, street="Kerkstraat 1", city="Utrecht")
    empty = {"kind": "work", "street": "", "postal_code": "", "city": "", "country": ""}
    owner_client.post(reverse("person_edit", args=[person.pk]), form_data(person, [empty], 1))
    assert not person.addresses.exists()


def test_a_bad_row_shows_an_error_and_changes_nothing(owner, owner_client):
    person = PersonFactory(owner=owner)
    PostalAddress.objects.create(person=person, street="Kerkstraat 1", city="Utrecht")
    rows = [address("Kerkstraat 1"), address("x" * 250)]
    response = owner_client.post(
        reverse("person_edit", args=[person.pk]), form_data(person, rows, 1)
    )
    assert response.status_code == 200 and "errorlist" in response.content.decode()
    assert list(person.addresses.values_list("street", flat=True)) == ["Kerkstraat 1"]


def test_a_post_without_address_rows_leaves_them_alone(owner, owner_client):
    person = PersonFactory(owner=owner)
    PostalAddress.objects.create(person=person, street="Kerkstraat 1", city="Utrecht")
    response = owner_client.post(
        reverse("person_edit", args=[person.pk]),
        {"family_name": "Nieuw", "language": "nl", "version": str(person.version)},
    )
    assert response.status_code == 302
    assert person.addresses.count() == 1


def test_a_new_person_gets_several_addresses(owner_client):
    from gilde.relations.models import Person

    data = {
        "family_name": "Adresrijk",
        "language": "nl",
        "addresses-TOTAL_FORMS": "2",
        "addresses-INITIAL_FORMS": "0",
    }
    for i, street in enumerate(("Kerkstraat 1", "Dorpsweg 2")):
        data.update({f"addresses-{i}-{k}": v for k, v in address(street).items()})
    assert owner_client.post(reverse("person_create"), data).status_code == 302
    assert Person.objects.get(family_name="Adresrijk").addresses.count() == 2


def test_another_row_comes_numbered_with_the_new_total(owner_client):
    html = owner_client.get(reverse("person_address_row"), {"index": 3}).content.decode()
    assert 'name="addresses-3-street"' in html
    assert 'name="addresses-TOTAL_FORMS" value="4"' in html and 'hx-swap-oob="true"' in html
    assert "index=4" in html


def test_no_more_than_twenty_rows(owner_client):
    assert owner_client.get(reverse("person_address_row"), {"index": 20}).status_code == 400
    assert owner_client.get(reverse("person_address_row"), {"index": "x"}).status_code == 400
