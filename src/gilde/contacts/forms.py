"""Forms for logging contact moments and follow-ups."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gilde.accounts.models import Member
from gilde.contacts import services
from gilde.contacts.models import ContactKind, ContactMoment
from gilde.core.dates import date_in_range
from gilde.core.fields import ModelMultipleChoiceField
from gilde.core.web import apply_validation_error
from gilde.core.widgets import AutocompleteSelect, ChecklistWidget
from gilde.relations.models import Person


class QuickLogForm(forms.Form):
    """The seconds-long log from a person's page: kind, when, one line, and optionally a follow-up."""

    kind = forms.ChoiceField(label=_("Kind"), choices=ContactKind.choices, initial=ContactKind.CALL)
    occurred_at = forms.DateTimeField(
        label=_("When"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    summary = forms.CharField(label=_("What was discussed"), max_length=300)
    signals = forms.CharField(
        label=_("Signals"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("What the relation told us about the market."),
    )
    follow_up = forms.CharField(label=_("Follow-up"), required=False, max_length=300)
    follow_up_due = forms.DateField(
        label=_("Follow-up due"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["occurred_at"].initial = timezone.localtime().replace(second=0, microsecond=0)

    def clean(self) -> dict[str, Any] | None:
        data = super().clean() or {}
        if data.get("follow_up_due") and not (data.get("follow_up") or "").strip():
            # A date alone would be dropped without a word: say what is missing instead.
            self.add_error("follow_up", _("Say what the follow-up is, or leave the date empty."))
        return data

    def log(self, *, actor: Member, person: Person) -> bool:
        """Record the posted contact moment with this person; False (with the errors on the
        form) when the input or the service refuses it. The person page and the due list share
        this step."""
        if not self.is_valid():
            return False
        data = self.cleaned_data
        try:
            services.contact_moment_log(
                actor=actor,
                persons=[person],
                kind=data["kind"],
                occurred_at=data["occurred_at"],
                summary=data["summary"],
                signals=data["signals"],
                follow_up=data["follow_up"],
                follow_up_due=data["follow_up_due"],
            )
        except ValidationError as error:
            apply_validation_error(self, error)
            return False
        return True


class ContactMomentForm(forms.ModelForm):
    members = ModelMultipleChoiceField(
        label=_("Colleagues"),
        queryset=Member.objects.select_related("user"),
        required=False,
        widget=ChecklistWidget,
    )

    class Meta:
        model = ContactMoment
        fields = ["occurred_at", "kind", "summary", "notes", "signals"]
        widgets = {
            "occurred_at": forms.DateTimeInput(
                attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"
            ),
            "notes": forms.Textarea(attrs={"rows": 3}),
            "signals": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["members"] = list(self.instance.members.all())


class ParticipantForm(forms.Form):
    """One more relation who took part in a contact moment, chosen by typing the name."""

    person = forms.ModelChoiceField(
        label=_("Add a relation"),
        queryset=Person.objects.none(),
        widget=AutocompleteSelect("person_search"),
    )

    def __init__(self, *args: Any, persons: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = persons  # type: ignore[attr-defined]


class SignalFilterForm(forms.Form):
    """Only parses the query string; bad dates are ignored rather than refused."""

    q = forms.CharField(required=False, max_length=200)
    sector = forms.CharField(required=False, max_length=20)
    type = forms.CharField(required=False, max_length=40)
    tag = forms.CharField(required=False, max_length=60)
    since = forms.DateField(required=False, validators=[date_in_range])
    until = forms.DateField(required=False, validators=[date_in_range])
