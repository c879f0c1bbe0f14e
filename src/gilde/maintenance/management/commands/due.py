"""gilde due [--member USER] [--json] [--limit N]: a member's relations to contact, or without
--member the organisation's (every relation past its ideal interval), most urgent first."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from gilde.accounts.models import Member
from gilde.maintenance import explain, selectors


class Command(BaseCommand):
    help = "Print a member's or the organisation's relations to contact."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--member", help="login name of the member; default: the organisation")
        parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
        parser.add_argument(
            "--limit", type=int, default=100, help="at most this many rows (default 100)"
        )

    def rows(self, member: Member | None, limit: int) -> tuple[int, list[dict[str, Any]]]:
        today = timezone.localdate()
        if member is not None:
            items = selectors.due_for_member(user=member.user, member=member, today=today)
            total = len(items)
        else:
            # The organisation's list as a network manager sees it: every relation.
            manager = (
                Member.objects.filter(role__in=["network_manager", "administrator"])
                .select_related("user")
                .first()
            )
            if manager is None:
                raise CommandError(
                    "There is no network manager or administrator to read the network as."
                )
            qs = selectors.due_for_organisation(user=manager.user, today=today)
            total = qs.count()
            items = [selectors.DueItem.of(p, today) for p in qs[:limit]]
        return total, [
            {
                "person_id": i.person.pk,
                "name": i.person.full_name,
                "tier": i.person.tier.code if i.person.tier else None,
                "status": i.status.status.value,
                "last_contact": i.last_contact_at.date().isoformat() if i.last_contact_at else None,
                "due_on": i.status.due_on.isoformat() if i.status.due_on else None,
                "days_past_due": i.days_past_due,
            }
            for i in items[:limit]
        ]

    def handle(self, *args: Any, **options: Any) -> None:
        member = None
        if options["member"]:
            member = (
                Member.objects.select_related("user")
                .filter(user__username=options["member"])
                .first()
            )
            if member is None:
                raise CommandError(f"No member with login name {options['member']!r}.")
        total, rows = self.rows(member, max(options["limit"], 0))
        if options["json"]:
            self.stdout.write(
                json.dumps({"total": total, "relations": rows}, indent=2, ensure_ascii=False)
            )
            return
        who = member.name if member else "the organisation"
        self.stdout.write(self.style.MIGRATE_HEADING(f"{total} relations to contact for {who}"))
        for row in rows:
            status = explain.status_label(row["status"])
            self.stdout.write(
                f"{row['tier'] or '-':2} {row['name'][:40]:40} {status:16} "
                f"{row['last_contact'] or '—':10} {row['days_past_due']:>5}"
            )
