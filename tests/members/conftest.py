"""A member network with a coordinator (manager), two members (owner, colleague), a reader and
an outsider from tests/conftest.py."""

from __future__ import annotations

from typing import Any

import pytest

from gilde.members.models import NetworkKind
from gilde.members.services import network_goal_update, network_setup


@pytest.fixture
def network(manager: Any) -> Any:
    network_setup(actor=manager, kind=NetworkKind.MEMBERS)
    from gilde.members.network import kind_remember

    kind_remember(NetworkKind.MEMBERS)  # the test's transaction never commits
    return network_goal_update(
        actor=manager,
        name="Ondernemerskring Utrecht",
        goal="Meer werk in de regio houden.",
        objectives="Tien nieuwe leden per jaar.",
        expectations="Kom naar de meeste bijeenkomsten.",
        how_to_join="Kom eerst een keer kijken.",
    )
