"""Screenshots of Gilde's main pages, desktop and phone, in Dutch, from the demo network, and of
the member network's pages from the member network demo (members-*.png).

    make screenshots                       # builds a small demo and a member network demo in
                                           # scratch folders, serves them, and writes
                                           # docs/screenshots/*.png
    python scripts/screenshots.py --url http://127.0.0.1:8000   # against a running demo
    python scripts/screenshots.py --only members --language en --out /tmp/shots   # to look at

Chromium comes from GILDE_CHROMIUM (default /usr/bin/chromium), as in the browser tests."""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from playwright.sync_api import Page, sync_playwright

PROJECT = Path(__file__).resolve().parent.parent
OUT = PROJECT / "docs" / "screenshots"
PASSWORD = "gilde-demo-2026"  # noqa: S105 - the demo's published password
SIZES = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}
# (file name, path, what to wait for). The relation page is found from the list.
PAGES = (
    ("dashboard", "/", "h1"),
    ("relations", "/persons/", "#person-rows"),
    ("relation", None, "#timeline"),
    ("to-contact", "/due/", "table"),
    ("going-cold", "/going-cold/", "#chart-days-since"),
    ("tier-review", "/tier-review/", "#chart-tier-mix"),
    ("signals", "/signals/", "#chart-signals-per-sector"),
    ("goodwill", "/goodwill/", "#chart-given-received"),
    ("colleagues", "/members/", "h1"),
    ("event-results", "/events/results/", "#chart-trend-goals"),
    ("event-report", None, "#chart-goals"),
)
# The member network's pages (from `gilde demo --kind network`), as its coordinator sees them.
# A path of None is found from the page before it (profile from the directory, cost statement
# from one's own costs, the door sheet from the drop-in meetings).
MEMBER_PAGES = (
    ("goal", "/goal/", "h1"),
    ("directory", "/members/directory/", "h1"),
    ("profile", None, "h1"),
    ("help", "/members/help/?need=websites", "h1"),
    ("referrals", "/members/referrals/", "h1"),
    ("flow", "/members/flow/", "h1"),
    ("commitment", "/members/commitment/all/", "h1"),
    ("applications", "/members/applications/", "h1"),
    ("costs", "/members/costs/", "h1"),
    ("cost-statement", None, "h1"),
    ("year", "/members/year/", "h1"),
    ("drop-in", "/members/drop-in/", "h1"),
    ("door-qr", None, ".door-qr svg"),
    ("apply", "/apply/", "h1"),
)
# Where a page's link to the next one is found.
MEMBER_LINKS = {
    "directory": "#directory-rows a[href$='/profile/'], main a[href$='/profile/']",
    "costs": "main a[href$='/cost-statement/']",
    "drop-in": "main a[href$='/door/']",
}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait_for(url: str, seconds: float = 60) -> None:
    import urllib.request

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url + "/health/", timeout=2)  # noqa: S310 - our own server
            return
        except OSError:
            time.sleep(0.5)
    raise SystemExit(f"no answer from {url}")


def _log_in(page: Page, username: str) -> None:
    page.goto("/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/")


def _settle(page: Page) -> None:
    """Charts drawn (Chart.js animates for 300 ms) and fonts laid out."""
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(600)


def take_members(base_url: str, out: Path, chromium: str, language: str) -> list[Path]:
    """The member network's pages, desktop and phone: members-<page>-<size>.png (with the
    language in the name when it is not Dutch)."""
    out.mkdir(parents=True, exist_ok=True)
    written = []
    suffix = "" if language == "nl" else f"-{language}"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, headless=True,
                                             args=["--no-sandbox", "--disable-gpu"])  # fmt: skip
        for size, viewport in SIZES.items():
            context = browser.new_context(base_url=base_url, viewport=viewport,
                                          locale="nl-NL" if language == "nl" else "en-GB",
                                          reduced_motion="reduce")  # fmt: skip
            context.add_cookies([{"name": "django_language", "value": language, "url": base_url}])
            page = context.new_page()
            _log_in(page, "beheer")
            following: str | None = None
            for name, path, ready in MEMBER_PAGES:
                if path is None and following is None:
                    continue  # nothing to follow (no coming drop-in meeting in the demo, say)
                page.goto(path or str(following))
                page.wait_for_selector(ready)
                if name in MEMBER_LINKS:
                    links = page.locator(MEMBER_LINKS[name])
                    following = links.first.get_attribute("href") if links.count() else None
                _settle(page)
                target = out / f"members-{name}{suffix}-{size}.png"
                page.screenshot(path=str(target), full_page=size == "phone")
                written.append(target)
            context.close()
        browser.close()
    return written


