"""Mailbox and calendar sync against real servers on this machine: Dovecot (IMAP) with a
generated mailbox of 10,000 messages of which 2,000 involve known relations (in threads of
four), and Radicale (CalDAV) with 1,000 meetings of which 200 with known relations. Times the
first sync, then incremental syncs of 100 new messages (and 20 new meetings, 20 changed ones
through the CalDAV sync token, and a run with nothing new). Writes
bench/autolog/results.json.

    python bench/autolog/run.py [--messages 10000] [--known 2000] [--repeat 5]
    python bench/autolog/run.py --postgres postgres://postgres@127.0.0.1:5432/gilde_bench_autolog
    python bench/autolog/run.py --calendar-only   # the calendar again, mailbox figures kept

Needs Dovecot (`apt-get install -y dovecot-imapd`) and Radicale (in the test extras). The
database is a fresh SQLite file in a temporary folder unless --postgres names one (emptied)."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
sys.path.insert(0, str(ROOT))
USER = "bench@ons-bureau.nl"


def machine_speed_ms() -> float:
    """A fixed piece of plain-Python work, to compare figures between machines."""
    started = time.perf_counter()
    total = 0
    for i in range(2_000_000):
        total += i % 7
    return round((time.perf_counter() - started) * 1000, 1)


def message(i: int, *, known: list[str], when: dt.datetime, thread: dict[int, str]) -> bytes:
    """Message i: every fifth involves a known relation (threads of four), the rest strangers,
    newsletters and colleagues."""
    msg = EmailMessage()
    if known:
        group = i // 4
        relation = known[group % len(known)]
        msg["From"] = relation if i % 2 else USER
        msg["To"] = USER if i % 2 else relation
        msg["Subject"] = ("RE: " if i % 4 else "") + f"Offerte {group}"
        msg["Message-ID"] = make_msgid(domain="bench.example.nl")
        if i % 4 and group in thread:
            msg["References"] = thread[group]
        else:
            thread[group] = msg["Message-ID"]
    else:
        msg["From"] = f"onbekend{i}@elders{i % 300}.nl"
        msg["To"] = USER
        msg["Subject"] = f"Bericht {i}"
        msg["Message-ID"] = make_msgid(domain="bench.example.nl")
        if i % 10 == 0:
            msg["List-Id"] = "<nieuws.winkel.nl>"
    msg["Date"] = format_datetime(when)
    msg.set_content("Tekst die Gilde nooit leest.\n" * 20)
    return msg.as_bytes()


def maildir_fill(root: Path, count: int, known: list[str], share: float) -> None:
    """Write the mailbox straight into Dovecot's maildir (as delivery would): INBOX and Sent."""
    rng = random.Random(7)
    now = dt.datetime.now(dt.UTC)
    thread: dict[int, str] = {}
    base = root / "mail" / USER
    folders = {"INBOX": base, "Sent": base / ".Sent"}
    for folder in folders.values():
        for sub in ("cur", "new", "tmp"):
            (folder / sub).mkdir(parents=True, exist_ok=True)
    known_every = round(1 / share) if share else 0
    k = 0
    for i in range(count):
        with_known = bool(known_every) and i % known_every == 0
        when = now - dt.timedelta(days=20) + dt.timedelta(minutes=i * 2)
        raw = message(
            k if with_known else i, known=known if with_known else [], when=when, thread=thread
        )
        if with_known:
            k += 1
        folder = folders["Sent"] if with_known and k % 2 == 0 else folders["INBOX"]
        (folder / "new" / f"{int(when.timestamp())}.M{i}P{rng.randrange(10**6)}.bench").write_bytes(
            raw
        )
    subprocess.run(["chown", "-R", "nobody:nogroup", str(root / "mail")], check=True)


def calendar_fill(radicale: Any, count: int, known: list[str], share: float) -> Any:
    import caldav
    from tests.autolog.servers import PASSWORD

    client = caldav.DAVClient(url=radicale.url, username="jeroen", password=PASSWORD)
    calendar = client.principal().make_calendar(name="bench")
    now = dt.datetime.now(dt.UTC).replace(microsecond=0)
    every = round(1 / share)
    for i in range(count):
        start = now - dt.timedelta(days=20) + dt.timedelta(minutes=i * 25)
        if start + dt.timedelta(hours=1) > now:
            start = now - dt.timedelta(hours=2, minutes=i % 60)
        calendar.save_event(
            _event(
                f"bench-{i}",
                start,
                known[i % len(known)] if i % every == 0 else f"extern{i}@elders.nl",
            )
        )
    return calendar


def _event(uid: str, start: dt.datetime, attendee: str, extra: str = "") -> str:
    fmt = "%Y%m%dT%H%M%SZ"
    return "\r\n".join(
        [
            "BEGIN:VCALENDAR",
            "VERSION:2.0",
            "PRODID:-//Gilde bench//NL",
            "BEGIN:VEVENT",
            f"UID:{uid}",
            f"DTSTAMP:{start.strftime(fmt)}",
            f"DTSTART:{start.strftime(fmt)}",
            f"DTEND:{(start + dt.timedelta(hours=1)).strftime(fmt)}",
            "SUMMARY:Overleg",
            f"ORGANIZER:mailto:{USER}",
            f"ATTENDEE;PARTSTAT=ACCEPTED:mailto:{attendee}",
            *([f"ATTENDEE;PARTSTAT=ACCEPTED:mailto:{extra}"] if extra else []),
            "END:VEVENT",
            "END:VCALENDAR",
            "",
        ]
    )


