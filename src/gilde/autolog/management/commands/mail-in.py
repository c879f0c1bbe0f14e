"""Log by e-mail: read one RFC 5322 message from standard input and make it a contact moment
(`gilde mail-in`), as the pipe target of the mail server; with --lmtp HOST:PORT, run an LMTP
server the mail server delivers to (gilde.autolog.lmtp); or, with --poll, read the mailbox
in GILDE_MAIL_IN once. A dropped message (unknown sender, bounce, auto-reply, loop) still
exits 0 (over LMTP: answers 250), so the mail server neither retries nor bounces it; a
database that cannot be reached exits 75 (EX_TEMPFAIL; over LMTP: 451), so it delivers again
later. A mailbox that cannot be read (--poll) is one line on standard error and exit 1."""

from __future__ import annotations

import signal
import sys
import threading
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DatabaseError
from django.utils.translation import gettext as _

from gilde.autolog.mailin import MailboxError, mail_in_read, mail_in_receive

EX_TEMPFAIL = 75


class Command(BaseCommand):
    help = (
        "Make the e-mail message on standard input a contact moment "
        "(or --lmtp HOST:PORT: serve LMTP; --poll: read GILDE_MAIL_IN once)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        mode = parser.add_mutually_exclusive_group()
        mode.add_argument(
            "--poll",
            action="store_true",
            help="read the mailbox in GILDE_MAIL_IN once instead of stdin",
        )
        mode.add_argument(
            "--lmtp",
            metavar="HOST:PORT",
            help="run an LMTP server the mail server delivers to, until stopped",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["lmtp"]:
            self._serve(options["lmtp"])
            return
        try:
            if options["poll"]:
                counts = self._poll()
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

    def _poll(self) -> dict[str, int]:
        try:
            return mail_in_read()
        except MailboxError as exc:
            raise CommandError(str(exc)) from exc

    def _serve(self, address: str) -> None:
        from gilde.autolog.lmtp import LmtpController, address_parse

        try:
            host, port = address_parse(address)
        except ValueError as exc:
            raise CommandError(
                _("Not a listening address (%(address)s): %(reason)s")
                % {"address": address, "reason": exc}
            ) from exc
        controller = LmtpController(host, port)
        try:
            controller.start()
        except OSError as exc:
            raise CommandError(
                _("Cannot listen on %(address)s: %(reason)s")
                % {"address": address, "reason": exc.strerror or exc}
            ) from exc
        stopped = threading.Event()
        for number in (signal.SIGTERM, signal.SIGINT):
            signal.signal(number, lambda *_args: stopped.set())
        self.stdout.write(f"mail-in: LMTP on {host}:{port}", ending="\n")
        self.stdout.flush()
        try:
            stopped.wait()
        finally:
            controller.stop()
        self.stdout.write("mail-in: LMTP stopped")
