"""`gilde event_bounce [FILE]`: read one message that came back to the events' sender address
(from a file, or standard input as a mail server's pipe gives it) and, when it is a delivery
report about an invitation, mark that invitation bounced. Anything else is ignored; the
command never fails on what it is given."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from gilde.events.invitations import bounce_message_process


class Command(BaseCommand):
    help = "Mark an invitation bounced from a returned message (file or standard input)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", nargs="?", help="the message; standard input when left out")

    def handle(self, *args: Any, **options: Any) -> None:
        path = options.get("file")
        raw = Path(path).read_bytes() if path else sys.stdin.buffer.read()
        row = bounce_message_process(raw)
        if row is None:
            self.stdout.write("not a delivery report about an invitation: ignored")
        else:
            self.stdout.write(f"invitation to guest {row.guest_id} marked bounced")
