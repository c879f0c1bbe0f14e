"""Forms for the relation registry pages. They only parse input; the services decide."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from gilde.accounts.models import Member
from gilde.relations.models import (
    Affiliation,
    Note,
    Organisation,
    OrganisationLink,
    Person,
    StakeholderType,
    Tie,
)

PHOTO_FORMATS = frozenset({"JPEG", "PNG", "WEBP", "GIF"})


def split_values(text: str) -> list[str]:
    """Values typed one per line or separated by commas or semicolons."""
    return [part.strip() for part in re.split(r"[\n,;]+", text or "") if part.strip()]


class PersonForm(forms.ModelForm):
    emails = forms.CharField(
        label=_("E-mail addresses"), required=False, widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("One per line; the first is the primary address."),
    )  # fmt: skip
    phones = forms.CharField(
        label=_("Phone numbers"), required=False, widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("One per line."),
    )  # fmt: skip
    street = forms.CharField(label=_("Street and number"), required=False, max_length=200)
    postal_code = forms.CharField(label=_("Postal code"), required=False, max_length=20)
    city = forms.CharField(label=_("City"), required=False, max_length=100)
    country = forms.CharField(
        label=_("Country"), required=False, max_length=100, initial="Nederland"
    )
    tags = forms.CharField(label=_("Tags"), required=False, help_text=_("Separate with commas."))
    stakeholder_types = forms.ModelMultipleChoiceField(
        label=_("Stakeholder types"), queryset=StakeholderType.objects.all(), required=False,
        widget=forms.CheckboxSelectMultiple,
    )  # fmt: skip
    confidential = forms.BooleanField(
        label=_("Confidential"), required=False,
        help_text=_("Only the colleagues chosen below, the owner and network managers see it."),
    )  # fmt: skip
    confidential_members = forms.ModelMultipleChoiceField(
        label=_("Visible to"), queryset=Member.objects.none(), required=False,
        widget=forms.CheckboxSelectMultiple,
    )  # fmt: skip
    # The version the editor read: a save on top of a newer change is refused (optimistic lock).
    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)

    class Meta:
        model = Person
        fields = [
            "title", "given_name", "initials", "tussenvoegsel", "family_name", "tier", "language",
            "birthday", "website", "linkedin_url", "passions", "talents", "interests", "source", "photo",
        ]  # fmt: skip
        widgets = {
            "birthday": forms.DateInput(attrs={"type": "date"}),
            "passions": forms.Textarea(attrs={"rows": 2}),
            "talents": forms.Textarea(attrs={"rows": 2}),
            "interests": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args: Any, confidentiality_members: Any = None, **kwargs: Any) -> None:
        """`confidentiality_members`: the members to choose from when the editor may decide who
        sees a confidential person (the owner, network managers); None hides those fields."""
        super().__init__(*args, **kwargs)
        if confidentiality_members is None:
            del self.fields["confidential"], self.fields["confidential_members"]
        else:
            self.fields["confidential_members"].queryset = confidentiality_members  # type: ignore[attr-defined]
        self.initial["version"] = self.instance.version
        if self.instance.pk:
            if "confidential" in self.fields:
                self.initial["confidential"] = self.instance.confidential
                self.initial["confidential_members"] = list(
                    self.instance.confidential_members.all()
                )
            self.initial["emails"] = "\n".join(
                self.instance.emails.values_list("address", flat=True)
            )
            self.initial["phones"] = "\n".join(
                self.instance.phones.values_list("number", flat=True)
            )
            self.initial["tags"] = ", ".join(self.instance.tags.values_list("name", flat=True))
            self.initial["stakeholder_types"] = list(self.instance.stakeholder_types.all())
            address = self.instance.addresses.first()
            if address is not None:
                for key in ("street", "postal_code", "city", "country"):
                    self.initial[key] = getattr(address, key)

    def clean_photo(self) -> Any:
        photo = self.cleaned_data.get("photo")
        if photo and getattr(photo, "size", 0) > 5 * 1024 * 1024:
            raise forms.ValidationError(_("A photo can be at most 5 MB."))
        # A fresh upload carries the image Pillow opened; only common photo formats are kept
        # (no SVG, which a browser would run scripts in, and no exotic decoders).
        image = getattr(photo, "image", None)
        if image is not None and image.format not in PHOTO_FORMATS:
            raise forms.ValidationError(_("A photo must be a JPEG, PNG, WebP or GIF image."))
        return photo

    def service_arguments(self) -> dict[str, Any]:
        data = {name: self.cleaned_data[name] for name in self.Meta.fields}
        data["address"] = {
            key: self.cleaned_data[key] for key in ("street", "postal_code", "city", "country")
        }
        data["emails"] = split_values(self.cleaned_data["emails"])
        data["phones"] = split_values(self.cleaned_data["phones"])
        data["tags"] = split_values(self.cleaned_data["tags"])
        data["stakeholder_types"] = list(self.cleaned_data["stakeholder_types"])
        if "confidential" in self.fields:
            data["confidential"] = self.cleaned_data["confidential"]
            data["confidential_members"] = list(self.cleaned_data["confidential_members"])
        if self.instance.pk:
            data["version"] = self.cleaned_data.get("version")
        return data


class PersonCreateForm(PersonForm):
    organisation = forms.ModelChoiceField(
        label=_("Organisation"), queryset=Organisation.objects.none(), required=False
    )
    role = forms.CharField(label=_("Role / job title"), required=False, max_length=200)

    def __init__(self, *args: Any, organisations: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if organisations is not None:
            self.fields["organisation"].queryset = organisations  # type: ignore[attr-defined]

    def service_arguments(self) -> dict[str, Any]:
        data = super().service_arguments()
        data["organisation"] = self.cleaned_data["organisation"]
        data["role"] = self.cleaned_data["role"]
        return data


class OrganisationForm(forms.ModelForm):
    tags = forms.CharField(label=_("Tags"), required=False, help_text=_("Separate with commas."))
    stakeholder_types = forms.ModelMultipleChoiceField(
        label=_("Stakeholder types"), queryset=StakeholderType.objects.all(), required=False,
        widget=forms.CheckboxSelectMultiple,
    )  # fmt: skip

    class Meta:
        model = Organisation
        fields = [
            "name",
            "kind",
            "sector",
            "tier",
            "city",
            "website",
            "parent",
            "description",
            "source",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, organisations: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if organisations is not None:
            self.fields["parent"].queryset = organisations.exclude(pk=self.instance.pk)  # type: ignore[attr-defined]
        if self.instance.pk:
            self.initial["tags"] = ", ".join(self.instance.tags.values_list("name", flat=True))
            self.initial["stakeholder_types"] = list(self.instance.stakeholder_types.all())

    def service_arguments(self) -> dict[str, Any]:
        data = {name: self.cleaned_data[name] for name in self.Meta.fields}
        data["tags"] = split_values(self.cleaned_data["tags"])
        data["stakeholder_types"] = list(self.cleaned_data["stakeholder_types"])
        return data


class OrganisationLinkForm(forms.ModelForm):
    class Meta:
        model = OrganisationLink
        fields = ["kind", "target", "note"]
        labels = {"target": _("Organisation")}


class AffiliationForm(forms.ModelForm):
    class Meta:
        model = Affiliation
        fields = ["organisation", "role", "start_date", "end_date"]
        widgets = {
            "start_date": forms.DateInput(attrs={"type": "date"}),
            "end_date": forms.DateInput(attrs={"type": "date"}),
        }


class TieForm(forms.ModelForm):
    class Meta:
        model = Tie
        fields = ["strength", "since", "how_met", "how_met_note"]
        widgets = {
            "since": forms.DateInput(attrs={"type": "date"}),
            "strength": forms.NumberInput(attrs={"min": 1, "max": 5}),
        }


class NoteForm(forms.ModelForm):
    class Meta:
        model = Note
        fields = ["text", "is_private"]
        widgets = {"text": forms.Textarea(attrs={"rows": 3})}
