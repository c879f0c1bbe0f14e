"""The form for recording a favour."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gilde.goodwill.models import Favour


class FavourForm(forms.ModelForm):
    class Meta:
        model = Favour
        fields = ["direction", "kind", "occurred_on", "note"]
        widgets = {
            "occurred_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "note": forms.Textarea(attrs={"rows": 2}),
        }
        labels = {"note": _("What was it?")}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.instance.pk:
            self.fields["occurred_on"].initial = timezone.localdate()
