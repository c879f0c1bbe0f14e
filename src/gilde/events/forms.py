"""Forms for an event, its programme items and its cost items."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from gilde.accounts.models import Member
from gilde.core.fields import ModelMultipleChoiceField
from gilde.core.text import split_values
from gilde.core.widgets import ChecklistWidget
from gilde.events.models import CostItem, Event, ProgrammeItem

DATETIME = {"type": "datetime-local"}
DATETIME_FORMAT = "%Y-%m-%dT%H:%M"


class ColleagueChoiceField(ModelMultipleChoiceField):
    def label_from_instance(self, obj: Member) -> str:
        return obj.name


class EventForm(forms.ModelForm):
    themes = forms.CharField(
        label=_("Themes"), required=False, help_text=_("Separate with commas.")
    )
    organisers = ColleagueChoiceField(
        label=_("Organisers"),
        queryset=Member.objects.none(),
        required=False,
        widget=ChecklistWidget,
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Event
        fields = [
            "title",
            "kind",
            "starts_at",
            "ends_at",
            "venue",
            "address",
            "capacity",
            "language",
            "objective",
            "description",
            "visibility",
            "status",
            "rsvp_deadline",
            "paid",
            "budget",
        ]
        widgets = {
            "starts_at": forms.DateTimeInput(attrs=DATETIME, format=DATETIME_FORMAT),
            "ends_at": forms.DateTimeInput(attrs=DATETIME, format=DATETIME_FORMAT),
            "rsvp_deadline": forms.DateTimeInput(attrs=DATETIME, format=DATETIME_FORMAT),
            "description": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisers"].queryset = Member.objects.filter(  # type: ignore[attr-defined]
            user__is_active=True
        ).select_related("user")
        if self.instance.pk:
            self.initial["themes"] = ", ".join(self.instance.themes.values_list("name", flat=True))
            self.initial["organisers"] = list(self.instance.organisers.values_list("pk", flat=True))
            self.initial["version"] = self.instance.version
        else:
            self.fields.pop("status")

    def service_data(self) -> dict[str, Any]:
        """The cleaned fields as the services take them (themes as names, organisers as list)."""
        data = {name: self.cleaned_data[name] for name in self.Meta.fields if name in self.fields}
        data["themes"] = split_values(self.cleaned_data["themes"])
        data["organisers"] = list(self.cleaned_data["organisers"])
        return data


class ProgrammeItemForm(forms.ModelForm):
    class Meta:
        model = ProgrammeItem
        fields = ["starts_at", "duration_minutes", "kind", "title", "speaker"]
        widgets = {"starts_at": forms.DateTimeInput(attrs=DATETIME, format=DATETIME_FORMAT)}


class CostItemForm(forms.ModelForm):
    class Meta:
        model = CostItem
        fields = ["category", "description", "planned", "actual"]
