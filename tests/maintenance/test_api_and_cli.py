"""The maintenance API and the `gilde due` and `gilde recompute` commands."""

from __future__ import annotations

import datetime as dt
import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import timezone

from gilde.accounts.services import api_token_create
from gilde.maintenance.models import RelationCare, TieStrength
from gilde.relations.models import Tier
from tests.factories import PersonFactory, TieFactory
from tests.maintenance.factories import contact


class Api:
    def __init__(self, member) -> None:
        self.client = Client()
        token = api_token_create(member=member, name="test")[1]
        self.headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"}

    def get(self, path, **params):
        return self.client.get(f"/api/v1{path}", params, **self.headers)

    def post(self, path, body):
        return self.client.post(
            f"/api/v1{path}", json.dumps(body), content_type="application/json", **self.headers
        )


@pytest.fixture
def overdue(owner):
    person = PersonFactory(tier=Tier.objects.get(code="A"), owner=owner)
    TieFactory(person=person, member=owner, strength=4)
    contact(person, owner, days=100, kind="meeting")
    return person


def test_the_api_gives_status_and_strength_of_a_relation(owner, overdue):
    body = Api(owner).get(f"/persons/{overdue.pk}/care").json()
    assert body["status"] == "overdue" and body["tier"] == "A"
    assert body["ties"][0]["member_id"] == owner.pk and 0 <= body["ties"][0]["score"] <= 100
    assert "because" in body["ties"][0]["explanation"] or "omdat" in body["ties"][0]["explanation"]


def test_the_api_gives_my_due_list(owner, overdue):
    body = Api(owner).get("/due").json()
    assert body["count"] == 1 and body["items"][0]["person_id"] == overdue.pk


def test_only_managers_read_a_colleagues_list_and_the_organisations(
    owner, colleague, manager, overdue
):
    assert Api(colleague).get("/due", member_id=owner.pk).status_code == 403
    assert Api(colleague).get("/due/organisation").status_code == 403
    assert Api(colleague).get("/going-cold").status_code == 403
    assert Api(manager).get("/due", member_id=owner.pk).json()["count"] == 1
    assert Api(manager).get("/due/organisation").json()["items"][0]["person_id"] == overdue.pk
    assert Api(manager).get("/going-cold").json()["items"][0]["status"] == "overdue"


def test_snoozing_through_the_api(owner, overdue):
    api = Api(owner)
    body = api.post(f"/persons/{overdue.pk}/snooze", {"days": 7, "reason": "Vakantie"}).json()
    assert body["snoozed_until"] == (timezone.localdate() + dt.timedelta(days=7)).isoformat()
    assert api.get("/due").json()["count"] == 0


def test_a_bad_snooze_is_refused_and_changes_nothing(owner, overdue):
    response = Api(owner).post(f"/persons/{overdue.pk}/snooze", {"until": "2020-01-01"})
    assert response.status_code == 422
    assert RelationCare.objects.get(person=overdue).snoozed_until is None


def test_handing_over_through_the_api(owner, colleague, overdue):
    body = Api(owner).post(f"/persons/{overdue.pk}/hand-over", {"member_id": colleague.pk}).json()
    assert body["contact_member_id"] == colleague.pk


def test_a_confidential_relation_is_not_handed_to_a_colleague_who_may_not_see_it(
    owner, colleague, overdue
):
    overdue.confidential = True
    overdue.save()
    response = Api(owner).post(f"/persons/{overdue.pk}/hand-over", {"member_id": colleague.pk})
    assert response.status_code == 422
    assert "Kies een collega die deze relatie mag zien." in response.content.decode()
    assert RelationCare.objects.get(person=overdue).handed_to is None


def test_a_confidential_relation_may_be_handed_to_a_colleague_it_is_shared_with(
    owner, colleague, overdue
):
    overdue.confidential = True
    overdue.save()
    overdue.confidential_members.add(colleague)
    response = Api(owner).post(f"/persons/{overdue.pk}/hand-over", {"member_id": colleague.pk})
    assert response.status_code == 200 and response.json()["contact_member_id"] == colleague.pk


def test_the_api_refuses_without_a_token(db):
    assert Client().get("/api/v1/due").status_code == 401


def test_gilde_due_prints_a_members_list_as_json(owner, overdue):
    out = StringIO()
    call_command("due", member="eigenaar", json=True, stdout=out)
    data = json.loads(out.getvalue())
    assert data["total"] == 1 and data["relations"][0]["status"] == "overdue"


def test_gilde_due_prints_the_organisations_list(manager, overdue):
    out = StringIO()
    call_command("due", stdout=out)
    assert overdue.full_name in out.getvalue()


def test_gilde_due_with_an_unknown_member_fails_clearly(db):
    with pytest.raises(CommandError):
        call_command("due", member="niemand")


def test_gilde_recompute_rebuilds_what_was_lost(owner, overdue):
    TieStrength.objects.all().delete()
    RelationCare.objects.all().delete()
    call_command("recompute", stdout=StringIO())
    assert TieStrength.objects.count() == 1
    assert RelationCare.objects.get(person=overdue).contact_member == owner
