"""Mailbox and calendar sync against real servers on this machine: Dovecot (IMAP) with a
generated mailbox of 10,000 messages of which 2,000 involve known relations (in threads of
four), and Radicale (CalDAV) with 1,000 meetings (--meetings) of one in five with a known
relation. Times the first sync, then incremental syncs of 100 new messages (and 20 new meetings,
with --new-meetings N also --repeat runs of N new meetings each, 20 changed ones through the
CalDAV sync token, and a run with nothing new). Writes bench/autolog/results.json.

    python bench/autolog/run.py [--messages 10000] [--known 2000] [--repeat 5]
    python bench/autolog/run.py --postgres postgres://postgres@127.0.0.1:5432/gilde_bench_autolog
    python bench/autolog/run.py --calendar-only   # the calendar again, mailbox figures kept
    python bench/autolog/run.py --calendar-only --meetings 10000 --new-meetings 100

The calendar is uploaded to Radicale as one iCalendar file (a PUT of the whole collection, its
import), the sync then reads it over CalDAV. More than about 1,100 meetings are spread over the
past year and the member's window for a new calendar is set to 365 days, so that the first sync
reads them all.

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


def meeting_spread(count: int) -> tuple[dt.timedelta, dt.timedelta, int]:
    """(how far back the first meeting starts, the time between meetings, the start_days the
    first sync needs to read them all). Up to about 1,100 meetings: one every 25 minutes from
    20 days back (the default 30-day window); more: spread over the past year (365 days)."""
    step = dt.timedelta(minutes=25)
    if count * step <= dt.timedelta(days=19):
        return dt.timedelta(days=20), step, 30
    back = dt.timedelta(days=364)
    return back, (back - dt.timedelta(days=1)) / count, 365


def meeting_start(i: int, count: int, now: dt.datetime) -> dt.datetime:
    back, step, _ = meeting_spread(count)
    start = (now - back + step * i).replace(microsecond=0)
    if start + dt.timedelta(hours=1) > now:
        start = now - dt.timedelta(hours=2, minutes=i % 60)
    return start


def calendar_fill(
    radicale: Any, count: int, known: list[str], share: float, now: dt.datetime
) -> Any:
    """One calendar of `count` meetings (every 1/share-th with a known relation), uploaded as
    one iCalendar file with a PUT on the new collection's address: Radicale's import of a whole
    calendar (it stores one item per UID, `bench-<i>.ics`, with its item cache and a sync
    token, as it does for events PUT one at a time, which take about 130 ms each here)."""
    import caldav
    from tests.autolog.servers import PASSWORD

    client = caldav.DAVClient(url=radicale.url, username="jeroen", password=PASSWORD)
    url = client.principal().url.join("bench/")
    every = round(1 / share)
    events = [
        line
        for i in range(count)
        for line in _vevent(
            f"bench-{i}",
            meeting_start(i, count, now),
            known[i % len(known)] if i % every == 0 else f"extern{i}@elders.nl",
        )
    ]
    response = client.put(
        str(url),
        _vcalendar(events),
        {"Content-Type": "text/calendar; charset=utf-8"},
    )
    if response.status not in (200, 201):
        raise RuntimeError(f"Radicale refused the calendar: HTTP {response.status}")
    calendar = client.calendar(url=url)
    assert len(calendar.get_objects_by_sync_token(load_objects=False)) == count
    return calendar


def _vevent(uid: str, start: dt.datetime, attendee: str, extra: str = "") -> list[str]:
    fmt = "%Y%m%dT%H%M%SZ"
    return [
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
    ]


def _vcalendar(events: list[str]) -> str:
    return "\r\n".join(
        [
            "BEGIN:VCALENDAR",
            "VERSION:2.0",
            "PRODID:-//Gilde bench//NL",
            *events,
            "END:VCALENDAR",
            "",
        ]
    )


def _event(uid: str, start: dt.datetime, attendee: str, extra: str = "") -> str:
    return _vcalendar(_vevent(uid, start, attendee, extra))


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

    from gilde.autolog.services import connection_create, settings_update
    from gilde.autolog.sync import connection_sync

    results: dict[str, Any] = {"calendar_date": dt.datetime.now(dt.UTC).date().isoformat()}
    count = args.meetings
    _, _, start_days = meeting_spread(count)
    # The member's window for a new calendar (review inbox on, the default).
    settings_update(actor=member, review=True, keep_body=False, start_days=start_days)
    results["calendar_start_days"] = start_days
    radicale, stop_radicale = start_radicale()
    try:
        started = time.perf_counter()
        fill_now = dt.datetime.now(dt.UTC).replace(microsecond=0)
        calendar = calendar_fill(radicale, count, known, 0.2, fill_now)
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
        if args.new_meetings:
            results.update(measure_new_meetings(args, calendar, cal, known))
        # Twenty of the oldest meetings changed after they took place (an attendee added): the
        # sync token (RFC 6578) reads those twenty, not the calendar.
        for i in range(0, min(count, 400), max(1, min(count, 400) // 20)):
            event = calendar.event_by_url(calendar.url.join(f"bench-{i}.ics"))
            event.data = _event(
                f"bench-{i}",
                meeting_start(i, count, fill_now),
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


def measure_new_meetings(
    args: argparse.Namespace, calendar: Any, cal: Any, known: list[str]
) -> dict[str, Any]:
    """`--repeat` incremental syncs, each after `--new-meetings` new meetings that ended (one in
    five with a known relation), each PUT on its own as a calendar client does."""
    from gilde.autolog.sync import connection_sync

    n = args.new_meetings
    times: list[float] = []
    cpu_times: list[float] = []
    counts: dict[str, int] = {}
    for r in range(args.repeat):
        now = dt.datetime.now(dt.UTC).replace(microsecond=0)
        for i in range(n):
            attendee = known[i % len(known)] if i % 5 == 0 else f"nieuw{r}-{i}@elders.nl"
            start = now - dt.timedelta(hours=2, minutes=i % 50)
            calendar.save_event(_event(f"new-{r}-{i}", start, attendee))
        cal.refresh_from_db()
        started, cpu = time.perf_counter(), time.process_time()
        run = connection_sync(cal)
        times.append(time.perf_counter() - started)
        cpu_times.append(time.process_time() - cpu)
        assert run.counts.get("read") == n, run.counts
        counts = run.counts
    return {
        f"calendar_incremental_{n}_s": {
            "median": round(statistics.median(times), 3),
            "max": round(max(times), 3),
            "n": len(times),
            "cpu_median": round(statistics.median(cpu_times), 3),
        },
        f"calendar_incremental_{n}_counts": counts,
    }


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
    parser.add_argument(
        "--new-meetings",
        type=int,
        default=0,
        help="also time --repeat incremental calendar syncs of this many new meetings each",
    )
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
        # The mailbox figures stay; calendar figures of an earlier run go (they may be rows
        # this run does not measure).
        kept = {
            k: v
            for k, v in json.loads((HERE / "results.json").read_text()).items()
            if not k.startswith("calendar")
        }
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
