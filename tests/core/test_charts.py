"""The charts' figures: counted right, only from what the reader may see, and drawn on the
pages the issue names, each with a table holding the same numbers."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from gilde import visibility
from gilde.contacts.selectors import contacts_per_week, signals_per_sector_month
from gilde.core.charts import month_starts, week_starts
from gilde.goodwill.selectors import favours_per_month
from gilde.maintenance.selectors import days_since_contact_by_tier
from gilde.relations.models import Tier
from tests.conftest import client_for
from tests.factories import (
    AffiliationFactory,
    ContactMomentFactory,
    OrganisationFactory,
    PersonFactory,
    TieFactory,
)
from tests.goodwill.factories import FavourFactory
from tests.maintenance.factories import contact


def _at(days_ago: int) -> dt.datetime:
    return timezone.make_aware(
        dt.datetime.combine(timezone.localdate() - dt.timedelta(days=days_ago), dt.time(10))
    )


@pytest.fixture
def hidden_person(owner, colleague):
    """A confidential relation the colleague may not see."""
    person = PersonFactory(family_name="Verborgen", confidential=True)
    person.confidential_members.add(owner)
    assert not visibility.persons(colleague.user).filter(pk=person.pk).exists()
    return person


def test_week_starts_end_with_this_weeks_monday():
    starts = week_starts(today=dt.date(2026, 12, 3), weeks=3)  # a Thursday
    assert starts == [dt.date(2026, 11, 16), dt.date(2026, 11, 23), dt.date(2026, 11, 30)]
    assert month_starts(today=dt.date(2026, 1, 15), months=2) == [
        dt.date(2025, 12, 1),
        dt.date(2026, 1, 1),
    ]


def test_contacts_are_counted_in_their_week(owner):
    person = PersonFactory()
    starts = week_starts(today=timezone.localdate(), weeks=4)
    ContactMomentFactory(persons=[person], members=[owner], occurred_at=_at(0))
    ContactMomentFactory(persons=[person], occurred_at=_at(0))
    ContactMomentFactory(persons=[person], occurred_at=_at(8))
    ContactMomentFactory(persons=[person], occurred_at=_at(60))  # before the first week

    everyone = contacts_per_week(user=owner.user, starts=starts)
    mine = contacts_per_week(user=owner.user, starts=starts, member_id=owner.pk)

    assert everyone[-1] == 2 and sum(everyone) == 3
    assert mine[-1] == 1 and sum(mine) == 1


def test_contacts_with_a_hidden_relation_are_not_counted(owner, colleague, hidden_person):
    ContactMomentFactory(persons=[hidden_person], members=[owner], occurred_at=_at(0))
    starts = week_starts(today=timezone.localdate(), weeks=2)

    assert sum(contacts_per_week(user=owner.user, starts=starts)) == 1
    assert sum(contacts_per_week(user=colleague.user, starts=starts)) == 0
    assert sum(contacts_per_week(user=colleague.user, starts=starts, member_id=owner.pk)) == 0


def test_weekly_counts_match_the_scope_moment_by_moment(owner, colleague, hidden_person):
    """The organisation's weekly counts are taken as all moments less those with a hidden
    participant: a moment with two hidden persons is taken off once, one with a hidden and a
    visible person is taken off, and each week agrees with counting the scope itself."""
    second_hidden = PersonFactory(confidential=True)
    second_hidden.confidential_members.add(owner)
    visible = PersonFactory()
    ContactMomentFactory(persons=[hidden_person, second_hidden], occurred_at=_at(1))
    ContactMomentFactory(persons=[hidden_person, visible], occurred_at=_at(9))
    ContactMomentFactory(persons=[visible], occurred_at=_at(9))
    ContactMomentFactory(persons=[visible], occurred_at=_at(16))
    ContactMomentFactory(persons=[hidden_person], occurred_at=_at(40))  # before the weeks
    starts = week_starts(today=timezone.localdate(), weeks=4)

    for user in (owner.user, colleague.user):
        counts = contacts_per_week(user=user, starts=starts)
        bounds = [*starts, starts[-1] + dt.timedelta(days=7)]
        expected = tuple(
            visibility.contact_moments(user)
            .filter(
                occurred_at__gte=timezone.make_aware(dt.datetime.combine(a, dt.time.min)),
                occurred_at__lt=timezone.make_aware(dt.datetime.combine(b, dt.time.min)),
            )
            .count()
            for a, b in zip(bounds, bounds[1:], strict=False)
        )
        assert counts == expected
    assert sum(contacts_per_week(user=owner.user, starts=starts)) == 4
    assert sum(contacts_per_week(user=colleague.user, starts=starts)) == 2


def test_days_since_the_last_contact_fall_in_their_step_per_tier(owner, colleague, hidden_person):
    a = Tier.objects.get(code="A")
    for days in (10, 100, 400):
        person = PersonFactory(tier=a)
        TieFactory(person=person, member=owner)
        contact(person, owner, days=days)
    PersonFactory(tier=a)  # never contacted
    hidden_person.tier = a
    hidden_person.save()

    assert days_since_contact_by_tier(user=owner.user)["A"] == (1, 0, 1, 0, 1, 2)
    assert days_since_contact_by_tier(user=colleague.user)["A"] == (1, 0, 1, 0, 1, 1)


def test_favours_per_month_count_given_and_received_that_the_reader_may_see(
    owner, colleague, hidden_person
):
    starts = month_starts(today=timezone.localdate(), months=12)
    FavourFactory(member=owner, direction="given", occurred_on=timezone.localdate())
    FavourFactory(member=owner, direction="received", occurred_on=timezone.localdate())
    FavourFactory(
        member=owner, person=hidden_person, direction="received", occurred_on=timezone.localdate()
    )

    assert favours_per_month(user=owner.user, starts=starts)["received"][-1] == 2
    seen = favours_per_month(user=colleague.user, starts=starts)
    assert (seen["given"][-1], seen["received"][-1]) == (1, 1)


def test_signals_count_for_the_sector_of_the_organisation_or_the_relations_job(
    owner, colleague, hidden_person
):
    starts = month_starts(today=timezone.localdate(), months=12)
    energy = OrganisationFactory(sector="energy")
    person = PersonFactory()
    AffiliationFactory(person=person, organisation=OrganisationFactory(sector="government"))
    ContactMomentFactory(
        persons=[person], organisation=energy, signals="Prijzen stijgen", occurred_at=_at(0)
    )
    ContactMomentFactory(persons=[person], signals="Nieuwe aanbesteding", occurred_at=_at(0))
    ContactMomentFactory(persons=[person], signals="", occurred_at=_at(0))
    ContactMomentFactory(
        persons=[hidden_person], organisation=energy, signals="Geheim", occurred_at=_at(0)
    )

    seen = signals_per_sector_month(user=colleague.user, starts=starts)
    assert {sector: values[-1] for sector, values in seen.items()} == {"energy": 1, "government": 1}
    assert signals_per_sector_month(user=owner.user, starts=starts)["energy"][-1] == 2


@pytest.mark.parametrize(
    ("page", "chart"),
    [
        ("dashboard", "contacts-per-week"),
        ("maintenance_tier_review", "tier-mix"),
        ("maintenance_going_cold", "days-since"),
        ("give_back", "given-received"),
        ("signal_list", "signals-per-sector"),
    ],
)
def test_the_page_draws_its_chart_with_a_table_beside_it(manager, page, chart):
    person = PersonFactory(tier=Tier.objects.get(code="A"))
    contact(person, manager, days=2)
    ContactMomentFactory(persons=[person], signals="Vraag naar warmtenetten", occurred_at=_at(1))
    FavourFactory(member=manager, person=person)

    html = client_for(manager).get(reverse(page), HTTP_ACCEPT_LANGUAGE="nl").content.decode()

    section = html[html.index(f'id="chart-{chart}"') :]
    assert f'<canvas data-chart="chart-{chart}-data" role="img"' in section
    data = re.search(
        rf'<script id="chart-{chart}-data" type="application/json">(.*?)</script>', section
    )
    assert data is not None and json.loads(data.group(1))["datasets"]
    assert "<table>" in section[: section.index("</section>")]
    assert "<script>" not in html  # no inline script: the CSP allows none


def test_the_colleague_page_shows_contacts_per_week_and_the_tier_mix(manager, owner):
    person = PersonFactory(tier=Tier.objects.get(code="B"))
    TieFactory(person=person, member=owner)
    contact(person, owner, days=1)

    html = client_for(manager).get(reverse("member_detail", args=[owner.pk])).content.decode()

    assert 'id="chart-member-contacts"' in html and 'id="chart-member-tier-mix"' in html


def test_the_relation_page_has_a_three_year_strip_that_the_quick_log_updates(owner):
    person = PersonFactory(owner=owner)
    ContactMomentFactory(persons=[person], occurred_at=_at(700))
    client = client_for(owner)

    html = client.get(reverse("person_detail", args=[person.pk])).content.decode()
    strip = re.search(
        r'<script id="chart-contact-strip-data" type="application/json">(.*?)</script>', html
    )
    assert strip is not None
    values = json.loads(strip.group(1))["datasets"][0]["data"]
    assert len(values) == 156 and sum(values) == 1

    answer = client.post(
        reverse("quick_log", args=[person.pk]),
        {
            "kind": "call",
            "occurred_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
            "summary": "Even gebeld",
        },
        HTTP_HX_REQUEST="true",
    ).content.decode()
    assert '<div id="contact-strip" hx-swap-oob="true">' in answer
    strip = re.search(
        r'<script id="chart-contact-strip-data" type="application/json">(.*?)</script>', answer
    )
    assert strip is not None and sum(json.loads(strip.group(1))["datasets"][0]["data"]) == 2


def _contrast(colour: str, background: str = "#ffffff") -> float:
    """WCAG 2.1 contrast ratio of two sRGB colours."""

    def luminance(hex_colour: str) -> float:
        channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    high, low = sorted((luminance(colour), luminance(background)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_every_chart_colour_stands_out_from_the_page() -> None:
    """WCAG 1.4.11: graphics need 3:1 against what is next to them (the white page)."""
    from gilde.core.charts import GUIDELINE_COLOUR, PALETTE, TIER_COLOURS
    from gilde.maintenance.charts import DAYS_SINCE_COLOURS

    colours = {*PALETTE, *TIER_COLOURS.values(), GUIDELINE_COLOUR, *DAYS_SINCE_COLOURS}
    weak = {c: round(_contrast(c), 2) for c in colours if _contrast(c) < 3.0}
    assert not weak, f"chart colours under 3:1 against white: {weak}"
    assert _contrast("#edae49") < 3.0  # the check can fail: the former amber did


# ---- counts kept under the contact-data token ---------------------------------------------------


def _token() -> str | None:
    return visibility.contact_data_token()


def test_every_write_that_decides_the_counts_changes_the_token(owner, colleague):
    """The triggers see writes that bypass the services and their signals too (bulk inserts,
    queryset updates and deletes), so nothing can leave a kept count stale."""
    from gilde.contacts.models import ContactMoment

    person = PersonFactory()
    writes = {
        "a moment logged": lambda: ContactMomentFactory(persons=[person], occurred_at=_at(3)),
        "moments bulk-created": lambda: ContactMoment.objects.bulk_create(
            [ContactMoment(occurred_at=_at(4)), ContactMoment(occurred_at=_at(5))]
        ),
        "a moment moved": lambda: ContactMoment.objects.update(occurred_at=_at(6)),
        "a participant added": lambda: ContactMoment.objects.first().persons.add(PersonFactory()),
        "a colleague added": lambda: ContactMoment.objects.first().members.add(colleague),
        "a relation made confidential": lambda: (
            type(person).objects.filter(pk=person.pk).update(confidential=True)
        ),
        "a relation shared": lambda: person.confidential_members.add(colleague),
        "a relation handed over": lambda: (
            type(person).objects.filter(pk=person.pk).update(owner=owner)
        ),
        "moments removed": lambda: ContactMoment.objects.filter(occurred_at=_at(6)).delete(),
    }
    seen = {_token()}
    for what, write in writes.items():
        write()
        token = _token()
        assert token is not None and token not in seen, what
        seen.add(token)


def test_kept_counts_follow_a_bulk_import_and_a_backdated_moment(owner):
    person = PersonFactory()
    starts = week_starts(today=timezone.localdate(), weeks=4)
    ContactMomentFactory(persons=[person], occurred_at=_at(1))
    assert sum(contacts_per_week(user=owner.user, starts=starts)) == 1
    assert sum(contacts_per_week(user=owner.user, starts=starts)) == 1  # read back from the cache
    from gilde.contacts.models import ContactMoment

    # Written past every service and signal: an import of last month's moments.
    ContactMoment.objects.bulk_create([ContactMoment(occurred_at=_at(15)) for _ in range(3)])
    assert sum(contacts_per_week(user=owner.user, starts=starts)) == 4
    ContactMoment.objects.filter(occurred_at=_at(15)).update(occurred_at=_at(60))
    assert sum(contacts_per_week(user=owner.user, starts=starts)) == 1


def test_kept_counts_are_never_shared_between_members(owner, colleague, hidden_person):
    starts = week_starts(today=timezone.localdate(), weeks=2)
    ContactMomentFactory(persons=[hidden_person], occurred_at=_at(0))
    assert sum(contacts_per_week(user=owner.user, starts=starts)) == 1
    assert sum(contacts_per_week(user=colleague.user, starts=starts)) == 0
    # Shared with the colleague afterwards: their count follows at once.
    hidden_person.confidential_members.add(colleague)
    assert sum(contacts_per_week(user=colleague.user, starts=starts)) == 1
