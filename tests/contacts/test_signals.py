"""The signals list: what the network tells us, newest first, searched and filtered."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from gilde.contacts.selectors import SignalFilters, signal_list
from gilde.relations.models import StakeholderType, Tag
from tests.conftest import client_for
from tests.factories import (
    AffiliationFactory,
    ContactMomentFactory,
    OrganisationFactory,
    PersonFactory,
)


def moment(signals: str, days_ago: int = 3, **kwargs):
    return ContactMomentFactory(
        signals=signals, occurred_at=timezone.now() - dt.timedelta(days=days_ago), **kwargs
    )


def found(user, **filters) -> list[str]:
    return [m.signals for m in signal_list(user=user, filters=SignalFilters(**filters))]


def test_only_moments_with_signals_are_listed_newest_first(owner):
    moment("Oud nieuws", days_ago=30)
    moment("Vers nieuws", days_ago=1)
    moment("")
    assert found(owner.user) == ["Vers nieuws", "Oud nieuws"]


def test_the_text_search_finds_every_word(owner):
    moment("Aanbesteding windpark in het voorjaar")
    moment("Aanbesteding zorg uitgesteld")
    assert found(owner.user, q="windpark AANBESTEDING") == ["Aanbesteding windpark in het voorjaar"]


def test_the_sector_filter_uses_the_organisation_and_the_persons_current_job(owner):
    energy = OrganisationFactory(sector="energy")
    worker = PersonFactory()
    AffiliationFactory(person=worker, organisation=energy)
    former = PersonFactory()
    AffiliationFactory(person=former, organisation=energy, end_date=dt.date(2021, 1, 1))
    moment("Via de organisatie", organisation=energy, persons=[PersonFactory()])
    moment("Via het dienstverband", persons=[worker])
    moment("Oud-medewerker", persons=[former])
    assert sorted(found(owner.user, sector="energy")) == [
        "Via de organisatie",
        "Via het dienstverband",
    ]


def test_the_stakeholder_type_filter(owner):
    press = StakeholderType.objects.get(code="press")
    journalist = PersonFactory()
    journalist.stakeholder_types.add(press)
    moment("Artikel op komst", persons=[journalist])
    moment("Iets anders", persons=[PersonFactory()])
    assert found(owner.user, stakeholder_type="press") == ["Artikel op komst"]


def test_the_tag_filter_looks_at_persons_and_the_organisation(owner):
    tag = Tag.objects.create(name="energietransitie")
    person = PersonFactory()
    person.tags.add(tag)
    org = OrganisationFactory()
    org.tags.add(tag)
    moment("Van de persoon", persons=[person])
    moment("Van de organisatie", organisation=org, persons=[PersonFactory()])
    moment("Niet getagd", persons=[PersonFactory()])
    assert sorted(found(owner.user, tag="energietransitie")) == [
        "Van de organisatie",
        "Van de persoon",
    ]


def test_the_period_filter_includes_both_days(owner):
    today = timezone.localdate()
    moment("Te oud", days_ago=40)
    moment("Binnen", days_ago=10)
    moment("Te nieuw", days_ago=1)
    since, until = today - dt.timedelta(days=20), today - dt.timedelta(days=5)
    assert found(owner.user, since=since, until=until) == ["Binnen"]


def test_an_outsider_sees_no_signals(outsider):
    moment("Geheim")
    assert found(outsider) == []
    assert client_for(outsider).get(reverse("signal_list")).status_code == 404


def test_the_signals_page_shows_filters_and_results(owner_client):
    moment("Nieuwe vestiging in Zwolle", persons=[PersonFactory(family_name="Bron")])
    page = owner_client.get(reverse("signal_list"), {"q": "zwolle"}).content.decode()
    assert "Nieuwe vestiging in Zwolle" in page and "Bron" in page


def test_htmx_filtering_returns_only_the_rows(owner_client):
    moment("Fusie op komst")
    html = owner_client.get(reverse("signal_list"), HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in html and "Fusie op komst" in html


def test_a_mistyped_date_is_ignored_with_a_message(owner_client):
    moment("Fusie op komst")
    response = owner_client.get(reverse("signal_list"), {"since": "gisteren"})
    assert response.status_code == 200
    assert "Fusie op komst" in response.content.decode()


def test_the_signals_page_pages_without_counting(owner_client):
    for i in range(30):
        moment(f"Signaal {i:02d}", days_ago=i + 1)
    first = owner_client.get(reverse("signal_list")).content.decode()
    assert "Signaal 00" in first and "Signaal 25" not in first and "page=2" in first
    second = owner_client.get(reverse("signal_list"), {"page": 2}).content.decode()
    assert "Signaal 25" in second and "Signaal 00" not in second


@pytest.mark.parametrize(
    "filters", [{}, {"sector": "energy", "tag": "x", "type": "press", "q": "a"}]
)
def test_the_signals_page_costs_a_fixed_number_of_queries(
    owner_client, colleague, django_assert_max_num_queries, filters
):
    for _ in range(30):
        moment(
            "Nieuws over de markt",
            persons=[PersonFactory(), PersonFactory()],
            members=[colleague],
            organisation=OrganisationFactory(),
        )
    with django_assert_max_num_queries(12):
        assert owner_client.get(reverse("signal_list"), filters).status_code == 200
