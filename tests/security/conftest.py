"""The confidential relation the security tests probe around."""

from __future__ import annotations

import pytest

from gilde.relations import services
from tests.factories import PersonFactory


@pytest.fixture
def secret(owner):
    """A confidential relation owned by `owner`, shared with nobody else."""
    person = PersonFactory(given_name="Geheime", family_name="Klokkenluider", owner=owner)
    person.confidential = True
    person.save()
    services.person_reindex(person=person)
    return person
