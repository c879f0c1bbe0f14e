"""`gilde backup` and `gilde restore`: a backup restores into a fresh database with the same
records, bad files are refused with one clear line, and erasures survive a restore."""

from __future__ import annotations

import io
import os
import shutil
import sqlite3
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, connections

from gilde.contacts.models import ContactMoment
from gilde.privacy.erasure import ERASED, person_erase
from gilde.privacy.models import ErasureRecord
from gilde.relations.models import EmailAddress, Organisation, Person
from gilde.relations.services import person_create
from tests.factories import ContactMomentFactory, OrganisationFactory, PersonFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def _needs_pg_tools() -> None:
    if connection.vendor == "postgresql" and shutil.which("pg_dump") is None:
        if os.environ.get("CI") == "true":
            pytest.fail("pg_dump is needed under CI (install postgresql-client)")
        pytest.skip("pg_dump / pg_restore not installed")


@pytest.fixture
def network(manager: Any) -> dict[str, Any]:
    organisation = OrganisationFactory(name="Rijnbouw")
    anna = person_create(
        actor=manager,
        given_name="Anna",
        tussenvoegsel="de",
        family_name="Wit",
        emails=["anna@dewit.nl"],
        organisation=organisation,
        role="CFO",
    )
    people = [anna] + [PersonFactory() for _ in range(5)]
    for person in people:
        ContactMomentFactory(persons=[person], summary=f"Gesprek {person.pk}")
    return {"anna": anna, "organisation": organisation}


def _counts(alias: str = "default") -> dict[str, int]:
    return {
        model.__name__: model.objects.using(alias).count()
        for model in (Person, Organisation, ContactMoment, EmailAddress)
    }


@pytest.fixture
def fresh_alias(tmp_path: Path) -> Iterator[str]:
    """A second, empty database next to the test database."""
    alias = "fresh"
    config = dict(connections.settings["default"])
    created = None
    if connection.vendor == "sqlite":
        config["NAME"] = str(tmp_path / "fresh.sqlite3")
        config["TEST"] = {**config.get("TEST", {}), "NAME": config["NAME"]}
    else:
        created = f"{connection.settings_dict['NAME']}_fresh_{uuid.uuid4().hex[:8]}"
        with connection.cursor() as cursor:
            cursor.execute(f'CREATE DATABASE "{created}"')
        config["NAME"] = created
    connections.settings[alias] = config
    # Opened here, explicitly: the test case only lets known aliases connect on demand.
    connections[alias].connect()
    try:
        yield alias
    finally:
        connections[alias].close()
        del connections[alias]
        del connections.settings[alias]
        if created:
            with connection.cursor() as cursor:
                cursor.execute(f'DROP DATABASE IF EXISTS "{created}"')


def test_a_backup_restores_into_a_fresh_database(network, tmp_path, fresh_alias):
    _needs_pg_tools()
    path = tmp_path / "gilde.backup"
    call_command("backup", str(path))
    assert path.stat().st_size > 0
    call_command("restore", str(path), "--noinput", "--database", fresh_alias)
    connections[fresh_alias].connect()
    assert _counts(fresh_alias) == _counts()
    anna = Person.objects.using(fresh_alias).get(pk=network["anna"].pk)
    assert (anna.given_name, anna.family_name) == ("Anna", "Wit")
    assert list(anna.emails.values_list("address", flat=True)) == ["anna@dewit.nl"]
    assert anna.affiliations.get().organisation.name == "Rijnbouw"
    moment = ContactMoment.objects.using(fresh_alias).get(summary=f"Gesprek {anna.pk}")
    assert list(moment.persons.values_list("pk", flat=True)) == [anna.pk]


