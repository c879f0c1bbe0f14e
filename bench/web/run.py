"""Page latency on the large demo network (100,000 persons, 1,000,000 contact moments).

Builds the network into a fresh database (SQLite file and/or PostgreSQL), then times the main
pages through Django's test client against the real views, and writes p50/p95 per page to
bench/web/results.json. Usage:

    python bench/web/run.py [--db sqlite postgres] [--size large] [--repeat 60]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
PG_ADMIN_URL = os.environ.get("GILDE_BENCH_PG_ADMIN", "postgres://postgres@127.0.0.1:5432/postgres")
PG_BENCH_DB = "gilde_bench"


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))
    return ordered[index]


def machine_speed() -> float:
    """Milliseconds for a fixed piece of plain-Python work (sorting and hashing strings, the kind
    of work templates and the ORM do), median of five: figures measured on different days or
    machines compare after dividing by it. Two-fold differences between machines of the same
    kind have been seen."""
    timings = []
    for _ in range(5):
        t0 = time.perf_counter()
        words = [f"{i * 7919 % 100_003:06d}-relatie" for i in range(200_000)]
        words.sort()
        len({hash(w) for w in words})
        timings.append((time.perf_counter() - t0) * 1000)
    return round(statistics.median(timings), 1)


def measure(size: str, repeat: int, username: str) -> dict[str, object]:
    """Runs inside a process whose DATABASE_URL points at an empty database."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gilde.settings")
    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from gilde import visibility
    from gilde.accounts.models import Member
    from gilde.contacts.models import ContactMoment
    from gilde.demo.generator import build_demo
    from gilde.relations.models import Person, Tag

    call_command("migrate", verbosity=0)
    build_seconds: float | None = None
    if not Person.objects.exists():
        started = time.perf_counter()
        build_demo(size=size, seed=1)
        build_seconds = round(time.perf_counter() - started, 1)
    counts = {
        "persons": Person.objects.count(),
        "members": Member.objects.count(),
        "contact_moments": ContactMoment.objects.count(),
    }
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    else:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")

    rng = random.Random(2)
    member = Member.objects.select_related("user").get(user__username=username)
    client = Client()
    client.force_login(member.user)
    # Pages of what this user may see (a networker does not see every confidential relation).
    person_ids = list(visibility.persons(member.user).values_list("pk", flat=True))
    organisation_ids = list(visibility.organisations(member.user).values_list("pk", flat=True))
    member_ids = list(visibility.members(member.user).values_list("pk", flat=True))
    family = list(Person.objects.values_list("family_name", flat=True)[:5000])
    tags = list(Tag.objects.values_list("name", flat=True))

    def search() -> str:
        name = rng.choice(family)
        return f"/persons/?q={name[: max(3, len(name) - 1)]}"

    pages = {
        "person search": search,
        "filtered person list (tier + tag)": lambda: f"/persons/?tier=B&tag={rng.choice(tags)}",
        "person detail": lambda: f"/persons/{rng.choice(person_ids)}/",
        "organisation detail": lambda: f"/organisations/{rng.choice(organisation_ids)}/",
        "member network": lambda: f"/members/{rng.choice(member_ids)}/",
        "dashboard": lambda: "/",
    }
    results: dict[str, dict[str, float]] = {}
    for name, url in pages.items():
        for _ in range(5):  # warm caches the way a running server has them warm
            client.get(url())
        timings = []
        for _ in range(repeat):
            target = url()
            t0 = time.perf_counter()
            response = client.get(target)
            timings.append((time.perf_counter() - t0) * 1000)
            assert response.status_code == 200, (target, response.status_code)
        results[name] = {
            "p50_ms": round(statistics.median(timings), 1),
            "p95_ms": round(percentile(timings, 0.95), 1),
            "max_ms": round(max(timings), 1),
            "n": repeat,
        }
    return {
        "vendor": connection.vendor,
        "user": f"{username} ({member.get_role_display()})",
        "build_seconds": build_seconds,
        "counts": counts,
        "pages": results,
    }


