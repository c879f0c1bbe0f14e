"""`gilde restore FILE`: replace the database's contents with a backup made by `gilde backup`.

The file is checked first (missing, empty, foreign or damaged files are refused and nothing
changes). The erasure register of the database being replaced is carried over and re-applied,
so relations erased after the backup was made stay erased."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DEFAULT_DB_ALIAS, DatabaseError

from gilde.privacy.backup import BackupError, check_backup, database_restore
from gilde.privacy.erasure import erasures_reapply, register_restore
from gilde.privacy.models import ErasureRecord


def _register_rows(alias: str) -> list[dict[str, Any]]:
    """The erasure register of the database about to be replaced (empty if it has none yet)."""
    try:
        return [dict(row) for row in ErasureRecord.objects.using(alias).values()]
    except DatabaseError:
        return []


class Command(BaseCommand):
    help = "Restore the database from FILE made by `gilde backup`, then re-apply erasures."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="a backup made by `gilde backup`")
        parser.add_argument(
            "--noinput",
            "--no-input",
            action="store_false",
            dest="interactive",
            help="do not ask for confirmation",
        )
        parser.add_argument(
            "--no-reapply",
            action="store_true",
            help="do not re-apply the erasure register afterwards (run "
            "`gilde privacy reapply-erasures` yourself)",
        )
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS, help="database alias")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"]).expanduser().resolve()
        alias = options["database"]
        try:
            check_backup(path, alias=alias)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        if options["interactive"]:
            if not sys.stdin.isatty():
                raise CommandError(
                    "Restore needs a yes typed at a terminal; without one, run it with --noinput."
                )
            answer = input(
                f"This replaces everything in the database with the contents of {path}.\n"
                "Type 'yes' to continue: "
            )
            if answer.strip().lower() != "yes":
                raise CommandError("Restore cancelled; nothing was changed.")
        register = _register_rows(alias)
        try:
            database_restore(path, alias=alias)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS(f"Database restored from {path}."))
        if alias != DEFAULT_DB_ALIAS:
            return  # the register and erasure services work on the default database
        added = register_restore(register)
        if options["no_reapply"]:
            self.stdout.write("Erasures not re-applied: run `gilde privacy reapply-erasures`.")
            return
        redone = erasures_reapply()
        self.stdout.write(
            f"Erasure register: {added} entries carried over, {len(redone)} relations erased again."
        )
        self.stdout.write(
            "If the backup comes from an older version of Gilde, run `gilde migrate`."
        )
