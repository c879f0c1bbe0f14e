"""Members (the people who network, each linked to a login), their roles, and API tokens."""

from __future__ import annotations

import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gilde.core.text import CleanTextMixin


class Role(models.TextChoices):
    ADMINISTRATOR = "administrator", _("Administrator")
    NETWORK_MANAGER = "network_manager", _("Network manager")
    NETWORKER = "networker", _("Networker")
    READ_ONLY = "read_only", _("Read-only")


class Member(CleanTextMixin, models.Model):
    """A user of Gilde who networks: a colleague, or a member of a network."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="member"
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.NETWORKER)
    job_title = models.CharField(_("job title"), max_length=200, blank=True)
    department = models.CharField(_("department"), max_length=200, blank=True)
    language = models.CharField(
        _("language"), max_length=5, choices=settings.LANGUAGES, default="nl"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("member")
        verbose_name_plural = _("members")
        ordering = ["user__last_name", "user__first_name"]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return self.user.get_full_name() or self.user.get_username()

    @property
    def manages_network(self) -> bool:
        return self.role in {Role.ADMINISTRATOR, Role.NETWORK_MANAGER}

    @property
    def can_write(self) -> bool:
        return self.role != Role.READ_ONLY


def _hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


class ApiTokenQuerySet(models.QuerySet["ApiToken"]):
    def active(self) -> ApiTokenQuerySet:
        return self.filter(revoked_at__isnull=True)

    def matching(self, raw: str) -> ApiTokenQuerySet:
        """The token whose whole text is raw (only its hash is stored)."""
        return self.filter(key_hash=_hash_token(raw))


class ApiToken(models.Model):
    """A personal access token for the JSON API; only its hash is stored, the token is shown once."""

    PREFIX = "gld_"
    SHOWN = 8  # the first characters kept (key_prefix), to tell tokens apart
    LENGTH = len(PREFIX) + 43  # PREFIX and secrets.token_urlsafe(32)

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100)
    key_prefix = models.CharField(max_length=12, db_index=True)
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.key_prefix}…)"

    @classmethod
    def generate(cls) -> tuple[str, str, str]:
        """A fresh raw token with its display prefix and stored hash."""
        raw = cls.PREFIX + secrets.token_urlsafe(32)
        return raw, raw[: cls.SHOWN], _hash_token(raw)

    @classmethod
    def find(cls, raw: str) -> ApiToken | None:
        token = cls.objects.active().select_related("member__user").matching(raw).first()
        if token is None or not token.member.user.is_active:
            return None
        return token

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None

    def mark_used(self) -> None:
        now = timezone.now()
        # Write at most once a minute: the API must not turn every read into a write.
        if self.last_used_at is None or (now - self.last_used_at).total_seconds() > 60:
            ApiToken.objects.filter(pk=self.pk).update(last_used_at=now)


class LoginNameCheck(models.Model):
    """When a password was last checked for a user name that many addresses are guessing
    (gilde.accounts.throttle): the name then takes one check at a time, not a lock."""

    username = models.CharField(max_length=150, unique=True)
    checked_at = models.DateTimeField()


class InvitationQuerySet(models.QuerySet["Invitation"]):
    def open(self) -> InvitationQuerySet:
        """Neither accepted nor withdrawn (an expired one may still be sent again)."""
        return self.filter(accepted_at__isnull=True, withdrawn_at__isnull=True)


class Invitation(CleanTextMixin, models.Model):
    """An invitation for a colleague to join Gilde. The link in the mail carries the invitation
    and its current key, signed; sending it again changes the key, so only the newest link
    works, and accepting or withdrawing it ends every link."""

    email = models.EmailField(_("e-mail address"))
    first_name = models.CharField(_("first name"), max_length=150)
    last_name = models.CharField(_("last name"), max_length=150, blank=True)
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.NETWORKER)
    department = models.CharField(_("department"), max_length=200, blank=True)
    job_title = models.CharField(_("job title"), max_length=200, blank=True)
    language = models.CharField(
        _("language"), max_length=5, choices=settings.LANGUAGES, default="nl"
    )
    key = models.CharField(max_length=64, editable=False)
    invited_by = models.ForeignKey(
        Member,
        verbose_name=_("invited by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="invitations_sent",
    )
    created_at = models.DateTimeField(_("invited at"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    expires_at = models.DateTimeField(_("expires at"))
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    member = models.OneToOneField(
        Member, null=True, blank=True, on_delete=models.SET_NULL, related_name="invitation"
    )

    objects = InvitationQuerySet.as_manager()

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.email

    @property
    def name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    @property
    def is_open(self) -> bool:
        return self.accepted_at is None and self.withdrawn_at is None

    @property
    def is_expired(self) -> bool:
        return self.expires_at <= timezone.now()

    @staticmethod
    def new_key() -> str:
        return secrets.token_urlsafe(24)
