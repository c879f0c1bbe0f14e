"""The step every browser journey starts with: logging in (the `networker` fixture's password)."""

from __future__ import annotations

PASSWORD = "correct horse battery staple"


def log_in(page, username: str) -> None:
    page.goto("/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/")
