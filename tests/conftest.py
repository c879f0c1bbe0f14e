"""Every permission test has a network manager, an owner, a colleague, a reader and an outsider."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from gilde.accounts.models import Member, Role
from tests.factories import MemberFactory, UserFactory


@pytest.fixture
def manager(db: Any) -> Member:
    return MemberFactory(
        user__username="beheer", user__first_name="Marieke", role=Role.NETWORK_MANAGER
    )


@pytest.fixture
def owner(db: Any) -> Member:
    return MemberFactory(user__username="eigenaar", user__first_name="Jeroen", role=Role.NETWORKER)


@pytest.fixture
def colleague(db: Any) -> Member:
    return MemberFactory(user__username="collega", user__first_name="Sanne", role=Role.NETWORKER)


@pytest.fixture
def reader(db: Any) -> Member:
    return MemberFactory(user__username="lezer", role=Role.READ_ONLY)


@pytest.fixture
def outsider(db: Any) -> Any:
    """A login without a member behind it: it may see nothing at all."""
    return UserFactory(username="buitenstaander")


def client_for(member_or_user: Any) -> Client:
    client = Client()
    user = getattr(member_or_user, "user", member_or_user)
    client.force_login(user)
    return client


@pytest.fixture
def owner_client(owner: Member) -> Client:
    return client_for(owner)


@pytest.fixture
def colleague_client(colleague: Member) -> Client:
    return client_for(colleague)


@pytest.fixture
def manager_client(manager: Member) -> Client:
    return client_for(manager)


@pytest.fixture
def administrator(db: Any) -> Client:
    """Logged in as a superuser made outside Gilde, who becomes its administrator member."""
    from django.contrib.auth import get_user_model

    from gilde.accounts.services import administrator_member_ensure

    user = get_user_model().objects.create_superuser("beheerder", "b@example.nl", "x" * 20)
    member = administrator_member_ensure(user=user)
    assert member.role == Role.ADMINISTRATOR
    return client_for(user)


@pytest.fixture(autouse=True)
def _fresh_network_graph() -> None:
    """Each test reads the network graph from its own data, not one stored by an earlier test."""
    from gilde.network.loader import forget_stored

    forget_stored()


@pytest.fixture(autouse=True)
def _network_kind_default() -> None:
    """Each test starts in an organisation (the default until a network kind is chosen), not in
    the kind an earlier test left in the cache."""
    from gilde.members.network import kind_remember

    kind_remember("organisation")
