"""Inviting a colleague by e-mail: a signed, single-use link that expires, where the colleague
sets a password and becomes a member with the role the manager chose.

The link carries the invitation's id and its current key, signed with the secret key. Sending
the invitation again gives it a new key (older links stop working) and a new expiry; accepting
or withdrawing it ends every link. The mail itself is sent by `invitation_mail_send`, after the
transaction that asked for it has committed."""

from __future__ import annotations

import datetime as dt
import logging
import smtplib
from enum import Enum

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives
from django.db import models, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from gilde.accounts.models import Invitation, Member
from gilde.accounts.services import member_create
from gilde.audit.models import AuditAction
from gilde.audit.services import audit_record
from gilde.permissions import require_may_assign, require_team_manager

logger = logging.getLogger(__name__)

SIGNING_SALT = "gilde.accounts.invitation"


class LinkProblem(Enum):
    """Why an invitation link cannot be used (each has its own page)."""

    INVALID = "invalid"
    EXPIRED = "expired"
    USED = "used"
    WITHDRAWN = "withdrawn"


class InvitationLinkError(Exception):
    def __init__(self, problem: LinkProblem) -> None:
        super().__init__(problem.value)
        self.problem = problem


def _expiry(now: dt.datetime) -> dt.datetime:
    return now + dt.timedelta(days=settings.GILDE_INVITATION_DAYS)


def invitation_token(invitation: Invitation) -> str:
    return signing.dumps({"i": invitation.pk, "k": invitation.key}, salt=SIGNING_SALT)


def invitation_link(invitation: Invitation) -> str:
    path = reverse("accounts:invitation_accept", kwargs={"token": invitation_token(invitation)})
    return f"{settings.GILDE_BASE_URL}{path}"


def _email_taken(email: str, *, exclude: Invitation | None = None) -> str | None:
    """Why this address cannot be invited, or None."""
    user_model = get_user_model()
    if user_model.objects.filter(email__iexact=email).exists():
        return _("A colleague with this e-mail address already has a login.")
    if user_model.objects.filter(username__iexact=email).exists():
        return _("A colleague with this e-mail address already has a login.")
    pending = Invitation.objects.open().filter(email__iexact=email)
    if exclude is not None:
        pending = pending.exclude(pk=exclude.pk)
    if pending.exists():
        return _("This address has already been invited; send that invitation again instead.")
    return None


def _require_usable_as_username(email: str) -> None:
    """The address becomes the user name, so it must fit Django's rules for one."""
    user_model = get_user_model()
    field = user_model._meta.get_field(user_model.USERNAME_FIELD)
    assert isinstance(field, models.Field)
    try:
        field.run_validators(email)
    except ValidationError as exc:
        raise ValidationError(
            {"email": _("This address cannot be used to log in with; use another address.")}
        ) from exc


def _send_after_commit(invitation: Invitation) -> None:
    invitation_id = invitation.pk
    transaction.on_commit(lambda: invitation_mail_send(invitation_id=invitation_id))


@transaction.atomic
def invitation_create(
    *,
    actor: Member,
    email: str,
    first_name: str,
    last_name: str = "",
    role: str,
    department: str = "",
    job_title: str = "",
    language: str = "nl",
) -> Invitation:
    """Invite a colleague; the mail goes out once this transaction has committed."""
    require_team_manager(actor)
    require_may_assign(actor, role)
    now = timezone.now()
    invitation = Invitation(
        email=email.strip().lower(),
        first_name=first_name.strip(),
        last_name=last_name.strip(),
        role=role,
        department=department.strip(),
        job_title=job_title.strip(),
        language=language,
        key=Invitation.new_key(),
        invited_by=actor,
        expires_at=_expiry(now),
    )
    invitation.full_clean()
    _require_usable_as_username(invitation.email)
    problem = _email_taken(invitation.email)
    if problem:
        raise ValidationError({"email": problem})
    invitation.save()
    audit_record(actor=actor, action=AuditAction.CREATE, target=invitation, detail={"role": role})
    _send_after_commit(invitation)
    return invitation


def _open_invitation(invitation: Invitation) -> Invitation:
    locked = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if locked.accepted_at is not None:
        raise ValidationError(_("This invitation has already been accepted."))
    if locked.withdrawn_at is not None:
        raise ValidationError(_("This invitation has been withdrawn."))
    return locked


@transaction.atomic
def invitation_resend(*, actor: Member, invitation: Invitation) -> Invitation:
    """Send the invitation again with a new link and a new expiry; earlier links stop working."""
    require_team_manager(actor)
    invitation = _open_invitation(invitation)
    require_may_assign(actor, invitation.role)
    invitation.key = Invitation.new_key()
    invitation.expires_at = _expiry(timezone.now())
    invitation.save(update_fields=["key", "expires_at"])
    audit_record(
        actor=actor,
        action=AuditAction.CHANGE,
        target=invitation,
        detail={"fields": ["sent_at"], "resent": True},
    )
    _send_after_commit(invitation)
    return invitation


