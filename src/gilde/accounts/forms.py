"""Forms of the team pages: inviting, changing a colleague, setting a first password, and
choosing successors for a colleague who leaves."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth.forms import PasswordResetForm
from django.db.models import QuerySet
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from gilde.accounts.leaving import GROUPS
from gilde.accounts.models import Member


class InvitationForm(forms.Form):
    first_name = forms.CharField(label=_("First name"), max_length=150)
    last_name = forms.CharField(label=_("Last name"), max_length=150, required=False)
    email = forms.EmailField(label=_("E-mail address"))
    role = forms.ChoiceField(label=_("Role"))
    department = forms.CharField(label=_("Department"), max_length=200, required=False)
    job_title = forms.CharField(label=_("Job title"), max_length=200, required=False)
    language = forms.ChoiceField(
        label=_("Language of the invitation and of Gilde"), choices=settings.LANGUAGES
    )

    def __init__(self, *args: Any, roles: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        role = self.fields["role"]
        assert isinstance(role, forms.ChoiceField)
        role.choices = roles
        role.initial = "networker"
        self.fields["language"].initial = translation.get_language() or settings.LANGUAGE_CODE


class MemberForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"))
    department = forms.CharField(label=_("Department"), max_length=200, required=False)
    job_title = forms.CharField(label=_("Job title"), max_length=200, required=False)

    def __init__(self, *args: Any, roles: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        role = self.fields["role"]
        assert isinstance(role, forms.ChoiceField)
        role.choices = roles


class FirstPasswordForm(forms.Form):
    password1 = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password2 = forms.CharField(
        label=_("Password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("password1") and cleaned.get("password1") != cleaned.get("password2"):
            self.add_error("password2", _("The two passwords differ."))
        return cleaned


class SuccessorForm(forms.Form):
    """One successor per group that has something in it."""

    def __init__(
        self, *args: Any, counts: dict[str, int], candidates: QuerySet[Member], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        for group, label in GROUPS.items():
            if counts.get(group):
                self.fields[group] = forms.ModelChoiceField(
                    queryset=candidates,
                    label=label,
                    empty_label=_("Choose a colleague"),
                )


class MemberPasswordResetForm(PasswordResetForm):
    """Django's reset form, sending the mail in the member's own language."""

    def send_mail(
        self,
        subject_template_name: str,
        email_template_name: str,
        context: dict[str, Any],
        from_email: str | None,
        to_email: str,
        html_email_template_name: str | None = None,
    ) -> None:
        user = context.get("user")
        member = getattr(user, "member", None)
        language = getattr(member, "language", None) or translation.get_language()
        with translation.override(language):
            super().send_mail(
                subject_template_name,
                email_template_name,
                context,
                from_email,
                to_email,
                html_email_template_name,
            )
