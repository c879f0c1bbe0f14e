"""Settings come from the environment and fail loudly on nonsense."""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured

from gilde.settings import envbool, envint, envlist


def test_envbool_reads_yes_and_no(monkeypatch):
    monkeypatch.setenv("X_FLAG", "yes")
    assert envbool("X_FLAG", False) is True
    monkeypatch.setenv("X_FLAG", "off")
    assert envbool("X_FLAG", True) is False


def test_envbool_refuses_a_typo(monkeypatch):
    monkeypatch.setenv("X_FLAG", "ja")
    with pytest.raises(ImproperlyConfigured):
        envbool("X_FLAG", False)


def test_envint_refuses_a_typo(monkeypatch):
    monkeypatch.setenv("X_NUM", "tien")
    with pytest.raises(ImproperlyConfigured):
        envint("X_NUM", 1)


def test_envlist_splits_on_commas(monkeypatch):
    monkeypatch.setenv("X_LIST", "a.example, b.example")
    assert envlist("X_LIST", []) == ["a.example", "b.example"]


def test_health_answers_ok(client, db):
    assert client.get("/health/").json() == {"status": "ok"}
