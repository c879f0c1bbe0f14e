"""Benchmark: a generated 100,000-row Dutch CSV previewed and committed into a fresh database.

python bench/imports/run.py [--rows 100000] [--runs 3] [--db sqlite postgres]

Each run is a child process with a fresh database (SQLite file in a temporary directory, or the
PostgreSQL database gilde_bench_imports dropped and created again); the preview and commit go
through the same service as the import page. Results: bench/imports/results.json.

Each step is timed with time.perf_counter (wall clock) and time.process_time (CPU seconds of the
Python process; on PostgreSQL the server's work is not in it). The machine is shared, so the load
average (os.getloadavg) before and after every run is recorded with it.
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
ROOT = HERE.parent.parent
PG_ADMIN = "postgres://postgres@127.0.0.1:5432/postgres"
PG_URL = "postgres://postgres@127.0.0.1:5432/gilde_bench_imports"

GIVEN = [
    "Jan",
    "Anna",
    "Pieter",
    "Sanne",
    "Renée",
    "Joëlle",
    "Daan",
    "Eva",
    "Thijs",
    "Fleur",
    "Bram",
    "Lotte",
    "Sem",
    "Noor",
    "Ruud",
    "Inge",
    "Koen",
    "Marieke",
    "Geert",
    "Ilse",
]
TUSSEN = ["", "", "", "van", "de", "van der", "van den", "ter", "'t", "van de", "in 't", "den"]
FAMILY = [
    "Berg",
    "Vries",
    "Jansen",
    "Bakker",
    "Visser",
    "Smit",
    "Meijer",
    "Mulder",
    "Bos",
    "Vos",
    "Dijkstra",
    "Linden",
    "Graaf",
    "Hoek",
    "Brink",
    "Veen",
    "Wit",
    "Heuvel",
    "Kuipers",
    "Dekker",
    "Brouwer",
    "Huisman",
    "Peters",
    "Willems",
    "Hendriks",
]
ORG_WORDS = ["Rijn", "Delta", "Hanze", "Noord", "Kennemer", "Gelre", "Zuid", "Amstel", "Maas"]
ORG_KINDS = ["bouw B.V.", "advies", "zorg", "energie N.V.", "groep", "logistiek", "hogeschool"]
CITIES = [
    "Utrecht",
    "Amsterdam",
    "Den Haag",
    "Rotterdam",
    "Groningen",
    "Zwolle",
    "'s-Hertogenbosch",
]
ROLES = ["Directeur", "Beleidsadviseur", "CFO", "Accountmanager", "Wethouder", "Hoogleraar"]


def make_csv(rows: int, seed: int = 7) -> bytes:
    """Dutch Excel CSV (semicolons, Windows-1252) with tussenvoegsels, e-mails, phones, organisations."""
    rng = random.Random(seed)
    lines = ["Voornaam;Tussenvoegsel;Achternaam;E-mail;Mobiel;Organisatie;Functie;Plaats"]
    for i in range(rows):
        given, tussen, family = rng.choice(GIVEN), rng.choice(TUSSEN), rng.choice(FAMILY)
        org = f"{rng.choice(ORG_WORDS)}{rng.choice(ORG_KINDS)} {rng.randint(1, 600)}"
        email = f"{given[0].lower()}.{family.lower()}{i}@{org.split()[0].lower()}.nl"
        phone = f"06{rng.randint(10_000_000, 99_999_999)}"
        lines.append(
            ";".join(
                [given, tussen, family, email, phone, org, rng.choice(ROLES), rng.choice(CITIES)]
            )
        )
    return ("\r\n".join(lines) + "\r\n").encode("cp1252")


def child(path: str) -> None:
    """One measured run in this process: migrate, preview, commit; prints JSON."""
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    from tests.factories import MemberFactory

    from gilde.accounts.models import Member, Role
    from gilde.imports.services import batch_commit, batch_upload
    from gilde.relations.models import Person, PersonSearchToken

    member: Member = MemberFactory(user__username="bench", role=Role.NETWORK_MANAGER)
    content = Path(path).read_bytes()
    load_before = os.getloadavg()[0]
    started, cpu_started = time.perf_counter(), time.process_time()
    batch = batch_upload(
        actor=member, content=content, file_name="relaties.csv", background_flag=False
    )
    previewed, cpu_previewed = time.perf_counter(), time.process_time()
    batch = batch_commit(actor=member, batch=batch, background_flag=False)
    committed, cpu_committed = time.perf_counter(), time.process_time()
    assert batch.status == "committed", batch.error_message
    print(
        json.dumps(
            {
                "preview_s": round(previewed - started, 2),
                "commit_s": round(committed - previewed, 2),
                "total_s": round(committed - started, 2),
                "preview_cpu_s": round(cpu_previewed - cpu_started, 2),
                "commit_cpu_s": round(cpu_committed - cpu_previewed, 2),
                "total_cpu_s": round(cpu_committed - cpu_started, 2),
                "load_before": round(load_before, 2),
                "load_after": round(os.getloadavg()[0], 2),
                "persons": Person.objects.count(),
                "new": batch.new_count,
                "rejected": batch.rejected_count,
                "search_tokens": PersonSearchToken.objects.count(),
            }
        )
    )


def _pg_reset() -> None:
    import psycopg

    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute("DROP DATABASE IF EXISTS gilde_bench_imports")
        conn.execute("CREATE DATABASE gilde_bench_imports")


def measure(db: str, path: Path) -> dict[str, object]:
    with tempfile.TemporaryDirectory(prefix="gilde-bench-imports-") as data_dir:
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "gilde.settings",
            "GILDE_DATA_DIR": data_dir,
            "SECRET_KEY": "bench",
            "PYTHONPATH": str(ROOT),
        }
        if db == "postgres":
            _pg_reset()
            env["DATABASE_URL"] = PG_URL
        else:
            env.pop("DATABASE_URL", None)
        result = subprocess.run(
            [sys.executable, __file__, "--child", str(path)],
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        if result.returncode:
            raise SystemExit(result.stderr[-3000:])
        return json.loads(result.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--db", nargs="+", default=["sqlite", "postgres"])
    parser.add_argument("--child")
    parser.add_argument("--out", default=str(HERE / "results.json"))
    args = parser.parse_args()
    if args.child:
        child(args.child)
        return
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "relaties.csv"
        path.write_bytes(make_csv(args.rows))
        size = path.stat().st_size
        results: dict[str, object] = {}
        for db in args.db:
            runs = []
            for run in range(args.runs):
                runs.append(measure(db, path))
                print(db, run + 1, runs[-1], flush=True)
            results[db] = {"runs": runs} | {
                f"median_{key}": statistics.median(r[key] for r in runs)
                for key in (
                    "preview_s",
                    "commit_s",
                    "total_s",
                    "preview_cpu_s",
                    "commit_cpu_s",
                    "total_cpu_s",
                )
            }
    out = {
        "benchmark": "import preview + commit of a generated Dutch CSV into a fresh database",
        "rows": args.rows,
        "file_bytes": size,
        "target_total_s": 60,
        "machine": f"{platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}",
        "measured_at": time.strftime("%Y-%m-%d %H:%M"),
        "timing": "wall: time.perf_counter; cpu: time.process_time of the Python process (the "
        "PostgreSQL server's work is not in it); load: 1-minute load average",
        "results": results,
    }
    Path(args.out).write_text(json.dumps(out, indent=2) + "\n")
    print(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()
