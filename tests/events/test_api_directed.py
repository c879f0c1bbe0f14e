"""The API of directed meetings and results: meeting goals, the seating plan (made by the
engine, moved, swapped, locked), the host briefing and the event report; the same services,
permissions and visibility as the pages."""

from __future__ import annotations

import pytest

from gilde.accounts.models import Member
from gilde.events import report, seating_plan
from gilde.events.models import MeetingGoal, SeatingPlan
from tests.events.guests import event_at, place
from tests.events.results_world import dinner
from tests.events.test_api import api
from tests.events.test_seating_plan import host_on
from tests.factories import MemberFactory, PersonFactory
from tests.jobs import run_jobs

pytestmark = pytest.mark.django_db


def test_meeting_goals_are_added_listed_and_deleted(owner: Member, reader: Member) -> None:
    event = event_at(owner, days=10)
    a, b = (place(event, PersonFactory(), "accepted").person for _ in range(2))
    call = api(owner)
    made = call("post", f"/events/{event.pk}/goals", {
        "kind": "introduction", "person_a_id": a.pk, "person_b_id": b.pk, "priority": 1,
        "reason": "Beiden in waterstof",
    })  # fmt: skip
    assert made.status_code == 201, made.content
    assert made.json()["label"] == f"{a} ↔ {b}" and made.json()["priority"] == 1
    again = call("post", f"/events/{event.pk}/goals",
                 {"kind": "introduction", "person_a_id": b.pk, "person_b_id": a.pk})  # fmt: skip
    assert again.status_code in (400, 422) and MeetingGoal.objects.count() == 1
    listed = api(reader)("get", f"/events/{event.pk}/goals").json()
    assert [g["id"] for g in listed] == [made.json()["id"]]
    refused = api(reader)("delete", f"/events/{event.pk}/goals/{made.json()['id']}")
    assert refused.status_code == 403 and MeetingGoal.objects.count() == 1
    assert call("delete", f"/events/{event.pk}/goals/{made.json()['id']}").status_code == 204
    assert not MeetingGoal.objects.exists()


def test_a_goal_about_a_hidden_relation_is_not_listed(owner: Member, colleague: Member) -> None:
    event = event_at(owner, days=10)
    secret = place(event, PersonFactory(confidential=True, owner=owner), "accepted").person
    other = place(event, PersonFactory(), "accepted").person
    assert api(owner)("post", f"/events/{event.pk}/goals", {
        "kind": "introduction", "person_a_id": secret.pk, "person_b_id": other.pk,
    }).status_code == 201  # fmt: skip
    assert api(colleague)("get", f"/events/{event.pk}/goals").json() == []


def _planned(owner: Member, guests: int = 6) -> tuple[object, list[object]]:
    event = event_at(owner, days=10, title="Diner")
    places = [place(event, PersonFactory(), "accepted") for _ in range(guests)]
    seating_plan.seating_tables_add(member=owner, event=event, count=2, capacity=4)
    call = api(owner)
    made = call("post", f"/events/{event.pk}/seating/plan", {})
    assert made.status_code == 202, made.content
    assert made.json()["status"] == "making"
    run_jobs()
    return event, places


def _table_of(plan: dict, gid: str) -> str:
    return next(t["id"] for t in plan["rounds"][0]["tables"] for g in t["guests"] if g["id"] == gid)


def test_the_engine_makes_a_plan_that_the_api_shows(owner: Member) -> None:
    event, places = _planned(owner)
    plan = api(owner)("get", f"/events/{event.pk}/seating").json()
    assert plan["status"] == "ready" and plan["feasible"] is True
    seated = [g["id"] for t in plan["rounds"][0]["tables"] for g in t["guests"]]
    assert sorted(seated) == sorted(f"g{p.pk}" for p in places)
    assert plan["score"] == SeatingPlan.objects.get().objective


