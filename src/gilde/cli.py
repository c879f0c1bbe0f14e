"""The `gilde` console script: Django's management commands with Gilde's settings preset.

`gilde seating ...` goes straight to the seating engine, which needs no database.
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> int:
    """Run a Gilde command; returns the exit code."""
    args = list(sys.argv if argv is None else argv)
    if len(args) > 1 and args[1] == "seating":
        from gilde.seating.cli import main as seating_main
        from gilde.seating.cli import process_started

        # The time limit of `gilde seating solve` counts from the start of this process, and
        # the console command ends as soon as the plan is written: tearing down the loaded
        # engine (compiled code, large arrays) would only add to the wait. A caller that passes
        # its own arguments (a test, another program) gets the exit code back instead.
        code = seating_main(args[2:], started=process_started() if argv is None else None)
        if argv is not None:
            return code
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gilde.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(args)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
