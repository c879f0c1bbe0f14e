"""Ids in forms beyond the database's integer range are refused like unknown ids."""

from __future__ import annotations

import pytest
from django.urls import reverse

from gilde.contacts.forms import ContactMomentForm
from gilde.core.web import MAX_ID
from gilde.events.forms import EventForm
from gilde.relations.forms import OrganisationForm
from gilde.relations.models import Organisation, Person

pytestmark = pytest.mark.django_db

HUGE = "99999999999999999999"


@pytest.mark.parametrize("field", ["stakeholder_types", "confidential_members"])
def test_a_huge_id_in_a_person_form_is_a_form_error(owner_client, field) -> None:
    response = owner_client.post(reverse("person_create"), {"family_name": "Groot", field: HUGE})
    assert response.status_code == 200
    assert response.context["form"].errors[field]
    assert not Person.objects.filter(family_name="Groot").exists()


@pytest.mark.parametrize(
    ("form_class", "field"),
    [
        (OrganisationForm, "stakeholder_types"),
        (ContactMomentForm, "members"),
        (EventForm, "organisers"),
    ],
)
@pytest.mark.parametrize("value", [HUGE, str(-MAX_ID - 1), str(MAX_ID + 1)])
def test_every_form_with_a_list_of_ids_refuses_a_huge_one(form_class, field, value) -> None:
    form = form_class(data={field: [value]})
    assert not form.is_valid()
    assert form.errors[field]


def test_the_organisation_page_refuses_a_huge_id(owner_client) -> None:
    response = owner_client.post(
        reverse("organisation_create"), {"name": "Groot BV", "stakeholder_types": HUGE}
    )
    assert response.status_code == 200
    assert not Organisation.objects.filter(name="Groot BV").exists()
