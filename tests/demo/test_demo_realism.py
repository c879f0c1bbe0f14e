"""The demo network looks real: addresses that validate, whole city names, office hours."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import timezone

from gilde.contacts.models import ContactMoment
from gilde.demo import data
from gilde.demo.generator import build_demo
from gilde.relations.models import EmailAddress, Organisation, PostalAddress


@pytest.fixture
def demo(db):
    return build_demo(size="small", seed=11)


def _invalid(address: str) -> bool:
    try:
        validate_email(address)
    except ValidationError:
        return True
    return False


def test_every_demo_email_address_is_valid(demo):
    invalid = [a for a in EmailAddress.objects.values_list("address", flat=True) if _invalid(a)]
    assert invalid == []


def test_email_domains_leave_out_the_legal_form(demo):
    domains = {a.rpartition("@")[2] for a in EmailAddress.objects.values_list("address", flat=True)}
    assert not [d for d in domains if "b.v" in d or "n.v" in d or ".." in d or "&" in d]


def test_den_haag_is_one_city():
    assert "Den Haag" in data.CITIES
    assert "Den" not in data.CITIES and "Haag" not in data.CITIES


def test_street_names_are_whole():
    assert not {"Nieuwe", "Oude", "Lange", "Haven", "Gracht"} & set(data.STREETS)


def test_no_organisation_or_city_is_half_of_den_haag(demo):
    cities = set(Organisation.objects.values_list("city", flat=True))
    cities |= set(PostalAddress.objects.values_list("city", flat=True))
    assert not {"Den", "Haag"} & cities
    names = Organisation.objects.values_list("name", flat=True)
    assert not [n for n in names if n.endswith((" Haag", " Den")) and "Den Haag" not in n]


def test_contact_moments_fall_in_working_hours_on_weekdays(demo):
    """Calls, visits and lunches in working hours; an event (a dinner, a herring party) may
    fall in the evening or on a Saturday, as events do."""
    moments = ContactMoment.objects.exclude(kind="event")
    local = [timezone.localtime(t) for t in moments.values_list("occurred_at", flat=True)]
    assert [t for t in local if t.weekday() >= 5] == []
    assert [t for t in local if not dt.time(8, 0) <= t.time() <= dt.time(18, 0)] == []


def test_no_burst_of_contact_moments_just_before_the_build(demo):
    now = timezone.now()
    recent = ContactMoment.objects.filter(occurred_at__gte=now - dt.timedelta(hours=2)).count()
    total = ContactMoment.objects.count()
    # Spread evenly over three years of working hours, two hours hold well under 1 in 1000.
    assert recent <= max(3, total // 1000)
    assert not ContactMoment.objects.filter(occurred_at__gt=now).exists()


def test_contact_moments_spread_over_the_three_years(demo):
    now = timezone.now()
    per_year = [
        ContactMoment.objects.filter(
            occurred_at__lte=now - dt.timedelta(days=365 * i),
            occurred_at__gt=now - dt.timedelta(days=365 * (i + 1)),
        ).count()
        for i in range(3)
    ]
    assert min(per_year) > 0.15 * sum(per_year)
