"""Backing up and restoring the database: SQLite through its online backup API (consistent while
Gilde keeps running), PostgreSQL through pg_dump / pg_restore in their custom format.

Restoring carries the erasure register of the database being replaced over to the restored one
and re-applies it, so a person erased after the backup was made does not come back."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections

SQLITE_HEADER = b"SQLite format 3\x00"


class BackupError(Exception):
    """A backup or restore that cannot be done; the message says why, in one line."""


def _vendor(alias: str) -> str:
    if alias not in connections.settings:
        raise BackupError(f"There is no database called {alias!r} in the settings.")
    vendor: str = connections[alias].vendor
    if vendor not in {"sqlite", "postgresql"}:
        raise BackupError(f"Backups are supported for SQLite and PostgreSQL, not {vendor}.")
    return vendor


def _raw(alias: str) -> Any:
    """The driver's own connection to the database (connected explicitly: a restore works on
    the alias it is given, whichever it is)."""
    connection = connections[alias]
    if connection.connection is None:
        connection.connect()
    return connection.connection


def _sqlite_raw(alias: str) -> sqlite3.Connection:
    raw: sqlite3.Connection = _raw(alias)
    return raw


def _pg_env(alias: str) -> dict[str, str]:
    """libpq's environment for the configured database, so no password appears on a command
    line (where `ps` would show it)."""
    config: dict[str, Any] = connections[alias].settings_dict
    env = dict(os.environ)
    for key, name in (
        ("HOST", "PGHOST"),
        ("PORT", "PGPORT"),
        ("USER", "PGUSER"),
        ("PASSWORD", "PGPASSWORD"),
        ("NAME", "PGDATABASE"),
    ):
        if config.get(key):
            env[name] = str(config[key])
    return env


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise BackupError(f"{name} was not found; install the PostgreSQL client tools.")
    return path


def _run(args: list[str], env: dict[str, str]) -> None:
    result = subprocess.run(args, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode != 0:
        message = (result.stderr or result.stdout).strip().splitlines()
        raise BackupError(f"{Path(args[0]).name} failed: {message[-1] if message else 'no output'}")


def database_backup(path: Path, *, alias: str = DEFAULT_DB_ALIAS) -> None:
    """Write a consistent copy of the database to path (written beside it, then moved into
    place, so a failed backup never leaves a half file under the chosen name)."""
    vendor = _vendor(alias)
    if not path.parent.is_dir():
        raise BackupError(f"The folder {path.parent} does not exist.")
    if path.exists() and not path.is_file():
        raise BackupError(f"{path} is not a file (a folder or a device); choose a file name.")
    partial = path.with_name(path.name + ".partial")
    try:
        _write_backup(vendor, alias, partial)
        partial.replace(path)
    except (OSError, sqlite3.Error) as exc:
        raise BackupError(f"The backup could not be written to {path}: {exc}.") from exc
    finally:
        if partial.is_file():
            partial.unlink()


def _write_backup(vendor: str, alias: str, partial: Path) -> None:
    if partial.exists() and not partial.is_file():
        raise BackupError(f"{partial} is in the way (not a file); move it, then back up again.")
    partial.unlink(missing_ok=True)
    if vendor == "sqlite":
        target = sqlite3.connect(partial)
        try:
            _sqlite_raw(alias).backup(target)
        finally:
            target.close()
    else:
        _run(
            [
                _tool("pg_dump"),
                "--format=custom",
                "--no-owner",
                "--no-privileges",
                f"--file={partial}",
            ],
            _pg_env(alias),
        )


def check_backup(path: Path, *, alias: str = DEFAULT_DB_ALIAS) -> None:
    """Refuse a missing, empty, foreign, damaged or newer-version file before anything is
    replaced."""
    vendor = _vendor(alias)
    if not path.is_file():
        raise BackupError(f"No backup file at {path}.")
    if path.stat().st_size == 0:
        raise BackupError(f"{path} is empty.")
    if vendor == "sqlite":
        with path.open("rb") as handle:
            if handle.read(16) != SQLITE_HEADER:
                raise BackupError(f"{path} is not an SQLite backup made by `gilde backup`.")
        try:
            source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
            try:
                (status,) = source.execute("PRAGMA integrity_check").fetchone()
                tables = {row[0] for row in source.execute("SELECT name FROM sqlite_master")}
                applied = (
                    set(source.execute("SELECT app, name FROM django_migrations"))
                    if "django_migrations" in tables
                    else set()
                )
            finally:
                source.close()
        except sqlite3.DatabaseError as exc:
            raise BackupError(f"{path} is damaged: {exc}.") from exc
        if status != "ok":
            lines = str(status).splitlines()
            problems = [line for line in lines if not line.startswith("***")] or lines
            more = f" (and {len(problems) - 1} more problems)" if len(problems) > 1 else ""
            raise BackupError(f"{path} is damaged: {problems[0]}{more}.")
        if "relations_person" not in tables or ("relations", "0001_initial") not in applied:
            raise BackupError(f"{path} is an SQLite database, but not a Gilde backup.")
        _check_migrations(path, applied)
    else:
        try:
            _run([_tool("pg_restore"), "--list", str(path)], _pg_env(alias))
        except BackupError as exc:
            raise BackupError(f"{path} is not a readable pg_dump backup ({exc}).") from exc


def _known_migrations() -> set[tuple[str, str]]:
    from django.db.migrations.loader import MigrationLoader

    return set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)


def migrations_missing(alias: str = DEFAULT_DB_ALIAS) -> int:
    """How many of this version's database changes the database has not had (after restoring
    an older backup); read through the driver, as the restore itself is."""
    cursor = _raw(alias).cursor()
    try:
        cursor.execute("SELECT app, name FROM django_migrations")
        applied = {(str(app), str(name)) for app, name in cursor.fetchall()}
    finally:
        cursor.close()
    return len(_known_migrations() - applied)


def _check_migrations(path: Path, applied: set[tuple[str, str]]) -> None:
    """Refuse a backup made by a newer version (its schema has steps this version does not
    know, so it could not be used); an older one is brought up to date after restoring."""
    known = _known_migrations()
    apps = {app for app, _name in known}
    unknown = sorted(f"{app}.{name}" for app, name in applied - known if app in apps)
    if unknown:
        raise BackupError(
            f"{path} was made by a newer version of Gilde (it has {len(unknown)} database "
            f"changes this version does not know, such as {unknown[0]}); restore it with that "
            "version."
        )


def database_restore(path: Path, *, alias: str = DEFAULT_DB_ALIAS, check: bool = True) -> None:
    """Replace the database's contents with the backup's, in one transaction: a restore that
    fails leaves the database as it was. check=False when the file was checked just before
    (check_backup), or is a copy just made by database_backup (to undo a restore)."""
    if check:
        check_backup(path, alias=alias)
    if _vendor(alias) == "sqlite":
        source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            # The backup API copies page by page under the database's own locks, so other
            # processes see either the old database or the restored one, never a mixture.
            source.backup(_sqlite_raw(alias))
        except sqlite3.DatabaseError as exc:
            raise BackupError(f"Restoring failed: {exc}.") from exc
        finally:
            source.close()
        connections[alias].close()
    else:
        connections[alias].close()
        _run(
            [
                _tool("pg_restore"),
                "--clean",
                "--if-exists",
                "--no-owner",
                "--no-privileges",
                "--single-transaction",
                "--exit-on-error",
                f"--dbname={_pg_env(alias)['PGDATABASE']}",
                str(path),
            ],
            _pg_env(alias),
        )
