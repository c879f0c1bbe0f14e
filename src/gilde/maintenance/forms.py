"""Forms for snoozing, handing over, a relation's own rhythm and the digest day."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gilde.accounts.models import Member
from gilde.maintenance.models import Weekday


class SnoozeForm(forms.Form):
    PERIODS = [("week", _("1 week")), ("month", _("1 month")), ("date", _("until a date"))]

    period = forms.ChoiceField(label=_("Snooze"), choices=PERIODS, initial="week")
    until = forms.DateField(
        label=_("Until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    reason = forms.CharField(label=_("Reason"), required=False, max_length=300)

    def until_date(self, today: dt.date | None = None) -> dt.date:
        """The day the reminder comes back."""
        today = today or timezone.localdate()
        period = self.cleaned_data["period"]
        if period == "week":
            return today + dt.timedelta(days=7)
        if period == "month":
            return today + dt.timedelta(days=30)
        return self.cleaned_data["until"] or today

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("period") == "date" and not data.get("until"):
            self.add_error("until", _("Choose the day the reminder should come back."))
        return data


class HandOverForm(forms.Form):
    to = forms.ModelChoiceField(label=_("Colleague"), queryset=Member.objects.none())

    def __init__(self, *args: Any, members: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if members is not None:
            self.fields["to"].queryset = members  # type: ignore[attr-defined]


class RhythmForm(forms.Form):
    ideal_interval_days = forms.IntegerField(
        label=_("Ideal interval (days)"),
        required=False,
        min_value=1,
        max_value=3650,
        help_text=_("Empty: the rhythm of the relation's tier."),
    )
    max_interval_days = forms.IntegerField(
        label=_("Maximum interval (days)"), required=False, min_value=1, max_value=3650
    )
    no_reminders = forms.BooleanField(label=_("No reminders for this relation"), required=False)


class DigestForm(forms.Form):
    weekday = forms.TypedChoiceField(
        label=_("Weekly digest"),
        coerce=int,
        empty_value=None,
        required=False,
        choices=[("", _("Off"))] + list(Weekday.choices),
    )