def measure(args: argparse.Namespace) -> dict[str, Any]:
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from tests.autolog.servers import PASSWORD
    from tests.factories import MemberFactory

    from gilde.accounts.models import Member
    from gilde.autolog.models import Connection, Entry
    from gilde.autolog.services import connection_create, settings_update
    from gilde.autolog.sync import connection_sync
    from gilde.contacts.models import ContactMoment
    from gilde.relations.models import EmailAddress, Person

    relations = args.known // 4  # threads of four messages, one relation each
    persons = Person.objects.bulk_create(
        Person(given_name="Rel", family_name=f"Atie{i}", sort_name=f"atie{i}")
        for i in range(relations)
    )
    EmailAddress.objects.bulk_create(
        EmailAddress(person=p, address=f"relatie{i}@klant{i % 97}.nl")
        for i, p in enumerate(persons)
    )
    known = [f"relatie{i}@klant{i % 97}.nl" for i in range(relations)]
    member: Member = MemberFactory(user__email=USER, user__username="bench")
    results: dict[str, Any] = {}

    # ---- mailbox
    if args.calendar_only:
        return {**results, **measure_calendar(args, member, known)}
    dovecot, stop_dovecot = start_dovecot()
    try:
        maildir_fill(dovecot.root, args.messages, known, args.known / args.messages)
        connection = connection_create(
            actor=member, kind="imap", server=dovecot.url, username=USER, secret=PASSWORD
        )
        started, cpu = time.perf_counter(), time.process_time()
        run = connection_sync(connection)
        first = time.perf_counter() - started
        results["mailbox_first_sync_s"] = round(first, 2)
        # Gilde's own CPU time; the rest of the wall time is the server (Dovecot indexes the
        # mailbox on its first read) and, on a busy machine, waiting for a core.
        results["mailbox_first_sync_cpu_s"] = round(time.process_time() - cpu, 2)
        results["mailbox_first_sync_counts"] = run.counts
        results["mailbox_entries"] = Entry.objects.filter(member=member).count()
        client = dovecot.client(USER)
        incremental: list[float] = []
        incremental_cpu: list[float] = []
        thread: dict[int, str] = {}
        for r in range(args.repeat):
            base = args.messages + r * 100
            now = dt.datetime.now(dt.UTC)
            for i in range(100):
                raw = message(base + i, known=known if i % 5 == 0 else [], when=now, thread=thread)
                client.append("INBOX", None, None, raw)
            connection.refresh_from_db()
            started, cpu = time.perf_counter(), time.process_time()
            run = connection_sync(connection)
            incremental.append(time.perf_counter() - started)
            incremental_cpu.append(time.process_time() - cpu)
            assert run.counts.get("read") == 100, run.counts
        client.logout()
        results["mailbox_incremental_100_s"] = {
            "median": round(statistics.median(incremental), 3),
            "max": round(max(incremental), 3),
            "n": len(incremental),
            "cpu_median": round(statistics.median(incremental_cpu), 3),
        }
        # The same first sync logging directly (each thread a contact moment through care).
        direct: Member = MemberFactory(user__email="direct@ons-bureau.nl", user__username="d")
        settings_update(actor=direct, review=False, keep_body=False, start_days=30)
        second = Connection.objects.create(
            member=direct, kind="imap", server=dovecot.url, username=USER, secret=connection.secret
        )
        started, cpu = time.perf_counter(), time.process_time()
        connection_sync(second)
        results["mailbox_first_sync_direct_s"] = round(time.perf_counter() - started, 2)
        results["mailbox_first_sync_direct_cpu_s"] = round(time.process_time() - cpu, 2)
        results["moments_logged_direct"] = ContactMoment.objects.count()
    finally:
        stop_dovecot()
    return {**results, **measure_calendar(args, member, known)}


