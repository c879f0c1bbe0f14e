"""`gilde restore FILE`: replace the database's contents with a backup made by `gilde backup`.

The file is checked first (missing, empty, foreign, damaged or newer-version files are refused and
nothing changes). A backup from an older version is brought up to date (`migrate`). The erasure
register of the database being replaced is carried over and re-applied, so relations erased after
the backup was made stay erased. The database is copied aside first: when any of this fails, the
copy is put back and the database is as it was."""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DEFAULT_DB_ALIAS, DatabaseError

from gilde.privacy.backup import (
    BackupError,
    check_backup,
    database_backup,
    database_restore,
    migrations_missing,
)
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
        with tempfile.TemporaryDirectory(prefix="gilde-restore-") as folder:
            before = Path(folder) / "before-restore.backup"
            try:
                database_backup(before, alias=alias)
            except BackupError as exc:
                raise CommandError(f"Restore not started: {exc}") from exc
            try:
                lines = self._restore(path, alias, register, reapply=not options["no_reapply"])
            except Exception as exc:
                # Whatever failed (the file, the upgrade, the erasures), the database goes back
                # to what it was: a restore lands whole or not at all.
                database_restore(before, alias=alias, check=False)
                raise CommandError(f"Restore failed, the database is as it was: {exc}") from exc
        for line in lines:
            self.stdout.write(line)

    def _restore(
        self, path: Path, alias: str, register: list[dict[str, Any]], *, reapply: bool
    ) -> list[str]:
        database_restore(path, alias=alias, check=False)  # handle() has just checked it
        lines = [self.style.SUCCESS(f"Database restored from {path}.")]
        steps = migrations_missing(alias)
        if steps:
            call_command("migrate", database=alias, interactive=False, verbosity=0)
            lines.append(f"Brought up to this version of Gilde ({steps} database changes).")
        if alias != DEFAULT_DB_ALIAS:
            return lines  # the register and erasure services work on the default database
        added = register_restore(register)
        if not reapply:
            lines.append("Erasures not re-applied: run `gilde privacy reapply-erasures`.")
            return lines
        redone = erasures_reapply()
        lines.append(
            f"Erasure register: {added} entries carried over, {len(redone)} relations erased again."
        )
        return lines
