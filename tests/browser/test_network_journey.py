"""From a person page to a warm introduction in the browser: the panel finds the path after the
page loads, asking for the introduction replaces the path with the follow-up made (no reload),
and the colleague who starts the path finds it on their follow-ups. Screenshots of the person
page and the network page at desktop and phone width go to GILDE_SCREENSHOTS when it is set."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

from gilde.accounts.models import Role
from tests.browser.journey import log_in
from tests.factories import (
    AffiliationFactory,
    MemberFactory,
    OrganisationFactory,
    PersonFactory,
    TieFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _shoot(page, name: str) -> None:  # type: ignore[no-untyped-def]
    folder = os.environ.get("GILDE_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)


def test_find_a_warm_path_and_ask_for_the_introduction(page, networker):  # type: ignore[no-untyped-def]
    sanne = MemberFactory(user__username="sanne", user__first_name="Sanne", role=Role.NETWORKER)
    anna = PersonFactory(given_name="Anna", family_name="Aalders", tussenvoegsel="")
    carla = PersonFactory(given_name="Carla", family_name="Claes", tussenvoegsel="")
    TieFactory(member=sanne, person=anna, strength=5)
    TieFactory(member=None, other_person=anna, person=carla, strength=4)
    AffiliationFactory(person=carla, organisation=OrganisationFactory(name="Rijnbouw"))

    log_in(page, "jeroen")
    page.goto(f"/persons/{carla.pk}/")
    panel = page.locator(".warm-paths")
    expect(panel).to_contain_text("Hoe komen we hier binnen?")
    expect(panel).to_contain_text("Anna Aalders kent Carla Claes")
    expect(panel).to_contain_text("Route 1 via Sanne")
    for width, suffix in ((1280, "desktop"), (390, "phone")):
        page.set_viewport_size({"width": width, "height": 900})
        _shoot(page, f"network-person-nl-{suffix}")
    page.set_viewport_size({"width": 1280, "height": 900})
    panel.get_by_role("button", name="Vraag Sanne").click()
    expect(panel).to_contain_text("Er is een actiepunt gemaakt voor Sanne")

    page.goto("/network/")
    expect(page.locator("h1")).to_contain_text("Netwerk")
    for width, suffix in ((1280, "desktop"), (390, "phone")):
        page.set_viewport_size({"width": width, "height": 900})
        _shoot(page, f"network-overview-nl-{suffix}")

    page.context.clear_cookies()
    log_in(page, "sanne")
    page.goto("/follow-ups/")
    expect(page.locator("main")).to_contain_text("Vraag een introductie bij Carla Claes")
