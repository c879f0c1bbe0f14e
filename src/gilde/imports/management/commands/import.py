"""Import a file of relations: print the preview, then commit it (unless --dry-run).

gilde import FILE [--format auto|csv|xlsx|linkedin|google|outlook|vcard] [--member USERNAME]
                  [--shared] [--dry-run]
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from gilde.imports import services
from gilde.imports.models import BatchStatus, ImportBatch
from gilde.imports.selectors import member_named
from gilde.interchange import ImportFileError


class Command(BaseCommand):
    help = "Import relations from CSV, Excel, LinkedIn, Google, Outlook or vCard (preview, then commit)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file")
        parser.add_argument("--format", choices=services.FORMAT_CHOICES, default="auto")
        parser.add_argument("--member", help="Import as this member (their ownership and ties).")
        parser.add_argument("--shared", action="store_true", help="No owner (network managers).")
        parser.add_argument("--dry-run", action="store_true", help="Only show the preview.")

    def handle(
        self,
        *args: Any,
        file: str,
        format: str,
        member: str | None,
        shared: bool,
        dry_run: bool,
        **options: Any,
    ) -> None:
        actor = member_named(member)
        if shared and actor is not None and not actor.manages_network:
            raise CommandError(
                f"--shared imports relations without an owner, which only a network manager may "
                f"do, and {member!r} is not one: leave --shared out to import them as theirs."
            )
        path = Path(file)
        try:
            content = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"{file}: cannot be read ({exc.strerror or exc}).") from exc
        try:
            batch = services.batch_upload(
                actor=actor,
                content=content,
                file_name=path.name,
                format=format,
                shared=shared,
                background_flag=False,
            )
        except ImportFileError as error:
            raise CommandError(str(error)) from error
        except (PermissionDenied, ValidationError) as error:
            raise CommandError(" ".join(getattr(error, "messages", [str(error)]))) from error
        if batch.status != BatchStatus.PREVIEWED:
            message = batch.error_message
            batch.delete()
            raise CommandError(message or f"{path.name}: cannot be imported.")
        self.print_preview(batch)
        if dry_run:
            batch.delete()
            self.stdout.write("Dry run: nothing was imported.")
            return
        batch = services.batch_commit(actor=actor, batch=batch, background_flag=False)
        if batch.status != BatchStatus.COMMITTED:
            raise CommandError(
                f"{path.name}: the import failed and nothing was saved ({batch.error_message})."
            )
        self.stdout.write(
            self.style.SUCCESS(f"Imported {batch.created_persons} relations as batch {batch.pk}.")
        )

    def print_preview(self, batch: ImportBatch) -> None:
        """The same figures and rows as the preview page."""
        write = self.stdout.write
        write(f"{batch.file_name} ({batch.format})")
        write(f"  new:                  {batch.new_count}")
        write(f"  matched to existing:  {batch.matched_count}")
        write(f"  probable duplicates:  {batch.duplicate_count}")
        write(f"  rejected:             {batch.rejected_count}")
        for row in batch.preview.get("rejected", []):
            write(f"    line {row['line']}: {row['message']}")
        for match in batch.preview.get("matches", []):
            target = (
                f"person {match['person']}"
                if match.get("person")
                else f"line {match.get('earlier_line')}"
            )
            write(
                f"    line {match['line']}: {match['action']} {target} "
                f"(score {match['score']}: {', '.join(match['reasons'])})"
            )
        if batch.warning_count:
            write(f"  values left out:      {batch.warning_count}")
            for warning in batch.preview.get("warnings", []):
                write(f"    {warning['message']}")
