"""Reads for the automatic-logging pages, always of the acting member's own data: their review
inbox (with only the relations they may see), connections, rules and the audit of runs."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext_lazy as _

from gilde import visibility
from gilde.accounts.models import Member

from .models import Connection, Entry, EntryStatus, NeverLog, SyncRun


def review_inbox(*, user: Any, member: Member) -> QuerySet[Entry]:
    """The member's found contacts waiting for review, newest first."""
    persons = Prefetch("persons", queryset=visibility.persons(user).order_by("sort_name"))
    return (
        Entry.objects.filter(member=member, status=EntryStatus.PENDING)
        .prefetch_related(persons)
        .order_by("-occurred_at", "-id")
    )


def review_count(*, member: Member) -> int:
    return Entry.objects.filter(member=member, status=EntryStatus.PENDING).count()


def entry_get(*, user: Any, member: Member, pk: int) -> Entry:
    """One of the member's own entries (another member's does not exist for them)."""
    persons = Prefetch("persons", queryset=visibility.persons(user).order_by("sort_name"))
    return Entry.objects.prefetch_related(persons).get(member=member, pk=pk)


def connections_of(*, member: Member) -> QuerySet[Connection]:
    return Connection.objects.filter(member=member)


def connection_get(*, member: Member, pk: int) -> Connection:
    return Connection.objects.get(member=member, pk=pk)


def rules_of(*, member: Member) -> tuple[QuerySet[NeverLog], QuerySet[NeverLog]]:
    """The member's own never-log rules and the network's."""
    return NeverLog.objects.filter(member=member), NeverLog.objects.filter(member__isnull=True)


def rule_get(*, member: Member, pk: int) -> NeverLog:
    rule = NeverLog.objects.get(pk=pk)
    if rule.member_id not in (member.pk, None):
        raise NeverLog.DoesNotExist
    return rule


# What the audit of runs says, in words: outcomes and the counted reasons (anything else, such
# as "skipped:too-large", is shown as its code after the translated part before the colon).
RUN_WORDS = {
    "done": _("done"),
    "failed": _("failed"),
    "login-refused": _("login refused"),
    "running": _("running"),
    "read": _("read"),
    "to-review": _("to review"),
    "logged": _("logged"),
    "grouped": _("added to a thread"),
    "no-relation": _("without a relation"),
    "already-seen": _("already seen"),
    "skipped": _("skipped"),
    "error": _("error"),
}


def _words(code: str) -> str:
    head, sep, rest = code.partition(":")
    return f"{RUN_WORDS.get(head, head)}{sep}{rest}"


@dataclass(frozen=True)
class RunRow:
    run: SyncRun
    outcome: str
    counts: str


def runs_of(*, member: Member, limit: int = 10) -> list[RunRow]:
    """The member's last runs with their outcome and counts in words (counts only, never
    content)."""
    runs = SyncRun.objects.filter(member=member).select_related("connection")[:limit]
    return [
        RunRow(
            run,
            str(_words(run.outcome)),
            ", ".join(f"{_words(k)} {v}" for k, v in sorted(run.counts.items())),
        )
        for run in runs
    ]
