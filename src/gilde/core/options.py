"""Types for command-line options, checked when they are parsed: a mistake is one argparse line
before anything starts, not a traceback from gunicorn or a machine full of processes. Whole
numbers for every command (`gilde seating` too: nothing here imports Django); addresses and
process counts for the commands that serve pages or run workers (`gilde serve`, `gilde demo`,
`gilde worker`)."""

from __future__ import annotations

import re
from argparse import ArgumentTypeError
from collections.abc import Callable

# More processes than this on one machine is a typo, not a plan: run more on another machine.
MAX_PROCESSES = 64

_HOST_PORT = re.compile(r"(?P<host>\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+):(?P<port>\d{1,5})")


def bind_address(value: str) -> str:
    """HOST:PORT (an IPv6 host in brackets) with a port from 1 to 65535, for --bind."""
    match = _HOST_PORT.fullmatch(value)
    if match is None:
        raise ArgumentTypeError(f"give HOST:PORT, e.g. 127.0.0.1:8000, not {value!r}")
    port = int(match["port"])
    if not 1 <= port <= 65535:
        raise ArgumentTypeError(f"the port must be 1 to 65535, not {port}")
    return value


def gunicorn_bind(value: str) -> str:
    """HOST:PORT as for bind_address, or unix:PATH, a socket gunicorn listens on."""
    if value.startswith("unix:") and len(value) > len("unix:"):
        return value
    return bind_address(value)


def whole_number(least: int) -> Callable[[str], int]:
    """An argparse type for a whole number of at least `least`."""

    def parse(value: str) -> int:
        try:
            number = int(value)
        except ValueError:
            raise ArgumentTypeError(f"must be a whole number, not {value!r}") from None
        if number < least:
            raise ArgumentTypeError(f"must be at least {least}, not {value}")
        return number

    return parse


def process_count(*, least: int) -> Callable[[str], int]:
    """An argparse type for a number of processes from `least` to MAX_PROCESSES."""
    whole = whole_number(least)

    def parse(value: str) -> int:
        count = whole(value)
        if count > MAX_PROCESSES:
            raise ArgumentTypeError(
                f"at most {MAX_PROCESSES} on one machine, not {count}; run more on another"
            )
        return count

    return parse
