"""Factories for goodwill tests."""

from __future__ import annotations

import datetime as dt

import factory
from django.utils import timezone

from gilde.goodwill.models import Favour
from tests.factories import MemberFactory, PersonFactory


class FavourFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Favour

    member = factory.SubFactory(MemberFactory)
    person = factory.SubFactory(PersonFactory)
    direction = "received"
    kind = "introduction"
    occurred_on = factory.LazyFunction(lambda: timezone.localdate() - dt.timedelta(days=10))
    note = "Introductie bij de wethouder"
    created_by = factory.SelfAttribute("member")
