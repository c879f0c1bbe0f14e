"""The API against its own OpenAPI schema, with generated input (schemathesis): no operation
answers 5xx, every answer matches the schema, and nothing answers without a valid token."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections, transaction
from django.test import Client
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
)

from tests.security.access_world import World, build_world

# Error answers (401, 403, 404, 409, 422) share one shape, described in the API's description
# rather than on every operation, so undocumented status codes are not held against it.
CHECKS = [not_a_server_error, response_schema_conformance, content_type_conformance]


@pytest.fixture
def world(db: Any) -> Iterator[World]:
    """Requests go straight to the WSGI application, which would close the test database
    connection after each one; Django's own test client disconnects that handler too."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield build_world(tokens=True)
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


def _schema() -> Any:
    from gilde.wsgi import application

    return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)


schema = _schema()


@schema.parametrize()
@settings(
    max_examples=12,
    deadline=None,
    database=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)
def test_the_api_keeps_to_its_schema_and_never_fails(case: Any, world: World) -> None:
    """As a network manager (who sees everything) over a small seeded network."""
    case.headers = {**(case.headers or {}), "Authorization": f"Bearer {world.tokens['manager']}"}
    # Each case in a savepoint: on PostgreSQL a refused statement (an id beyond bigint) would
    # otherwise abort the test's transaction for every case after it.
    with transaction.atomic():
        response = case.call()
        transaction.set_rollback(True)
    case.validate_response(response, checks=CHECKS)


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


def test_the_schema_and_docs_are_public(db: Any) -> None:
    client = Client()
    assert client.get("/api/v1/openapi.json").status_code == 200
    docs = client.get("/api/v1/docs")
    assert docs.status_code == 200 and "cdn." not in docs.content.decode()
