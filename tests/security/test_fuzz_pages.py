"""No input reaches a 500: every page of the URL conf, as a networker and as a network manager,
is sent extreme values (huge and negative numbers, dates outside any calendar, unicode, control
characters, very long strings) in every field of its forms and in the usual query parameters,
by GET and by POST. Drawn by Hypothesis with a fixed seed and a bounded number of examples."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.security.access_world import World, build_world
from tests.security.test_access_matrix import PAGES, _isolated, _kwargs

EXAMPLES = 6
ROLES = ("owner", "manager")

# Pages whose every answer is decided before any input is read, or that end the session.
SKIPPED = {"logout", "api_unknown_path", "accounts:oidc_start", "accounts:oidc_callback"}

# Query parameters the list pages read besides their form fields.
QUERY_PARAMETERS = (
    "page",
    "q",
    "sort",
    "order",
    "since",
    "until",
    "from",
    "to",
    "tag",
    "tier",
    "sector",
    "type",
    "kind",
    "status",
    "member",
    "known_by",
    "organisation",
    "person",
    "of",
    "format",
    "language",
    "next",
    "box",
    "field",
    "choose",
    "over_a_year",
    "action",
    "actor",
    "username",
    "target_type",
    "target_id",
    "rows",
)

EXTREME_TEXT = [
    "",
    " ",
    "0",
    "-1",
    "-99999999999999999999",
    "99999999999999999999999999",
    str(2**63),
    str(2**64),
    "1e308",
    "NaN",
    "inf",
    "²",
    "٣",
    "0x10",
    "1.5",
    "0001-01-01",
    "9999-12-31",
    "10000-01-01",
    "2026-02-30",
    "1900-01-01",
    "2100-12-31",
    "0001-01-01T00:00",
    "9999-12-31T23:59:59Z",
    "2026-13-45 25:61",
    "00:00",
    "\x00",
    "a\x00b",
    "\r\n",
    "\t",
    "\u2028",
    "\ufeff",
    "😀" * 3,
    "<script>",
    "' OR 1=1 --",
    "=cmd|' /C calc'!A0",
    "%00",
    "../../etc/passwd",
    "x" * 5_000,
    "é" * 70_000,
]
VALUES = st.one_of(
    st.sampled_from(EXTREME_TEXT),
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
    st.text(max_size=40),
    st.dates().map(str),
)

_FIELD = re.compile(r"<(?:input|select|textarea)\b[^>]*\bname=\"([^\"]+)\"", re.IGNORECASE)


def _field_names(html: str) -> set[str]:
    return set(_FIELD.findall(html)) - {"csrfmiddlewaretoken"}


def _clients(world: World) -> dict[str, Client]:
    clients = {}
    for role in ROLES:
        clients[role] = Client()
        clients[role].force_login(world.members[role].user)
    return clients


def _page_names() -> list[str]:
    return sorted(name for name in PAGES if name not in SKIPPED)


@pytest.mark.slow
@pytest.mark.parametrize("name", _page_names())
def test_no_input_makes_a_page_fail(name: str, db: Any) -> None:
    obj, _kind = PAGES[name]
    world = build_world()
    url = reverse(name, kwargs=_kwargs(world, obj, "own"))
    clients = _clients(world)
    fields = set(QUERY_PARAMETERS)
    for client in clients.values():
        response = _isolated(lambda c=client: c.get(url))
        if response.status_code == 200 and "html" in response.get("Content-Type", ""):
            fields |= _field_names(response.content.decode())

    @given(
        data=st.dictionaries(st.sampled_from(sorted(fields)), VALUES, min_size=1, max_size=8),
        role=st.sampled_from(ROLES),
        method=st.sampled_from(["get", "post"]),
        htmx=st.booleans(),
    )
    @settings(
        max_examples=EXAMPLES,
        derandomize=True,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def probe(data: dict[str, str], role: str, method: str, htmx: bool) -> None:
        headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
        send = getattr(clients[role], method)
        response = _isolated(lambda: send(url, data, **headers))
        assert response.status_code < 500, (method, url, role, data)

    probe()
