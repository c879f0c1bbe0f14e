"""Never overbooked: 50 guests accepting at the same moment for the last 10 seats end with
exactly 10 accepted and 40 on the waiting list. Each answer locks the event's row (on
PostgreSQL select_for_update; SQLite writes one transaction at a time)."""

from __future__ import annotations

import os
import threading

import pytest
from django.db import connection, connections

from gilde.events import rsvp, services
from gilde.events.models import Guest, GuestStatus
from tests.events.invitation_fixtures import guests_on, published_event

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_fifty_accepts_for_the_last_ten_seats(manager):
    if (
        connection.vendor != "postgresql"
        and os.environ.get("CI") == "true"
        and not os.environ.get("GILDE_TEST_DATABASE_URL")
    ):
        pytest.fail("Under CI the concurrency test runs on PostgreSQL (GILDE_TEST_DATABASE_URL)")
    event = published_event(manager, capacity=20)
    seated = guests_on(manager, event, 10, prefix="Al")
    for guest in seated:
        services.guest_status_record(guest, GuestStatus.ACCEPTED)
    racing = guests_on(manager, event, 50, prefix="Race")
    for guest in racing:
        services.guest_status_record(guest, GuestStatus.INVITED)
    keys = [rsvp.rsvp_key(g) for g in racing]
    start = threading.Barrier(len(keys))
    errors: list[BaseException] = []

    def accept(key: str) -> None:
        try:
            start.wait()
            rsvp.rsvp_answer(key=key, answer=rsvp.Answer(attending=True), stamp=None)
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=accept, args=(key,)) for key in keys]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert errors == []
    statuses = list(
        Guest.objects.filter(pk__in=[g.pk for g in racing]).values_list("status", flat=True)
    )
    assert statuses.count(GuestStatus.ACCEPTED) == 10
    assert statuses.count(GuestStatus.WAITLISTED) == 40
    assert rsvp.seats_taken(event) == 20
