"""An id beyond the database's integer range in any URL is not found, never a server error; and
the admin's pages for a member's authenticator key, found by the same walk."""

from __future__ import annotations

from collections.abc import Iterator

from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.urls.converters import IntConverter
from django_otp.plugins.otp_totp.models import TOTPDevice

HUGE = 99999999999999999999  # above 2**63


def _id_patterns(
    resolver: URLResolver, namespace: str | None = None
) -> Iterator[tuple[str, list[str]]]:
    """(name, the names of its int parts) of every URL that takes only whole numbers."""
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            yield from _id_patterns(entry, entry.namespace or namespace)
        elif isinstance(entry, URLPattern) and entry.name:
            converters = getattr(entry.pattern, "converters", {})
            if converters and all(isinstance(c, IntConverter) for c in converters.values()):
                name = f"{namespace}:{entry.name}" if namespace else entry.name
                yield name, list(converters)


def test_the_walk_finds_the_pages_with_ids() -> None:
    names = {name for name, _parts in _id_patterns(get_resolver())}
    assert {"person_detail", "affiliation_delete", "events:detail"} <= names


def test_no_url_answers_a_huge_id_with_a_server_error(administrator: Client) -> None:
    answers = {}
    for name, parts in sorted(
        {(name, tuple(parts)) for name, parts in _id_patterns(get_resolver())}
    ):
        for part in parts:  # one part huge at a time: the others 1
            url = reverse(name, kwargs={**dict.fromkeys(parts, 1), part: HUGE})
            answers[f"GET {url}"] = administrator.get(url).status_code
            answers[f"POST {url}"] = administrator.post(url).status_code
    assert len(answers) > 100
    assert {request: status for request, status in answers.items() if status >= 500} == {}


def test_the_admin_never_shows_a_members_authenticator_key(administrator: Client, owner) -> None:
    """Whoever reads the key (or its QR code) can make that member's codes; the pages answer 403
    for a real device and for one that does not exist (a missing one raised DoesNotExist: 500)."""
    device = TOTPDevice.objects.create(user=owner.user, name="authenticator", confirmed=True)
    for page in ("config", "qrcode"):
        for pk in (device.pk, 12345):
            response = administrator.get(f"/admin/otp_totp/totpdevice/{pk}/{page}/")
            assert response.status_code == 403
            assert device.key not in response.content.decode()
