"""`gilde privacy …`: the AVG/GDPR chores that run outside the web pages.

  reapply-erasures   erase again every relation in the erasure register (after a restore)
  retention          list relations past the retention period; erase them only when
                     GILDE_RETENTION_AUTOMATIC is on
  prune-audit        remove audit entries older than GILDE_AUDIT_RETENTION_DAYS
  expire-imports     remove the files of uploads not committed within GILDE_IMPORT_PENDING_DAYS
  housekeeping       prune-audit, expire-imports and retention together (for a daily timer)

Every subcommand takes --dry-run: it then reports what it would do and changes nothing."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from gilde.audit.services import audit_prune
from gilde.imports.services import pending_uploads_expire
from gilde.members.services import applications_prune
from gilde.privacy.erasure import JournalError, erasures_reapply, person_erase
from gilde.privacy.selectors import retention_candidates_all
from gilde.relations.models import Person


class Command(BaseCommand):
    help = (
        "AVG/GDPR chores: reapply-erasures, retention, prune-audit, expire-imports, housekeeping."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        reapply = sub.add_parser("reapply-erasures", help="erase again after a restore")
        reapply.add_argument(
            "--journal", help="an erasure journal file (default: GILDE_ERASURE_JOURNAL)"
        )
        sub.add_parser("retention", help="relations past the retention period")
        sub.add_parser("prune-audit", help="remove audit entries past their retention")
        sub.add_parser("expire-imports", help="remove files of uploads never committed")
        sub.add_parser("housekeeping", help="prune-audit, expire-imports and retention")
        for name in (
            "reapply-erasures",
            "retention",
            "prune-audit",
            "expire-imports",
            "housekeeping",
        ):
            sub.choices[name].add_argument(
                "--dry-run", action="store_true", help="report only; change nothing"
            )

    def handle(self, *args: Any, **options: Any) -> None:
        action, dry_run = options["action"], options["dry_run"]
        if action == "reapply-erasures":
            self.reapply(options.get("journal"), dry_run)
        if action in {"prune-audit", "housekeeping"}:
            self.prune_audit(dry_run)
        if action in {"expire-imports", "housekeeping"}:
            self.expire_imports(dry_run)
        if action in {"retention", "housekeeping"}:
            self.retention(dry_run)
        if action == "housekeeping":
            self.applications(dry_run)

    def applications(self, dry_run: bool) -> None:
        count = applications_prune(dry_run=dry_run)
        days = settings.GILDE_APPLICATION_RETENTION_DAYS
        verb = "would be erased" if dry_run else "erased"
        self.stdout.write(f"{count} rejected applications decided over {days} days ago {verb}.")

    def reapply(self, journal: str | None, dry_run: bool) -> None:
        path = Path(journal) if journal else None
        if path is not None and not path.is_file():
            raise CommandError(f"No journal file at {path}.")
        try:
            redone = erasures_reapply(journal=path, dry_run=dry_run)
        except JournalError as exc:
            raise CommandError(str(exc)) from exc
        verb = "would be erased again" if dry_run else "erased again"
        self.stdout.write(f"{len(redone)} relations {verb}" + (f": {redone}" if redone else "."))

    def prune_audit(self, dry_run: bool) -> None:
        count = audit_prune(dry_run=dry_run)
        days = settings.GILDE_AUDIT_RETENTION_DAYS
        verb = "would be removed" if dry_run else "removed"
        self.stdout.write(f"{count} audit entries older than {days} days {verb}.")

    def expire_imports(self, dry_run: bool) -> None:
        count = pending_uploads_expire(dry_run=dry_run)
        days = settings.GILDE_IMPORT_PENDING_DAYS
        verb = "would expire" if dry_run else "expired (their files removed)"
        self.stdout.write(f"{count} uploads not committed within {days} days {verb}.")

    def retention(self, dry_run: bool) -> None:
        candidates = retention_candidates_all(persons=Person.objects.all())
        count = candidates.count()
        months = settings.GILDE_RETENTION_MONTHS
        self.stdout.write(f"{count} relations past the retention period ({months} months).")
        if not settings.GILDE_RETENTION_AUTOMATIC:
            self.stdout.write("Review them on the retention page; nothing is erased here.")
            return
        if dry_run:
            self.stdout.write(f"{count} would be erased (GILDE_RETENTION_AUTOMATIC is on).")
            return
        erased = 0
        for person_id in list(candidates.values_list("pk", flat=True)):
            person_erase(actor=None, person=Person(pk=person_id), reason="retention")
            erased += 1
        self.stdout.write(self.style.SUCCESS(f"{erased} relations erased automatically."))
