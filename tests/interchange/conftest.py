from __future__ import annotations

import pytest

from tests.interchange.make_fixtures import build_fixtures


@pytest.fixture(scope="session")
def fixture_files() -> dict[str, bytes]:
    return build_fixtures()
