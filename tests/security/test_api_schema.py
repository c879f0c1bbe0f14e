"""The API against its own OpenAPI schema, with generated input (schemathesis, every check): no
operation answers 5xx or a status it does not document, every answer matches its schema, what
the schema allows is accepted and what it forbids is refused, and nothing answers without a
valid token. As a networker over a small seeded network, with a fixed seed and a bounded number
of examples per operation."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections, transaction
from django.test import Client
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from schemathesis.specs.openapi.checks import negative_data_rejection, positive_data_acceptance

from tests.security.access_world import World, build_world

EXAMPLES = 25

# The token the generated requests carry; set per test by the `world` fixture.
_token: dict[str, str] = {}


@pytest.fixture
def world(db: Any) -> Iterator[World]:
    """Requests go straight to the WSGI application, which would close the test database
    connection after each one; Django's own test client disconnects that handler too."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        built = build_world(tokens=True)
        _token["networker"] = built.tokens["owner"]
        yield built
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


class NetworkerToken:
    """A networker's personal access token, as a script would send it."""

    def get(self, case: Any, ctx: Any) -> str:
        return _token["networker"]

    def set(self, case: Any, data: str, ctx: Any) -> None:
        case.headers = {**(case.headers or {}), "Authorization": f"Bearer {data}"}


@pytest.fixture
def api_schema(world: World) -> Any:
    """The schema as served (its lists of codes come from the database)."""
    from gilde.wsgi import application

    loaded = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)
    loaded.auth(refresh_interval=None)(NetworkerToken)
    return loaded


schema = schemathesis.pytest.from_fixture("api_schema")


@pytest.fixture(autouse=True)
def _node_id_for_schemathesis(request: pytest.FixtureRequest) -> None:
    """schemathesis' fixture-loaded schemas read the node's `_nodeid`, which pytest 9 no longer
    keeps under that name."""
    if not hasattr(request.node, "_nodeid"):
        request.node._nodeid = request.node.nodeid


# The schema states the range of dates (1900-2100) as a pattern on the year; drawing dates from
# that range directly is quicker than filtering all dates by it.
_times = st.datetimes(
    min_value=dt.datetime(1900, 1, 2),  # noqa: DTZ001
    max_value=dt.datetime(2100, 12, 30),  # noqa: DTZ001
    timezones=st.sampled_from([dt.UTC, dt.timezone(dt.timedelta(hours=1))]),
)
schemathesis.openapi.format(
    "date", st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 12, 31)).map(str)
)
schemathesis.openapi.format("date-time", _times.map(lambda t: t.isoformat()))

# An import is a file of rows: draw small CSV files instead of arbitrary bytes (which the
# import refuses, as documented, with 422).
_cell = st.text(st.characters(codec="utf-8", categories=["L", "Nd"]), min_size=1, max_size=12)
schemathesis.openapi.format(
    "binary",
    st.lists(st.tuples(_cell, _cell), min_size=1, max_size=4).map(
        lambda rows: ("Voornaam,Achternaam\r\n" + "".join(f"{a},{b}\r\n" for a, b in rows)).encode()
    ),
)


@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)
def test_the_api_keeps_to_its_schema(case: Any) -> None:
    # Each case in a savepoint: on PostgreSQL a refused statement would otherwise abort the
    # test's transaction for every case after it.
    with transaction.atomic():
        response = case.call()
        transaction.set_rollback(True)
    excluded = [positive_data_acceptance] if refused_by_a_rule(response) else []
    if sends_an_empty_form_field(case):
        excluded.append(negative_data_rejection)
    case.validate_response(response, excluded_checks=excluded)


def sends_an_empty_form_field(case: Any) -> bool:
    """A multipart body with a field of the empty string: the test client leaves such a part
    out of what it sends, so the server sees the field missing (its default) and rightly
    accepts what the case thinks was an invalid value. (A real empty field is refused: see
    tests/imports/test_pages_and_api.py.)"""
    return (
        (case.media_type or "").startswith("multipart/")
        and isinstance(case.body, dict)
        and any(value == "" for value in case.body.values())
    )


def refused_by_a_rule(response: Any) -> bool:
    """A 422 whose every item is a rule a JSON schema cannot state (an end before its start, a
    contact moment in the future, a record linked to itself, a state that does not allow the
    step): such a request is valid by the schema and still rightly refused. A value the schema
    should have refused itself is never a "rule" (see gilde.api.on_validation_error)."""
    if response.status_code != 422:
        return False
    detail = response.json().get("detail")
    return isinstance(detail, list) and all(item.get("type") == "rule" for item in detail)


def test_no_operation_answers_without_a_valid_token(world: World) -> None:
    from gilde.api import api

    client = Client()
    paths = api.get_openapi_schema()["paths"]
    for path, operations in paths.items():
        url = re.sub(r"\{[^}]+\}", "1", path)
        for method in operations:
            for headers in ({}, {"HTTP_AUTHORIZATION": "Bearer gld_not-a-token"}):
                response = getattr(client, method)(url, **headers)
                assert response.status_code == 401, (method, path, response.status_code)


def test_every_operation_documents_its_errors(db: Any) -> None:
    from gilde.api import api

    for path, operations in api.get_openapi_schema()["paths"].items():
        for method, operation in operations.items():
            responses = operation["responses"]
            assert "401" in responses, (method, path)
            if operation.get("parameters") or "requestBody" in operation:
                assert "422" in responses, (method, path)
            if "{" in path:
                assert "404" in responses, (method, path)
            if method != "get":
                assert {"403", "409"} <= set(responses), (method, path)
            for code, answer in responses.items():
                if code.startswith("4"):
                    shape = answer["content"]["application/json"]["schema"]
                    assert shape == {"$ref": "#/components/schemas/ApiError"}, (method, path)


def test_the_schema_and_docs_are_public(db: Any) -> None:
    client = Client()
    assert client.get("/api/v1/openapi.json").status_code == 200
    docs = client.get("/api/v1/docs")
    assert docs.status_code == 200 and "cdn." not in docs.content.decode()
