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
    vendor: str = connections[alias].vendor
    if vendor not in {"sqlite", "postgresql"}:
        raise BackupError(f"Backups are supported for SQLite and PostgreSQL, not {vendor}.")
    return vendor


def _sqlite_raw(alias: str) -> sqlite3.Connection:
    connection = connections[alias]
    connection.ensure_connection()
    raw: sqlite3.Connection = connection.connection
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
    if not path.parent.exists():
        raise BackupError(f"The folder {path.parent} does not exist.")
    partial = path.with_name(path.name + ".partial")
    partial.unlink(missing_ok=True)
    try:
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
        partial.replace(path)
    finally:
        partial.unlink(missing_ok=True)


def check_backup(path: Path, *, alias: str = DEFAULT_DB_ALIAS) -> None:
    """Refuse a missing, empty, foreign or damaged file before anything is replaced."""
    if not path.is_file():
        raise BackupError(f"No backup file at {path}.")
    if path.stat().st_size == 0:
        raise BackupError(f"{path} is empty.")
    if _vendor(alias) == "sqlite":
        with path.open("rb") as handle:
            if handle.read(16) != SQLITE_HEADER:
                raise BackupError(f"{path} is not an SQLite backup made by `gilde backup`.")
        try:
            source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
            try:
                (status,) = source.execute("PRAGMA integrity_check").fetchone()
                tables = {row[0] for row in source.execute("SELECT name FROM sqlite_master")}
            finally:
                source.close()
        except sqlite3.DatabaseError as exc:
            raise BackupError(f"{path} is damaged: {exc}.") from exc
        if status != "ok":
            raise BackupError(f"{path} is damaged: {status}.")
        if "django_migrations" not in tables or "relations_person" not in tables:
            raise BackupError(f"{path} is an SQLite database, but not a Gilde backup.")
    else:
        try:
            _run([_tool("pg_restore"), "--list", str(path)], _pg_env(alias))
        except BackupError as exc:
            raise BackupError(f"{path} is not a readable pg_dump backup ({exc}).") from exc


def database_restore(path: Path, *, alias: str = DEFAULT_DB_ALIAS) -> None:
    """Replace the database's contents with the backup's, in one transaction: a restore that
    fails leaves the database as it was."""
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
