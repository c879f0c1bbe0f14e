"""Relationship maintenance on the large demo network (100,000 persons, 1,000,000 contact
moments): full recompute of tie strengths and statuses, the "going cold" page, a member's due
list, the person page with its strength panel, logging one contact moment, and rendering the
weekly digest for 1,000 members. Writes bench/maintenance/results.json.

    python bench/maintenance/run.py --sqlite /path/to/copy-of-large.sqlite3
    python bench/maintenance/run.py --postgres postgres://postgres@127.0.0.1:5432/gilde_bench_maint

The database must already hold the large demo network (`gilde demo --size large --no-serve`);
the script runs `migrate` on it and then writes to it (recompute, one logged contact moment), so
point it at a copy. Pages go through Django's test client against the real views and templates.
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


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))
    return ordered[index]


def summary(times: list[float]) -> dict[str, float]:
    return {
        "n": len(times),
        "p50_ms": round(statistics.median(times) * 1000, 1),
        "p95_ms": round(percentile(times, 0.95) * 1000, 1),
        "max_ms": round(max(times) * 1000, 1),
    }


def timed_get(client: Any, url: str) -> float:
    started = time.perf_counter()
    response = client.get(url)
    elapsed = time.perf_counter() - started
    if response.status_code != 200:
        raise SystemExit(f"{url} answered {response.status_code}")
    return elapsed


def measure(repeat: int, digests: int) -> dict[str, Any]:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.utils import timezone

    from gilde.accounts.models import Member
    from gilde.contacts.models import ContactMoment
    from gilde.contacts.services import contact_moment_log
    from gilde.maintenance import digest, selectors
    from gilde.maintenance.models import RelationCare, TieStrength
    from gilde.maintenance.services import network_recompute
    from gilde.relations.models import Person

    call_command("migrate", verbosity=0)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
    counts = {
        "persons": Person.objects.count(),
        "members": Member.objects.count(),
        "contact_moments": ContactMoment.objects.count(),
    }
    results: dict[str, Any] = {"database": connection.vendor, "counts": counts}

    runs = []
    for _ in range(2):
        started = time.perf_counter()
        outcome = network_recompute()
        runs.append(time.perf_counter() - started)
    results["recompute"] = {
        "seconds": [round(r, 1) for r in runs],
        "ties": TieStrength.objects.count(),
        "relations": RelationCare.objects.count(),
        "what": "tie strengths of every member tie and last contact / best placed colleague of "
        "every relation, from all contact moments (2 runs)",
    }
    print(f"recompute: {runs} s, {outcome}", flush=True)

    rng = random.Random(7)
    manager = Member.objects.select_related("user").get(user__username="beheer")
    client = Client()
    client.force_login(manager.user)
    member_ids = list(Member.objects.values_list("pk", flat=True))
    person_ids = list(Person.objects.values_list("pk", flat=True))

    pages: dict[str, list[float]] = {
        "going_cold": [],
        "going_cold_year": [],
        "member_due_list": [],
        "my_due_list": [],
        "person_page": [],
    }
    for name, url in (
        ("going_cold", "/going-cold/"),
        ("going_cold_year", "/going-cold/?show=year"),
        ("my_due_list", "/due/"),
    ):
        timed_get(client, url)  # warm-up
        for i in range(repeat):
            pages[name].append(
                timed_get(client, url + ("&" if "?" in url else "?") + f"page={1 + i % 3}")
            )
    for _ in range(repeat):
        pages["member_due_list"].append(timed_get(client, f"/due/?member={rng.choice(member_ids)}"))
        pages["person_page"].append(timed_get(client, f"/persons/{rng.choice(person_ids)}/"))
    results["pages"] = {name: summary(times) for name, times in pages.items()}
    due_sizes = [
        len(selectors.due_for_member(user=manager.user, member=m))
        for m in Member.objects.filter(pk__in=rng.sample(member_ids, 20))
    ]
    results["due_list_sizes"] = {"median": statistics.median(due_sizes), "max": max(due_sizes)}
    print(json.dumps(results["pages"], indent=1), flush=True)

    logs = []
    for person_id in rng.sample(person_ids, 20):
        person = Person.objects.get(pk=person_id)
        started = time.perf_counter()
        contact_moment_log(actor=manager, persons=[person], summary="Benchmark call", kind="call")
        logs.append(time.perf_counter() - started)
    results["log_one_contact_moment"] = summary(logs)

    members = list(Member.objects.select_related("user").order_by("pk"))
    started = time.perf_counter()
    nonempty = 0
    today = timezone.localdate()
    for i in range(digests):
        member = members[i % len(members)]
        content = digest.digest_for(member=member, today=today)
        digest.render(content)
        nonempty += not content.is_empty
    seconds = time.perf_counter() - started
    results["digests"] = {
        "rendered": digests,
        "distinct_members": min(digests, len(members)),
        "non_empty": nonempty,
        "seconds": round(seconds, 1),
        "ms_per_digest": round(1000 * seconds / digests, 1),
        "what": "built (queries) and rendered to subject, text and HTML, not sent; members "
        "taken cyclically when the network has fewer than the number asked",
    }
    print(json.dumps(results["digests"]), flush=True)
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    where = parser.add_mutually_exclusive_group(required=True)
    where.add_argument("--sqlite", help="path of a copy of the large demo SQLite database")
    where.add_argument("--postgres", help="DATABASE_URL of a PostgreSQL database with the network")
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--digests", type=int, default=1000)
    args = parser.parse_args()
    url = f"sqlite:///{Path(args.sqlite).resolve()}" if args.sqlite else args.postgres
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gilde.settings")
    data_dir = Path(args.sqlite).resolve().parent if args.sqlite else Path(tempfile.gettempdir())
    os.environ.setdefault("GILDE_DATA_DIR", str(data_dir / "data"))
    load_before = os.getloadavg()
    results = measure(args.repeat, args.digests)
    # The machine is shared: the load average says how much else was running meanwhile.
    results["machine"] = {
        "python": sys.version.split()[0],
        "platform": platform.platform(),
        "cpus": os.cpu_count(),
        "load_average_1min_before_after": [round(load_before[0], 1), round(os.getloadavg()[0], 1)],
    }
    results["targets"] = {"pages_p95_ms": 150, "digests_s": 60, "recompute_s": 60}
    out = HERE / "results.json"
    existing = json.loads(out.read_text()) if out.exists() else {}
    existing[results["database"]] = results
    out.write_text(json.dumps(existing, indent=2) + "\n")
    print(f"written to {out}")


if __name__ == "__main__":
    main()
