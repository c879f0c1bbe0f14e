"""The audit trail. Entries name the actor, the action and the target by type and id: never a
copy of the personal data itself, so the log does not become a second register to erase."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from gilde.accounts.models import Member


class AuditAction(models.TextChoices):
    VIEW = "view", _("Viewed")
    EXPORT = "export", _("Exported")
    CREATE = "create", _("Created")
    CHANGE = "change", _("Changed")
    DELETE = "delete", _("Deleted")
    MERGE = "merge", _("Merged")
    IMPORT = "import", _("Imported")
    ERASE = "erase", _("Erased")
    ACCESS_REQUEST = "access_request", _("Access request answered")
    LOGIN = "login", _("Logged in")
    LOGIN_FAILED = "login_failed", _("Login failed")
    LOGOUT = "logout", _("Logged out")


class AuditEntry(models.Model):
    at = models.DateTimeField(_("at"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        Member,
        verbose_name=_("actor"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="audit_entries",
    )
    # The login name as typed (failed logins have no member); kept when the member is removed.
    username = models.CharField(_("user name"), max_length=150, blank=True)
    action = models.CharField(_("action"), max_length=20, choices=AuditAction.choices)
    target_type = models.CharField(_("target type"), max_length=40, blank=True)
    target_id = models.BigIntegerField(_("target id"), null=True, blank=True)
    detail = models.JSONField(_("detail"), default=dict, blank=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["target_type", "target_id"], name="audit_target")]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.username} {self.action} {self.target_type}:{self.target_id}"

    @property
    def detail_text(self) -> str:
        """The detail as one readable line: "fields: emails, given_name; person: 12"."""
        parts = []
        for key, value in sorted(self.detail.items()):
            shown = ", ".join(map(str, value)) if isinstance(value, list | tuple) else str(value)
            parts.append(f"{key}: {shown}")
        return "; ".join(parts)
