"""The check-in page reads the QR code from the invitation with the device's camera: Chromium
gets a fake camera that films the guest's code (a Y4M video made here), has no BarcodeDetector
on Linux, and so reads it with the vendored jsQR; the guest is checked in and counted."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone
from PIL import Image
from playwright.sync_api import expect

from gilde.accounts.models import Role
from gilde.events import services
from gilde.events.checkin import checkin_code
from gilde.events.mail import qr_png
from gilde.events.models import EventStatus, GuestStatus
from tests.browser.conftest import CHROMIUM
from tests.browser.journey import log_in
from tests.factories import MemberFactory, PersonFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
WIDTH, HEIGHT = 640, 480


def _y4m(png: bytes, path: Path) -> None:
    """A few frames of grey video with the code in the middle (YUV 4:2:0)."""
    import io

    code = Image.open(io.BytesIO(png)).convert("L").resize((300, 300), Image.NEAREST)
    frame = Image.new("L", (WIDTH, HEIGHT), 255)
    frame.paste(code, ((WIDTH - 300) // 2, (HEIGHT - 300) // 2))
    luma = frame.tobytes()
    chroma = bytes([128]) * (WIDTH * HEIGHT // 4)
    with path.open("wb") as out:
        out.write(f"YUV4MPEG2 W{WIDTH} H{HEIGHT} F5:1 Ip A1:1 C420jpeg\n".encode())
        for _ in range(5):
            out.write(b"FRAME\n" + luma + chroma + chroma)


def test_the_camera_reads_the_code_and_checks_the_guest_in(
    browser: Any, live_server: Any, tmp_path: Path
) -> None:
    manager = MemberFactory(user__username="beheer", role=Role.NETWORK_MANAGER)
    start = timezone.now() + dt.timedelta(hours=1)
    event = services.event_create(
        member=manager,
        title="Deur",
        starts_at=start,
        ends_at=start + dt.timedelta(hours=2),
        status=EventStatus.PUBLISHED,
    )
    person = PersonFactory(given_name="Camera", tussenvoegsel="", family_name="Gast")
    guest = services.guest_add(member=manager, event=event, person=person)
    services.guest_status_record(guest, GuestStatus.ACCEPTED)
    video = tmp_path / "code.y4m"
    _y4m(qr_png(checkin_code(guest), box_size=8), video)

    # A browser of its own, started by the session's Playwright, with the fake camera.
    with_camera = browser.browser_type.launch(
        executable_path=CHROMIUM,
        headless=True,
        args=[
            "--no-sandbox",
            "--disable-gpu",
            "--use-fake-ui-for-media-stream",
            "--use-fake-device-for-media-stream",
            f"--use-file-for-fake-video-capture={video}",
        ],
    )
    try:
        context = with_camera.new_context(
            base_url=live_server.url, viewport={"width": 390, "height": 844}
        )
        context.grant_permissions(["camera"], origin=live_server.url)
        page = context.new_page()
        page.set_default_timeout(15_000)
        log_in(page, "beheer")
        page.goto(f"/events/{event.pk}/check-in/")
        expect(page.locator("[data-count=arrived]")).to_have_text("0")
        page.locator("#scanner summary").click()
        expect(page.locator("#checkin-results")).to_contain_text("Welkom", timeout=20_000)
        expect(page.locator("[data-count=arrived]")).to_have_text("1")
    finally:
        with_camera.close()
    guest.refresh_from_db()
    assert guest.status == GuestStatus.ATTENDED and guest.checked_in_by == manager
