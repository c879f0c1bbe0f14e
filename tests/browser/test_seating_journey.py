"""The directed dinner in the browser, in one journey: a meeting goal on the Meetings tab, a plan
made by the engine, a guest dragged to another table with the score changing at once, a lock,
re-optimising around it, the place cards printed, a host logging who met whom on a phone on the
evening, and the event report with the share of goals realised. And the rescoring speed at 300
guests, and the seating page on a phone."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from gilde.accounts.models import Member, Role
from gilde.events import seating_plan
from gilde.events.models import (
    Event,
    Guest,
    GuestRole,
    GuestStatus,
    MeetingGoalOutcome,
    MeetingRecord,
    SeatingPlan,
    SeatingSetup,
)
from tests.browser.journey import log_in
from tests.events.results_world import dinner
from tests.factories import MemberFactory, PersonFactory
from tests.jobs import run_jobs

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _dinner(networker: Member, guests: int, tables: int, capacity: int) -> Event:
    starts = timezone.now() + dt.timedelta(days=20)
    event = Event.objects.create(
        title="Voorjaarsdiner",
        kind="dinner",
        starts_at=starts,
        ends_at=starts + dt.timedelta(hours=4),
        created_by=networker,
    )
    event.organisers.add(networker)
    for i in range(guests):
        person = PersonFactory(given_name=f"Gast{i:03d}", tussenvoegsel="", family_name="Diner")
        Guest.objects.create(event=event, person=person, status=GuestStatus.ACCEPTED)
    Guest.objects.create(
        event=event,
        member=MemberFactory(user__first_name="Hanna"),
        role=GuestRole.HOST,
        status=GuestStatus.ACCEPTED,
    )
    SeatingSetup.objects.create(event=event, rounds=1, hosts_per_table=1, time_limit=1)
    seating_plan.seating_tables_add(member=networker, event=event, count=tables, capacity=capacity)
    return event


def _score(page) -> float:
    return float(page.locator("#seat-score").inner_text())


def test_goals_plan_drag_lock_reoptimise_cards_then_a_host_logs_on_a_phone_and_the_report(
    browser, page, live_server, networker
):
    """The whole directed dinner in one journey: meeting goals → plan → drag a guest (the score
    changes) → lock → re-optimise → place cards → on the evening a host logs who met whom on a
    phone → the event report shows the realised share."""
    host = MemberFactory(user__username="gastvrouw", user__first_name="Sanne", role=Role.NETWORKER)
    world = dinner(networker, host, days=20)
    for i in range(8):
        person = PersonFactory(given_name=f"Gast{i:03d}", tussenvoegsel="", family_name="Diner")
        Guest.objects.create(event=world.event, person=person, status=GuestStatus.ACCEPTED)
    SeatingSetup.objects.create(event=world.event, rounds=1, hosts_per_table=1, time_limit=1)
    seating_plan.seating_tables_add(member=networker, event=world.event, count=2, capacity=8)
    event = world.event

    # Meeting goals: the dinner has three (two high, one low); the organiser adds a fourth.
    log_in(page, "jeroen")
    page.goto(f"/events/{event.pk}/meetings/")
    form = page.locator("form", has=page.locator("input[name=kind][value=introduction]"))
    form.locator("select[name=person_a]").select_option(label="Gast000 Diner")
    form.locator("select[name=person_b]").select_option(label="Gast001 Diner")
    form.locator("select[name=priority]").select_option("1")
    form.get_by_role("button").click()
    expect(page.locator("#meeting-goals")).to_contain_text("Gast001 Diner")

    # The plan, made by the engine in the background, meets every goal.
    page.get_by_role("link", name="Tafelschikking").click()
    page.get_by_role("button", name="Tafelschikking maken").click()
    expect(page.locator("#seat-making")).to_be_visible(timeout=20_000)
    assert run_jobs() == 1
    expect(page.locator("#seat-score")).not_to_be_empty(timeout=20_000)
    expect(page.locator("#seat-goals")).to_contain_text("4 van 4")
    before = _score(page)

    # Drag one of the new pair to the other table: that goal is no longer met, the score drops.
    guest = page.locator(".seat-guest", has_text="Gast000 Diner")
    own_table = guest.locator("xpath=ancestor::article").get_attribute("data-table")
    other = page.locator(f"article.seat-table:not([data-table='{own_table}'])")
    guest.drag_to(other.locator("ul"))
    expect(page.locator("#seat-goals")).to_contain_text("3 van 4")
    assert _score(page) < before
    assert float(page.locator("#seat-score").get_attribute("data-ms")) < 100
    page.get_by_role("button", name="Ongedaan maken").click()
    expect(page.locator("#seat-goals")).to_contain_text("4 van 4")
    assert _score(page) == before

    # By keyboard: pick up Gast002 and move them to the other table, then lock them there.
    mover = page.locator(".seat-guest", has_text="Gast002 Diner")
    start = mover.locator("xpath=ancestor::article").get_attribute("data-table")
    target = page.locator(f"article.seat-table:not([data-table='{start}']) .seat-table-head")
    target_id = target.get_attribute("data-table")
    mover.focus()
    page.keyboard.press("Enter")
    target.focus()
    page.keyboard.press("Enter")
    moved = page.locator(f"article[data-table='{target_id}'] .seat-guest", has_text="Gast002")
    expect(moved).to_be_visible()
    moved.focus()
    page.keyboard.press("l")
    expect(page.locator(".seat-guest", has_text="Gast002 Diner")).to_contain_text("🔒")
    page.get_by_role("button", name="Schikking bewaren").click()
    expect(page.locator("#seat-status")).to_contain_text("Bewaard")

    # Re-optimise around the lock: Gast002 stays where they were put.
    page.get_by_role("button", name="Opnieuw optimaliseren rond de vastgezette gasten").click()
    expect(page.locator("#seat-making")).to_be_visible(timeout=20_000)
    assert run_jobs() == 1
    expect(page.locator("#seat-making")).to_have_count(0, timeout=20_000)
    kept = page.locator(f"article[data-table='{target_id}'] .seat-guest", has_text="Gast002")
    expect(kept).to_be_visible()
    latest = SeatingPlan.objects.filter(event=event).order_by("-id").first()
    assert latest is not None and latest.feasible and latest.how == "engine"
    assert (
        f"g{Guest.objects.get(person__given_name='Gast002').pk}"
        in latest.seats[0]["tables"][target_id]
    )

    # The place cards are printed.
    cards = page.request.get(f"/events/{event.pk}/seating/print/cards.pdf")
    assert cards.ok and cards.body().startswith(b"%PDF")

    # The evening comes: the dinner starts and the host's guests are checked in.
    now = timezone.now()
    Event.objects.filter(pk=event.pk).update(
        starts_at=now - dt.timedelta(hours=1), ends_at=now + dt.timedelta(hours=2)
    )
    Guest.objects.filter(pk__in=[world.places[k].pk for k in ("host", "ann", "bob")]).update(
        status=GuestStatus.ATTENDED
    )

    # The host logs on a phone: Ann and Bob met, the colleague goal was not met.
    phone = browser.new_context(base_url=live_server.url, viewport={"width": 390, "height": 844})
    mobile = phone.new_page()
    mobile.set_default_timeout(15_000)
    try:
        log_in(mobile, "gastvrouw")
        mobile.goto(f"/events/{event.pk}/met/")
        assert mobile.evaluate("document.documentElement.scrollWidth") <= 390
        count = mobile.locator("#meeting-count")
        expect(count).to_contain_text("0 van 3")
        introduction = mobile.locator(f"#goal-{world.introduction.pk}")
        introduction.locator("summary").click()
        introduction.locator("input[name=note]").fill("Klikte meteen")
        introduction.get_by_role("button", name="Ontmoet", exact=True).click()
        expect(mobile.locator(f"#goal-{world.introduction.pk}")).to_have_class(
            "meeting-goal outcome-met"
        )
        expect(count).to_contain_text("1 van 3")
        mobile.locator(f"#goal-{world.colleague_goal.pk}").get_by_role(
            "button", name="Niet ontmoet"
        ).click()
        expect(count).to_contain_text("2 van 3")
    finally:
        phone.close()

    # The event report: one of the three high-priority goals realised, one of all four.
    page.goto(f"/events/{event.pk}/report/")
    expect(page.locator("#figure-goals .big")).to_have_text("33%")
    expect(page.locator("#figure-goals")).to_contain_text("1 van 3")
    expect(page.locator("#figure-all-goals")).to_contain_text("1 van 4")
    world.introduction.refresh_from_db()
    assert world.introduction.outcome == MeetingGoalOutcome.MET
    assert world.introduction.outcome_note == "Klikte meteen"
    assert MeetingRecord.objects.get(goal=world.introduction).tie is not None


def test_rescoring_300_guests_takes_under_100_ms(page, networker):
    event = _dinner(networker, guests=299, tables=30, capacity=11)
    for guest in Guest.objects.filter(event=event, person__isnull=False)[:150]:
        guest.person.passions = ["zeilen", "jazz", "golf", "wijn", "koken"][guest.pk % 5]
        guest.person.save()
    seating_plan.seating_plan_make(member=networker, event=event)
    run_jobs()
    log_in(page, "jeroen")
    page.goto(f"/events/{event.pk}/seating/")
    expect(page.locator("#seat-score")).not_to_be_empty()
    timings = page.evaluate(
        """() => { const out = [];
             for (let i = 0; i < 20; i++) { const t = performance.now();
               window.gildeSeating.render(); out.push(performance.now() - t); }
             return out.sort((a, b) => a - b); }"""
    )
    assert timings[len(timings) // 2] < 100, timings


def test_the_seating_page_fits_a_phone(page, networker):
    event = _dinner(networker, guests=11, tables=2, capacity=8)
    seating_plan.seating_plan_make(member=networker, event=event)
    run_jobs()
    page.set_viewport_size({"width": 390, "height": 800})
    log_in(page, "jeroen")
    page.goto(f"/events/{event.pk}/seating/")
    expect(page.locator("#seat-score")).not_to_be_empty()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