def measure_calendar(args: argparse.Namespace, member: Any, known: list[str]) -> dict[str, Any]:
    from tests.autolog.servers import PASSWORD

    from gilde.autolog.services import connection_create
    from gilde.autolog.sync import connection_sync

    results: dict[str, Any] = {"calendar_date": dt.datetime.now(dt.UTC).date().isoformat()}
    radicale, stop_radicale = start_radicale()
    try:
        started = time.perf_counter()
        calendar = calendar_fill(radicale, args.meetings, known, 0.2)
        results["calendar_fill_s"] = round(time.perf_counter() - started, 1)
        cal = connection_create(
            actor=member,
            kind="caldav",
            server=str(calendar.url),
            username="jeroen",
            secret=PASSWORD,
        )
        started, cpu = time.perf_counter(), time.process_time()
        run = connection_sync(cal)
        results["calendar_first_sync_s"] = round(time.perf_counter() - started, 2)
        results["calendar_first_sync_cpu_s"] = round(time.process_time() - cpu, 2)
        results["calendar_first_sync_counts"] = run.counts
        now = dt.datetime.now(dt.UTC).replace(microsecond=0)
        for i in range(20):
            calendar.save_event(_event(f"new-{i}", now - dt.timedelta(hours=2), known[i]))
        cal.refresh_from_db()
        started = time.perf_counter()
        run = connection_sync(cal)
        results["calendar_incremental_20_s"] = round(time.perf_counter() - started, 3)
        results["calendar_incremental_counts"] = run.counts
        # Twenty meetings of last week changed after they took place (an attendee added): the
        # sync token (RFC 6578) reads those twenty, not the calendar.
        for i in range(0, 400, 20):
            event = calendar.event_by_uid(f"bench-{i}")
            event.data = _event(
                f"bench-{i}",
                now - dt.timedelta(days=20) + dt.timedelta(minutes=i * 25),
                known[i % len(known)],
                extra=known[(i + 1) % len(known)],
            )
            event.save()
        cal.refresh_from_db()
        started = time.perf_counter()
        run = connection_sync(cal)
        results["calendar_changed_20_s"] = round(time.perf_counter() - started, 3)
        results["calendar_changed_counts"] = run.counts
        cal.refresh_from_db()
        started = time.perf_counter()
        run = connection_sync(cal)
        results["calendar_nothing_new_s"] = round(time.perf_counter() - started, 3)
        results["calendar_nothing_new_counts"] = run.counts
    finally:
        stop_radicale()
    return results


def start_dovecot() -> tuple[Any, Any]:
    from tests.autolog.servers import DOVECOT, DOVECOT_CONF, PASSWORD, Dovecot, _wait_for, free_port

    root = Path(tempfile.mkdtemp(prefix="gilde-bench-dovecot-"))
    root.chmod(0o755)
    for name in ("mail", "home"):
        (root / name).mkdir()
        (root / name).chmod(0o1777)
    port = free_port()
    (root / "dovecot.conf").write_text(DOVECOT_CONF.format(root=root, port=port, password=PASSWORD))
    process = subprocess.Popen([DOVECOT, "-F", "-c", str(root / "dovecot.conf")])
    _wait_for(port, process, root / "dovecot.log")

    def stop() -> None:
        process.terminate()
        process.wait(10)
        shutil.rmtree(root, ignore_errors=True)

    return Dovecot(root, port), stop


def start_radicale() -> tuple[Any, Any]:
    from tests.autolog.servers import PASSWORD, Radicale, _wait_for, free_port

    root = Path(tempfile.mkdtemp(prefix="gilde-bench-radicale-"))
    (root / "users").write_text(f"jeroen:{PASSWORD}\n")
    port = free_port()
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "radicale",
            "--server-hosts",
            f"127.0.0.1:{port}",
            "--storage-filesystem-folder",
            str(root / "data"),
            "--auth-type",
            "htpasswd",
            "--auth-htpasswd-filename",
            str(root / "users"),
            "--auth-htpasswd-encryption",
            "plain",
            "--logging-level",
            "warning",
        ],
    )
    _wait_for(port, process, root / "none")

    def stop() -> None:
        process.terminate()
        process.wait(10)
        shutil.rmtree(root, ignore_errors=True)

    return Radicale(port), stop


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--messages", type=int, default=10_000)
    parser.add_argument("--known", type=int, default=2_000)
    parser.add_argument("--meetings", type=int, default=1_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--postgres", default="")
    parser.add_argument(
        "--calendar-only",
        action="store_true",
        help="measure the calendar again; the mailbox figures in results.json stay",
    )
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="gilde-bench-autolog-"))
    os.environ["DATABASE_URL"] = args.postgres or f"sqlite:///{folder / 'bench.sqlite3'}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gilde.settings")
    os.environ.setdefault("EMAIL_BACKEND", "django.core.mail.backends.locmem.EmailBackend")
    speed_before = machine_speed_ms()
    load_before = os.getloadavg()[0]
    figures = measure(args)
    output = {
        "date": dt.datetime.now(dt.UTC).date().isoformat(),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
        "database": "postgresql" if args.postgres else "sqlite",
        "messages": args.messages,
        "messages_with_known_relations": args.known,
        "meetings": args.meetings,
        "machine_speed_ms": [speed_before, machine_speed_ms()],
        "load_average": [round(load_before, 2), round(os.getloadavg()[0], 2)],
        **figures,
    }
    if args.calendar_only:
        kept = json.loads((HERE / "results.json").read_text())
        output = {
            **kept,
            **{k: v for k, v in output.items() if k.startswith("calendar") or k == "meetings"},
            "calendar_machine_speed_ms": output["machine_speed_ms"],
            "calendar_load_average": output["load_average"],
        }
    (HERE / "results.json").write_text(json.dumps(output, indent=2) + "\n")
    print(json.dumps(output, indent=2))
    shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
