"""At 390×844 the menu reaches every page, the to-contact list's actions are within reach and the
quick log works with one thumb; on a desktop the menus and the quick log work from the keyboard."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from gilde.accounts.models import Role
from tests.browser.journey import log_in
from tests.browser.pages import small_network
from tests.factories import MemberFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def manager_member(db):
    return MemberFactory(
        user__username="beheer", user__first_name="Marieke", role=Role.NETWORK_MANAGER
    )


@pytest.fixture
def phone(browser, live_server):
    context = browser.new_context(base_url=live_server.url, viewport=PHONE, has_touch=True)
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def _fits(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{page.url} scrolls sideways on a phone ({width}px)"


def test_the_phone_menu_reaches_every_page(phone, manager_member):
    small_network(manager_member)
    log_in(phone, "beheer")
    menu = phone.locator("#site-menu")
    expect(menu).to_be_hidden()
    hrefs = phone.locator("#site-menu a").evaluate_all(
        "links => links.map(a => a.getAttribute('href'))"
    )
    assert {
        "/going-cold/",
        "/goodwill/",
        "/imports/",
        "/privacy/",
        "/audit/",
        "/account/tokens/",
        "/tier-review/",
        "/team/",
        "/jobs/",
    } <= set(hrefs)

    for href in hrefs:
        phone.goto("/")
        phone.click("[data-menu-toggle]")
        expect(menu).to_be_visible()
        link = phone.locator(f"#site-menu a[href='{href}']")
        if not link.is_visible():  # inside "More" or the account menu: open it first
            link.locator("xpath=ancestor::details[1]/summary").click()
        link.click()
        phone.wait_for_url(f"**{href}")
        _fits(phone)


def test_the_to_contact_list_is_cards_with_log_and_snooze_in_reach(phone, manager_member):
    network = small_network(manager_member)
    due = network["due"]
    log_in(phone, "beheer")
    phone.goto("/due/")
    row = phone.locator(f"#due-{due.pk}")
    log = row.get_by_role("button", name="Vastleggen")
    snooze = row.get_by_role("button", name="Uitstellen")
    for action in (log, snooze):
        box = action.bounding_box()
        assert box is not None and box["x"] + box["width"] <= PHONE["width"]
        assert box["height"] >= 40  # a thumb's target
    _fits(phone)

    log.tap()
    phone.fill(f"#due-{due.pk} input[name=summary]", "Kort gebeld vanaf de trein")
    phone.locator(f"#due-{due.pk} button[type=submit]").tap()
    expect(phone.locator(f"#due-{due.pk}")).to_contain_text("Contactmoment vastgelegd")


def test_the_quick_log_on_a_phone_is_one_field_and_a_wide_button(phone, manager_member):
    network = small_network(manager_member)
    log_in(phone, "beheer")
    phone.goto(f"/persons/{network['person'].pk}/")
    button = phone.locator("#quick-log-form button[type=submit]")
    box = button.bounding_box()
    assert box is not None and box["width"] >= 300 and box["height"] >= 44
    phone.locator("#quick-log-form input[name=summary]").tap()
    phone.keyboard.type("Koffie gedronken")
    button.tap()
    expect(phone.locator("#timeline")).to_contain_text("Koffie gedronken")
    expect(phone.locator("#contact-strip canvas")).to_be_visible()
    _fits(phone)


def test_the_menus_work_from_the_keyboard(page, manager_member):
    log_in(page, "beheer")
    page.keyboard.press("Tab")
    expect(page.locator(".skip-link")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()

    more = page.locator("details.menu-more")
    more.locator("summary").focus()
    page.keyboard.press("Enter")
    expect(more).to_have_attribute("open", "")
    page.keyboard.press("Tab")
    expect(more.locator("a").first).to_be_focused()
    page.keyboard.press("Escape")
    expect(more).not_to_have_attribute("open", "")
    expect(more.locator("summary")).to_be_focused()

    more.locator("summary").focus()
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")  # follows the first link: the follow-ups
    page.wait_for_url("**/follow-ups/")


def test_a_contact_is_logged_from_the_keyboard_alone(page, manager_member):
    network = small_network(manager_member)
    log_in(page, "beheer")
    page.goto(f"/persons/{network['person'].pk}/")
    page.locator("#quick-log-form input[name=summary]").focus()
    page.keyboard.type("Via het toetsenbord vastgelegd")
    page.keyboard.press("Enter")
    expect(page.locator("#timeline")).to_contain_text("Via het toetsenbord vastgelegd")
