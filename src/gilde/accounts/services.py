"""Writes for members and API tokens."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gilde.accounts.models import ApiToken, Member, Role
from gilde.audit.models import AuditAction
from gilde.audit.services import audit_record
from gilde.permissions import may_manage_own


@transaction.atomic
def member_create(
    *,
    username: str,
    password: str | None,
    first_name: str = "",
    last_name: str = "",
    email: str = "",
    role: str = Role.NETWORKER,
    language: str = "nl",
    job_title: str = "",
    department: str = "",
    check_password: bool = True,
) -> Member:
    """Create a login and the member behind it. Administrators also get the Django admin."""
    user_model = get_user_model()
    user = user_model(username=username, first_name=first_name, last_name=last_name, email=email)
    if password is None:
        user.set_unusable_password()
    else:
        if check_password:
            validate_password(password, user)
        user.set_password(password)
    user.is_staff = user.is_superuser = role == Role.ADMINISTRATOR
    user.full_clean()
    user.save()
    member = Member(
        user=user, role=role, language=language, job_title=job_title, department=department
    )
    member.full_clean()
    member.save()
    return member


@transaction.atomic
def administrator_member_ensure(*, user: AbstractBaseUser) -> Member:
    """Give a superuser without a member (made by Django's createsuperuser, the shell or an older
    Gilde) the administrator member every page starts from; a login that has one keeps it."""
    user_model = get_user_model()
    locked = user_model._default_manager.select_for_update().get(pk=user.pk)
    existing = Member.objects.filter(user=locked).first()
    if existing is not None:
        return existing
    if not (locked.is_active and getattr(locked, "is_superuser", False)):
        raise PermissionDenied(
            _("Only an active superuser becomes an administrator by logging in.")
        )
    member = Member(user=locked, role=Role.ADMINISTRATOR, language=settings.LANGUAGE_CODE)
    member.full_clean()
    member.save()
    audit_record(
        actor=member, action=AuditAction.CREATE, target=member, detail={"role": member.role}
    )
    return member


@transaction.atomic
def member_set_language(*, member: Member, language: str) -> Member:
    member.language = language
    member.full_clean()
    member.save(update_fields=["language"])
    return member


@transaction.atomic
def api_token_create(*, member: Member, name: str) -> tuple[ApiToken, str]:
    """Create a personal access token; the raw token is returned once and never stored."""
    raw, prefix, digest = ApiToken.generate()
    token = ApiToken(
        member=member, name=name.strip() or _("API token"), key_prefix=prefix, key_hash=digest
    )
    token.full_clean()
    token.save()
    audit_record(actor=member, action=AuditAction.CREATE, target=token)
    return token, raw


@transaction.atomic
def api_token_revoke(*, member: Member, token: ApiToken) -> ApiToken:
    if not may_manage_own(member, token.member_id):
        raise PermissionDenied(_("You can only revoke your own tokens."))
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit_record(actor=member, action=AuditAction.DELETE, target=token)
    return token
