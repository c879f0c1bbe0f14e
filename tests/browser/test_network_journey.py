"""The network in the browser: from a person's page, find the warm path, ask for the
introduction and see the follow-up on the colleague's list; record that it happened; open the
map, filter it and click through to a relation."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from gilde.network.loader import forget_stored
from gilde.relations.models import Tier
from tests.browser.journey import log_in
from tests.factories import AffiliationFactory, OrganisationFactory, PersonFactory, TieFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _network(networker):
    anna = PersonFactory(
        given_name="Anna", tussenvoegsel="", family_name="Brugman", tier=Tier.objects.get(code="A")
    )
    carla = PersonFactory(
        given_name="Carla", tussenvoegsel="", family_name="Doelwit", tier=Tier.objects.get(code="C")
    )
    org = OrganisationFactory(name="Rijnbouw", sector="construction")
    TieFactory(member=networker, person=anna, strength=5)
    TieFactory(member=None, other_person=anna, person=carla, strength=4)
    AffiliationFactory(person=carla, organisation=org)
    forget_stored()
    return anna, carla


def test_from_a_warm_path_to_the_follow_up_and_the_recorded_introduction(page, networker):
    anna, carla = _network(networker)
    log_in(page, "jeroen")
    page.goto(f"/persons/{carla.pk}/")
    path = page.locator("#warm-path-1")
    expect(path).to_contain_text("Anna Brugman")
    page.evaluate("window.notReloaded = true")
    path.get_by_role("button").click()
    expect(page.locator(".warm-path.asked")).to_contain_text("Anna Brugman")
    expect(page.locator("#introductions-asked-person")).to_contain_text("Anna Brugman")
    assert page.evaluate("window.notReloaded") is True

    page.goto("/follow-ups/")
    expect(page.locator("main")).to_contain_text("Carla Doelwit")

    page.goto(f"/persons/{carla.pk}/")
    asked = page.locator("#introductions-asked-person li").first
    asked.get_by_role("button").click()
    expect(page.locator("#introductions-asked-person li").first).to_contain_text("werd op")


def test_the_map_filters_and_clicks_through(page, networker):
    anna, carla = _network(networker)
    log_in(page, "jeroen")
    page.goto(f"/network/map/?person={anna.pk}&radius=2")
    expect(page.locator("#network-map[data-ready='1']")).to_have_count(1)
    expect(page.locator("#map-list")).to_contain_text("Carla Doelwit")
    expect(page.locator("#map-list")).to_contain_text("Rijnbouw")

    page.evaluate("window.notReloaded = true")
    page.locator("select[name=tier]").select_option("A")
    expect(page.locator("#map-list")).not_to_contain_text("Carla Doelwit")
    expect(page.locator("#network-map[data-ready='1']")).to_have_count(1)
    assert page.evaluate("window.notReloaded") is True
    page.locator("select[name=tier]").select_option([])
    expect(page.locator("#map-list")).to_contain_text("Carla Doelwit")
    expect(page.locator("#network-map[data-ready='1']")).to_have_count(1)

    box = page.locator("#network-map").bounding_box()
    spot = page.evaluate(
        "() => { const n = document.getElementById('network-map').gildeMap"
        ".nodes().filter(n => n.data('label') === 'Carla Doelwit')[0];"
        " return n.renderedPosition(); }"
    )
    page.mouse.click(box["x"] + spot["x"], box["y"] + spot["y"])
    page.wait_for_url(f"**/persons/{carla.pk}/")
    expect(page.locator("h1")).to_contain_text("Carla Doelwit")
