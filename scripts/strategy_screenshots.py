"""Screenshots of the network strategy pages, desktop and phone, in Dutch and English, from the
small demo network: docs/screenshots/strategy-PAGE-LANGUAGE-SIZE.png.

    python scripts/strategy_screenshots.py              # builds a small demo in a scratch folder
    python scripts/strategy_screenshots.py --url http://127.0.0.1:8000   # a running demo

The server should run with GILDE_TASKS_BACKEND=immediate (as this script starts it), so that
the network graph behind a theme's candidates is built at once. Chromium comes from
GILDE_CHROMIUM (default /usr/bin/chromium)."""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from playwright.sync_api import Page, sync_playwright

PROJECT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT / "scripts"))
from screenshots import SIZES, _free_port, _log_in, _settle, _wait_for  # noqa: E402

OUT = PROJECT / "docs" / "screenshots"
LANGUAGES = {"nl": "nl-NL", "en": "en-GB"}


def _pages(page: Page) -> list[tuple[str, str]]:
    """The pages, with a theme, a key relation linked to it and a report found from the lists."""
    page.goto("/strategy/")
    theme = page.locator("table a[href^='/strategy/themes/']").first.get_attribute("href") or ""
    page.goto(f"/persons/?tier=A&theme={theme.strip('/').split('/')[-1]}")
    person = page.locator("#person-rows a[href^='/persons/']").first.get_attribute("href") or ""
    page.goto("/strategy/reports/")
    report = page.locator("table a[href^='/strategy/reports/'][href$='/']").first.get_attribute(
        "href"
    )
    found = [
        ("overview", "/strategy/"), ("theme", theme), ("heatmap", "/strategy/coverage/"),
        ("plans", "/strategy/plans/"), ("differences", "/strategy/plans/differences/"),
        ("subscriptions", "/strategy/subscriptions/"), ("reports", "/strategy/reports/"),
        ("tier-review", "/tier-review/"), ("person-themes", person),
    ]  # fmt: skip
    return found + ([("report", report)] if report else [])


def _small(path: Path) -> None:
    """Stored with a 256-colour palette: a third of the size, no visible difference."""
    from PIL import Image

    image = Image.open(path).convert("RGB").quantize(colors=256, method=Image.Quantize.MEDIANCUT)
    image.save(path, optimize=True)


def take(base_url: str, out: Path, chromium: str) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    written = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, headless=True,
                                             args=["--no-sandbox", "--disable-gpu"])  # fmt: skip
        for language, locale in LANGUAGES.items():
            for size, viewport in SIZES.items():
                context = browser.new_context(base_url=base_url, viewport=viewport,
                                              locale=locale, reduced_motion="reduce")  # fmt: skip
                page = context.new_page()
                _log_in(page, "beheer")
                context.add_cookies([{"name": "django_language", "value": language,
                                      "url": base_url}])  # fmt: skip
                for name, path in _pages(page):
                    page.goto(path)
                    _settle(page)
                    target = out / f"strategy-{name}-{language}-{size}.png"
                    page.screenshot(path=str(target), full_page=True)
                    _small(target)
                    written.append(target)
                context.close()
        browser.close()
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", help="a running Gilde with the demo network (default: build one)")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    chromium = os.environ.get("GILDE_CHROMIUM", "/usr/bin/chromium")
    if args.url:
        for path in take(args.url.rstrip("/"), args.out, chromium):
            print(path)
        return
    with tempfile.TemporaryDirectory(prefix="gilde-screenshots-") as data:
        env = {**os.environ, "GILDE_DATA_DIR": data, "DEBUG": "true",
               "GILDE_TASKS_BACKEND": "immediate"}  # fmt: skip
        env.pop("DATABASE_URL", None)
        gilde = [sys.executable, "-m", "gilde"]
        demo = [*gilde, "demo", "--size", "small", "--no-serve", "--no-worker"]
        subprocess.run(demo, env=env, check=True, stdout=subprocess.DEVNULL)  # noqa: S603
        port = _free_port()
        server = subprocess.Popen(  # noqa: S603 - our own module
            [*gilde, "runserver", f"127.0.0.1:{port}", "--noreload"], env=env,
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        try:
            url = f"http://127.0.0.1:{port}"
            _wait_for(url)
            for path in take(url, args.out, chromium):
                print(path)
        finally:
            server.terminate()
            server.wait(timeout=30)


if __name__ == "__main__":
    main()
