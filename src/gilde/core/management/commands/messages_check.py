"""Fail when a Dutch user would meet English: `gilde messages_check` reads every Dutch catalog
for untranslated and fuzzy messages; with `--extract` it first collects the messages from the
code and templates again (into a copy of the source, the tree itself is left alone), so a string
wrapped in gettext but never added to a catalog fails too. Runs in `make test`."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser

from gilde.core.translations import problems


class Command(BaseCommand):
    help = "Check that every message has a Dutch translation and none is fuzzy."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--extract",
            action="store_true",
            help="collect the messages from code and templates first",
        )

    def handle(self, *args: Any, extract: bool, **options: Any) -> None:
        source = Path(settings.BASE_DIR)
        catalogs = self.catalogs(source, source)
        if not extract:
            self.report(problems(catalogs), len(catalogs))
            return
        with tempfile.TemporaryDirectory() as tmp:
            copy = Path(tmp) / "gilde"
            shutil.copytree(source, copy, ignore=shutil.ignore_patterns("static", "__pycache__"))
            for old in copy.rglob("locale/nl/LC_MESSAGES/django.po"):
                old.unlink()  # collect from nothing: only what the code asks for
            self.extract(copy)
            extracted = self.catalogs(copy, source)
        self.report(problems(catalogs, extracted=extracted), len(catalogs))

    def extract(self, tree: Path) -> None:
        here = Path.cwd()
        os.chdir(tree)
        try:
            call_command("makemessages", locale=["nl"], verbosity=0)
        finally:
            os.chdir(here)

    def catalogs(self, tree: Path, shown_as: Path) -> dict[str, str]:
        return {
            str(shown_as / path.relative_to(tree)): path.read_text("utf-8")
            for path in sorted(tree.rglob("locale/nl/LC_MESSAGES/django.po"))
        }

    def report(self, failures: list[str], count: int) -> None:
        if failures:
            self.stderr.write("\n".join(failures))
            raise CommandError(f"{len(failures)} messages without a Dutch translation.")
        self.stdout.write(f"{count} Dutch catalogs complete.")
