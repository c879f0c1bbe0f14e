"""Running the jobs a test queued (the test settings keep them waiting until then)."""

from __future__ import annotations

from gilde.core.jobs import jobs_run_pending


def run_jobs() -> int:
    """Run every queued job now, in this thread, as a worker would; returns how many ran."""
    return jobs_run_pending()
