"""Load the demo network into an empty database and (unless --no-serve) start the web server.

gilde demo [--size small|medium|large] [--kind organisation|network] [--seed N] [--no-serve]
           [--no-worker]

With --kind network the demo is a member network: 60 members with profiles, a year of meetings,
referrals, commitment, applications and shared costs (docs/member-networks.md).

The web server runs with a background worker beside it (imports, erasures, digests).
"""

from __future__ import annotations

import os
import time
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser

from gilde.core.options import bind_address
from gilde.core.worker import worker_start
from gilde.demo.generator import SIZES, build_demo
from gilde.relations.models import Person


class Command(BaseCommand):
    help = "Generate a believable Dutch demo network (deterministic for a seed) and serve it."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--size", choices=list(SIZES), default="medium")
        parser.add_argument(
            "--kind",
            choices=["organisation", "network"],
            default="organisation",
            help="An organisation and its colleagues, or a member network.",
        )
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--no-serve", action="store_true", help="Only load the data.")
        parser.add_argument("--bind", type=bind_address, default="127.0.0.1:8000", help="HOST:PORT")
        parser.add_argument("--no-worker", action="store_true", help="No background worker.")

    def handle(
        self,
        *args: Any,
        size: str,
        kind: str,
        seed: int,
        no_serve: bool,
        bind: str,
        no_worker: bool,
        **options: Any,
    ) -> None:
        call_command("migrate", interactive=False, verbosity=0)
        if Person.objects.exists():
            self.stdout.write("The database already holds a network; loading nothing new.")
        else:
            started = time.monotonic()
            what = "member network" if kind == "network" else f"{size} demo network"
            self.stdout.write(f"Building the {what} (seed {seed})…")
            try:
                build_demo(
                    size=size, seed=seed, kind=kind, report=lambda m: self.stdout.write(f"  {m}")
                )
            except ValueError as exc:
                raise CommandError(str(exc)) from exc
            self.stdout.write(self.style.SUCCESS(f"Done in {time.monotonic() - started:.0f} s."))
        self.stdout.write(
            "Log in with password gilde-demo-2026 as: beheer (network manager), netwerker "
            "(networker), lezer (read-only) or admin (administrator)."
        )
        if not no_serve:
            self.serve(bind, worker=not no_worker)

    def serve(self, bind: str, *, worker: bool = True) -> None:
        # Without DEBUG (a plain `gilde demo`), runserver serves no static files; WhiteNoise
        # serves what is collected, so the styles and htmx are there either way.
        call_command("collectstatic", interactive=False, verbosity=0)
        self.stdout.write(f"Gilde runs at http://{bind}/ — stop with Ctrl+C.")
        # The demo's colleagues have made-up addresses: unless told otherwise, digests go nowhere.
        mail = (
            {}
            if os.environ.get("EMAIL_BACKEND")
            else {"EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend"}
        )
        background = worker_start(1, env=mail) if worker else None
        try:
            call_command("runserver", bind, use_reloader=False)
        finally:
            if background is not None:
                background.stop()
