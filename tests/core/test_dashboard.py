"""The dashboard's figures: through the visibility scope, and about the network as it is now."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from gilde.accounts.models import Member
from gilde.core.selectors import dashboard_counts
from tests.conftest import client_for
from tests.factories import ContactMomentFactory, PersonFactory


def test_the_dashboard_counts_contact_moments_of_the_past_30_days(manager: Member) -> None:
    person = PersonFactory()
    now = timezone.now()
    ContactMomentFactory(persons=[person], occurred_at=now - dt.timedelta(days=20))
    ContactMomentFactory(persons=[person], occurred_at=now - dt.timedelta(days=31))

    counts = dashboard_counts(user=manager.user, now=now)

    assert counts["contact_moments"] == 1
    assert counts["persons"] == 1


def test_the_dashboard_shows_the_recent_figure(manager: Member) -> None:
    ContactMomentFactory(persons=[PersonFactory()])

    response = client_for(manager).get("/", HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 200
    assert response.context["counts"]["contact_moments"] == 1