def test_restoring_replaces_later_changes_and_keeps_erasures(network, manager, tmp_path, settings):
    _needs_pg_tools()
    settings.GILDE_ERASURE_JOURNAL = ""  # only the register carried over by restore
    path = tmp_path / "gilde.backup"
    call_command("backup", str(path))
    before = _counts()
    anna = network["anna"]
    person_erase(actor=manager, person=anna)
    PersonFactory(family_name="NaDeBackup")
    call_command("restore", str(path), "--noinput")
    assert _counts()["Person"] == before["Person"]
    assert not Person.objects.filter(family_name="NaDeBackup").exists()
    restored = Person.objects.get(pk=anna.pk)
    assert restored.family_name == ERASED and not restored.emails.exists()
    assert ErasureRecord.objects.filter(person_id=anna.pk).exists()


def test_restoring_without_reapplying_then_running_the_command(network, manager, tmp_path):
    _needs_pg_tools()
    path = tmp_path / "gilde.backup"
    call_command("backup", str(path))
    anna = network["anna"]
    person_erase(actor=manager, person=anna)
    call_command("restore", str(path), "--noinput", "--no-reapply")
    assert Person.objects.get(pk=anna.pk).given_name == "Anna"
    call_command("privacy", "reapply-erasures")
    assert Person.objects.get(pk=anna.pk).family_name == ERASED


def test_a_missing_backup_file_is_refused(tmp_path):
    with pytest.raises(CommandError, match="No backup file"):
        call_command("restore", str(tmp_path / "nope.backup"), "--noinput")


def test_a_damaged_backup_file_is_refused_and_nothing_changes(network, tmp_path):
    _needs_pg_tools()
    path = tmp_path / "kapot.backup"
    path.write_bytes(b"SQLite format 3\x00" + os.urandom(4000))
    before = _counts()
    with pytest.raises(CommandError):
        call_command("restore", str(path), "--noinput")
    assert _counts() == before


def test_a_foreign_sqlite_file_is_refused(tmp_path):
    if connection.vendor != "sqlite":
        pytest.skip("SQLite backups only")
    path = tmp_path / "other.sqlite3"
    other = sqlite3.connect(path)
    other.execute("CREATE TABLE t (x)")
    other.commit()
    other.close()
    with pytest.raises(CommandError, match="not a Gilde backup"):
        call_command("restore", str(path), "--noinput")


def test_an_existing_backup_is_not_overwritten_without_force(tmp_path):
    path = tmp_path / "gilde.backup"
    path.write_text("keep me")
    with pytest.raises(CommandError, match="already exists"):
        call_command("backup", str(path))
    assert path.read_text() == "keep me"


def test_restoring_without_a_terminal_asks_for_noinput_and_changes_nothing(
    network, tmp_path, monkeypatch
):
    _needs_pg_tools()
    path = tmp_path / "gilde.backup"
    call_command("backup", str(path))
    Person.objects.filter(pk=network["anna"].pk).update(family_name="Zwart")
    monkeypatch.setattr("sys.stdin", io.StringIO("yes\n"))  # piped, not typed at a terminal

    with pytest.raises(CommandError, match="run it with --noinput"):
        call_command("restore", str(path))

    assert Person.objects.get(pk=network["anna"].pk).family_name == "Zwart"


def _edit_backup(path: Path, *statements: str) -> None:
    backup = sqlite3.connect(path)
    for statement in statements:
        backup.execute(statement)
    backup.commit()
    backup.close()


def _sqlite_only() -> None:
    if connection.vendor != "sqlite":
        pytest.skip("edits an SQLite backup file")


def _edited_backup(tmp_path: Path, statement: str) -> Path:
    """A backup of the test database with one SQL statement applied to the file."""
    _sqlite_only()
    path = tmp_path / "gilde.backup"
    call_command("backup", str(path))
    _edit_backup(path, statement)
    return path


def test_a_backup_from_an_older_version_is_brought_up_to_date(network, tmp_path):
    # As made before the last change of the imports app (it changed no table, so it can be
    # applied again).
    path = _edited_backup(
        tmp_path,
        "DELETE FROM django_migrations WHERE app = 'imports' "
        "AND name = '0004_importbatch_status_expired'",
    )
    out = io.StringIO()
    call_command("restore", str(path), "--noinput", stdout=out)
    assert "Brought up to this version of Gilde (1 database changes)" in out.getvalue()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT COUNT(*) FROM django_migrations WHERE app = 'imports' "
            "AND name = '0004_importbatch_status_expired'"
        )
        assert cursor.fetchone() == (1,)


