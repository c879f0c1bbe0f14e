"""Seating plans from Gilde data: building the engine instance from the database at 2,000 guests
(target 1 s), a 200-guest dinner at 20 tables (plan within 5 s, within 1% of a long run on the
same instance) and 2,000 guests at 3 rounds (plan within 30 s, no good pair seated together
twice). Writes bench/events/seating_results.json.

    python bench/events/seating_run.py [--reference 120] [--sqlite /tmp/seating-bench.sqlite3]

The data is made by this script in a fresh database (SQLite by default, in a temporary file):
relations with organisations and sectors, passions and the event's themes, ties between them and
with colleagues, conflict pairs, organisations in dispute or competing, companions, hosts assigned
by tie, and meeting goals of every kind. The sizes and the seed are in the results.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "seating_results.json"
PASSIONS = [
    "zeilen",
    "jazz",
    "wielrennen",
    "golf",
    "schaken",
    "koken",
    "wijn",
    "hardlopen",
    "tennis",
    "fotografie",
    "kunst",
    "geschiedenis",
    "tuinieren",
    "opera",
    "vissen",
    "skiën",
    "theater",
    "lezen",
    "reizen",
    "architectuur",
    "duiken",
    "paardrijden",
    "hockey",
    "voetbal",
    "bridge",
    "klimmen",
    "muziek",
    "film",
    "design",
    "whisky",
    "bier",
    "koffie",
    "yoga",
    "roeien",
    "motoren",
    "klassieke auto's",
    "vogels",
    "sterrenkunde",
    "boeken",
    "dans",
]
THEMES = ["energietransitie", "zorg", "digitalisering", "arbeidsmarkt", "wonen"]
SECTORS = ["energy", "healthcare", "ict", "finance", "government", "construction", "education"]


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


def build_event(n_guests: int, n_tables: int, capacity: int, seed: int, title: str) -> Any:
    """An event with `n_guests` seats taken (companions included) and its tables, from data made
    in bulk the way the demo network holds it."""
    import datetime as dt

    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from gilde.accounts.models import Member
    from gilde.events import hosts
    from gilde.events.models import (
        ConflictPair,
        Event,
        Guest,
        GuestRole,
        GuestStatus,
        MeetingGoal,
        SeatingSetup,
        SeatingTable,
    )
    from gilde.relations.models import (
        Affiliation,
        Organisation,
        OrganisationLink,
        Person,
        Tag,
        Tie,
        Tier,
    )

    rng = random.Random(seed)
    user_model = get_user_model()
    manager_user = user_model.objects.create(username=f"bench-{seed}", first_name="Bench")
    manager = Member.objects.create(user=manager_user, role="network_manager")
    n_hosts = n_tables
    colleagues = [
        Member.objects.create(
            user=user_model.objects.create(username=f"host-{seed}-{i}", first_name=f"Gastheer{i}"),
        )
        for i in range(n_hosts)
    ]
    orgs = Organisation.objects.bulk_create(
        Organisation(name=f"Organisatie {seed}-{i}", sector=rng.choice(SECTORS))
        for i in range(max(10, n_guests // 6))
    )
    themes = [Tag.objects.get_or_create(name=t)[0] for t in THEMES]
    tier_a = Tier.objects.filter(code="A").first()
    # Companions take a seat of their own: about one guest in ten brings one.
    n_relations = round((n_guests - n_hosts) / 1.1)
    persons = Person.objects.bulk_create(
        Person(
            given_name=f"Gast{i}",
            family_name=f"Bench{seed}",
            sort_name=f"bench{seed} gast{i}",
            passions=", ".join(rng.sample(PASSIONS, rng.randint(1, 3))),
            tier=tier_a if rng.random() < 0.1 else None,
        )
        for i in range(n_relations)
    )
    Affiliation.objects.bulk_create(
        Affiliation(person=p, organisation=rng.choice(orgs)) for p in persons
    )
    Person.tags.through.objects.bulk_create(
        Person.tags.through(person_id=p.pk, tag_id=rng.choice(themes).pk)
        for p in persons
        if rng.random() < 0.4
    )
    pairs = set()
    for p in persons:
        for q in rng.sample(persons, 3):
            if p.pk != q.pk and (q.pk, p.pk) not in pairs:
                pairs.add((p.pk, q.pk))
    Tie.objects.bulk_create(
        Tie(person_id=a, other_person_id=b, strength=rng.randint(1, 5)) for a, b in pairs
    )
    Tie.objects.bulk_create(
        Tie(person=p, member=c, strength=rng.randint(1, 5))
        for p in persons
        for c in rng.sample(colleagues, 2)
    )
    conflicts = {
        tuple(sorted(rng.sample([p.pk for p in persons], 2)))
        for _ in range(max(1, n_relations // 50))
    }
    ConflictPair.objects.bulk_create(
        ConflictPair(person_a_id=a, person_b_id=b) for a, b in conflicts
    )
    for kind in ("dispute", "competitor"):
        for _ in range(max(1, len(orgs) // 40)):
            a, b = rng.sample(orgs, 2)
            OrganisationLink.objects.get_or_create(source=a, target=b, kind=kind)
    starts = timezone.now() + dt.timedelta(days=30)
    event = Event.objects.create(
        title=title,
        kind="dinner",
        starts_at=starts,
        ends_at=starts + dt.timedelta(hours=4),
        created_by=manager,
    )
    event.themes.set(themes)
    Guest.objects.bulk_create(
        Guest(
            event=event,
            person=p,
            status=GuestStatus.ACCEPTED,
            companion_name="Partner" if i < n_relations // 10 else "",
        )
        for i, p in enumerate(persons)
    )
    Guest.objects.bulk_create(
        Guest(event=event, member=c, role=GuestRole.HOST, status=GuestStatus.ACCEPTED)
        for c in colleagues
    )
    hosts.hosts_assign(member=manager, event=event)
    ids = [p.pk for p in persons]
    goals = []
    for _ in range(n_relations // 4):
        a, b = rng.sample(ids, 2)
        goals.append(
            MeetingGoal(
                event=event,
                kind="introduction",
                person_a_id=a,
                person_b_id=b,
                priority=rng.choice([1, 2, 2, 3]),
            )
        )
    for _ in range(n_relations // 10):
        goals.append(
            MeetingGoal(
                event=event,
                kind="colleague",
                member=rng.choice(colleagues),
                person_a_id=rng.choice(ids),
                priority=rng.choice([1, 2]),
            )
        )
    goals.append(MeetingGoal(event=event, kind="theme_group", theme=themes[0], priority=2))
    MeetingGoal.objects.bulk_create(goals)
    SeatingTable.objects.bulk_create(
        SeatingTable(event=event, number=i + 1, capacity=capacity) for i in range(n_tables)
    )
    SeatingSetup.objects.create(event=event, rounds=1, hosts_per_table=1, time_limit=5)
    return event


def timed_build(event: Any, rounds: int, repeat: int) -> dict[str, Any]:
    from gilde.events.pairvalues import seating_instance

    wall, cpu, inst = [], [], None
    for _ in range(repeat):
        t0, c0 = time.perf_counter(), time.process_time()
        inst = seating_instance(event, rounds=rounds, hosts_per_table=1)
        wall.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)
    assert inst is not None
    return {
        "median_s": round(statistics.median(wall), 3),
        "cpu_median_s": round(statistics.median(cpu), 3),
        "guests": len(inst.guests),
        "pairs": len(inst.data["pairs"]),
        "apart": len(inst.data["apart"]),
        "instance": inst,
    }


def run_solve(data: dict[str, Any], seconds: float, seed: int = 0) -> dict[str, Any]:
    from gilde.seating.model import parse_instance
    from gilde.seating.plan import check_plan, plan_to_dict
    from gilde.seating.solve import solve

    engine = parse_instance(data)
    t0, c0 = time.perf_counter(), time.process_time()
    plan = solve(engine, time_limit=seconds, seed=seed, workers=2)
    wall, cpu = time.perf_counter() - t0, time.process_time() - c0
    checked = check_plan(engine, plan_to_dict(engine, plan))
    return {
        "time_limit_s": seconds,
        "wall_s": round(wall, 2),
        "cpu_s": round(cpu, 2),
        "objective": round(checked.objective, 3),
        "feasible": checked.feasible,
        "repeated_positive_pairs": checked.repeated_positive_pairs,
    }


def measure(reference: float) -> dict[str, Any]:
    import django

    django.setup()
    from django.core.management import call_command

    from gilde.seating.anneal import compile_kernels

    call_command("migrate", verbosity=0)
    compile_kernels()
    report: dict[str, Any] = {}

    big = build_event(2000, 200, 11, seed=2, title="Congres 2.000 gasten")
    build = timed_build(big, rounds=3, repeat=5)
    big_inst = build.pop("instance")
    report["instance_build_2000"] = build | {"target_s": 1.0}
    report["plan_2000_3_rounds"] = run_solve(big_inst.data, 30.0) | {"target_s": 30.0}

    dinner = build_event(200, 20, 11, seed=1, title="Diner 200 gasten")
    dinner_build = timed_build(dinner, rounds=1, repeat=5)
    inst = dinner_build.pop("instance")
    report["instance_build_200"] = dinner_build
    quick = [run_solve(inst.data, 5.0, seed=s) for s in range(3)]
    long = run_solve(inst.data, reference, seed=7)
    best = max(long["objective"], *(q["objective"] for q in quick))
    report["plan_200_20_tables"] = {
        "runs_5s": quick,
        "reference": long,
        "median_ratio_to_reference": round(
            statistics.median(q["objective"] for q in quick) / best, 4
        ),
        "worst_ratio_to_reference": round(min(q["objective"] for q in quick) / best, 4),
        "target_ratio": 0.99,
    }
    return report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--reference",
        type=float,
        default=120.0,
        help="seconds of the long run the 5 s plans are compared with",
    )
    parser.add_argument("--sqlite", type=Path, help="the database file (default: a temporary one)")
    args = parser.parse_args()
    path = args.sqlite or Path(tempfile.mkdtemp()) / "seating-bench.sqlite3"
    if path.exists():
        path.unlink()
    os.environ["DATABASE_URL"] = f"sqlite:///{path.resolve()}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gilde.settings")
    os.environ.setdefault("GILDE_DATA_DIR", str(path.parent))
    sys.path.insert(0, str(HERE.parents[1] / "src"))
    speed, load = machine_speed(), os.getloadavg()[0]
    figures = measure(args.reference)
    report = {
        "measured_at": time.strftime("%Y-%m-%d %H:%M", time.gmtime()),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
        "machine_speed_ms": [speed, machine_speed()],
        "load_average": [round(load, 2), round(os.getloadavg()[0], 2)],
        "database": "sqlite",
        **figures,
    }
    RESULTS.write_text(json.dumps(report, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(json.dumps(report, indent=1, ensure_ascii=False))


if __name__ == "__main__":
    main()
