"""Event data is personal data: the access report holds a relation's places on guest lists with
their answers, and erasure keeps the place (turnout stays right) without the answers."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse

from gilde.accounts.models import Member
from gilde.events.models import Guest, GuestStatus
from gilde.privacy.erasure import person_erase
from tests.conftest import client_for
from tests.factories import EventFactory, GuestFactory, PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def erasure_journal(settings: Any, tmp_path: Path) -> None:
    settings.GILDE_ERASURE_JOURNAL = str(tmp_path / "erasures.jsonl")


def _place(colleague: Member) -> Guest:
    person = PersonFactory(given_name="Femke", family_name="Dalen")
    return GuestFactory(
        event=EventFactory(title="Haringparty"),
        person=person,
        host=colleague,
        status=GuestStatus.ACCEPTED,
        companion_name="Joost Dalen",
        dietary_wishes="vegetarisch",
        wish_to_meet="iemand van de provincie",
    )


def test_the_access_report_holds_the_events_and_answers(manager: Member, colleague: Member) -> None:
    place = _place(colleague)
    response = client_for(manager).get(
        reverse("person_access_request", args=[place.person_id]), {"format": "json"}
    )
    events = json.loads(response.content)["events"]
    assert events == [
        {
            "event": "Haringparty",
            "when": events[0]["when"],
            "status": "Aangemeld",
            "host": colleague.name,
            "companion": "Joost Dalen",
            "dietary_wishes": "vegetarisch",
            "wish_to_meet": "iemand van de provincie",
            "arrived": None,
        }
    ]
    page = client_for(manager).get(reverse("person_access_request", args=[place.person_id]))
    assert "iemand van de provincie" in page.content.decode()


def test_erasure_keeps_the_place_without_the_answers(manager: Member, colleague: Member) -> None:
    place = _place(colleague)
    person_erase(actor=manager, person=place.person)
    place.refresh_from_db()
    assert place.status == GuestStatus.ACCEPTED
    assert (place.companion_name, place.dietary_wishes, place.wish_to_meet) == ("", "", "")
