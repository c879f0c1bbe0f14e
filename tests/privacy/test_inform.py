"""AVG art. 14: imported relations are listed until someone marks them informed."""

from __future__ import annotations

import pytest
from django.urls import reverse

from gilde.privacy.models import PersonPrivacy
from gilde.privacy.selectors import persons_to_inform
from gilde.privacy.services import persons_mark_informed
from tests.conftest import client_for
from tests.factories import PersonFactory
from tests.privacy.factories import ImportBatchFactory

pytestmark = pytest.mark.django_db


def test_imported_relations_are_listed_until_informed(manager):
    by_batch = PersonFactory(import_batch=ImportBatchFactory())
    by_source = PersonFactory(source="linkedin:Connections.csv")
    PersonFactory(source="")  # entered by hand
    assert set(persons_to_inform(user=manager.user)) == {by_batch, by_source}
    persons_mark_informed(actor=manager, persons=[by_batch], how="email")
    assert list(persons_to_inform(user=manager.user)) == [by_source]


def test_bulk_mark_informed_on_the_list(manager):
    people = [PersonFactory(source="vcard:kaartjes.vcf") for _ in range(3)]
    client = client_for(manager)
    page = client.get(reverse("privacy_to_inform"))
    assert page.status_code == 200 and len(page.context["page"]) == 3
    response = client.post(
        reverse("privacy_to_inform"), {"person": [people[0].pk, people[1].pk], "how": "letter"}
    )
    assert response.status_code == 302
    informed = PersonPrivacy.objects.filter(informed_at__isnull=False)
    assert {f.person_id for f in informed} == {people[0].pk, people[1].pk}
    assert {f.informed_how for f in informed} == {"letter"}


def test_the_list_is_for_managers(owner, outsider):
    assert client_for(owner).get(reverse("privacy_to_inform")).status_code == 403
    assert client_for(outsider).get(reverse("privacy_to_inform")).status_code == 404


def test_the_list_costs_a_fixed_number_of_queries(manager, django_assert_max_num_queries):
    batch = ImportBatchFactory()
    for _ in range(20):
        PersonFactory(import_batch=batch)
    client = client_for(manager)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("privacy_to_inform")).status_code == 200
