"""The process's own clock: when it started, and how long loading the compiled search will take."""

from __future__ import annotations

import os
import time

# CPU time a process needs to import the compiled search (Numba) and load its kernels from the
# disk cache (measured: about 0.35 s), and wall time to compile them without a cache.
LOAD_CPU_SECONDS = 0.5
COMPILE_SECONDS = 30.0
# A process older than this is a long-running one (a server): its share of a CPU since it started
# says nothing about the machine's load now.
YOUNG_SECONDS = 60.0
MAX_SLOWDOWN = 4.0


def process_started() -> float:
    """The time.perf_counter() reading at which this process started (Linux: from /proc; else
    now, which leaves out only the interpreter's start)."""
    now = time.perf_counter()
    age = _process_age()
    return now if age is None else now - max(0.0, min(age, YOUNG_SECONDS))


def _process_age() -> float | None:
    try:
        with open("/proc/self/stat", encoding="ascii") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        ticks = int(fields[19])  # field 22 of stat(5): start time in clock ticks after boot
        return time.clock_gettime(time.CLOCK_BOOTTIME) - ticks / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError, AttributeError):
        return None


def load_seconds() -> float:
    """Wall time that loading the compiled search will take: LOAD_CPU_SECONDS of CPU, stretched by
    the share of a CPU this process has had since it started (on a busy machine a young process
    gets a fraction of one; a process older than YOUNG_SECONDS counts as having had a whole CPU),
    at most MAX_SLOWDOWN times."""
    age = _process_age()
    cpu = time.process_time()
    slowdown = 1.0
    if age is not None and age < YOUNG_SECONDS and cpu > 0:
        slowdown = min(MAX_SLOWDOWN, max(1.0, age / cpu))
    return LOAD_CPU_SECONDS * slowdown
