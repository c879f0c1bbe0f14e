"""The README's production path, run as an operator would, on a database nobody has touched:
`gilde migrate`, `gilde createsuperuser --noinput`, `gilde serve` behind a proxy that says
https, log in, and the dashboard lists the first steps with its styles and htmx served. On the
database the suite runs on (a new SQLite file, or a new PostgreSQL database on that server)."""

from __future__ import annotations

import os
import re
import secrets
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections.abc import Iterator
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Any

import dj_database_url
import pytest

PASSWORD = "Vijf-Kleine-Visjes-2026"
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def clean_database() -> Iterator[str]:
    """DATABASE_URL of a database with no tables ("" for a new SQLite file in the data dir)."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        yield ""
        return
    import psycopg

    config = dj_database_url.parse(url)
    name = f"gilde_first_run_{uuid.uuid4().hex[:10]}"
    server = {
        "host": config["HOST"] or "127.0.0.1",
        "port": config["PORT"] or 5432,
        "user": config["USER"],
        "password": config["PASSWORD"] or None,
        "dbname": "postgres",
        "autocommit": True,
    }
    with psycopg.connect(**server) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    parts = urllib.parse.urlsplit(url)
    try:
        yield urllib.parse.urlunsplit(parts._replace(path=f"/{name}"))
    finally:
        with psycopg.connect(**server) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _environment(tmp_path: Path, database_url: str) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "GILDE_", "DATABASE_URL", "SECRET_KEY", "DEBUG"))
    }
    env.update(
        GILDE_DATA_DIR=str(tmp_path / "data"),
        GILDE_PRODUCTION="true",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="127.0.0.1",
        DJANGO_SUPERUSER_USERNAME="beheerder",
        DJANGO_SUPERUSER_PASSWORD=PASSWORD,
        DJANGO_SUPERUSER_EMAIL="beheerder@example.nl",
    )
    if database_url:
        env["DATABASE_URL"] = database_url
    return env


def _gilde(env: dict[str, str], *args: str, **kwargs: Any) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "gilde", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        **kwargs,
    )


class Browser:
    """Just enough of a browser behind an https proxy: cookies (Secure ones too), the proxy's
    X-Forwarded-Proto, and the Origin a browser sends with a form."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.cookies: dict[str, str] = {}

    def request(self, path: str, data: dict[str, str] | None = None) -> tuple[int, str, str]:
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        request = urllib.request.Request(self.base + path, data=body)  # noqa: S310 - http://127.0.0.1
        request.add_header("X-Forwarded-Proto", "https")
        request.add_header("Origin", self.base.replace("http://", "https://"))
        request.add_header("Accept-Language", "nl")
        if self.cookies:
            request.add_header("Cookie", "; ".join(f"{k}={v}" for k, v in self.cookies.items()))
        opener = urllib.request.build_opener(_NoRedirect)
        try:
            response = opener.open(request, timeout=30)
        except urllib.error.HTTPError as error:
            response = error
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        return response.status, response.headers.get("Location", ""), response.read().decode()


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _wait_for(base: str, server: subprocess.Popen[str]) -> None:
    for _ in range(240):
        if server.poll() is not None:
            raise AssertionError(f"gilde serve stopped: {server.communicate()[0][-2000:]}")
        try:
            Browser(base).request("/health/")
            return
        except OSError:
            time.sleep(0.25)
    raise AssertionError("gilde serve did not answer within a minute")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory, clean_database: str) -> dict[str, str]:
    """The first two commands of the README, once for the tests below."""
    env = _environment(tmp_path_factory.mktemp("site"), clean_database)
    migrated = _gilde(env, "migrate", "--noinput", "--verbosity", "0")
    assert migrated.returncode == 0, migrated.stderr
    created = _gilde(env, "createsuperuser", "--noinput")
    assert created.returncode == 0, created.stderr
    assert "beheerder is an administrator member of Gilde." in created.stdout
    return env


def test_the_documented_production_path_ends_on_the_first_steps(site):
    env = site
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [sys.executable, "-m", "gilde", "serve", "--bind", f"127.0.0.1:{port}", "--workers", "1"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        _wait_for(base, server)
        browser = Browser(base)
        status, _location, page = browser.request("/login/")
        assert status == 200
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        assert token is not None
        status, location, _page = browser.request(
            "/login/",
            {"username": "beheerder", "password": PASSWORD, "csrfmiddlewaretoken": token[1]},
        )
        assert (status, location) == (302, "/")
        status, _location, dashboard = browser.request("/")
        assert status == 200
        assert "Eerste stappen" in dashboard
        assert "Relaties importeren" in dashboard
        for asset in re.findall(r'(?:href|src)="(/static/[^"]+)"', dashboard):
            assert browser.request(asset)[0] == 200, asset
        assert "/static/vendor/htmx/htmx.min.js" in dashboard
    finally:
        server.terminate()
        server.communicate(timeout=30)


def test_restore_without_a_terminal_refuses_in_one_line(site, tmp_path):
    env = site
    backup = tmp_path / "gilde.backup"
    made = _gilde(env, "backup", str(backup))
    if made.returncode != 0 and "pg_dump" in made.stderr and os.environ.get("CI") != "true":
        pytest.skip("pg_dump is not installed")
    assert made.returncode == 0, made.stderr

    restored = _gilde(env, "restore", str(backup), stdin=subprocess.DEVNULL)

    assert restored.returncode == 1
    assert "Traceback" not in restored.stderr
    lines = restored.stderr.strip().splitlines()
    assert len(lines) == 1 and "--noinput" in lines[0], restored.stderr


def test_the_deploy_check_is_clean_with_the_documented_settings(site):
    checked = _gilde(site, "check", "--deploy", "--fail-level", "WARNING")

    assert checked.returncode == 0, checked.stderr
    assert "no issues" in checked.stdout
