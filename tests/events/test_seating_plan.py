"""Pair values from the data with their reasons, and the seating plan in the app: tables and
rounds, a plan made by the engine through the task queue and confirmed by its checker, hand
changes, locks, re-planning after a cancellation, "why here?", the printables and the export."""

from __future__ import annotations

import json

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from gilde.accounts.models import Member
from gilde.events import hosts, meetings, seating_plan
from gilde.events.models import (
    ConflictPair,
    Guest,
    GuestRole,
    GuestStatus,
    HostSeatRequest,
    SeatingPlan,
    SeatingPlanStatus,
    SeatingTable,
)
from gilde.events.pairvalues import seating_instance
from gilde.relations.models import Organisation, OrganisationLink, Tag
from gilde.seating.model import parse_instance
from gilde.seating.plan import check_plan
from tests.conftest import client_for
from tests.events.guests import event_at, place
from tests.factories import AffiliationFactory, MemberFactory, PersonFactory, TieFactory
from tests.jobs import run_jobs

pytestmark = pytest.mark.django_db


def host_on(event, member: Member) -> Guest:
    return Guest.objects.create(
        event=event, member=member, role=GuestRole.HOST, status=GuestStatus.ACCEPTED
    )


def dinner(owner: Member, *, guests: int = 8, tables: int = 2, capacity: int = 6):
    event = event_at(owner, days=10, title="Diner")
    places = [place(event, PersonFactory(), "accepted") for _ in range(guests)]
    seating_plan.seating_tables_add(member=owner, event=event, count=tables, capacity=capacity)
    return event, places


def reasons_of(inst, a: Guest, b: Guest) -> list[str]:
    x, y = sorted((f"g{a.pk}", f"g{b.pk}"))
    return [text for text, _v in inst.reasons.get(f"{x}|{y}", [])]


def value_of(inst, a: Guest, b: Guest) -> float:
    x, y = sorted((f"g{a.pk}", f"g{b.pk}"))
    return next((p["value"] for p in inst.data["pairs"] if (p["a"], p["b"]) == (x, y)), 0.0)


# ---- pair values -------------------------------------------------------------------------------


def test_a_high_priority_goal_outweighs_a_low_one_and_says_why(owner: Member, settings) -> None:
    settings.GILDE_SEATING_FIRST_MEETING = 0
    event, (a, b, c, *_rest) = dinner(owner)
    meetings.meeting_goal_add(
        member=owner,
        event=event,
        kind="introduction",
        person_a=a.person,
        person_b=b.person,
        priority=1,
        reason="warmtenet",
    )
    meetings.meeting_goal_add(
        member=owner,
        event=event,
        kind="introduction",
        person_a=a.person,
        person_b=c.person,
        priority=3,
    )
    inst = seating_instance(event)
    assert value_of(inst, a, b) == 30 and value_of(inst, a, c) == 10
    assert any("warmtenet" in r for r in reasons_of(inst, a, b))
    assert [g.gids for g in inst.goals] == [[f"g{a.pk}", f"g{b.pk}"], [f"g{a.pk}", f"g{c.pk}"]]


def test_first_meetings_count_more_than_strong_ties(owner: Member) -> None:
    event, (a, b, c, d, *_rest) = dinner(owner)
    for p in (a, b, c, d):
        p.person.passions = "zeilen"
        p.person.save()
    TieFactory(person=c.person, member=None, other_person=d.person, strength=5)
    inst = seating_instance(event)
    assert value_of(inst, a, b) > value_of(inst, c, d)
    assert "een eerste ontmoeting" in reasons_of(inst, a, b)
    assert any("kennen elkaar al goed" in r for r in reasons_of(inst, c, d))


def test_conflicts_and_disputes_sit_apart_competitors_get_a_negative_value(owner: Member) -> None:
    event, (a, b, c, d, e, f, *_rest) = dinner(owner)
    ConflictPair.objects.create(
        person_a=min(a.person, b.person, key=lambda p: p.pk),
        person_b=max(a.person, b.person, key=lambda p: p.pk),
    )
    one, two, three, four = (Organisation.objects.create(name=n) for n in "ABCD")
    AffiliationFactory(person=c.person, organisation=one)
    AffiliationFactory(person=d.person, organisation=two)
    AffiliationFactory(person=e.person, organisation=three)
    AffiliationFactory(person=f.person, organisation=four)
    OrganisationLink.objects.create(source=one, target=two, kind="dispute")
    OrganisationLink.objects.create(source=three, target=four, kind="competitor")
    inst = seating_instance(event)
    apart = {tuple(p) for p in inst.data["apart"]}
    assert tuple(sorted((f"g{a.pk}", f"g{b.pk}"))) in apart
    assert tuple(sorted((f"g{c.pk}", f"g{d.pk}"))) in apart
    assert value_of(inst, e, f) < 0