def test_move_swap_and_lock_save_new_versions_checked_by_the_engine(owner: Member) -> None:
    event, places = _planned(owner)
    call = api(owner)
    plan = call("get", f"/events/{event.pk}/seating").json()
    a, b = f"g{places[0].pk}", f"g{places[1].pk}"
    tables = [t["id"] for t in plan["rounds"][0]["tables"]]
    target = next(t for t in tables if t != _table_of(plan, a))
    moved = call("post", f"/events/{event.pk}/seating/move", {"guest": a, "table": target})
    assert moved.status_code == 200, moved.content
    assert _table_of(moved.json(), a) == target and moved.json()["how"] == "hand"
    saved = seating_plan.current_plan(event)
    assert saved.how == "hand" and moved.json()["score"] == saved.objective
    other = next(f"g{p.pk}" for p in places if _table_of(moved.json(), f"g{p.pk}") != target)
    swapped = call("post", f"/events/{event.pk}/seating/swap", {"guest": a, "other": other})
    assert _table_of(swapped.json(), a) == _table_of(moved.json(), other)
    assert _table_of(swapped.json(), other) == target
    locked = call("post", f"/events/{event.pk}/seating/lock", {"guest": b}).json()
    assert next(g for t in locked["rounds"][0]["tables"] for g in t["guests"]
                if g["id"] == b)["locked"] is True  # fmt: skip
    versions = SeatingPlan.objects.count()
    refused = call("post", f"/events/{event.pk}/seating/move", {"guest": b, "table": target})
    assert refused.status_code == 422 and "vastgezet" in refused.content.decode()
    assert SeatingPlan.objects.count() == versions
    assert call("post", f"/events/{event.pk}/seating/move",
                {"guest": a, "table": "t999999"}).status_code == 422  # fmt: skip
    assert SeatingPlan.objects.count() == versions


def test_a_reader_sees_the_plan_but_may_not_change_it(owner: Member, reader: Member) -> None:
    event, places = _planned(owner)
    call = api(reader)
    assert call("get", f"/events/{event.pk}/seating").json()["status"] == "ready"
    gid = f"g{places[0].pk}"
    assert call("post", f"/events/{event.pk}/seating/lock", {"guest": gid}).status_code == 403
    assert call("post", f"/events/{event.pk}/seating/plan", {}).status_code == 403


def test_a_hidden_guest_is_neither_seen_nor_moved(owner: Member, colleague: Member) -> None:
    event, places = _planned(owner)
    secret = places[0]
    secret.person.confidential, secret.person.owner = True, owner
    secret.person.save()
    organiser = MemberFactory()
    event.organisers.add(colleague, organiser)
    plan = api(colleague)("get", f"/events/{event.pk}/seating").json()
    seated = {g["id"] for t in plan["rounds"][0]["tables"] for g in t["guests"]}
    assert f"g{secret.pk}" not in seated and len(seated) == len(places) - 1
    answer = api(colleague)("post", f"/events/{event.pk}/seating/lock", {"guest": f"g{secret.pk}"})
    assert answer.status_code == 422 and "niet in de tafelschikking" in answer.content.decode()


def test_the_briefing_of_a_host_through_the_api(owner: Member, colleague: Member) -> None:
    world = dinner(owner, colleague, days=1)
    mine = api(colleague)("get", f"/events/{world.event.pk}/briefing").json()
    assert [g["name"] for g in mine["guests"]] == ["Ann Aalders", "Bob Bakker"]
    assert mine["guests"][0]["organisation"] == "Windkracht B.V."
    assert mine["introductions"][0]["people"] == ["Ann Aalders", "Bob Bakker"]
    assert mine["introductions"][0]["reason"] == "Beiden bezig met waterstof"
    assert any("Rechtszaak over de haven" in text for text in mine["do_not_bring_up"])
    assert {g["goal_id"] for g in mine["goals"]} == {world.colleague_goal.pk, world.low_goal.pk}
    stranger = MemberFactory()
    url = f"/events/{world.event.pk}/briefing?host_id={colleague.pk}"
    assert api(stranger)("get", url).status_code == 403
    assert api(owner)("get", url).json()["host_id"] == colleague.pk


def test_the_event_report_through_the_api_has_the_pages_figures(
    owner: Member, colleague: Member
) -> None:
    world = dinner(owner, colleague, days=-1)
    world.colleague_goal.outcome = "met"
    world.colleague_goal.save()
    figures = api(owner)("get", f"/events/{world.event.pk}/report").json()
    found = report.event_report(user=owner.user, event=world.event)
    assert (figures["invited"], figures["attended"], figures["no_shows"]) == (
        found.invited,
        found.attended,
        found.no_shows,
    )
    assert figures["goals"] == {"total": 3, "met": 1, "not_met": 0, "open": 2, "share": 33}
    assert figures["high_priority_goals"]["share"] == 50
    assert figures["high_priority_target"] == 80 and figures["high_priority_target_met"] is False


def test_hosts_of_one_table_are_in_the_plan_as_hosts(owner: Member) -> None:
    event = event_at(owner, days=10, title="Diner")
    host_on(event, owner)
    for _ in range(3):
        place(event, PersonFactory(), "accepted")
    seating_plan.seating_tables_add(member=owner, event=event, count=1, capacity=4)
    api(owner)("post", f"/events/{event.pk}/seating/plan", {})
    run_jobs()
    plan = api(owner)("get", f"/events/{event.pk}/seating").json()
    assert [g["host"] for g in plan["rounds"][0]["tables"][0]["guests"]].count(True) == 1