def test_a_backup_from_a_newer_version_is_refused_and_nothing_changes(network, tmp_path):
    path = _edited_backup(
        tmp_path,
        "INSERT INTO django_migrations (app, name, applied) "
        "VALUES ('relations', '9999_from_the_future', '2030-01-01')",
    )
    PersonFactory(family_name="NaDeBackup")
    before = _counts()
    with pytest.raises(CommandError, match=r"newer version of Gilde .*relations\.9999"):
        call_command("restore", str(path), "--noinput")
    assert _counts() == before


def test_a_file_with_gildes_table_names_but_no_history_is_not_a_backup(tmp_path):
    _sqlite_only()
    path = tmp_path / "fake.sqlite3"
    _edit_backup(
        path,
        "CREATE TABLE django_migrations (id INTEGER PRIMARY KEY, app, name, applied)",
        "CREATE TABLE relations_person (id INTEGER PRIMARY KEY)",
    )
    with pytest.raises(CommandError, match="not a Gilde backup"):
        call_command("restore", str(path), "--noinput")


def test_a_restore_that_fails_halfway_puts_the_database_back(network, tmp_path, monkeypatch):
    _needs_pg_tools()
    path = tmp_path / "gilde.backup"
    call_command("backup", str(path))
    PersonFactory(family_name="NaDeBackup")
    before = _counts()

    def broken(**kwargs: Any) -> list[int]:
        raise RuntimeError("disk full")

    monkeypatch.setattr("gilde.privacy.management.commands.restore.erasures_reapply", broken)
    with pytest.raises(CommandError, match="Restore failed, the database is as it was: disk full"):
        call_command("restore", str(path), "--noinput")
    assert _counts() == before
    assert Person.objects.filter(family_name="NaDeBackup").exists()


@pytest.mark.parametrize("target", ["folder", "/dev/null", "/proc/self/gilde.backup"])
def test_a_backup_to_a_folder_a_device_or_an_unwritable_place_is_refused(tmp_path, target):
    _needs_pg_tools()
    path = tmp_path / "folder" if target == "folder" else Path(target)
    if target == "folder":
        path.mkdir()
    elif not Path(target).parent.exists():
        pytest.skip(f"{Path(target).parent} is not on this system")
    kind = path.stat().st_mode if path.exists() else None
    with pytest.raises(CommandError, match="not a file|could not be written|pg_dump failed"):
        call_command("backup", str(path), "--force")
    assert (path.stat().st_mode if path.exists() else None) == kind
    assert not path.with_name(path.name + ".partial").exists()


def test_an_unknown_database_alias_is_refused_in_one_line(tmp_path):
    with pytest.raises(CommandError, match="no database called 'elders'"):
        call_command("backup", str(tmp_path / "b.backup"), "--database", "elders")
    with pytest.raises(CommandError, match="no database called 'elders'"):
        call_command("restore", str(tmp_path / "b.backup"), "--noinput", "--database", "elders")


def test_a_backup_with_broken_pages_is_refused_in_one_line(tmp_path):
    _sqlite_only()
    path = tmp_path / "broken.sqlite3"
    _edit_backup(
        path,
        "CREATE TABLE django_migrations (id INTEGER PRIMARY KEY, app, name, applied)",
        "CREATE TABLE relations_person (id INTEGER PRIMARY KEY, name TEXT)",
        "CREATE INDEX by_name ON relations_person (name)",
        "INSERT INTO relations_person (name) WITH RECURSIVE n(i) AS "
        "(SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 3000) SELECT 'naam ' || i FROM n",
    )
    data = bytearray(path.read_bytes())
    page = 4096
    data[5 * page + 1] = 0xFF  # the first free block of page 6: "free space corruption"
    path.write_bytes(bytes(data))
    with pytest.raises(CommandError) as refused:
        call_command("restore", str(path), "--noinput")
    assert str(refused.value) == f"{path} is damaged: Page 6: free space corruption."
