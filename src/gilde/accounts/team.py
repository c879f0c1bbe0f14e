"""Managing colleagues in Gilde itself: who may, changing role, department and job title,
deactivating and reactivating. Network managers and administrators manage the team; only an
administrator makes or changes an administrator; nobody deactivates themselves or the last
administrator."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from gilde.accounts.models import ApiToken, Member, Role
from gilde.audit.models import AuditAction
from gilde.audit.services import audit_record
from gilde.permissions import require_change_colleague, require_may_assign


def roles_assignable_by(actor: Member) -> list[tuple[str, str]]:
    """The roles this manager may give: an administrator any, a network manager all but
    administrator."""
    return [
        (value, str(label))
        for value, label in Role.choices
        if value != Role.ADMINISTRATOR or actor.role == Role.ADMINISTRATOR
    ]


def active_administrators() -> QuerySet[Member]:
    return Member.objects.filter(role=Role.ADMINISTRATOR, user__is_active=True)


def _is_last_administrator(member: Member) -> bool:
    return (
        member.role == Role.ADMINISTRATOR
        and member.user.is_active
        and not active_administrators().exclude(pk=member.pk).exists()
    )


def _sync_admin_access(user: AbstractBaseUser, role: str) -> None:
    """Administrators also get the Django admin; nobody else does."""
    user.is_staff = user.is_superuser = role == Role.ADMINISTRATOR  # type: ignore[attr-defined]


@transaction.atomic
def member_update(
    *, actor: Member, member: Member, role: str, department: str, job_title: str
) -> Member:
    """Change a colleague's role, department and job title."""
    member = Member.objects.select_for_update().select_related("user").get(pk=member.pk)
    require_change_colleague(actor, member)
    require_may_assign(actor, role)
    if role != Role.ADMINISTRATOR and _is_last_administrator(member):
        raise ValidationError(
            {"role": _("Gilde needs at least one administrator; make someone else one first.")}
        )
    before = {"role": member.role, "department": member.department, "job_title": member.job_title}
    member.role = role
    member.department = department.strip()
    member.job_title = job_title.strip()
    member.full_clean()
    member.save(update_fields=["role", "department", "job_title"])
    _sync_admin_access(member.user, role)
    member.user.save(update_fields=["is_staff", "is_superuser"])
    after = {"role": member.role, "department": member.department, "job_title": member.job_title}
    changed = sorted(key for key in before if before[key] != after[key])
    detail: dict[str, object] = {"fields": changed}
    if "role" in changed:
        detail["role"] = [before["role"], member.role]
    audit_record(actor=actor, action=AuditAction.CHANGE, target=member, detail=detail)
    return member


def require_may_deactivate(actor: Member, member: Member) -> None:
    """The rules before anyone is deactivated (also checked by the leaving page before it
    shows anything)."""
    require_change_colleague(actor, member)
    if member.pk == actor.pk:
        raise ValidationError(_("You cannot deactivate yourself; ask another manager."))
    if _is_last_administrator(member):
        raise ValidationError(
            _("This is the last administrator; make someone else administrator first.")
        )


@transaction.atomic
def member_deactivate(*, actor: Member, member: Member) -> Member:
    """Deactivate a colleague: they can no longer log in (sessions they had end at their next
    request), their API tokens are revoked, and nothing of theirs is deleted. Their private
    notes stay private: only their author ever sees them."""
    member = Member.objects.select_for_update().select_related("user").get(pk=member.pk)
    require_may_deactivate(actor, member)
    if not member.user.is_active:
        return member
    member.user.is_active = False
    member.user.save(update_fields=["is_active"])
    revoked = ApiToken.objects.active().filter(member=member).update(revoked_at=timezone.now())
    audit_record(
        actor=actor,
        action=AuditAction.CHANGE,
        target=member,
        detail={"fields": ["active"], "active": False, "tokens_revoked": revoked},
    )
    return member


@transaction.atomic
def member_reactivate(*, actor: Member, member: Member) -> Member:
    """Let a former colleague log in again (their old API tokens stay revoked)."""
    member = Member.objects.select_for_update().select_related("user").get(pk=member.pk)
    require_change_colleague(actor, member)
    if member.user.is_active:
        return member
    member.user.is_active = True
    member.user.save(update_fields=["is_active"])
    audit_record(
        actor=actor,
        action=AuditAction.CHANGE,
        target=member,
        detail={"fields": ["active"], "active": True},
    )
    return member
