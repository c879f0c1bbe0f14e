"""Every main page passes axe-core (WCAG 2.1 A and AA rules) without a serious or critical
violation, on a desktop and on a phone, and loads no more than 300 KB of JavaScript. axe-core
comes from the npm registry (package.json's devDependencies: `npm ci` installs it)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from gilde.accounts.models import Role
from tests.browser.journey import log_in
from tests.browser.pages import main_pages, small_network
from tests.factories import MemberFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
JS_BUDGET = 300 * 1024
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


@pytest.fixture
def axe_source() -> str:
    if not AXE.is_file():
        if os.environ.get("CI") == "true":
            pytest.fail(f"axe-core is required under CI but {AXE} is missing: run `npm ci`")
        pytest.skip("axe-core is not installed: run `npm ci`")
    return AXE.read_text()


@pytest.fixture
def manager_member(db):
    return MemberFactory(
        user__username="beheer", user__first_name="Marieke", role=Role.NETWORK_MANAGER
    )


def _violations(page, axe_source: str) -> list[str]:
    # Evaluated through the browser's debugging protocol, which the page's CSP does not govern.
    page.evaluate(axe_source)
    result = page.evaluate(
        """async () => {
          const r = await axe.run(document, {runOnly: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]});
          return r.violations.filter(v => v.impact === "serious" || v.impact === "critical")
            .map(v => v.id + ": " + v.nodes.slice(0, 3).map(n => n.target.join(" ")).join(" | "));
        }"""
    )
    return list(result)


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_every_main_page_has_no_serious_accessibility_violation(
    browser, live_server, manager_member, axe_source, viewport
):
    network = small_network(manager_member)
    context = browser.new_context(base_url=live_server.url, viewport=viewport)
    page = context.new_page()
    page.set_default_timeout(15_000)
    log_in(page, "beheer")
    found = {}
    for path in main_pages(network, manager_member):
        response = page.goto(path)
        assert response is not None and response.status == 200, path
        page.wait_for_load_state("networkidle")
        if viewport is PHONE:
            page.click("[data-menu-toggle]")  # the open menu is checked too
        violations = _violations(page, axe_source)
        if violations:
            found[path] = violations
    context.close()
    assert found == {}, "\n".join(f"{p}: {v}" for p, v in found.items())


def test_the_login_page_has_no_serious_accessibility_violation(page, axe_source):
    page.goto("/login/")
    assert _violations(page, axe_source) == []


def test_no_page_loads_more_than_300_kb_of_javascript(browser, live_server, manager_member):
    network = small_network(manager_member)
    context = browser.new_context(base_url=live_server.url, viewport=DESKTOP)
    page = context.new_page()
    page.set_default_timeout(15_000)
    log_in(page, "beheer")
    loaded: dict[str, int] = {}
    page.on(
        "response",
        lambda r: (
            loaded.__setitem__(r.url, len(r.body()))
            if r.request.resource_type == "script"
            else None
        ),
    )
    weights = {}
    for path in main_pages(network, manager_member):
        loaded.clear()
        page.goto(path)
        page.wait_for_load_state("networkidle")
        weights[path] = sum(loaded.values())
    context.close()
    assert weights["/"] > 200 * 1024, "the dashboard's chart library was not loaded"
    assert weights["/persons/new/"] < 100 * 1024, "a page without a chart loaded the library"
    assert {path: kb for path, kb in weights.items() if kb > JS_BUDGET} == {}
