"""Forms of the seating tab: the event's rounds and limits, adding tables, changing one."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from gilde.events.models import SeatingSetup, SeatingTable, TableShape


class SeatingSetupForm(forms.ModelForm[SeatingSetup]):
    class Meta:
        model = SeatingSetup
        fields = ["rounds", "hosts_per_table", "time_limit"]


class TablesAddForm(forms.Form):
    count = forms.IntegerField(label=_("Number of tables"), min_value=1, max_value=400, initial=10)
    capacity = forms.IntegerField(label=_("Seats per table"), min_value=1, max_value=100, initial=8)
    shape = forms.ChoiceField(
        label=_("Shape"), choices=TableShape.choices, initial=TableShape.ROUND
    )


class TableForm(forms.ModelForm[SeatingTable]):
    class Meta:
        model = SeatingTable
        fields = ["name", "capacity", "shape"]