def _fresh_postgres(reuse: bool) -> str:
    import psycopg

    if reuse:
        return PG_ADMIN_URL.rsplit("/", 1)[0] + "/" + PG_BENCH_DB
    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {PG_BENCH_DB}")
        conn.execute(f"CREATE DATABASE {PG_BENCH_DB}")
    return PG_ADMIN_URL.rsplit("/", 1)[0] + "/" + PG_BENCH_DB


def run_child(
    db: str, size: str, repeat: int, sqlite_dir: str, pg_reuse: bool, username: str
) -> dict[str, object]:
    """Measure in a fresh process; an existing SQLite directory (--sqlite-dir) is measured
    without building it again."""
    env = dict(os.environ)
    tmp = sqlite_dir
    env["GILDE_DATA_DIR"] = tmp
    env["SECRET_KEY"] = "bench-only-secret"  # noqa: S105 - a throwaway database
    env["DATABASE_URL"] = (
        f"sqlite:///{tmp}/bench.sqlite3" if db == "sqlite" else _fresh_postgres(pg_reuse)
    )
    out = subprocess.run(
        [
            sys.executable,
            __file__,
            "--child",
            "--size",
            size,
            "--repeat",
            str(repeat),
            "--users",
            username,
        ],
        env=env,
        capture_output=True,
        text=True,
    )
    if out.returncode != 0:
        sys.exit(f"measuring on {db} failed:\n{out.stderr[-3000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def write_readme_table(report: dict[str, object]) -> str:
    lines = [
        "| page | "
        + " | ".join(f"{r['vendor']}, {r['user']}: p50 / p95 (ms)" for r in report["runs"])
        + " |"
    ]  # type: ignore[index]
    lines.append("|---|" + "---|" * len(report["runs"]))  # type: ignore[arg-type]
    for page in report["runs"][0]["pages"]:  # type: ignore[index]
        cells = [
            f"{r['pages'][page]['p50_ms']} / {r['pages'][page]['p95_ms']}" for r in report["runs"]
        ]  # type: ignore[index]
        lines.append(f"| {page} | " + " | ".join(cells) + " |")
    builds = ", ".join(
        f"{r['vendor']} {r['build_seconds']} s"
        for r in report["runs"]
        if r["build_seconds"]  # type: ignore[index]
    )
    if builds:
        lines.append(f"\nBuilding the network: {builds}.")
    lines.append(
        f"Reference work (machine_speed): {report['machine_speed_ms']} ms before / after; "
        f"load average {report['load_average']}."
    )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--db", nargs="+", default=["sqlite", "postgres"], choices=["sqlite", "postgres"]
    )
    parser.add_argument("--size", default="large")
    parser.add_argument("--repeat", type=int, default=60)
    parser.add_argument("--sqlite-dir", help="reuse the SQLite network built by an earlier run")
    parser.add_argument("--pg-reuse", action="store_true", help="reuse the gilde_bench database")
    parser.add_argument(
        "--users",
        nargs="+",
        default=["beheer", "netwerker"],
        help="demo logins to measure as (network manager, networker)",
    )
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(measure(args.size, args.repeat, args.users[0])))
        return
    sqlite_dir = args.sqlite_dir or tempfile.mkdtemp(prefix="gilde-bench-")
    speed_before, load_before = machine_speed(), os.getloadavg()[0]
    runs = [
        # The network is built by the first user's run; the others measure the same one.
        run_child(db, args.size, args.repeat, sqlite_dir, args.pg_reuse or i > 0, user)
        for db in args.db
        for i, user in enumerate(args.users)
    ]
    report = {
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
        "size": args.size,
        "date": time.strftime("%Y-%m-%d"),
        # Reference work before and after, and the 1-minute load average: see machine_speed.
        "machine_speed_ms": [speed_before, machine_speed()],
        "load_average": [round(load_before, 2), round(os.getloadavg()[0], 2)],
        "runs": runs,
    }
    (HERE / "results.json").write_text(json.dumps(report, indent=2) + "\n")
    print(write_readme_table(report))


if __name__ == "__main__":
    main()
