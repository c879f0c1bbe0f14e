"""`gilde backup FILE`: a consistent copy of the database while Gilde keeps running.

SQLite is copied with its online backup API; PostgreSQL with `pg_dump --format=custom` (the
client tools must be installed). Restore with `gilde restore FILE`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DEFAULT_DB_ALIAS

from gilde.privacy.backup import BackupError, database_backup


class Command(BaseCommand):
    help = "Back up the database to FILE (SQLite online backup or pg_dump custom format)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="where to write the backup")
        parser.add_argument("--force", action="store_true", help="overwrite an existing file")
        parser.add_argument(
            "--database", default=DEFAULT_DB_ALIAS, help="database alias (default: default)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"]).expanduser().resolve()
        if path.exists() and not options["force"]:
            raise CommandError(f"{path} already exists; choose another name or add --force.")
        try:
            database_backup(path, alias=options["database"])
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        size = path.stat().st_size
        self.stdout.write(self.style.SUCCESS(f"Backup written to {path} ({size:,} bytes)."))
