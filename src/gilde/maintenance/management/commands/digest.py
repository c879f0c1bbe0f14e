"""gilde digest [--member USER] [--dry-run]: send the weekly digest to every member whose digest
day is today (the worker does so daily at GILDE_SCHEDULE_DIGEST), or to one member whatever
the day. A mail server that does not take a digest stops the run with one line and exit 1;
the digests not sent stay due, so running it again sends only those."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from gilde.maintenance import digest


class Command(BaseCommand):
    help = "Send the weekly digest e-mails that are due today."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--member", help="login name: send this member's digest now")
        parser.add_argument(
            "--dry-run", action="store_true", help="print what would be sent, send nothing"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        today = timezone.localdate()
        members = digest.members_due_for_digest(today=today, username=options["member"])
        if options["member"] and not members:
            raise CommandError(f"No active member with login name {options['member']!r}.")
        sent = skipped = 0
        for member in members:
            if options["dry_run"]:
                content = digest.digest_for(member=member, today=today)
                subject, text, _html = digest.render(content)
                address = member.user.email or "(no e-mail address)"
                self.stdout.write(self.style.MIGRATE_HEADING(f"To: {address}\nSubject: {subject}"))
                self.stdout.write(text)
                continue
            try:
                delivered = digest.digest_send(member=member, today=today)
            except digest.DigestNotSent as exc:
                raise CommandError(f"{exc} {sent} sent before it." if sent else str(exc)) from exc
            if delivered:
                sent += 1
            else:
                skipped += 1
        if not options["dry_run"]:
            self.stdout.write(
                self.style.SUCCESS(
                    f"{sent} digests sent, {skipped} skipped (nothing to report or no e-mail address)."
                )
            )