def test_seating_keeps_apart_what_the_network_rules_call_conflicting(owner: Member) -> None:
    """One rule set: every pair the network's conflict rules find is apart in the seating plan,
    except plain competitors, who only weigh against one table."""
    from gilde.network.conflicts import APART, COMPETITOR_OF_CLIENT, OPPOSITE_ROLES
    from gilde.network.conflicts import conflicting_pairs as rules
    from gilde.relations.models import StakeholderType
    from tests.strategy.factories import ThemeFactory, ThemeLinkFactory

    event, (a, b, c, d, *_rest) = dinner(owner)
    client, rival = Organisation.objects.create(name="Klant"), Organisation.objects.create(name="R")
    client.stakeholder_types.add(StakeholderType.objects.get(code="client"))
    OrganisationLink.objects.create(source=rival, target=client, kind="competitor")
    AffiliationFactory(person=a.person, organisation=client)
    AffiliationFactory(person=b.person, organisation=rival)
    theme = ThemeFactory(name="Waterstof")
    ThemeLinkFactory(theme=theme, person=c.person, role="critic")
    ThemeLinkFactory(theme=theme, person=d.person, role="partner")
    inst = seating_instance(event)
    apart = {tuple(p) for p in inst.data["apart"]}
    found = rules([p.person.pk for p in (a, b, c, d)], None)
    assert {f.rule for f in found} == {COMPETITOR_OF_CLIENT, OPPOSITE_ROLES} <= APART
    assert tuple(sorted((f"g{a.pk}", f"g{b.pk}"))) in apart
    assert tuple(sorted((f"g{c.pk}", f"g{d.pk}"))) in apart
    assert len(apart) == 2


def test_hosts_companions_and_the_wish_to_sit_with_the_host(owner: Member) -> None:
    event, (a, b, *_rest) = dinner(owner)
    ann = MemberFactory()
    host_guest = host_on(event, ann)
    a.host, a.companion_name = ann, "Partner van A"
    a.save()
    b.host = ann
    b.save()
    HostSeatRequest.objects.create(guest=b)
    inst = seating_instance(event)
    by_id = {g["id"]: g for g in inst.data["guests"]}
    assert by_id[f"g{host_guest.pk}"]["host"] is True
    assert by_id[f"c{a.pk}"]["group"] == by_id[f"g{a.pk}"]["group"]
    assert by_id[f"g{b.pk}"]["group"] == by_id[f"g{host_guest.pk}"]["group"]
    assert "hun gastheer" in reasons_of(inst, a, host_guest)
    assert inst.data["hosts"] == {"min_per_table": 0, "max_per_table": 1}


def test_the_instance_is_built_in_a_fixed_number_of_queries(owner: Member) -> None:
    event, _places = dinner(owner, guests=5, tables=10, capacity=10)
    with CaptureQueriesContext(connection) as small:
        seating_instance(event)
    for _ in range(30):
        p = place(event, PersonFactory(passions="zeilen"), "accepted", companion_name="X")
        TieFactory(person=p.person, member=owner)
    with CaptureQueriesContext(connection) as large:
        seating_instance(event)
    assert len(large) == len(small)


def test_the_instance_is_valid_for_the_engine(owner: Member) -> None:
    event, places = dinner(owner)
    meetings.meeting_goal_add(
        member=owner,
        event=event,
        kind="introduction",
        person_a=places[0].person,
        person_b=places[1].person,
    )
    theme = Tag.objects.create(name="zorg")
    for p in places[:4]:
        p.person.tags.add(theme)
    meetings.meeting_goal_add(member=owner, event=event, kind="theme_group", theme=theme)
    engine = parse_instance(seating_instance(event).data)
    assert engine.n_guests == 8 and engine.n_tables == 2


