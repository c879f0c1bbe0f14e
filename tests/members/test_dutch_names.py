"""Members' names the Dutch way: an applicant's introducer found by the name search rules, and
cost shares in telephone-book order in the statement, the exports and the API."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from gilde.events.models import CostItem, EventStatus, Guest, GuestStatus
from gilde.members import costs
from gilde.members.introducers import introducer_candidates, introducer_match
from gilde.members.models import Application
from gilde.members.services import application_introducer_set, application_submit
from tests.conftest import client_for
from tests.factories import EventFactory, MemberFactory

APPLICANT = {
    "kind": "join",
    "first_name": "Fleur",
    "last_name": "Wit",
    "email": "fleur@example.nl",
    "consent": True,
}


def _member(first: str, last: str, **extra):
    return MemberFactory(user__first_name=first, user__last_name=last, **extra)


@pytest.fixture
def bergs(db):
    return (
        _member("Jan", "van der Berg", user__username="jvdberg"),
        _member("Jan", "Berg", user__username="jberg"),
        _member("Petra", "van den Berg", user__username="pvdberg"),
    )


@pytest.mark.parametrize(
    "typed",
    ["jan vd berg", "Jan van der Berg", "J. van der Berg", "berg, jan van der", "JAN V.D. BERG"],
)
def test_an_introducer_is_found_by_the_dutch_name_rules(bergs, typed):
    assert introducer_match(typed) == bergs[0]


def test_a_name_written_exactly_wins_over_a_looser_match(bergs):
    # "jan berg" is also every word of "Jan van der Berg", but exactly Jan Berg's name
    assert introducer_match("jan berg") == bergs[1]


def test_accents_need_not_be_typed(db):
    celik = _member("Ayşe", "Çelik")
    assert introducer_match("ayse celik") == celik


def test_an_ambiguous_name_is_left_to_the_coordinator(bergs):
    assert {m.pk for m in introducer_candidates("berg")} == {m.pk for m in bergs}
    assert introducer_match("berg") is None
    assert introducer_match("vd berg") is None  # van der or van den


def test_a_given_name_alone_or_a_stranger_matches_no_one(bergs):
    assert introducer_candidates("jan") == []
    assert introducer_candidates("Karel de Groot") == []
    assert introducer_candidates("") == []


def test_a_member_who_left_is_not_an_introducer(bergs):
    bergs[0].user.is_active = False
    bergs[0].user.save()
    assert introducer_match("jan vd berg") is None


def test_the_public_form_records_the_matched_introducer(network, bergs):
    application = application_submit(**APPLICANT, introduced_by_name="jan v.d. berg")
    assert application.introduced_by == bergs[0]
    assert application.introduced_by_name == "jan v.d. berg"


def test_the_coordinator_chooses_among_the_candidates(network, bergs, manager):
    application = application_submit(**APPLICANT, introduced_by_name="vd Berg")
    assert application.introduced_by is None
    client = client_for(manager)
    page = client.get(reverse("members:application", args=[application.pk])).content.decode()
    choice = page[page.index('id="introducer-choice"') :]
    choice = choice[: choice.index("</section>")]
    assert "Jan van der Berg" in choice and "Petra van den Berg" in choice
    assert "Jan Berg<" not in choice  # not a candidate: "vd" is not a word of his name
    response = client.post(
        reverse("members:application_introducer", args=[application.pk]),
        {"introduced_by": bergs[2].pk},
    )
    assert response.status_code == 302
    assert Application.objects.get().introduced_by == bergs[2]


def test_only_the_coordinator_chooses_the_introducer(network, bergs, owner):
    application = application_submit(**APPLICANT, introduced_by_name="vd Berg")
    response = client_for(owner).post(
        reverse("members:application_introducer", args=[application.pk]),
        {"introduced_by": bergs[2].pk},
    )
    assert response.status_code in (403, 404)
    assert Application.objects.get().introduced_by is None
    with pytest.raises(Exception):  # noqa: B017 - PermissionDenied from the write gate
        application_introducer_set(actor=owner, application=application, introduced_by=bergs[0])


def test_a_nonsense_choice_changes_nothing(network, bergs, manager):
    application = application_submit(**APPLICANT, introduced_by_name="vd Berg")
    response = client_for(manager).post(
        reverse("members:application_introducer", args=[application.pk]),
        {"introduced_by": "not-a-number"},
    )
    assert response.status_code == 302
    assert Application.objects.get().introduced_by is None


# ---- cost shares in Dutch name order ------------------------------------------------------------

ORDER = ["Çelik", "van Dijk", "de Graaf", "Ünal"]


@pytest.fixture
def mixed_event(db, manager):
    members = [
        _member("Zeynep", "Ünal"),
        _member("Pieter", "de Graaf"),
        _member("Mehmet", "Çelik"),
        _member("Anna", "van Dijk"),
    ]
    start = timezone.now() - dt.timedelta(days=2)
    event = EventFactory(
        starts_at=start, ends_at=start + dt.timedelta(hours=2), status=EventStatus.HELD
    )
    CostItem.objects.create(
        event=event, category="venue", description="Zaal", planned=100, actual=Decimal("100")
    )
    for member in members:
        Guest.objects.create(event=event, member=member, status=GuestStatus.ATTENDED)
    costs.cost_statement_publish(actor=manager, event=event, rule="equal")
    return event


def _positions(text: str) -> list[int]:
    return [text.index(name) for name in ORDER]


def test_the_statement_lists_shares_in_dutch_name_order(mixed_event, manager, network):
    statement = costs.statement_of(manager.user, mixed_event.pk)
    names = [share.member.user.last_name for share in costs.shares_of(manager.user, statement)]
    assert names == ORDER
    html = client_for(manager).get(reverse("members:cost_statement", args=[mixed_event.pk]))
    positions = _positions(html.content.decode())
    assert positions == sorted(positions)


def test_the_exports_list_shares_in_dutch_name_order(mixed_event, manager, network):
    client = client_for(manager)
    year = mixed_event.starts_at.year
    text = client.get(reverse("members:year_export"), {"year": year}).content.decode()
    positions = _positions(text)
    assert positions == sorted(positions)
    xlsx = client.get(reverse("members:year_export"), {"year": year, "format": "xlsx"}).content
    rows = list(load_workbook(io.BytesIO(xlsx)).active.iter_rows(min_row=2, values_only=True))
    shown = [row[3] for row in rows if row[3]]
    assert [next(n for n in ORDER if n in name) for name in shown] == ORDER
