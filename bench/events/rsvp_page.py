"""The public RSVP page on the large demo network (100,000 persons): an event with 2,000
invited relations; the page opened through 500 guests' links and 300 answers sent (accept,
decline, with a companion; each locks the event's row), as a guest's browser would, through
the real views and templates. Writes bench/events/rsvp_results.json.

    python bench/events/rsvp_page.py --sqlite /path/to/copy-of-large.sqlite3
    python bench/events/rsvp_page.py --postgres postgres://postgres@127.0.0.1:5432/gilde_bench

The database must hold the large demo network (`gilde demo --size large --no-serve`); the
script migrates it and adds one event with its guest list, so point it at a copy.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import random
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
GUESTS = 2000


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))]


def summary(times: list[float]) -> dict[str, float]:
    return {
        "n": len(times),
        "p50_ms": round(statistics.median(times) * 1000, 1),
        "p95_ms": round(percentile(times, 0.95) * 1000, 1),
        "max_ms": round(max(times) * 1000, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    group = parser.add_mutually_exclusive_group(required=True)
    group.add_argument("--sqlite")
    group.add_argument("--postgres")
    args = parser.parse_args()
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "gilde.settings",
            "SECRET_KEY": "bench-secret-key",
            "GILDE_DATA_DIR": tempfile.mkdtemp(prefix="gilde-bench-rsvp-"),
            "DATABASE_URL": args.postgres or f"sqlite:///{Path(args.sqlite).resolve()}",
            "GILDE_RSVP_RATE_LIMIT": "100000",
        }
    )
    sys.path.insert(0, str(REPO / "src"))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.utils import timezone

    from gilde.accounts.models import Member
    from gilde.events import rsvp, services
    from gilde.events.models import Event, EventStatus, Guest, GuestStatus
    from gilde.relations.models import Person

    call_command("migrate", verbosity=0)
    persons = Person.objects.count()
    manager = Member.objects.filter(role="network_manager").order_by("id").first()
    assert manager is not None, "the demo network has a network manager"
    start = (timezone.now() + dt.timedelta(days=21)).replace(microsecond=0)
    event = services.event_create(
        member=manager,
        title="RSVP benchmark",
        starts_at=start,
        ends_at=start + dt.timedelta(hours=3),
        capacity=1500,
        status=EventStatus.PUBLISHED,
        venue="Loods 6",
        description="Een avond om elkaar te ontmoeten.",
    )
    rng = random.Random(16)
    ids = rng.sample(list(Person.objects.values_list("id", flat=True)), GUESTS)
    now = timezone.now()
    Guest.objects.bulk_create(
        [
            Guest(
                event=event,
                person_id=pid,
                status=GuestStatus.INVITED,
                invited_at=now,
                added_by=manager,
            )
            for pid in ids
        ]
    )
    guests = list(Guest.objects.filter(event=event).select_related("event"))
    client = Client()
    for guest in guests[:20]:  # warm the caches, templates and connections
        client.get(rsvp.rsvp_path(guest))
    page_times: list[float] = []
    for guest in rng.sample(guests, 500):
        started = time.perf_counter()
        response = client.get(rsvp.rsvp_path(guest))
        page_times.append(time.perf_counter() - started)
        assert response.status_code == 200, response.status_code
    answer_times: list[float] = []
    for i, guest in enumerate(rng.sample(guests, 300)):
        path = rsvp.rsvp_path(guest)
        page = client.get(path).content.decode()
        stamp = re.search(r'name="stamp" value="([^"]+)"', page).group(1)  # type: ignore[union-attr]
        data = {
            "attending": "no" if i % 5 == 0 else "yes",
            "stamp": stamp,
            "dietary_wishes": "vegetarisch" if i % 3 == 0 else "",
        }
        if i % 7 == 0:
            data |= {"companion": "yes", "companion_name": "Partner"}
        started = time.perf_counter()
        response = client.post(path, data)
        answer_times.append(time.perf_counter() - started)
        assert response.status_code == 200, response.status_code
    figures = {
        "database": connection.vendor,
        "persons": persons,
        "guests": GUESTS,
        "page": summary(page_times),
        "answer": summary(answer_times),
        "target": "RSVP page p95 under 100 ms",
        "passed": percentile(page_times, 0.95) < 0.1,
        "load_average_1m": round(os.getloadavg()[0], 1),
        "machine": {
            "python": platform.python_version(),
            "cpus": os.cpu_count(),
            "platform": platform.platform(),
        },
        "measured_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
    }
    Event.objects.filter(pk=event.pk).delete()
    out = HERE / "rsvp_results.json"
    previous = json.loads(out.read_text()) if out.exists() else {}
    previous[figures["database"]] = figures
    out.write_text(json.dumps(previous, indent=2) + "\n")
    print(json.dumps(figures, indent=2))


if __name__ == "__main__":
    main()
