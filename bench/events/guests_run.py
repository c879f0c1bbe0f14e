"""The guest list on the large demo network (100,000 persons): suggestions for an event with five
themes (target under 1 s), the balance panel of a 2,000-guest list (target p95 under 150 ms),
and the quality of the turnout prediction: the Brier score of each invited relation's predicted
chance of coming against a flat per-tier rate, on the most recent past demo events held out
(each predicted only from the events before it). Writes bench/events/guests_results.json.

    python bench/events/guests_run.py --sqlite /path/to/copy-of-large.sqlite3
    python bench/events/guests_run.py --postgres postgres://postgres@127.0.0.1:5432/gilde_bench_events

The database must already hold the large demo network (`gilde demo --size large --no-serve`);
the script runs `migrate`, adds the demo events if the network was built before they existed,
and writes a benchmark event with its guests, so point it at a copy.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "guests_results.json"


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


def timed(call: Any, repeat: int) -> dict[str, Any]:
    """Wall-clock and CPU time of `repeat` calls. On a shared machine the wall clock waits for
    other processes; the CPU time of this process (SQLite runs inside it) does not."""
    wall, cpu = [], []
    for _ in range(repeat):
        started, started_cpu = time.perf_counter(), time.process_time()
        call()
        wall.append(time.perf_counter() - started)
        cpu.append(time.process_time() - started_cpu)
    return {**summary(wall), "cpu": summary(cpu)}


def machine_speed() -> float:
    """Milliseconds for a fixed piece of plain-Python work, median of five (as in
    bench/web/run.py): figures from different days or machines compare after dividing by it."""
    timings = []
    for _ in range(5):
        t0 = time.perf_counter()
        words = [f"{i * 7919 % 100_003:06d}-relatie" for i in range(200_000)]
        words.sort()
        len({hash(w) for w in words})
        timings.append((time.perf_counter() - t0) * 1000)
    return round(statistics.median(timings), 1)


def _bench_event(themes: int, guests: int) -> Any:
    """An upcoming event with `themes` themes and `guests` relations on its list, spread over
    its statuses and hosts as a real list would be."""
    import datetime as dt

    from django.utils import timezone

    from gilde.accounts.models import Member
    from gilde.events.models import Event, Guest, GuestRole, GuestStatus
    from gilde.relations.models import Person, Tag

    starts = timezone.now() + dt.timedelta(days=40)
    event = Event.objects.create(
        title="Benchmark: jaarcongres",
        starts_at=starts,
        ends_at=starts + dt.timedelta(hours=5),
        capacity=1500,
    )
    # The most used tags: the heaviest themes to look up.
    through = Person.tags.through
    from django.db.models import Count

    popular = through.objects.values("tag_id").annotate(n=Count("id")).order_by("-n")[:themes]
    event.themes.set(Tag.objects.filter(pk__in=[row["tag_id"] for row in popular]))
    hosts = list(Member.objects.exclude(role="read_only").order_by("pk")[:20])
    event.organisers.set(hosts[:2])
    Guest.objects.bulk_create(
        Guest(event=event, member=m, role=GuestRole.HOST, status=GuestStatus.ACCEPTED)
        for m in hosts
    )
    people = Person.objects.order_by("?").values_list("pk", flat=True)[:guests]
    statuses = (
        GuestStatus.PROPOSED,
        GuestStatus.INVITED,
        GuestStatus.ACCEPTED,
        GuestStatus.DECLINED,
        GuestStatus.NO_ANSWER,
    )
    Guest.objects.bulk_create(
        Guest(
            event=event,
            person_id=pid,
            status=statuses[i % len(statuses)],
            host=hosts[i % len(hosts)] if i % 2 else None,
        )
        for i, pid in enumerate(people)
    )
    return event


def measure(repeat: int) -> dict[str, Any]:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.template.loader import render_to_string
    from django.test import Client
    from django.utils import translation

    from gilde.accounts.models import Member
    from gilde.demo.events import build_events
    from gilde.events import guestlist, turnout_check
    from gilde.events.models import Event, EventStatus
    from gilde.events.suggestions import suggestions_for
    from gilde.relations.models import Person

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    built = build_events(seed=1)
    build_seconds = round(time.perf_counter() - started, 1)
    Event.objects.filter(title__startswith="Benchmark:").delete()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
    translation.activate("nl")
    manager = Member.objects.get(user__username="beheer")
    networker = Member.objects.get(user__username="netwerker")
    results: dict[str, Any] = {
        "database": connection.vendor,
        "counts": {"persons": Person.objects.count(), "events": Event.objects.count()},
        "demo_events": {**built, "seconds": build_seconds},
    }

    event = _bench_event(themes=5, guests=2000)
    counts = {"themes": event.themes.count(), "guests": event.guests.count()}
    shown: dict[str, int] = {}
    suggestion_times: dict[str, Any] = {}
    for label, member in (("network_manager", manager), ("networker", networker)):
        found = suggestions_for(user=member.user, event=event)
        shown[label] = len(found)
        suggestion_times[label] = timed(
            lambda m=member: suggestions_for(user=m.user, event=event), repeat
        )
    results["suggestions"] = {
        "what": "suggestions with reasons for an event with 5 themes (the 5 most used tags) "
        "and 2,000 relations already on its list",
        "event": counts,
        "shown": shown,
        **suggestion_times,
        "target_ms": 1000,
    }

    def balance_panel(member: Member) -> None:
        balance = guestlist.balance(user=member.user, event=event)
        render_to_string("events/_guest_balance.html", {"balance": balance, "event": event})

    results["balance"] = {
        "what": "the balance panel (counts by stakeholder type, sector, new/known faces, crowded "
        "organisations, guests per host) of a 2,000-guest list, computed and rendered",
        "network_manager": timed(lambda: balance_panel(manager), repeat),
        "networker": timed(lambda: balance_panel(networker), repeat),
        "target_p95_ms": 150,
    }
    client = Client()
    client.force_login(manager.user)
    url = f"/events/{event.pk}/guests/suggestions/"
    results["suggestions_page"] = timed(lambda: client.get(url), max(3, repeat // 3))

    held = Event.objects.filter(status=EventStatus.HELD).order_by("-starts_at")
    count = held.count()
    hold_out = list(held[: max(1, count // 3)])
    quality = turnout_check.held_out(hold_out)
    results["turnout"] = {
        "what": "Brier score of each invited relation's predicted chance of coming (own record "
        "drawn towards their tier's rate) against a flat per-tier rate, on the most recent third "
        "of the past demo events, each predicted only from the events before it (lower is better)",
        "held_out_events": quality.events,
        "invited_relations": quality.guests,
        "share_who_came": round(quality.came, 3),
        "brier_per_relation": round(quality.brier_person, 4),
        "brier_flat_tier_rate": round(quality.brier_tier, 4),
        "skill_vs_tier": round(quality.skill, 3),
    }
    event.delete()
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    target = parser.add_mutually_exclusive_group(required=True)
    target.add_argument("--sqlite", type=Path)
    target.add_argument("--postgres")
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    os.environ["DATABASE_URL"] = args.postgres or f"sqlite:///{args.sqlite.resolve()}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gilde.settings")
    sys.path.insert(0, str(HERE.parents[1] / "src"))
    speed, load = machine_speed(), os.getloadavg()[0]
    figures = measure(args.repeat)
    figures["machine_speed_ms"] = [speed, machine_speed()]
    figures["load_average"] = [round(load, 2), round(os.getloadavg()[0], 2)]
    figures["machine"] = {
        "python": platform.python_version(),
        "cpu": platform.processor() or platform.machine(),
        "cores": os.cpu_count(),
    }
    stored = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    stored[figures["database"]] = figures
    RESULTS.write_text(json.dumps(stored, indent=2) + "\n")
    print(json.dumps(figures, indent=2))


if __name__ == "__main__":
    main()
