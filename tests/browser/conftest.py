"""Headless Chromium through Playwright, against Django's live server.

Debian's chromium is used (Playwright's own browser download is not needed). Under CI the browser
is required; elsewhere the tests are skipped with a reason when it is missing."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from typing import Any

import pytest

CHROMIUM = os.environ.get("GILDE_CHROMIUM", "/usr/bin/chromium")
# Playwright's sync API runs an event loop in the test thread; the test's own database
# calls (creating fixtures) are synchronous and safe there.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not shutil.which(CHROMIUM) and not os.path.exists(CHROMIUM):
        if os.environ.get("CI") == "true":
            pytest.fail(f"Chromium is required under CI but {CHROMIUM} is missing")
        pytest.skip(f"no Chromium at {CHROMIUM}")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser: Any, live_server: Any) -> Iterator[Any]:
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.fixture(autouse=True)
def default_lists(transactional_db: Any) -> None:
    """Transactional tests empty every table, including the lists the migrations seed."""
    import importlib

    from django.apps import apps

    seed = importlib.import_module("gilde.relations.migrations.0002_default_lists")
    seed.create(apps, None)
    rhythms = importlib.import_module(
        "gilde.relations.migrations.0005_person_trust_and_tier_rhythm"
    )
    rhythms.seed_rhythms(apps, None)


@pytest.fixture
def networker(db: Any) -> Any:
    from gilde.accounts.models import Role
    from tests.factories import MemberFactory

    return MemberFactory(user__username="jeroen", user__first_name="Jeroen", role=Role.NETWORKER)
