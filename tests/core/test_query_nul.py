"""A NUL character in a query string matches nothing instead of failing the query (PostgreSQL
refuses NUL in text)."""

from __future__ import annotations

import pytest

from tests.events.test_api import api

pytestmark = pytest.mark.django_db


def test_a_nul_in_a_filter_matches_nothing(owner):  # type: ignore[no-untyped-def]
    call = api(owner)
    response = call("get", "/persons?sector=%C2%98%00x&q=a%00b")
    assert response.status_code == 200
    assert response.json()["count"] == 0
