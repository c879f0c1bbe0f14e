"""Export the persons a member can see to CSV, Excel or vCard.

gilde export [persons] --member USERNAME [--format csv|csv_excel|xlsx|vcard|vcard3|vcard4]
             [--language nl|en] [-q TEXT] [--tier A] [--tag NAME] (-o FILE | FILE)
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from gilde.imports.exports import persons_export
from gilde.imports.selectors import member_named
from gilde.relations.models import Tag, Tier
from gilde.relations.selectors import PersonFilters

ALIASES = {"vcard": "vcard3"}


class Command(BaseCommand):
    help = "Export the relations a member may see (with the person list's filters) to a file."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("what", nargs="?", choices=["persons"], default="persons")
        parser.add_argument("outfile", nargs="?")
        parser.add_argument("-o", "--output", dest="output")
        parser.add_argument(
            "--member",
            required=True,
            help="Export what this member may see (and as them in the audit).",
        )
        parser.add_argument(
            "--format",
            default="csv",
            choices=["csv", "csv_excel", "xlsx", "vcard", "vcard3", "vcard4"],
        )
        parser.add_argument("--language", choices=["nl", "en"], default="nl")
        parser.add_argument("-q", "--search", default="")
        parser.add_argument("--tier", default="")
        parser.add_argument("--tag", default="")

    def handle(self, *args: Any, **options: Any) -> None:
        target = options["output"] or options["outfile"]
        if not target:
            raise CommandError("Give the file to write: -o FILE.")
        if options["output"] and options["outfile"] and options["output"] != options["outfile"]:
            raise CommandError("Give the file to write once: FILE or -o FILE, not both.")
        member = member_named(options["member"])
        if member is None:
            raise CommandError("--member: give a login name.")
        _check_filters(options["tier"], options["tag"])
        filters = PersonFilters(q=options["search"], tier=options["tier"], tag=options["tag"])
        # One transaction: the export's audit entry is kept only once the file is written.
        with transaction.atomic():
            try:
                exported = persons_export(
                    actor=member,
                    user=member.user,
                    filters=filters,
                    format=ALIASES.get(options["format"], options["format"]),
                    language=options["language"],
                )
            except (PermissionDenied, ValidationError) as error:
                raise CommandError(" ".join(getattr(error, "messages", [str(error)]))) from error
            try:
                Path(target).write_bytes(exported.content)
            except OSError as exc:
                raise CommandError(f"{target}: cannot be written ({exc.strerror or exc}).") from exc
        self.stdout.write(f"{exported.count} relations written to {target}.")


def _check_filters(tier: str, tag: str) -> None:
    """A filter with a typo would export nothing and say so only by the count: refuse it."""
    if tier and not Tier.objects.filter(code=tier).exists():
        codes = ", ".join(Tier.objects.order_by("code").values_list("code", flat=True))
        raise CommandError(f"--tier: there is no tier {tier!r}; the tiers are {codes}.")
    if tag and not Tag.objects.filter(name=tag).exists():
        raise CommandError(f"--tag: there is no tag {tag!r}.")
