"""Forms of the automatic-logging pages: the member's settings, a new connection, a rule."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import AuthMethod, AutologSettings, ConnectionKind


class SettingsForm(forms.ModelForm):
    class Meta:
        model = AutologSettings
        fields = ["review", "keep_body", "start_days"]


class ConnectionForm(forms.Form):
    kind = forms.ChoiceField(label=_("What"), choices=ConnectionKind.choices)
    server = forms.CharField(
        label=_("Server"),
        required=False,
        max_length=500,
        help_text=_("IMAP: imaps://mail.example.nl (port 993). CalDAV: the calendar's address."),
    )
    username = forms.CharField(label=_("User name"), required=False, max_length=254)
    auth = forms.ChoiceField(label=_("Sign in with"), choices=AuthMethod.choices)
    secret = forms.CharField(
        label=_("Password, token or private ICS address"),
        max_length=4000,
        widget=forms.PasswordInput(render_value=False),
        help_text=_("Stored encrypted and never shown again."),
    )


class RenewForm(forms.Form):
    secret = forms.CharField(
        label=_("New password or token"),
        max_length=4000,
        widget=forms.PasswordInput(render_value=False),
    )


class NeverLogForm(forms.Form):
    pattern = forms.CharField(
        label=_("Address or domain"),
        max_length=254,
        help_text=_("For example privé@example.nl or example.nl."),
    )
    network = forms.BooleanField(label=_("For the whole network"), required=False)


class OAuthStartForm(forms.Form):
    provider = forms.ChoiceField(label=_("Sign in at"), choices=())
    username = forms.EmailField(
        label=_("Your e-mail address"),
        max_length=254,
        help_text=_("The mailbox to connect; you sign in and give consent at the provider."),
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        from .oauth import providers

        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        field = self.fields["provider"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(p.name, p.label) for p in providers().values()]
