"""A second `gilde demo` (a second `make demo`) reuses the network already loaded: it neither
fails nor builds it again."""

from __future__ import annotations

from io import StringIO

from django.core.management import call_command

from gilde.demo.generator import build_demo
from gilde.demo.management.commands import demo as command
from gilde.relations.models import Person


def test_a_second_demo_reuses_the_loaded_network(db, monkeypatch):
    build_demo(size="small", seed=3)
    before = Person.objects.count()

    def build_again(**kwargs):
        raise AssertionError("the demo network was built a second time")

    monkeypatch.setattr(command, "build_demo", build_again)
    out = StringIO()
    call_command("demo", "--size", "small", "--no-serve", stdout=out)

    assert "already holds a network" in out.getvalue()
    assert "gilde-demo-2026" in out.getvalue()
    assert Person.objects.count() == before