# ---- tables, plans, the checker ------------------------------------------------------------------


def test_make_a_plan_through_the_queue_and_the_checker_confirms_it(owner: Member) -> None:
    event, places = dinner(owner)
    meetings.meeting_goal_add(
        member=owner,
        event=event,
        kind="introduction",
        person_a=places[0].person,
        person_b=places[1].person,
    )
    answer = client_for(owner).post(
        reverse("events:seating_make", args=[event.pk]), HTTP_HX_REQUEST="true"
    )
    plan = SeatingPlan.objects.get(event=event)
    assert plan.status == SeatingPlanStatus.MAKING and plan.job is not None
    assert 'id="seat-making"' in answer.content.decode()
    assert run_jobs() == 1
    plan.refresh_from_db()
    assert plan.status == SeatingPlanStatus.READY and plan.feasible
    engine = parse_instance(seating_instance(event).data)
    assert check_plan(engine, {"rounds": plan.seats}).objective == plan.objective
    table_of = {g: t for t, gs in plan.seats[0]["tables"].items() for g in gs}
    assert table_of[f"g{places[0].pk}"] == table_of[f"g{places[1].pk}"]
    page = client_for(owner).get(reverse("events:seating", args=[event.pk]))
    data = json.loads(_json_script(page.content.decode(), "seating-data"))
    assert len(data["guests"]) == 8 and data["goals"][0]["gids"]
    assert data["seats"][0][f"g{places[0].pk}"] == table_of[f"g{places[0].pk}"]


def _json_script(html: str, element_id: str) -> str:
    start = html.index(f'id="{element_id}" type="application/json">') + len(
        f'id="{element_id}" type="application/json">'
    )
    return html[start : html.index("</script>", start)]


def test_no_plan_without_tables_and_bad_table_input_changes_nothing(owner: Member) -> None:
    event = event_at(owner, days=10)
    with pytest.raises(ValidationError):
        seating_plan.seating_plan_make(member=owner, event=event)
    answer = client_for(owner).post(
        reverse("events:seating_tables_add", args=[event.pk]),
        {"count": "-3", "capacity": "8", "shape": "round"},
        HTTP_HX_REQUEST="true",
    )
    assert answer.status_code == 200 and not SeatingTable.objects.filter(event=event).exists()


def test_more_guests_than_seats_is_refused_with_the_numbers(owner: Member) -> None:
    event, _places = dinner(owner, guests=13, tables=2, capacity=6)
    with pytest.raises(ValidationError) as error:
        seating_plan.seating_plan_make(member=owner, event=event)
    assert "13" in str(error.value) and "12" in str(error.value)


def _made(owner: Member, event) -> SeatingPlan:
    seating_plan.seating_plan_make(member=owner, event=event)
    run_jobs()
    plan = seating_plan.current_plan(event)
    assert plan is not None and plan.status == SeatingPlanStatus.READY
    return plan


def test_a_hand_change_is_saved_as_a_new_version_with_the_checkers_score(owner: Member) -> None:
    event, places = dinner(owner)
    plan = _made(owner, event)
    rounds = [{g: t for t, gs in r["tables"].items() for g in gs} for r in plan.seats]
    tables = list(plan.seats[0]["tables"])
    # Everyone at the first table: more than its six seats, which the checker names.
    crowded = [dict.fromkeys(rounds[0], tables[0])]
    answer = client_for(owner).post(
        reverse("events:seating_save", args=[event.pk]),
        json.dumps({"rounds": crowded, "locked": [f"g{places[0].pk}"]}),
        content_type="application/json",
    )
    body = answer.json()
    assert answer.status_code == 200 and body["feasible"] is False
    assert any("8" in line and "6" in line for line in body["violations"])
    saved = seating_plan.current_plan(event)
    assert saved is not None and saved.pk != plan.pk and saved.how == "hand"
    assert [f"g{places[0].pk}", 1, tables[0]] in saved.locked


def test_a_save_that_is_not_a_plan_is_refused_and_changes_nothing(owner: Member) -> None:
    event, _places = dinner(owner)
    _made(owner, event)
    for body in ("nope", json.dumps({"rounds": "x"}), json.dumps({"rounds": [{"g1": 3}]})):
        answer = client_for(owner).post(
            reverse("events:seating_save", args=[event.pk]), body, content_type="application/json"
        )
        assert answer.status_code == 400
    assert SeatingPlan.objects.filter(event=event).count() == 1


