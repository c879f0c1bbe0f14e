"""Run Gilde under gunicorn, the production web server: `gilde serve --bind 0.0.0.0:8000 --workers 4`."""

from __future__ import annotations

from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = "Serve Gilde with gunicorn (static files through WhiteNoise)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--bind", default="127.0.0.1:8000")
        parser.add_argument("--workers", type=int, default=2)
        parser.add_argument("--no-collectstatic", action="store_true")

    def handle(
        self, *args: Any, bind: str, workers: int, no_collectstatic: bool, **options: Any
    ) -> None:
        if not no_collectstatic:
            call_command("collectstatic", interactive=False, verbosity=0)
        import sys

        from gunicorn.app.wsgiapp import WSGIApplication

        # gunicorn reads its options from sys.argv when the application is made.
        sys.argv = ["gunicorn", "gilde.wsgi:application", "--bind", bind, "--workers", str(workers)]
        WSGIApplication("%(prog)s [OPTIONS] [APP_MODULE]").run()
