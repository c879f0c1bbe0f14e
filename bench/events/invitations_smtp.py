"""1,000 invitations through a real SMTP server on localhost (aiosmtpd), sent by a real
`gilde worker` process that is killed (SIGKILL) part-way and started again. Measures the time
from queueing to the last message received and checks that every guest got exactly one
invitation (Message-IDs counted at the server). Writes bench/events/invitations_results.json.

    python bench/events/invitations_smtp.py                      # a new SQLite file
    python bench/events/invitations_smtp.py --postgres postgres://postgres@127.0.0.1:5432/gilde_bench_evi

The PostgreSQL database is emptied (flush) and migrated first: give it one of its own.

The kill comes the moment the server has counted message N (--kill-after): the worst moment,
when the worker has handed a message over but not yet heard the server's "accepted". That
message is then "perhaps sent" and is not sent again by itself (see gilde.events.invitations);
here it had arrived, so every guest has exactly one invitation.
"""

from __future__ import annotations

import argparse
import collections
import datetime as dt
import json
import os
import platform
import re
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
GUESTS = 1000
MESSAGE_ID = re.compile(rb"^Message-ID:\s*(<[^>]+>)", re.MULTILINE | re.IGNORECASE)


class Inbox:
    def __init__(self) -> None:
        self.ids: collections.Counter[str] = collections.Counter()
        self.lock = threading.Lock()
        self.last_at = 0.0

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        # The Message-ID header only: parsing whole messages here would take the machine's
        # time from the worker being measured.
        found = MESSAGE_ID.search(envelope.content)
        with self.lock:
            self.ids[found.group(1).decode() if found else "?"] += 1
            self.last_at = time.perf_counter()
        return "250 OK"

    @property
    def received(self) -> int:
        with self.lock:
            return sum(self.ids.values())


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--postgres", default="")
    parser.add_argument("--kill-after", type=int, default=300, help="messages before the kill")
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="gilde-bench-evi-"))
    port = free_port()
    env = {
        "DJANGO_SETTINGS_MODULE": "gilde.settings",
        "SECRET_KEY": "bench-secret-key",
        "GILDE_DATA_DIR": str(workdir),
        "DATABASE_URL": args.postgres or f"sqlite:///{workdir / 'bench.sqlite3'}",
        "GILDE_TASKS_BACKEND": "database",
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(port),
        "GILDE_SCHEDULE_DIGEST": "",
        "GILDE_SCHEDULE_RECOMPUTE": "",
        "GILDE_SCHEDULE_HOUSEKEEPING": "",
        "GILDE_SCHEDULE_EVENT_REMINDERS": "",
    }
    os.environ.update(env)
    sys.path.insert(0, str(REPO / "src"))
    import django

    django.setup()
    from aiosmtpd.controller import Controller
    from django.core.management import call_command
    from django.utils import timezone

    from gilde.accounts.models import Role
    from gilde.accounts.services import member_create
    from gilde.events import invitations, services
    from gilde.events.models import EventMail, EventMailStatus, EventStatus, Guest
    from gilde.relations.models import EmailAddress, Person

    call_command("migrate", verbosity=0)
    if args.postgres:
        call_command("flush", interactive=False, verbosity=0)
    member = member_create(
        username="bench",
        password=None,
        email="bench@example.org",
        first_name="Bench",
        role=Role.NETWORK_MANAGER,
    )
    start = timezone.now() + dt.timedelta(days=14)
    event = services.event_create(
        member=member,
        title="Bench",
        starts_at=start,
        ends_at=start + dt.timedelta(hours=3),
        status=EventStatus.PUBLISHED,
        venue="Loods 6",
    )
    persons = Person.objects.bulk_create(
        [
            Person(
                given_name="Gast",
                family_name=f"Nummer{i:04d}",
                sort_name=f"nummer{i:04d}",
                language="en" if i % 4 == 0 else "nl",
            )
            for i in range(GUESTS)
        ]
    )
    EmailAddress.objects.bulk_create(
        [EmailAddress(person=p, address=f"gast{i}@example.org") for i, p in enumerate(persons)]
    )
    Guest.objects.bulk_create([Guest(event=event, person=p, added_by=member) for p in persons])

    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    worker_env = {**os.environ, "PYTHONPATH": str(REPO / "src")}

    def worker() -> subprocess.Popen[bytes]:
        return subprocess.Popen(
            [sys.executable, "-m", "gilde", "worker", "--verbosity", "0"], env=worker_env, cwd=REPO
        )

    first = worker()
    try:
        time.sleep(3)  # the worker is up and polling
        started = time.perf_counter()
        result = invitations.invitations_send(member=member, event=event)
        assert result.queued == GUESTS, result
        while inbox.received < args.kill_after:
            if time.perf_counter() - started > 300:
                raise SystemExit("the worker did not send")
            time.sleep(0.01)
    except BaseException:
        first.kill()
        controller.stop()
        raise
    first.send_signal(signal.SIGKILL)
    first.wait()
    killed_at, killed_time = inbox.received, time.perf_counter()
    time.sleep(0.5)
    second = worker()
    restarted_at = time.perf_counter()
    try:
        done = [EventMailStatus.SENT, EventMailStatus.UNCERTAIN]
        while EventMail.objects.filter(status__in=done).count() < GUESTS:
            if time.perf_counter() - started > 300:
                raise SystemExit("not all sent within 300 s")
            time.sleep(0.2)
        elapsed = inbox.last_at - started
    finally:
        second.send_signal(signal.SIGTERM)
        second.wait(30)
        controller.stop()
    duplicates = sum(1 for n in inbox.ids.values() if n > 1)
    uncertain = EventMail.objects.filter(status=EventMailStatus.UNCERTAIN).count()
    figures = {
        "invitations": GUESTS,
        "seconds_to_last_received": round(elapsed, 1),
        "received": inbox.received,
        "distinct_message_ids": len(inbox.ids),
        "sent_twice": duplicates,
        "received_when_killed": killed_at,
        "perhaps_sent_after_kill": uncertain,
        "seconds_kill_to_restart": round(restarted_at - killed_time, 1),
        "database": "postgresql" if args.postgres else "sqlite",
        "target": "under 60 s, none sent twice",
        "passed": elapsed < 60 and duplicates == 0 and len(inbox.ids) == GUESTS,
        "load_average_1m": round(os.getloadavg()[0], 1),
        "machine": {
            "python": platform.python_version(),
            "cpus": os.cpu_count(),
            "platform": platform.platform(),
        },
        "measured_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
    }
    out = HERE / "invitations_results.json"
    previous = json.loads(out.read_text()) if out.exists() else {}
    previous[figures["database"]] = figures
    out.write_text(json.dumps(previous, indent=2) + "\n")
    print(json.dumps(figures, indent=2))


if __name__ == "__main__":
    main()