def test_reoptimising_keeps_the_locked_guests_at_their_table(owner: Member) -> None:
    event, places = dinner(owner)
    plan = _made(owner, event)
    tables = list(plan.seats[0]["tables"])
    keep = f"g{places[0].pk}"
    current = {g: t for t, gs in plan.seats[0]["tables"].items() for g in gs}
    other = tables[1] if current[keep] == tables[0] else tables[0]
    current[keep] = other
    client_for(owner).post(
        reverse("events:seating_make", args=[event.pk]),
        {"plan": json.dumps({"rounds": [current], "locked": [keep]})},
    )
    run_jobs()
    again = seating_plan.current_plan(event)
    assert again is not None and again.pk != plan.pk and again.feasible
    assert keep in again.seats[0]["tables"][other]


def test_replanning_after_a_cancellation_and_a_walk_in_moves_few(owner: Member) -> None:
    event, places = dinner(owner, guests=10, tables=2, capacity=6)
    plan = _made(owner, event)
    places[0].status = GuestStatus.DECLINED
    places[0].save()
    newcomer = place(event, PersonFactory(), "attended")
    made = seating_plan.seating_plan_make(member=owner, event=event, replan=True)
    run_jobs()
    made.refresh_from_db()
    assert made.status == SeatingPlanStatus.READY and made.feasible and made.moved == 0
    seated = {g for r in made.seats for gs in r["tables"].values() for g in gs}
    assert f"g{newcomer.pk}" in seated and f"g{places[0].pk}" not in seated
    before = {g: t for t, gs in plan.seats[0]["tables"].items() for g in gs}
    after = {g: t for t, gs in made.seats[0]["tables"].items() for g in gs}
    assert all(after[g] == before[g] for g in after if g in before)


def _goal_across_tables(owner: Member, event, plan, places) -> tuple[str, str]:
    """A high-priority meeting goal between two guests the plan seats at different tables."""
    at = {g: t for t, gs in plan.seats[0]["tables"].items() for g in gs}
    by_gid = {f"g{p.pk}": p for p in places}
    a = next(g for g in at if g in by_gid)
    b = next(g for g in at if g in by_gid and at[g] != at[a])
    meetings.meeting_goal_add(
        member=owner,
        event=event,
        kind="introduction",
        person_a=by_gid[a].person,
        person_b=by_gid[b].person,
        priority=1,
        reason="samen verder",
    )
    return a, b


def _replanned(owner: Member, event) -> SeatingPlan:
    made = seating_plan.seating_plan_make(member=owner, event=event, replan=True)
    run_jobs()
    made.refresh_from_db()
    assert made.status == SeatingPlanStatus.READY and made.feasible
    return made


@pytest.mark.parametrize(("penalty", "together"), [(1000, False), (0, True)])
def test_the_move_penalty_decides_whether_a_replan_moves_guests_for_a_new_goal(
    owner: Member, settings, penalty: int, together: bool
) -> None:
    """After the plan, a goal joins two guests at different tables and one guest cancels. A
    move penalty above what the goal is worth keeps every place card; without one, the re-plan
    seats the two together and says how many moved."""
    settings.GILDE_SEATING_MOVE_PENALTY = penalty
    event, places = dinner(owner, guests=10, tables=2, capacity=6)
    plan = _made(owner, event)
    a, b = _goal_across_tables(owner, event, plan, places)
    gone = next(p for p in places if f"g{p.pk}" not in (a, b))
    gone.status = GuestStatus.DECLINED
    gone.save()
    made = _replanned(owner, event)
    after = {g: t for t, gs in made.seats[0]["tables"].items() for g in gs}
    before = {g: t for t, gs in plan.seats[0]["tables"].items() for g in gs}
    assert (after[a] == after[b]) is together
    moved = sum(1 for g in after if g in before and after[g] != before[g])
    assert made.moved == moved and made.kept_from_id == plan.pk
    assert (moved == 0) is not together
    assert made.move_cost == penalty * moved
    # The stored score is the engine checker's on the instance with the saved seats.
    engine = parse_instance(seating_plan.plan_instance(made).data)
    result = check_plan(engine, {"rounds": made.seats})
    assert result.objective == pytest.approx(made.objective) and result.moved == moved


