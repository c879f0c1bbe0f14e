"""How DATABASE_URL becomes Django's database settings."""

from __future__ import annotations

import pytest

from gilde import settings


def test_postgresql_prepares_repeated_queries_and_plans_each_call(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgres://gilde@db.example:5432/gilde")
    monkeypatch.delenv("DB_PREPARE_THRESHOLD", raising=False)
    options = settings._database()["OPTIONS"]
    assert options["server_side_binding"] is True
    assert options["prepare_threshold"] == 5
    assert options["options"] == "-c plan_cache_mode=force_custom_plan"


def test_prepared_statements_can_be_turned_off_and_given_options_are_kept(monkeypatch):
    monkeypatch.setenv(
        "DATABASE_URL", "postgres://gilde@db.example:5432/gilde?options=-c%20search_path%3Dgilde"
    )
    monkeypatch.setenv("DB_PREPARE_THRESHOLD", "")
    options = settings._database()["OPTIONS"]
    assert options["prepare_threshold"] is None
    assert options["options"] == "-c search_path=gilde -c plan_cache_mode=force_custom_plan"


def test_sqlite_gets_wal_and_no_postgresql_options(monkeypatch, tmp_path):
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'gilde.sqlite3'}")
    config = settings._database()
    assert "journal_mode=WAL" in config["OPTIONS"]["init_command"]
    assert "prepare_threshold" not in config["OPTIONS"]


def test_a_mistyped_prepare_threshold_is_refused_at_start_up(monkeypatch):
    from django.core.exceptions import ImproperlyConfigured

    monkeypatch.setenv("DATABASE_URL", "postgres://gilde@db.example:5432/gilde")
    monkeypatch.setenv("DB_PREPARE_THRESHOLD", "five")
    with pytest.raises(ImproperlyConfigured, match="DB_PREPARE_THRESHOLD"):
        settings._database()
