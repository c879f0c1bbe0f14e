"""The main journeys in a real browser: log in, find a person, log a contact, switch language."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.journey import log_in
from tests.factories import AffiliationFactory, OrganisationFactory, PersonFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_log_in_search_open_log_and_see_it_on_the_timeline(page, networker):
    person = PersonFactory(given_name="Jan", tussenvoegsel="van der", family_name="Berg")
    AffiliationFactory(
        person=person, organisation=OrganisationFactory(name="Rijnbouw"), role="Directeur"
    )
    PersonFactory(given_name="Piet", tussenvoegsel="", family_name="Jansen")
    log_in(page, "jeroen")

    page.click("nav >> text=Relaties")
    page.fill("input[name=q]", "van der berg")
    # Playwright's own assertion: a string for wait_for_function would need 'unsafe-eval'.
    expect(page.locator("#person-rows")).not_to_contain_text("Jansen")
    page.click("text=Berg, Jan van der")
    page.wait_for_selector("h1:has-text('Jan van der Berg')")

    page.fill("#quick-log-form input[name=summary]", "Gebeld over de nieuwe aanbesteding")
    page.click("#quick-log-form button[type=submit]")
    page.wait_for_selector("#timeline >> text=Gebeld over de nieuwe aanbesteding")
    assert page.locator("#quick-log-area [role=status]").is_visible()

    page.reload()  # it was stored, not only drawn
    assert page.locator("#timeline >> text=Gebeld over de nieuwe aanbesteding").count() == 1


def test_the_language_switch_turns_the_interface_english_and_back(page, networker):
    log_in(page, "jeroen")
    assert page.locator("nav >> text=Relaties").is_visible()
    page.click("button[name=language][value=en]")
    page.wait_for_selector("nav >> text=Relations")
    assert page.locator("html").get_attribute("lang") == "en"
    page.click("button[name=language][value=nl]")
    page.wait_for_selector("nav >> text=Relaties")


def test_a_wrong_password_shows_a_message(page, networker):
    page.goto("/login/")
    page.fill("input[name=username]", "jeroen")
    page.fill("input[name=password]", "verkeerd wachtwoord")
    page.click("button[type=submit]")
    # Playwright's assertion waits for the answer page; is_visible() looked before it came.
    expect(page.locator("text=komen niet overeen")).to_be_visible()


def test_the_person_list_works_on_a_phone_width_screen(browser, live_server, networker):
    PersonFactory(family_name="Smal")
    context = browser.new_context(base_url=live_server.url, viewport={"width": 375, "height": 740})
    page = context.new_page()
    log_in(page, "jeroen")
    page.goto("/persons/")
    assert page.locator("text=Smal").is_visible()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 400, f"the page scrolls sideways on a phone ({width}px)"
    context.close()