def _export(event, tmp_path):
    """`gilde events export-seating` of the event to i.json and p.json; returns both paths."""
    instance, plan = tmp_path / "i.json", tmp_path / "p.json"
    call_command(
        "events", "export-seating", str(event.pk), "--instance", str(instance), "--plan", str(plan)
    )
    return instance, plan


def test_a_replan_is_confirmed_outside_the_app_with_its_move_penalty(
    owner: Member, settings, tmp_path, capsys
) -> None:
    from gilde.cli import main

    settings.GILDE_SEATING_MOVE_PENALTY = 0
    event, places = dinner(owner, guests=10, tables=2, capacity=6)
    plan = _made(owner, event)
    _goal_across_tables(owner, event, plan, places)
    settings.GILDE_SEATING_MOVE_PENALTY = 1
    made = _replanned(owner, event)
    assert made.moved and made.move_cost == made.moved
    instance, exported = _export(event, tmp_path)
    data = json.loads(instance.read_text())
    assert data["move_penalty"] == 1 and len(data["saved"]) == 10
    capsys.readouterr()
    assert main(["gilde", "seating", "check", str(instance), str(exported)]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"objective {made.objective:g}, feasible")
    assert f"{made.moved} saved seats moved (-{made.move_cost:g})" in out
    page = client_for(owner).get(reverse("events:seating", args=[event.pk]))
    shown = page.content.decode()
    assert 'id="seat-moved"' in shown and f"−{made.move_cost:g}" in shown
    from tests.events.test_api import api

    answer = api(owner)("get", f"/events/{event.pk}/seating")
    assert answer.status_code == 200
    assert answer.json()["moved"] == made.moved
    assert answer.json()["move_cost"] == made.move_cost


def test_why_here_lists_the_table_mates_with_what_they_add(owner: Member) -> None:
    event, places = dinner(owner)
    meetings.meeting_goal_add(
        member=owner,
        event=event,
        kind="introduction",
        person_a=places[0].person,
        person_b=places[1].person,
        reason="beide in de zorg",
    )
    plan = _made(owner, event)
    rounds = [{g: t for t, gs in r["tables"].items() for g in gs} for r in plan.seats]
    answer = client_for(owner).post(
        reverse("events:seating_why", args=[event.pk]),
        json.dumps({"rounds": rounds, "locked": [], "guest": f"g{places[0].pk}", "round": 0}),
        content_type="application/json",
    )
    text = answer.content.decode()
    assert answer.status_code == 200 and places[1].person.full_name in text
    assert "beide in de zorg" in text


def test_printables_are_pdfs_and_place_cards_are_remembered(owner: Member) -> None:
    event, _places = dinner(owner)
    _made(owner, event)
    client = client_for(owner)
    for what in ("plan", "cards", "hosts", "door"):
        answer = client.get(reverse("events:seating_pdf", args=[event.pk, what]))
        assert answer.status_code == 200 and answer.content.startswith(b"%PDF")
    assert seating_plan.current_plan(event).cards_printed_at is not None
    assert client.get(reverse("events:seating_pdf", args=[event.pk, "menu"])).status_code == 404


def test_after_a_table_is_removed_the_printables_send_back_to_the_seating_page(
    owner: Member,
) -> None:
    """8 guests at 2 tables of 6, then one table removed: the plan no longer fits. The printables
    and "why here?" say so instead of failing (they raised the seat count's ValidationError)."""
    event, places = dinner(owner)
    plan = _made(owner, event)
    client = client_for(owner)
    table = SeatingTable.objects.filter(event=event).first()
    client.post(reverse("events:seating_table_delete", args=[event.pk, table.pk]))
    seating = reverse("events:seating", args=[event.pk])
    for what in ("plan", "cards", "hosts", "door"):
        answer = client.get(reverse("events:seating_pdf", args=[event.pk, what]))
        assert answer.status_code == 302 and answer["Location"] == seating
    assert client.get(reverse("events:seating_pdf", args=[event.pk, "menu"])).status_code == 404
    assert seating_plan.current_plan(event).cards_printed_at is None
    assert "slechts 6 plaatsen" in client.get(seating).content.decode()
    rounds = [{g: t for t, gs in r["tables"].items() for g in gs} for r in plan.seats]
    answer = client.post(
        reverse("events:seating_why", args=[event.pk]),
        json.dumps({"rounds": rounds, "locked": [], "guest": f"g{places[0].pk}", "round": 0}),
        content_type="application/json",
    )
    assert answer.status_code == 400 and "slechts 6 plaatsen" in answer.content.decode()


