"""The strategy journey in the browser: a network manager defines a goal and a theme, links a
relation from its page, sees the heatmap and a gap with a candidate on the theme's page, plans
activities for a segment, runs the tier review, and opens the quarterly report's PDF (its first
page rendered to an image and its text read). Screenshots at desktop and phone width go to
GILDE_SCREENSHOTS when it is set."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from gilde.accounts.models import Role
from gilde.relations.models import Person, StakeholderType
from tests.browser.journey import log_in
from tests.factories import MemberFactory, PersonFactory, TieFactory
from tests.jobs import run_jobs

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _shoot(page, name: str) -> None:  # type: ignore[no-untyped-def]
    folder = os.environ.get("GILDE_SCREENSHOTS")
    if not folder:
        return
    Path(folder).mkdir(parents=True, exist_ok=True)
    for width, suffix in ((1280, "desktop"), (390, "phone")):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=str(Path(folder) / f"{name}-{suffix}.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})


def _typed(person, code):  # type: ignore[no-untyped-def]
    person.stakeholder_types.add(StakeholderType.objects.get(code=code))
    return person


def test_from_goal_to_the_board_report(page, live_server):  # type: ignore[no-untyped-def]
    manager = MemberFactory(
        user__username="beheer", user__first_name="Marieke", role=Role.NETWORK_MANAGER
    )
    wethouder = _typed(
        PersonFactory(given_name="Willem", tussenvoegsel="", family_name="Wethouder"), "government"
    )
    journalist = _typed(
        PersonFactory(given_name="Joke", tussenvoegsel="", family_name="Journaal"), "press"
    )
    TieFactory(member=None, other_person=wethouder, person=journalist)
    TieFactory(member=manager, person=wethouder, strength=5)
    Person.objects.update(created_at=timezone.now() - dt.timedelta(days=400))

    log_in(page, "beheer")
    page.goto("/strategy/goals/new/")
    page.fill("input[name=title]", "Een duurzame regio")
    page.fill("textarea[name=values]", "Verantwoordelijkheid")
    page.get_by_role("button", name="Opslaan").click()
    page.get_by_role("link", name="nieuw thema").click()
    page.fill("input[name=name]", "Energietransitie in de regio")
    page.fill("textarea[name=we_want]", "Vroeg weten waar netcongestie speelt")
    page.fill("textarea[name=we_offer]", "Ons netwerk van installateurs")
    page.get_by_role("button", name="Opslaan").click()
    expect(page.locator("h1")).to_contain_text("Energietransitie in de regio")

    page.goto(f"/persons/{wethouder.pk}/")
    panel = page.locator("#themes-panel")
    panel.get_by_text("Aan een thema koppelen").click()
    panel.locator("select[name=theme]").select_option(label="Energietransitie in de regio")
    panel.locator("select[name=role]").select_option("decision_maker")
    panel.locator("select[name=importance]").select_option("3")
    panel.get_by_role("button", name="Koppelen").click()
    linked = page.locator("#themes-panel li", has_text="Energietransitie in de regio")
    expect(linked).to_contain_text("Beslisser")  # the panel redrawn, no reload

    page.goto("/strategy/coverage/")
    expect(page.locator("table.heatmap")).to_contain_text("0/1")
    _shoot(page, "strategy-journey-heatmap-nl")
    page.get_by_role("link", name="Energietransitie in de regio").first.click()
    gap = page.locator("section.gap", has_text="Pers")
    expect(gap).to_contain_text("Joke Journaal")
    expect(gap).to_contain_text("kent Willem Wethouder")
    # No network graph was stored yet: the database answered and the graph's build was queued.
    # Once the worker built it, the candidate comes with the warm path.
    assert run_jobs() == 1
    page.reload()
    expect(gap).to_contain_text("kent Willem Wethouder, die Marieke")
    _shoot(page, "strategy-journey-theme-nl")

    page.goto("/strategy/plans/")
    page.locator("select[name=tier]").select_option(label="A – Sleutelrelatie")
    page.fill(
        "textarea[name=activities]", "Een persoonlijk bezoek per kwartaal en het jaarlijkse diner"
    )
    page.fill("input[name=contacts_per_year]", "4")
    page.fill("input[name=invitations_per_year]", "3")
    page.get_by_role("button", name="Opslaan").click()
    expect(page.locator("table")).to_contain_text("Een persoonlijk bezoek per kwartaal")
    _shoot(page, "strategy-journey-plans-nl")

    page.goto("/tier-review/")
    page.get_by_role("button", name="Herbeoordeling beginnen").click()
    expect(page.locator("body")).to_contain_text("Wethouder")
    expect(page.locator("body")).to_contain_text("score")
    _shoot(page, "strategy-journey-tier-review-nl")

    page.goto("/strategy/reports/")
    page.get_by_role("button", name="De rapportage opstellen").click()
    expect(page.locator("body")).to_contain_text("wordt opgesteld")
    assert run_jobs() == 1  # the worker's part; the page polls until the report is there
    expect(page.get_by_role("button", name="De pdf openen")).to_be_visible(timeout=20_000)
    _shoot(page, "strategy-journey-report-nl")
    href = page.get_by_role("button", name="De pdf openen").get_attribute("href")
    pdf = page.request.get(live_server.url + href)
    assert pdf.headers["content-type"] == "application/pdf"
    text, image = _first_page(pdf.body())
    assert "Managementrapportage" in text and "Kerncijfers" in text
    assert image.size[0] > 500
    folder = os.environ.get("GILDE_SCREENSHOTS")
    if folder:
        image.save(Path(folder) / "strategy-report-pdf-page1.png")


def _first_page(body: bytes):  # type: ignore[no-untyped-def]
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(body)
    first = document[0]
    text = first.get_textpage().get_text_range()
    image = first.render(scale=1.5).to_pil()
    return text, image
