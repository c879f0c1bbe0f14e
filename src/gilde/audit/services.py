"""Writing the audit trail. Services call `audit_record` (or carry `@audited`) in the same
transaction as the change, so a change and its entry are saved together or not at all."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import wraps
from typing import Any, ParamSpec, TypeVar

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone

from gilde.accounts.models import Member
from gilde.audit.context import client_ip
from gilde.audit.models import AuditAction, AuditEntry

P = ParamSpec("P")
R = TypeVar("R")

# Derived or bookkeeping columns: a change to them is never what someone "changed".
IGNORED_FIELDS = frozenset({"updated_at", "sort_name", "search_text", "version", "created_at"})


def audit_record(
    *,
    actor: Member | None,
    action: AuditAction | str,
    target: models.Model | None = None,
    target_type: str = "",
    target_id: int | None = None,
    detail: dict[str, Any] | None = None,
    username: str = "",
    ip_address: str | None = None,
) -> AuditEntry:
    """Record that actor did action to target. `detail` holds field names, counts and ids only,
    never names, addresses or free text of the person concerned."""
    if target is not None:
        target_type = target._meta.model_name or ""
        target_id = target.pk
    if actor is not None and not username:
        username = actor.user.get_username()
    return AuditEntry.objects.create(
        actor=actor,
        username=username[:150],
        action=str(action),
        target_type=target_type,
        target_id=target_id,
        detail=detail or {},
        ip_address=ip_address or client_ip(),
    )


def _snapshot(obj: models.Model, lists: tuple[str, ...]) -> dict[str, Any]:
    """The values of obj's own columns and of the named related lists, to compare after a
    change. The values stay in memory; only the names of what differs reach the log."""
    values: dict[str, Any] = {
        field.attname: getattr(obj, field.attname)
        for field in obj._meta.concrete_fields
        if field.attname not in IGNORED_FIELDS
    }
    cache = getattr(obj, "_prefetched_objects_cache", {})
    for name in lists:
        cache.pop(name, None)  # read the database, not a list prefetched before the change
        values[name] = sorted(str(item) for item in getattr(obj, name).all())
    return values


def changed_fields(before: dict[str, Any], after: dict[str, Any]) -> list[str]:
    """Names (never values) of what differs, with foreign keys named without their "_id"."""
    names = {key.removesuffix("_id") for key in before if before[key] != after.get(key)}
    return sorted(names)


def audited(
    action: AuditAction,
    *,
    target: str | None = None,
    lists: tuple[str, ...] = (),
    about: Callable[[Any], dict[str, Any]] | None = None,
) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """Write an audit entry for a service called with keyword arguments `actor` and `target`.

    CREATE targets the returned object; CHANGE targets the `target` argument (or, when that is
    None, counts as CREATE of the returned object) and records the names of the fields and
    lists that changed; DELETE targets the argument, read before it is gone. `about` adds ids
    of related rows (e.g. the person a tie belongs to), so entries can be found per person."""

    def decorate(func: Callable[P, R]) -> Callable[P, R]:
        @wraps(func)
        def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
            with transaction.atomic(savepoint=False):
                actor = kwargs.get("actor")
                obj = kwargs.get(target) if target else None
                verb = (
                    AuditAction.CREATE if action == AuditAction.CHANGE and obj is None else action
                )
                changing = isinstance(obj, models.Model) and verb == AuditAction.CHANGE
                before = _snapshot(obj, lists) if changing else None  # type: ignore[arg-type]
                kind, pk, detail = "", None, {}
                if verb == AuditAction.DELETE and isinstance(obj, models.Model):
                    kind, pk = obj._meta.model_name or "", obj.pk
                    detail = about(obj) if about else {}
                result = func(*args, **kwargs)
                if verb != AuditAction.DELETE:
                    subject = obj if obj is not None else result
                    if not isinstance(subject, models.Model):
                        return result
                    kind, pk = subject._meta.model_name or "", subject.pk
                    detail = about(subject) if about else {}
                    if before is not None:
                        detail["fields"] = changed_fields(before, _snapshot(subject, lists))
                audit_record(
                    actor=actor if isinstance(actor, Member) else None,
                    action=verb,
                    target_type=kind,
                    target_id=pk,
                    detail=detail,
                )
                return result

        return wrapper

    return decorate


def about_person(obj: Any) -> dict[str, Any]:
    """The person (and other person or organisation) a row belongs to, by id."""
    found = {}
    for attname in ("person_id", "other_person_id", "organisation_id"):
        value = getattr(obj, attname, None)
        if value is not None:
            found[attname.removesuffix("_id")] = value
    return found


def about_participants(obj: Any) -> dict[str, Any]:
    """The persons who took part in a contact moment, by id."""
    return {"persons": sorted(obj.persons.values_list("pk", flat=True))}


def audit_retention_cutoff(
    *, now: dt.datetime | None = None, days: int | None = None
) -> dt.datetime:
    keep = settings.GILDE_AUDIT_RETENTION_DAYS if days is None else days
    return (now or timezone.now()) - dt.timedelta(days=keep)


@transaction.atomic
def audit_prune(
    *, now: dt.datetime | None = None, days: int | None = None, dry_run: bool = False
) -> int:
    """Remove entries older than the retention period (GILDE_AUDIT_RETENTION_DAYS); returns how
    many were (or, with dry_run, would be) removed."""
    old = AuditEntry.objects.filter(at__lt=audit_retention_cutoff(now=now, days=days))
    if dry_run:
        return old.count()
    deleted, _per_model = old.delete()
    return deleted