def _serve_demo(kind: str, shoot: Callable[[str], list[Path]]) -> list[Path]:
    """Build a small demo of this kind in a scratch folder, serve it, and take the shots."""
    gilde = Path(sys.executable).parent / "gilde"
    with tempfile.TemporaryDirectory(prefix="gilde-screenshots-") as data:
        env = {**os.environ, "GILDE_DATA_DIR": data, "DEBUG": "true", "GILDE_LANGUAGE": "nl"}
        env.pop("DATABASE_URL", None)
        demo = [str(gilde), "demo", "--size", "small", "--kind", kind, "--no-serve", "--no-worker"]
        subprocess.run(demo, env=env, check=True, stdout=subprocess.DEVNULL)  # noqa: S603
        port = _free_port()
        server = subprocess.Popen(  # noqa: S603 - our own console script
            [str(gilde), "runserver", f"127.0.0.1:{port}", "--noreload"], env=env,
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        try:
            url = f"http://127.0.0.1:{port}"
            _wait_for(url)
            return shoot(url)
        finally:
            server.terminate()
            server.wait(timeout=30)


def take(base_url: str, out: Path, chromium: str) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    written = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, headless=True,
                                             args=["--no-sandbox", "--disable-gpu"])  # fmt: skip
        for size, viewport in SIZES.items():
            context = browser.new_context(base_url=base_url, viewport=viewport, locale="nl-NL",
                                          reduced_motion="reduce")  # fmt: skip
            page = context.new_page()
            _log_in(page, "beheer")
            relation_url = report_url = None
            for name, path, ready in PAGES:
                if path is None:
                    path = report_url if name == "event-report" else relation_url
                page.goto(path)
                page.wait_for_selector(ready)
                if name == "event-results":
                    report_url = page.locator(".trend-table a").first.get_attribute("href")
                if name == "relations":
                    relation_url = page.locator(
                        "#person-rows a[href^='/persons/']"
                    ).first.get_attribute("href")
                _settle(page)
                target = out / f"{name}-{size}.png"
                page.screenshot(path=str(target), full_page=size == "phone")
                written.append(target)
            if size == "phone":  # the menu, opened
                page.goto("/")
                page.click("[data-menu-toggle]")
                _settle(page)
                target = out / "menu-phone.png"
                page.screenshot(path=str(target))
                written.append(target)
            context.close()
        browser.close()
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", help="a running Gilde with the demo network (default: build one)")
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument(
        "--only", choices=["organisation", "members"], help="one demo's pages (default: both)"
    )
    parser.add_argument(
        "--language", choices=["nl", "en"], default="nl", help="of the member pages"
    )
    args = parser.parse_args()
    chromium = os.environ.get("GILDE_CHROMIUM", "/usr/bin/chromium")
    written: list[Path] = []
    if args.url:
        if args.only != "members":
            written += take(args.url.rstrip("/"), args.out, chromium)
        if args.only == "members":
            written += take_members(args.url.rstrip("/"), args.out, chromium, args.language)
    else:
        if args.only != "members":
            written += _serve_demo("organisation", lambda url: take(url, args.out, chromium))
        if args.only != "organisation":
            written += _serve_demo(
                "network", lambda url: take_members(url, args.out, chromium, args.language)
            )
    for path in written:
        print(path.relative_to(PROJECT) if path.is_relative_to(PROJECT) else path)


if __name__ == "__main__":
    main()