@transaction.atomic
def invitation_withdraw(*, actor: Member, invitation: Invitation) -> Invitation:
    """Withdraw an open invitation: its link no longer works."""
    require_team_manager(actor)
    invitation = _open_invitation(invitation)
    require_may_assign(actor, invitation.role)
    invitation.withdrawn_at = timezone.now()
    invitation.save(update_fields=["withdrawn_at"])
    audit_record(actor=actor, action=AuditAction.DELETE, target=invitation)
    return invitation


def invitation_mail_send(*, invitation_id: int) -> bool:
    """Send (or send again) the invitation mail in the invitee's language. Called after the
    transaction that created or renewed the invitation has committed; safe to run again and
    from a background worker. Returns whether a mail went out; a mail server that refuses is
    logged and the invitation shows as not sent, to be sent again."""
    invitation = Invitation.objects.select_related("invited_by__user").filter(pk=invitation_id)
    found = invitation.first()
    if found is None or not found.is_open or found.is_expired:
        return False
    with translation.override(found.language):
        context = {
            "invitation": found,
            "link": invitation_link(found),
            "inviter": found.invited_by.name if found.invited_by else "",
            "days": settings.GILDE_INVITATION_DAYS,
            "expires_at": found.expires_at,
        }
        subject = _("You are invited to Gilde")
        text = render_to_string("accounts/email/invitation.txt", context)
        html = render_to_string("accounts/email/invitation.html", context)
    message = EmailMultiAlternatives(subject, text, settings.DEFAULT_FROM_EMAIL, [found.email])
    message.attach_alternative(html, "text/html")
    try:
        message.send()
    except (smtplib.SMTPException, OSError):
        logger.exception("The invitation mail %s could not be sent", invitation_id)
        return False
    Invitation.objects.filter(pk=found.pk).update(sent_at=timezone.now())
    return True


def invitation_from_token(token: str) -> Invitation:
    """The open invitation a link stands for, or InvitationLinkError saying why it cannot be
    used (tampered, expired, already used, withdrawn)."""
    try:
        data = signing.loads(token, salt=SIGNING_SALT)
    except signing.BadSignature as exc:
        raise InvitationLinkError(LinkProblem.INVALID) from exc
    if not isinstance(data, dict) or not isinstance(data.get("i"), int):
        raise InvitationLinkError(LinkProblem.INVALID)
    invitation = Invitation.objects.filter(pk=data["i"]).first()
    if invitation is None:
        raise InvitationLinkError(LinkProblem.INVALID)
    if invitation.accepted_at is not None:
        raise InvitationLinkError(LinkProblem.USED)
    if invitation.withdrawn_at is not None:
        raise InvitationLinkError(LinkProblem.WITHDRAWN)
    if invitation.key != data.get("k"):
        # An older link of an invitation sent again.
        raise InvitationLinkError(LinkProblem.EXPIRED)
    if invitation.is_expired:
        raise InvitationLinkError(LinkProblem.EXPIRED)
    return invitation


@transaction.atomic
def invitation_accept(*, token: str, password: str) -> Member:
    """The invitee sets a password: the login (user name = e-mail address) and member are
    created with what the manager chose, and the link is used up."""
    found = invitation_from_token(token)
    invitation = Invitation.objects.select_for_update().get(pk=found.pk)
    if invitation.accepted_at is not None:
        raise InvitationLinkError(LinkProblem.USED)
    if _email_taken(invitation.email, exclude=invitation):
        raise ValidationError(_("A colleague with this e-mail address already has a login."))
    candidate = get_user_model()(
        username=invitation.email,
        email=invitation.email,
        first_name=invitation.first_name,
        last_name=invitation.last_name,
    )
    try:
        validate_password(password, candidate)
    except ValidationError as exc:
        raise ValidationError({"password": exc.messages}) from exc
    member = member_create(
        username=invitation.email,
        password=password,
        first_name=invitation.first_name,
        last_name=invitation.last_name,
        email=invitation.email,
        role=invitation.role,
        language=invitation.language,
        job_title=invitation.job_title,
        department=invitation.department,
        check_password=False,
    )
    invitation.accepted_at = timezone.now()
    invitation.member = member
    invitation.save(update_fields=["accepted_at", "member"])
    audit_record(
        actor=member,
        action=AuditAction.CHANGE,
        target=invitation,
        detail={"fields": ["accepted_at"], "member": member.pk},
    )
    audit_record(
        actor=member,
        action=AuditAction.CREATE,
        target=member,
        detail={"role": member.role, "invitation": invitation.pk},
    )
    return member
