"""`gilde serve` runs the web server and a worker beside it (or either alone); the worker
processes it starts are started again when one stops, and stopped with it."""

from __future__ import annotations

import os
import signal
import sys
import time

import pytest
from django.core.management import CommandError, call_command

from gilde.core import worker
from gilde.core.management.commands import serve


class FakeGunicorn:
    argv: list[str] = []

    def __init__(self, usage: str) -> None:
        FakeGunicorn.argv = list(sys.argv)

    def run(self) -> None:
        events.append("web")


events: list[str] = []


class FakeWorkers:
    def stop(self) -> None:
        events.append("workers stopped")


@pytest.fixture
def fakes(monkeypatch):
    events.clear()
    monkeypatch.setattr("gunicorn.app.wsgiapp.WSGIApplication", FakeGunicorn)
    monkeypatch.setattr(sys, "argv", list(sys.argv))
    monkeypatch.setattr(
        serve, "worker_start", lambda count: events.append(f"{count} worker(s)") or FakeWorkers()
    )


def test_serve_starts_a_worker_beside_the_web_server_and_stops_it_after(fakes):
    call_command("serve", "--no-collectstatic", "--bind", "127.0.0.1:8765")
    assert events == ["1 worker(s)", "web", "workers stopped"]
    assert FakeGunicorn.argv[FakeGunicorn.argv.index("--bind") + 1] == "127.0.0.1:8765"


def test_serve_without_a_worker_serves_pages_only(fakes):
    call_command("serve", "--no-collectstatic", "--no-worker")
    assert events == ["web"]


def test_serve_runs_the_worker_alone_when_asked(fakes, monkeypatch):
    asked = []
    monkeypatch.setattr(serve, "call_command", lambda name, **kw: asked.append((name, kw)))
    call_command("serve", "--worker-only", "--job-workers", "3")
    assert asked == [("worker", {"processes": 3})] and events == []


def test_serve_refuses_both_alone_flags(fakes):
    with pytest.raises(CommandError, match="exclude each other"):
        call_command("serve", "--no-worker", "--worker-only")


def test_a_worker_needs_at_least_one_process():
    with pytest.raises(CommandError, match="must be at least 1"):
        call_command("worker", "--processes", "0")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--bind", "127.0.0.1:99999"), "port must be 1 to 65535, not 99999"),
        (("--bind", "127.0.0.1:-1"), "give HOST:PORT"),
        (("--bind", "127.0.0.1:0"), "port must be 1 to 65535, not 0"),
        (("--bind", "127.0.0.1"), "give HOST:PORT"),
        (("--workers", "0"), "--workers: must be at least 1, not 0"),
        (("--workers", "1000"), "--workers: at most 64"),
        (("--job-workers", "1000"), "--job-workers: at most 64"),
        (("--job-workers", "-1"), "--job-workers: must be at least 0"),
    ],
)
def test_serve_refuses_bad_options_before_starting_anything(fakes, args, message):
    with pytest.raises(CommandError, match=message) as refused:
        call_command("serve", "--no-collectstatic", *args)
    assert "\n" not in str(refused.value) and events == []


@pytest.mark.parametrize("bind", ["0.0.0.0:8000", "localhost:1", "[::1]:65535", "unix:/run/g.sock"])
def test_serve_listens_where_it_is_told(fakes, bind):
    call_command("serve", "--no-collectstatic", "--no-worker", "--bind", bind)
    assert FakeGunicorn.argv[FakeGunicorn.argv.index("--bind") + 1] == bind


def test_a_worker_starts_at_most_64_processes():
    with pytest.raises(CommandError, match="--processes: at most 64 on one machine, not 65"):
        call_command("worker", "--processes", "65")


class SleepingWorkers(worker.WorkerProcesses):
    def command(self) -> list[str]:
        return [sys.executable, "-c", "import time; time.sleep(120)"]


def test_a_worker_process_that_stops_is_started_again_and_all_stop_with_the_server():
    workers = SleepingWorkers(2).start()
    try:
        first = workers.processes[0]
        first.send_signal(signal.SIGKILL)
        first.wait(10)
        deadline = time.monotonic() + 15
        while workers.processes[0] is first and time.monotonic() < deadline:
            time.sleep(0.2)
        assert workers.processes[0] is not first and workers.processes[0].poll() is None
    finally:
        workers.stop(timeout=10)
    assert all(process.poll() is not None for process in workers.processes)


def test_a_worker_whose_web_server_is_gone_knows_it(monkeypatch):
    monkeypatch.setenv(worker.PARENT_ENV, str(os.getppid()))
    assert not worker._orphaned()
    monkeypatch.setenv(worker.PARENT_ENV, str(os.getppid() + 1))
    assert worker._orphaned()
    monkeypatch.delenv(worker.PARENT_ENV)
    assert not worker._orphaned()
