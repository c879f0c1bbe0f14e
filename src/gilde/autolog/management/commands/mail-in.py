"""Log by e-mail: read one RFC 5322 message from standard input and make it a contact moment
(`gilde mail-in`), as the pipe target of the mail server; or, with --poll, read the mailbox
in GILDE_MAIL_IN once. A dropped message (unknown sender, bounce, auto-reply, loop) still
exits 0, so the mail server neither retries nor bounces it; a database that cannot be
reached exits 75 (EX_TEMPFAIL), so it delivers again later."""

from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DatabaseError

from gilde.autolog.mailin import mail_in_poll, mail_in_receive

EX_TEMPFAIL = 75


class Command(BaseCommand):
    help = "Make the e-mail message on standard input a contact moment (or --poll GILDE_MAIL_IN)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--poll",
            action="store_true",
            help="read the mailbox in GILDE_MAIL_IN once instead of stdin",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            if options["poll"]:
                counts = mail_in_poll()
                self.stdout.write(" ".join(f"{k}={v}" for k, v in sorted(counts.items())) or "-")
                return
            raw = sys.stdin.buffer.read()
            if not raw.strip():
                raise CommandError("No message on standard input.")
            outcome = mail_in_receive(raw)
        except DatabaseError as exc:
            self.stderr.write(f"mail-in: database unavailable, try again later ({exc})")
            sys.exit(EX_TEMPFAIL)
        self.stdout.write(outcome.result)
