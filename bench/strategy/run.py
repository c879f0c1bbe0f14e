"""Strategy at scale: the coverage heatmap and a theme's page (p50/p95 through Django's test
client, as a network manager and as a networker), the ranked tier review of every relation
(tier_review_start, as the worker runs it) and the quarterly report with its PDF (as the worker
draws it up). Writes bench/strategy/results.json.

    python bench/strategy/run.py --sqlite /path/to/copy-of-large-demo.sqlite3
    python bench/strategy/run.py --sqlite /path/to/copy-of-demo.sqlite3 --persons 100000

The database must hold a demo network (`gilde demo --size small|medium|large --no-serve`), which
has the strategy's goals, themes and links; the large one is the measure of the targets. With
--persons the network is padded to that many relations first (registered long ago, with tiers,
theme links and contact history drawn at random, but no ties or stakeholder types), so the tier
review is measured at that size; the script writes to the database, so point it at a copy.

The network graph that a theme's gap candidates come from is built first, as the worker keeps
it (`network.graph`); its build time is reported beside the page figures. The first request of
each user is a warm-up (it also makes the networker's visible graph, once per process).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import statistics
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent


def summary(times: list[float]) -> dict[str, float]:
    ordered = sorted(times)
    return {
        "n": len(times),
        "p50_ms": round(statistics.median(times) * 1000, 1),
        "p95_ms": round(ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))] * 1000, 1),
        "max_ms": round(max(times) * 1000, 1),
    }


def pad(persons: int) -> int:
    """Add synthetic relations up to `persons`, with tiers, links and contact history."""
    import datetime as dt

    from django.db import transaction
    from django.utils import timezone

    from gilde.contacts.models import ContactMoment
    from gilde.relations.models import Person, Tier
    from gilde.strategy.models import Theme, ThemeLink

    missing = persons - Person.objects.count()
    if missing <= 0:
        return 0
    rng = random.Random(3)
    tiers = list(Tier.objects.values_list("pk", flat=True))
    themes = list(Theme.objects.values_list("pk", flat=True))
    moments = list(ContactMoment.objects.values_list("pk", flat=True)[:20000])
    old = timezone.now() - dt.timedelta(days=900)
    with transaction.atomic():
        made = Person.objects.bulk_create(
            [
                Person(
                    family_name=f"Bench{i}",
                    sort_name=f"bench{i:07d}",
                    created_at=old,
                    tier_id=rng.choices(tiers, (10, 35, 15, 40))[0],
                )
                for i in range(missing)
            ],
            batch_size=5000,
        )
        ids = [p.pk for p in made]
        Person.objects.filter(pk__in=ids[:50000]).update(created_at=old)
        Person.objects.filter(pk__in=ids[50000:]).update(created_at=old)
        ThemeLink.objects.bulk_create(
            [
                ThemeLink(
                    theme_id=rng.choice(themes),
                    person_id=pid,
                    role="expert",
                    importance=rng.randint(1, 3),
                )
                for pid in rng.sample(ids, len(ids) // 20)
            ],
            batch_size=5000,
            ignore_conflicts=True,
        )
        through = ContactMoment.persons.through
        through.objects.bulk_create(
            [
                through(contactmoment_id=rng.choice(moments), person_id=pid)
                for pid in rng.sample(ids, len(ids) // 3)
                for _ in range(rng.randint(1, 4))
            ],
            batch_size=5000,
            ignore_conflicts=True,
        )
    return missing


def measure(repeat: int, persons: int | None) -> dict[str, Any]:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    from gilde.accounts.models import Member, Role
    from gilde.maintenance.review import tier_review_start
    from gilde.network.loader import network_graph_build
    from gilde.relations.models import Person, Tie
    from gilde.strategy.models import Theme, ThemeLink

    call_command("migrate", verbosity=0)
    padded = pad(persons) if persons else 0
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
    results: dict[str, Any] = {
        "database": connection.vendor,
        "padded_persons": padded,
        "counts": {
            "persons": Person.objects.count(),
            "ties": Tie.objects.count(),
            "themes": Theme.objects.count(),
            "theme_links": ThemeLink.objects.count(),
        },
        "load_average_before": list(os.getloadavg()),
    }
    started = time.perf_counter()
    network_graph_build()
    results["network_graph_build_seconds"] = round(time.perf_counter() - started, 2)
    theme = Theme.objects.annotate(n=django.db.models.Count("links")).order_by("-n").first()
    assert theme is not None, "the database has no strategy themes: build it with `gilde demo`"
    results["theme_links_on_page"] = theme.links.count()
    for role in (Role.NETWORK_MANAGER, Role.NETWORKER):
        member = Member.objects.filter(role=role).order_by("pk").first()
        client = Client()
        client.force_login(member.user)
        for name, url in (
            ("heatmap", reverse("strategy:heatmap")),
            ("theme_page", reverse("strategy:theme", args=[theme.pk])),
        ):
            client.get(url)  # warm
            times, cpu = [], []
            for _ in range(repeat):
                started, started_cpu = time.perf_counter(), time.process_time()
                response = client.get(url)
                times.append(time.perf_counter() - started)
                cpu.append(time.process_time() - started_cpu)
                assert response.status_code == 200, (url, response.status_code)
            # Wall time, and this process's CPU time (SQLite runs in it): on a machine loaded
            # by other work the wall time waits for a core, the CPU time much less so.
            results[f"{name}_{role}"] = summary(times) | {
                f"cpu_{key}": value for key, value in summary(cpu).items() if key != "n"
            }
    manager = Member.objects.filter(role=Role.NETWORK_MANAGER).order_by("pk").first()
    started = time.perf_counter()
    review = tier_review_start(actor=manager)
    results["tier_review"] = {
        "seconds": round(time.perf_counter() - started, 2),
        "suggestions": review.suggestions.count(),
        "persons": Person.objects.count(),
    }
    # The quarterly report as the worker draws it up: its figures and the PDF, for the last
    # completed quarter.
    from django.utils import timezone

    from gilde.strategy.models import Report
    from gilde.strategy.report import report_draw_up

    today = timezone.localdate()
    year, quarter = today.year, (today.month - 1) // 3 + 1
    year, quarter = (year - 1, 4) if quarter == 1 else (year, quarter - 1)
    report = Report.objects.create(year=year, quarter=quarter, created_by=manager)
    started = time.perf_counter()
    report = report_draw_up(report)
    results["quarterly_report"] = {
        "seconds": round(time.perf_counter() - started, 2),
        "pdf_bytes": len(report.pdf or b""),
    }
    results["load_average_after"] = list(os.getloadavg())
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sqlite", help="path to a copy of a demo SQLite database")
    parser.add_argument("--postgres", help="postgres:// URL of a copy of a demo database")
    parser.add_argument("--persons", type=int, help="pad the network to this many relations")
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--out", type=Path, default=HERE / "results.json")
    args = parser.parse_args()
    if not (args.sqlite or args.postgres):
        parser.error("give --sqlite or --postgres")
    os.environ["DATABASE_URL"] = args.postgres or f"sqlite:///{Path(args.sqlite).resolve()}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gilde.settings")
    os.environ.setdefault("GILDE_SECRET_KEY", "bench")
    sys.path.insert(0, str(HERE.parents[1] / "src"))
    results = measure(args.repeat, args.persons)
    results["machine"] = {
        "python": platform.python_version(),
        "platform": platform.platform(),
        "cpus": os.cpu_count(),
    }
    out = args.out
    out.write_text(json.dumps(results, indent=2) + "\n")
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
