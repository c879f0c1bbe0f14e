"""Reads for the automatic-logging pages, always of the acting member's own data: their review
inbox (with only the relations they may see), connections, rules and the audit of runs."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet

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


def runs_of(*, member: Member, limit: int = 10) -> list[SyncRun]:
    return list(SyncRun.objects.filter(member=member).select_related("connection")[:limit])
