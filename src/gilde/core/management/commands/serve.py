"""Run Gilde under gunicorn, the production web server, with a background worker beside it:
`gilde serve --bind 0.0.0.0:8000 --workers 4`. `--no-worker` serves pages only (run
`gilde worker` elsewhere); `--worker-only` runs the worker only."""

from __future__ import annotations

import sys
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser

from gilde.core.options import gunicorn_bind, process_count
from gilde.core.worker import worker_start


class Command(BaseCommand):
    help = "Serve Gilde with gunicorn (static files through WhiteNoise) and run a worker."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--bind", type=gunicorn_bind, default="127.0.0.1:8000", help="HOST:PORT or unix:PATH"
        )
        parser.add_argument(
            "--workers", type=process_count(least=1), default=2, help="web server processes"
        )
        parser.add_argument("--no-collectstatic", action="store_true")
        parser.add_argument(
            "--no-worker",
            action="store_true",
            help="serve pages only; run `gilde worker` elsewhere",
        )
        parser.add_argument(
            "--worker-only",
            action="store_true",
            help="run the background worker only, no web server",
        )
        parser.add_argument(
            "--job-workers",
            type=process_count(least=0),
            default=1,
            help="background worker processes beside the web server (default 1, 0 for none)",
        )

    def handle(
        self,
        *args: Any,
        bind: str,
        workers: int,
        no_collectstatic: bool,
        no_worker: bool,
        worker_only: bool,
        job_workers: int,
        **options: Any,
    ) -> None:
        if no_worker and worker_only:
            raise CommandError("--no-worker and --worker-only exclude each other.")
        if worker_only:
            call_command("worker", processes=max(1, job_workers))
            return
        if not no_collectstatic:
            call_command("collectstatic", interactive=False, verbosity=0)
        from gunicorn.app.wsgiapp import WSGIApplication

        background = None if no_worker or job_workers < 1 else worker_start(job_workers)
        try:
            # gunicorn reads its options from sys.argv when the application is made.
            sys.argv = [
                "gunicorn",
                "gilde.wsgi:application",
                "--bind",
                bind,
                "--workers",
                str(workers),
            ]
            WSGIApplication("%(prog)s [OPTIONS] [APP_MODULE]").run()
        finally:
            if background is not None:
                background.stop()
