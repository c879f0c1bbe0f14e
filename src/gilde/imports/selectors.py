"""Reads for imports, duplicates and exports, always scoped to the acting user."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet

from gilde import visibility
from gilde.accounts.models import Member
from gilde.relations.models import Organisation, Person

from .models import DuplicatePair, DuplicateScan, ImportBatch, PairStatus


def batch_list(*, user: Any) -> QuerySet[ImportBatch]:
    """Network managers see every import; other members their own."""
    member = visibility.member_of(user)
    if member is None:
        return ImportBatch.objects.none()
    qs = ImportBatch.objects.select_related("created_by__user")
    return qs if member.manages_network else qs.filter(created_by=member)


def batch_get(*, user: Any, pk: int) -> ImportBatch:
    return batch_list(user=user).get(pk=pk)


def person_scope(member: Member | None) -> QuerySet[Person]:
    """The persons an import by this member is matched against: what the member can see. An
    import from the command line without --member runs as the operator, who has the whole
    database in hand anyway, and is matched against the whole registry."""
    return visibility.persons(member.user) if member is not None else Person.objects.all()


def organisation_scope(member: Member | None) -> QuerySet[Organisation]:
    """The organisations an import may link to by name (see person_scope)."""
    if member is not None:
        return visibility.organisations(member.user)
    return Organisation.objects.all()


def duplicate_queue(*, user: Any) -> QuerySet[DuplicatePair]:
    """Open pairs whose two persons the user can both see, best score first; only for who may
    merge them (the page and the API alike)."""
    from gilde.permissions import can_merge

    if not can_merge(visibility.member_of(user)):
        raise PermissionDenied
    visible = visibility.persons(user).values("pk")
    return (
        DuplicatePair.objects.filter(
            status=PairStatus.OPEN, person_a__in=visible, person_b__in=visible
        )
        .select_related("person_a", "person_b")
        .order_by("-score", "id")
    )


def duplicate_get(*, user: Any, pk: int) -> DuplicatePair:
    return duplicate_queue(user=user).get(pk=pk)


def last_scan() -> DuplicateScan | None:
    return DuplicateScan.objects.first()


def member_named(username: str | None) -> Member | None:
    """The member with this login name, for the commands' --member; None without a name."""
    from django.core.management.base import CommandError

    if not username:
        return None
    member = Member.objects.select_related("user").filter(user__username=username).first()
    if member is None:
        raise CommandError(f"No member with the user name {username!r}.")
    if not member.user.is_active:
        raise CommandError(f"{username!r} is deactivated; reactivate them first.")
    return member
