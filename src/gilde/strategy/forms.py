"""Forms of the strategy pages; the services check the rules."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from gilde.accounts.models import Member
from gilde.relations.models import Sector
from gilde.strategy.models import ActivityPlan, Goal, OccasionKind, Theme, ThemeLink


class GoalForm(forms.ModelForm):
    class Meta:
        model = Goal
        fields = ["title", "values", "description", "order"]
        widgets = {
            "values": forms.Textarea(attrs={"rows": 2}),
            "description": forms.Textarea(attrs={"rows": 3}),
        }


class ThemeForm(forms.ModelForm):
    class Meta:
        model = Theme
        fields = ["goal", "name", "we_want", "we_offer", "owner", "starts_on", "ends_on"]
        widgets = {
            "we_want": forms.Textarea(attrs={"rows": 2}),
            "we_offer": forms.Textarea(attrs={"rows": 2}),
            "starts_on": forms.DateInput(attrs={"type": "date"}),
            "ends_on": forms.DateInput(attrs={"type": "date"}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        active = Member.objects.filter(user__is_active=True).select_related("user")
        self.fields["owner"].queryset = (  # type: ignore[attr-defined]
            active.order_by("user__first_name", "user__last_name")
        )


class LinkForm(forms.ModelForm):
    """Role and importance of a relation on a theme (the theme is chosen on a relation's page)."""

    class Meta:
        model = ThemeLink
        fields = ["theme", "role", "importance", "note"]

    def __init__(self, *args: Any, with_theme: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["theme"].queryset = Theme.objects.select_related("goal")  # type: ignore[attr-defined]
        if not with_theme:
            del self.fields["theme"]


class PlanForm(forms.ModelForm):
    class Meta:
        model = ActivityPlan
        fields = [
            "tier",
            "theme",
            "stakeholder_type",
            "activities",
            "contacts_per_year",
            "invitations_per_year",
            "newsletter_only",
        ]
        widgets = {"activities": forms.Textarea(attrs={"rows": 2})}


class OccasionForm(forms.Form):
    kind = forms.ChoiceField(label=_("occasion"), choices=OccasionKind.choices)
    occurred_on = forms.DateField(
        label=_("date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    note = forms.CharField(label=_("note"), max_length=300, required=False)


class SubscriptionForm(forms.Form):
    """One subject per subscription: a theme, a sector, a tag or an organisation."""

    theme = forms.ModelChoiceField(label=_("theme"), queryset=Theme.objects.all(), required=False)
    sector = forms.ChoiceField(
        label=_("sector"), choices=[("", "—"), *Sector.choices], required=False
    )
    tag = forms.CharField(label=_("tag"), max_length=60, required=False)
    organisation = forms.CharField(label=_("organisation"), max_length=200, required=False)

    def __init__(self, *args: Any, departments: list[str] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if departments:  # a network manager may subscribe a whole department
            self.fields["department"] = forms.ChoiceField(
                label=_("for the department"),
                required=False,
                choices=[("", _("myself")), *((d, d) for d in departments)],
            )


class ReportForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    quarter = forms.IntegerField(label=_("Quarter"), min_value=1, max_value=4)
