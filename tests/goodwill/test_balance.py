"""The goodwill balance: kind weights, fading with age, and the "give something back" list."""

from __future__ import annotations

import datetime as dt
import random

from gilde.goodwill import selectors
from gilde.goodwill.rules import Balance, balance_of, favour_points, recency_factor
from tests.factories import OrganisationFactory, PersonFactory
from tests.goodwill.factories import FavourFactory

TODAY = dt.date(2026, 6, 1)


def days_ago(n: int) -> dt.date:
    return TODAY - dt.timedelta(days=n)


def test_an_introduction_weighs_more_than_information():
    assert favour_points("introduction", TODAY, TODAY) == 3 * favour_points(
        "information", TODAY, TODAY
    )


def test_a_favour_halves_every_year_and_is_forgotten_after_three():
    assert [recency_factor(d) for d in (0, 364, 365, 729, 730, 1094, 1095, 5000)] == [
        1.0,
        1.0,
        0.5,
        0.5,
        0.25,
        0.25,
        0.0,
        0.0,
    ]


def test_taking_more_than_giving_means_it_is_time_to_give_back():
    balance = balance_of([("received", "referral", days_ago(5))], TODAY)
    assert balance.points == -3.0 and balance.state == "owe"


def test_one_small_gift_does_not_settle_a_big_debt():
    balance = balance_of(
        [
            ("received", "introduction", days_ago(5)),
            ("received", "referral", days_ago(50)),
            ("given", "gift", days_ago(2)),
        ],
        TODAY,
    )
    assert balance.state == "owe"


def test_giving_back_in_kind_brings_the_balance_even():
    balance = balance_of(
        [("received", "introduction", days_ago(5)), ("given", "referral", days_ago(2))], TODAY
    )
    assert balance.points == 0 and balance.state == "even"


def test_no_favours_is_even():
    assert Balance().state == "even"


def test_the_database_computes_the_same_balance_as_the_rule(owner):
    person = PersonFactory()
    rng = random.Random(4)
    favours = []
    for _ in range(40):
        favour = FavourFactory(
            person=person,
            member=owner,
            direction=rng.choice(("given", "received")),
            kind=rng.choice(
                ("introduction", "referral", "information", "invitation", "gift", "help")
            ),
            occurred_on=days_ago(rng.randint(0, 1500)),
        )
        favours.append((favour.direction, favour.kind, favour.occurred_on))
    assert selectors.balance_for(user=owner.user, subject=person, today=TODAY) == balance_of(
        favours, TODAY
    )


def test_the_give_back_list_holds_relations_we_mostly_took_from(owner):
    taker = PersonFactory(family_name="Nemer")
    FavourFactory(person=taker, direction="received", kind="introduction", occurred_on=days_ago(20))
    even = PersonFactory(family_name="Gelijk")
    FavourFactory(person=even, direction="received", kind="introduction", occurred_on=days_ago(20))
    FavourFactory(person=even, direction="given", kind="referral", occurred_on=days_ago(10))
    giver = PersonFactory(family_name="Gever")
    FavourFactory(person=giver, direction="given", kind="introduction", occurred_on=days_ago(20))
    rows = list(selectors.give_back_list(user=owner.user, today=TODAY))
    assert [row["subject_id"] for row in rows] == [taker.pk]
    assert rows[0]["debt"] == 3.0 and rows[0]["received_count"] == 1


def test_the_largest_debt_comes_first(owner):
    small, large = PersonFactory(), PersonFactory()
    FavourFactory(person=small, kind="invitation", occurred_on=days_ago(3))
    FavourFactory(person=large, kind="introduction", occurred_on=days_ago(3))
    FavourFactory(person=large, kind="referral", occurred_on=days_ago(30))
    rows = selectors.give_back_list(user=owner.user, today=TODAY)
    assert [row["subject_id"] for row in rows] == [large.pk, small.pk]


def test_a_debt_older_than_three_years_is_forgotten(owner):
    person = PersonFactory()
    FavourFactory(person=person, kind="introduction", occurred_on=days_ago(1200))
    assert not selectors.give_back_list(user=owner.user, today=TODAY).exists()
    assert selectors.balance_for(user=owner.user, subject=person, today=TODAY).received_count == 1


def test_organisations_have_their_own_give_back_list(owner):
    org = OrganisationFactory()
    FavourFactory(person=None, organisation=org, kind="referral", occurred_on=days_ago(3))
    rows = list(selectors.give_back_list(user=owner.user, of="organisations", today=TODAY))
    assert [row["subject_id"] for row in rows] == [org.pk]
    assert not selectors.give_back_list(user=owner.user, of="persons", today=TODAY).exists()
