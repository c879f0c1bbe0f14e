"""Test data for the privacy tests: favours and import batches."""

from __future__ import annotations

import datetime as dt

import factory

from gilde.goodwill.models import Favour
from gilde.imports.models import BatchStatus, ImportBatch
from tests.factories import MemberFactory


class FavourFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Favour

    member = factory.SubFactory(MemberFactory)
    direction = "given"
    kind = "introduction"
    occurred_on = dt.date(2026, 3, 1)
    note = "Voorgesteld aan de wethouder"


class ImportBatchFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ImportBatch

    file_name = "connections.csv"
    format = "linkedin"
    status = BatchStatus.COMMITTED
