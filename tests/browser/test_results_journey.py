"""A host logs who met whom on a phone (390 px wide) during the dinner, and the event report
shows the share of meeting goals realised."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from gilde.accounts.models import Role
from gilde.events.models import MeetingGoalOutcome, MeetingRecord
from tests.browser.journey import log_in
from tests.events.results_world import dinner
from tests.factories import MemberFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_host_logs_meetings_on_a_phone_and_the_report_shows_the_realised_share(
    browser: Any, live_server: Any
) -> None:
    organiser = MemberFactory(user__username="beheer", role=Role.NETWORK_MANAGER)
    host = MemberFactory(user__username="gastvrouw", user__first_name="Sanne", role=Role.NETWORKER)
    world = dinner(organiser, host)
    context = browser.new_context(base_url=live_server.url, viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        log_in(page, "gastvrouw")
        page.goto(f"/events/{world.event.pk}/met/")
        # The page fits the phone: nothing wider than the screen.
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        count = page.locator("#meeting-count")
        expect(count).to_contain_text("0 van 3")
        introduction = page.locator(f"#goal-{world.introduction.pk}")
        introduction.locator("summary").click()
        introduction.locator("input[name=note]").fill("Klikte meteen")
        introduction.get_by_role("button", name="Ontmoet", exact=True).click()
        expect(page.locator(f"#goal-{world.introduction.pk}")).to_have_class(
            "meeting-goal outcome-met"
        )
        expect(count).to_contain_text("1 van 3")
        page.locator(f"#goal-{world.colleague_goal.pk}").get_by_role(
            "button", name="Niet ontmoet"
        ).click()
        expect(count).to_contain_text("2 van 3")
        page.goto(f"/events/{world.event.pk}/report/")
        expect(page.locator("#figure-goals .big")).to_have_text("50%")
        expect(page.locator("#figure-all-goals")).to_contain_text("1 van 3")
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
    finally:
        context.close()
    world.introduction.refresh_from_db()
    assert world.introduction.outcome == MeetingGoalOutcome.MET
    assert world.introduction.outcome_note == "Klikte meteen"
    assert MeetingRecord.objects.get(goal=world.introduction).tie is not None
