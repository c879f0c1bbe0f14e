"""Forms of the privacy pages; the rules themselves live in the services."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gilde.privacy.models import InformedHow, LawfulBasis, RetentionDecision


class LawfulBasisForm(forms.Form):
    lawful_basis = forms.ChoiceField(label=_("Lawful basis"), choices=LawfulBasis.choices)
    balancing_note = forms.CharField(
        label=_("Balancing of interests"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "For legitimate interest: why the organisation's interest outweighs the "
            "person's, and what was done to limit the impact."
        ),
    )
    consent_given_on = forms.DateField(
        label=_("Consent given on"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    consent_how = forms.CharField(
        label=_("How consent was given"),
        required=False,
        max_length=200,
        help_text=_("E.g. “signed the form at the network dinner”, “replied yes by e-mail”."),
    )
    contract_reference = forms.CharField(label=_("Contract"), required=False, max_length=200)


class InformForm(forms.Form):
    how = forms.ChoiceField(label=_("Informed how"), choices=InformedHow.choices)


class RetentionDecisionForm(forms.Form):
    decision = forms.ChoiceField(label=_("Decision"), choices=RetentionDecision.choices)
    reason = forms.CharField(label=_("Reason"), required=False, max_length=500)
    months = forms.TypedChoiceField(
        label=_("Review again in"),
        coerce=int,
        required=False,
        empty_value=None,
        choices=[(3, _("3 months")), (6, _("6 months")), (12, _("12 months"))],
        initial=6,
    )


class EraseForm(forms.Form):
    confirm = forms.BooleanField(label=_("I understand that this cannot be undone."), required=True)


def today() -> str:
    return timezone.localdate().isoformat()
