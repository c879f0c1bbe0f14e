"""Security headers, a Content-Security-Policy that htmx works under, upload limits, safe CSV
exports, and Django's deployment check clean with production settings."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from gilde.core.middleware import CONTENT_SECURITY_POLICY
from gilde.interchange.keys import guard_cell
from tests.conftest import client_for
from tests.factories import PersonFactory

SRC = Path(__file__).resolve().parents[2] / "src" / "gilde"


def test_pages_carry_the_security_headers(owner):
    response = client_for(owner).get(reverse("person_list"))
    assert response["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert "camera=()" in response["Permissions-Policy"]


def test_the_policy_allows_no_inline_script_and_no_eval():
    assert "unsafe-inline" not in CONTENT_SECURITY_POLICY
    assert "unsafe-eval" not in CONTENT_SECURITY_POLICY
    assert "script-src 'self'" in CONTENT_SECURITY_POLICY


def test_htmx_is_told_not_to_inject_styles_or_evaluate(owner):
    page = client_for(owner).get(reverse("dashboard")).content.decode()
    assert '"includeIndicatorStyles":false' in page and '"allowEval":false' in page


def test_no_template_has_inline_scripts_handlers_or_styles():
    """What the policy would block: inline <script>, on…= handlers, style attributes and
    <style> elements (e-mail templates are not pages and are left out)."""
    pattern = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>|\son[a-z]+=|\sstyle=|<style", re.I)
    offenders = [
        f"{path.relative_to(SRC)}:{number}"
        for path in SRC.rglob("*.html")
        if "/email/" not in str(path)
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if pattern.search(line)
    ]
    assert offenders == []


def test_the_login_page_needs_nothing_inline(db):
    response = Client().get(reverse("login"))
    assert response.status_code == 200
    assert "style=" not in response.content.decode()


def test_a_request_body_over_the_limit_is_refused(owner, settings):
    from gilde.core.middleware import RequestSizeMiddleware

    middleware = RequestSizeMiddleware(lambda request: None)  # type: ignore[arg-type,return-value]
    from django.test import RequestFactory

    request = RequestFactory().post("/persons/new/", data=b"x", content_type="text/plain")
    request.META["CONTENT_LENGTH"] = str(settings.GILDE_REQUEST_MAX_BYTES + 1)
    assert middleware(request).status_code == 413


def test_form_uploads_are_kept_in_memory_only_up_to_the_limit(settings):
    assert settings.DATA_UPLOAD_MAX_MEMORY_SIZE <= 10 * 1024 * 1024
    assert settings.FILE_UPLOAD_MAX_MEMORY_SIZE <= 10 * 1024 * 1024


def _photo_post(client: Client, person, upload: SimpleUploadedFile):  # type: ignore[no-untyped-def]
    return client.post(
        reverse("person_edit", args=[person.pk]),
        {"family_name": person.family_name, "language": "nl", "photo": upload},
    )


def test_a_photo_that_is_not_an_image_is_refused(owner):
    person = PersonFactory(owner=owner)
    svg = SimpleUploadedFile("x.svg", b"<svg onload='alert(1)'></svg>", "image/svg+xml")
    response = _photo_post(client_for(owner), person, svg)
    assert response.status_code == 200
    person.refresh_from_db()
    assert not person.photo


def test_a_large_photo_is_refused(owner):
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (10, 10)).save(buffer, "BMP")
    big = SimpleUploadedFile("big.bmp", buffer.getvalue() + b"\0" * (5 * 1024 * 1024), "image/bmp")
    response = _photo_post(client_for(owner), PersonFactory(owner=owner), big)
    assert response.status_code == 200


def test_a_photo_in_an_unusual_format_is_refused(owner):
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (10, 10)).save(buffer, "BMP")
    bmp = SimpleUploadedFile("x.bmp", buffer.getvalue(), "image/bmp")
    person = PersonFactory(owner=owner)
    response = _photo_post(client_for(owner), person, bmp)
    assert "JPEG" in response.content.decode()
    person.refresh_from_db()
    assert not person.photo


def test_a_jpeg_photo_is_kept(owner):
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (10, 10)).save(buffer, "JPEG")
    person = PersonFactory(owner=owner)
    upload = SimpleUploadedFile("x.jpg", buffer.getvalue(), "image/jpeg")
    assert _photo_post(client_for(owner), person, upload).status_code == 302
    person.refresh_from_db()
    assert person.photo


def test_csv_cells_that_start_a_formula_are_neutralised():
    for dangerous in (
        '=HYPERLINK("http://x")',
        "+31 6 1234",
        "-2+3",
        "@SUM(A1)",
        "\t=1",
        "\r=1",
        " =1+1",
        "\n=cmd",
        "  @SUM(A1)",
    ):
        assert guard_cell(dangerous) == "'" + dangerous
    assert guard_cell("Jan van der Berg") == "Jan van der Berg"


def test_the_deployment_check_reports_nothing_with_production_settings(tmp_path):
    # A clean environment: the browser tests' DJANGO_ALLOW_ASYNC_UNSAFE is not production.
    inherited = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env = {
        **inherited,
        "GILDE_PRODUCTION": "true",
        "DEBUG": "false",
        "SECRET_KEY": "x7Qp2vLk9Rz4TgB8mWn3Hs6Jd1Yc5Fa0Ue7Io2Pl4Kj9Mh3Gb6Vt8Rw1Sx5Cz0Qn7D",
        "ALLOWED_HOSTS": "gilde.example.nl",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'deploy.sqlite3'}",
        "GILDE_DATA_DIR": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "gilde.settings",
    }
    result = subprocess.run(
        [sys.executable, "-m", "gilde", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