def test_export_seating_writes_what_the_engine_checker_accepts(owner: Member, tmp_path) -> None:
    event, _places = dinner(owner)
    _made(owner, event)
    instance, plan = _export(event, tmp_path)
    engine = parse_instance(json.loads(instance.read_text()))
    assert check_plan(engine, json.loads(plan.read_text())).feasible


def test_export_seating_without_a_saved_plan_writes_nothing(owner: Member, tmp_path) -> None:
    event, _places = dinner(owner)
    with pytest.raises(CommandError, match=f"event {event.pk} has no saved seating plan"):
        _export(event, tmp_path)
    assert not (tmp_path / "i.json").exists() and not (tmp_path / "p.json").exists()


def test_the_engine_command_line_checks_an_exported_plan(owner: Member, tmp_path, capsys) -> None:
    """What an outsider runs: `gilde seating check INSTANCE PLAN` on the exported files gives
    the saved plan's own score."""
    from gilde.cli import main

    event, _places = dinner(owner)
    saved = _made(owner, event)
    instance, plan = _export(event, tmp_path)
    capsys.readouterr()
    assert main(["gilde", "seating", "check", str(instance), str(plan)]) == 0
    assert capsys.readouterr().out.startswith(f"objective {saved.objective:g}, feasible")


def test_a_reader_sees_the_plan_but_may_not_change_it(owner: Member, reader: Member) -> None:
    event, _places = dinner(owner)
    _made(owner, event)
    assert client_for(reader).get(reverse("events:seating", args=[event.pk])).status_code == 200
    answer = client_for(reader).post(reverse("events:seating_make", args=[event.pk]))
    assert answer.status_code == 403


def test_a_hidden_guest_changes_nothing_another_member_sees(
    owner: Member, colleague: Member
) -> None:
    event, places = dinner(owner)
    _made(owner, event)
    before = client_for(colleague).get(reverse("events:seating", args=[event.pk])).content.decode()
    secret = PersonFactory(given_name="Geheime", family_name="Gast", confidential=True, owner=owner)
    hidden = place(event, secret, "accepted")
    meetings.meeting_goal_add(
        member=owner, event=event, kind="introduction", person_a=places[0].person, person_b=secret
    )
    _made(owner, event)
    after = client_for(colleague).get(reverse("events:seating", args=[event.pk])).content.decode()
    data_before = json.loads(_json_script(before, "seating-data"))
    data_after = json.loads(_json_script(after, "seating-data"))
    assert "Geheime" not in after and f"g{hidden.pk}" not in after
    assert len(data_after["guests"]) == len(data_before["guests"])
    assert data_after["pairs"] == data_before["pairs"] and data_after["goals"] == []
    owner_page = client_for(owner).get(reverse("events:seating", args=[event.pk])).content.decode()
    assert "Geheime" in owner_page


def test_hosts_assignment_feeds_the_pair_values(owner: Member) -> None:
    event, places = dinner(owner, guests=4)
    ann = MemberFactory()
    host_guest = host_on(event, ann)
    TieFactory(person=places[0].person, member=ann, strength=5)
    hosts.hosts_assign(member=owner, event=event)
    inst = seating_instance(event)
    assert value_of(inst, places[0], host_guest) > 0


def test_rules_that_cannot_all_hold_fail_the_plan_with_the_clash_named(owner: Member) -> None:
    event, _places = dinner(owner, guests=4, tables=2, capacity=6)
    for _ in range(3):  # three hosts, two tables, at most one host a table
        host_on(event, MemberFactory())
    plan = seating_plan.seating_plan_make(member=owner, event=event)
    run_jobs()
    plan.refresh_from_db()
    assert plan.status == SeatingPlanStatus.FAILED and "host" in plan.message
    page = client_for(owner).get(reverse("events:seating", args=[event.pk])).content.decode()
    assert "De laatste tafelschikking kon niet worden gemaakt." in page
