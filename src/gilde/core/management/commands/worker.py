"""gilde worker [--processes N] [--burst] [--no-schedule]: run background jobs.

Takes jobs off the task queue (the database, or Redis when GILDE_TASKS_BACKEND is a redis://
URL) and runs them, one at a time per process; keeps the schedule (GILDE_SCHEDULE_*) and takes
up jobs whose worker died. `gilde serve` starts one beside the web server; larger installs
run `gilde serve --no-worker` and as many `gilde worker` processes, on as many machines, as
they need. Stop with Ctrl+C or SIGTERM: the job in hand is finished first."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from gilde.core.options import process_count
from gilde.core.worker import worker_run, worker_start


class Command(BaseCommand):
    help = "Run background jobs from the task queue, and the schedule."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--processes",
            type=process_count(least=1),
            default=1,
            help="worker processes to run (default 1)",
        )
        parser.add_argument(
            "--burst", action="store_true", help="run the jobs waiting now, then stop"
        )
        parser.add_argument(
            "--no-schedule",
            action="store_true",
            help="run jobs only: no schedule, no recovery of interrupted jobs",
        )

    def handle(
        self, *args: Any, processes: int, burst: bool, no_schedule: bool, **options: Any
    ) -> None:
        others = worker_start(processes - 1) if processes > 1 and not burst else None
        if options["verbosity"] > 0:
            self.stdout.write(f"Gilde worker running ({processes} process(es)); stop with Ctrl+C.")
        try:
            worker_run(burst=burst, schedule=not no_schedule)
        finally:
            if others is not None:
                others.stop()
