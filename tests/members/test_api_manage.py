"""The member network's API for costs, drop-in meetings and the application pipeline: the same
services, write rules and visibility as the pages."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from gilde.accounts.models import Invitation, Member
from gilde.accounts.services import api_token_create
from gilde.events.models import CostItem, EventStatus, Guest, GuestStatus
from gilde.members import costs
from gilde.members.models import Application, ApplicationStatus, CostShare
from gilde.members.services import application_submit
from tests.factories import EventFactory, MemberFactory


def api(member: Member) -> Any:
    _, raw = api_token_create(member=member, name="test")
    client = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")

    def call(method: str, path: str, body: Any = None) -> Any:
        return getattr(client, method)(f"/api/v1{path}", data=body, content_type="application/json")

    return call


def _member(first: str, last: str) -> Member:
    return MemberFactory(user__first_name=first, user__last_name=last)


@pytest.fixture
def statement(network, manager, owner):
    members = [
        _member("Zeynep", "Ünal"),
        _member("Pieter", "de Graaf"),
        _member("Anna", "van Dijk"),
    ]
    start = timezone.now() - dt.timedelta(days=2)
    event = EventFactory(
        title="Voorjaarsbijeenkomst",
        starts_at=start,
        ends_at=start + dt.timedelta(hours=2),
        status=EventStatus.HELD,
    )
    CostItem.objects.create(
        event=event, category="venue", description="Zaal", planned=90, actual=Decimal("90")
    )
    for member in [*members, _member("Mehmet", "Çelik")]:
        Guest.objects.create(event=event, member=member, status=GuestStatus.ATTENDED)
    return costs.cost_statement_publish(actor=manager, event=event, rule="equal")


def test_every_member_reads_a_statement_with_its_shares_in_dutch_name_order(statement, owner):
    call = api(owner)
    listed = call("get", "/members/cost-statements").json()["items"]
    assert [row["event_id"] for row in listed] == [statement.event_id]
    body = call("get", f"/members/cost-statements/{statement.event_id}").json()
    assert body["total"] == "90.00" and body["rule"] == "equal"
    names = [share["name"].split(" ", 1)[1] for share in body["shares"]]
    assert names == ["Çelik", "van Dijk", "de Graaf", "Ünal"]
    assert all(share["paid_on"] is None for share in body["shares"])


def test_an_event_without_a_statement_is_not_found(network, owner):
    assert api(owner)("get", f"/members/cost-statements/{EventFactory().pk}").status_code == 404


def test_the_coordinator_marks_a_share_paid_and_open_again(statement, manager):
    share = statement.shares.first()
    call = api(manager)
    paid = call("post", f"/members/cost-shares/{share.pk}/paid", {"paid_on": "2026-03-02"})
    assert paid.status_code == 200 and paid.json()["paid_on"] == "2026-03-02"
    assert CostShare.objects.get(pk=share.pk).paid_on == dt.date(2026, 3, 2)
    reopened = call("post", f"/members/cost-shares/{share.pk}/paid", {"paid": False})
    assert reopened.json()["paid_on"] is None


def test_a_member_cannot_mark_a_share_paid(statement, owner):
    share = statement.shares.first()
    response = api(owner)("post", f"/members/cost-shares/{share.pk}/paid", {})
    assert response.status_code == 403
    assert CostShare.objects.get(pk=share.pk).paid_on is None


def test_a_bad_date_changes_nothing(statement, manager):
    share = statement.shares.first()
    response = api(manager)(
        "post", f"/members/cost-shares/{share.pk}/paid", {"paid_on": "gisteren"}
    )
    assert response.status_code == 422
    assert CostShare.objects.get(pk=share.pk).paid_on is None


# ---- drop-in ----------------------------------------------------------------------------------


@pytest.fixture
def coffee(network):
    start = timezone.now() + dt.timedelta(minutes=30)
    return EventFactory(
        title="Open Coffee",
        kind="open_coffee",
        starts_at=start,
        ends_at=start + dt.timedelta(hours=2),
    )


def test_the_door_link_is_the_coordinators(coffee, manager, owner):
    mine = api(manager)("get", "/members/drop-ins").json()
    assert mine[0]["event_id"] == coffee.pk and "/drop-in/" in mine[0]["door_url"]
    assert api(owner)("get", "/members/drop-ins").json()[0]["door_url"] == ""


def test_checking_in_a_member_and_a_visitor_at_the_door(coffee, manager, owner):
    owner.user.email = "jeroen@example.nl"
    owner.user.save()
    call = api(manager)
    path = f"/members/drop-ins/{coffee.pk}/check-in"
    member = call("post", path, {"first_name": "Jeroen", "email": "JEROEN@example.nl"}).json()
    assert member == {
        "member": True,
        "member_id": owner.pk,
        "application_id": None,
        "hear_more": False,
    }
    assert Guest.objects.get(event=coffee, member=owner).status == GuestStatus.ATTENDED
    visitor = call(
        "post",
        path,
        {"first_name": "Iris", "email": "iris@example.nl", "hear_more": True, "consent": True},
    ).json()
    assert visitor["member"] is False and visitor["hear_more"] is True
    assert Application.objects.get(pk=visitor["application_id"]).first_name == "Iris"


def test_a_visitor_without_consent_is_refused_with_a_message(coffee, manager):
    response = api(manager)(
        "post", f"/members/drop-ins/{coffee.pk}/check-in", {"first_name": "Iris", "email": "i@x.nl"}
    )
    assert response.status_code == 422 and not Application.objects.exists()


def test_an_ordinary_event_takes_no_check_in_at_the_door(network, manager):
    event = EventFactory()
    response = api(manager)(
        "post", f"/members/drop-ins/{event.pk}/check-in", {"first_name": "A", "email": "a@b.nl"}
    )
    assert response.status_code == 422


def test_a_member_does_not_staff_the_door(coffee, owner):
    response = api(owner)(
        "post", f"/members/drop-ins/{coffee.pk}/check-in", {"first_name": "A", "email": "a@b.nl"}
    )
    assert response.status_code == 403


# ---- applications ----------------------------------------------------------------------------


@pytest.fixture
def applicant(network):
    return application_submit(
        kind="join",
        first_name="Fleur",
        last_name="de Wit",
        email="fleur@example.nl",
        introduced_by_name="vd Berg",
        consent=True,
    )


def test_the_coordinator_moves_an_application_through_every_step(applicant, manager):
    call = api(manager)
    path = f"/members/applications/{applicant.pk}"
    assert call("get", path).json()["next_steps"] == ["talk", "rejected"]
    talk = call("post", f"{path}/step", {"status": "talk", "talk_on": "2026-04-01"}).json()
    assert talk["status"] == "talk" and talk["next_steps"] == ["accepted", "rejected"]
    accepted = call("post", f"{path}/step", {"status": "accepted", "note": "Welkom"}).json()
    assert accepted["status"] == ApplicationStatus.ACCEPTED and accepted["next_steps"] == []
    assert Invitation.objects.get().email == "fleur@example.nl"


def test_a_step_cannot_be_skipped(applicant, manager):
    response = api(manager)(
        "post", f"/members/applications/{applicant.pk}/step", {"status": "accepted"}
    )
    assert response.status_code == 422
    assert Application.objects.get().status == ApplicationStatus.APPLIED


def test_the_coordinator_chooses_the_introducer_among_the_candidates(applicant, manager):
    jan = _member("Jan", "van der Berg")
    petra = _member("Petra", "van den Berg")
    call = api(manager)
    path = f"/members/applications/{applicant.pk}"
    candidates = call("get", path).json()["introducer_candidates"]
    assert {c["member_id"] for c in candidates} == {jan.pk, petra.pk}
    chosen = call("post", f"{path}/introducer", {"introduced_by_id": petra.pk}).json()
    assert chosen["introduced_by_id"] == petra.pk and chosen["introducer_candidates"] == []


def test_only_the_coordinator_reads_or_moves_applications(applicant, owner):
    call = api(owner)
    assert call("get", f"/members/applications/{applicant.pk}").status_code == 403
    assert (
        call("post", f"/members/applications/{applicant.pk}/step", {"status": "talk"}).status_code
        == 403
    )
    assert Application.objects.get().status == ApplicationStatus.APPLIED
