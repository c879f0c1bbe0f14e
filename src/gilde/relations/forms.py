"""Forms for the relation registry pages. They only parse input; the services decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from gilde.accounts.models import Member
from gilde.core.fields import ModelMultipleChoiceField
from gilde.core.text import split_values
from gilde.core.widgets import AutocompleteSelect, ChecklistWidget
from gilde.relations.models import (
    Affiliation,
    Note,
    Organisation,
    OrganisationLink,
    Person,
    PostalAddress,
    StakeholderType,
    Tie,
)

PHOTO_FORMATS = frozenset({"JPEG", "PNG", "WEBP", "GIF"})


class AddressForm(forms.ModelForm):
    class Meta:
        model = PostalAddress
        fields = ["kind", "street", "postal_code", "city", "country"]


AddressFormSet = forms.formset_factory(
    AddressForm, extra=1, can_delete=True, max_num=20, validate_max=True
)


class PersonForm(forms.ModelForm):
    emails = forms.CharField(
        label=_("E-mail addresses"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("One per line; the first is the primary address."),
    )
    phones = forms.CharField(
        label=_("Phone numbers"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("One per line."),
    )
    tags = forms.CharField(label=_("Tags"), required=False, help_text=_("Separate with commas."))
    stakeholder_types = ModelMultipleChoiceField(
        label=_("Stakeholder types"),
        queryset=StakeholderType.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    confidential = forms.BooleanField(
        label=_("Confidential"),
        required=False,
        help_text=_("Only the colleagues chosen below, the owner and network managers see it."),
    )
    confidential_members = ModelMultipleChoiceField(
        label=_("Visible to"),
        queryset=Member.objects.none(),
        required=False,
        widget=ChecklistWidget,
    )
    # The version the editor read: a save on top of a newer change is refused (optimistic lock).
    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)

    class Meta:
        model = Person
        fields = [
            "title",
            "given_name",
            "initials",
            "tussenvoegsel",
            "family_name",
            "tier",
            "language",
            "birthday",
            "website",
            "linkedin_url",
            "passions",
            "talents",
            "interests",
            "source",
            "photo",
        ]
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
        # Every postal address is a row of its own; the page can add rows (htmx) and remove them.
        self.addresses = AddressFormSet(
            self.data if self.is_bound else None,
            prefix="addresses",
            initial=[
                {k: getattr(a, k) for k in AddressForm.Meta.fields}
                for a in (self.instance.addresses.all() if self.instance.pk else [])
            ],
        )
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

    @property
    def addresses_posted(self) -> bool:
        """A post without the address rows (an older page or a script) leaves them untouched."""
        return f"{self.addresses.prefix}-TOTAL_FORMS" in self.data

    def is_valid(self) -> bool:
        valid = super().is_valid()
        if self.addresses_posted:
            return self.addresses.is_valid() and valid
        return valid

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
        if self.addresses_posted:
            data["addresses"] = [
                row.cleaned_data
                for row in self.addresses.forms
                if row.cleaned_data and not row.cleaned_data.get("DELETE")
            ]
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
        label=_("Organisation"),
        queryset=Organisation.objects.none(),
        required=False,
        widget=AutocompleteSelect("organisation_search"),
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
    stakeholder_types = ModelMultipleChoiceField(
        label=_("Stakeholder types"),
        queryset=StakeholderType.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    # The version the editor read: a save on top of a newer change is refused (optimistic lock).
    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)

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
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "parent": AutocompleteSelect("organisation_search"),
        }

    def __init__(self, *args: Any, organisations: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if organisations is not None:
            self.fields["parent"].queryset = organisations.exclude(pk=self.instance.pk)  # type: ignore[attr-defined]
        self.initial["version"] = self.instance.version
        if self.instance.pk:
            self.initial["tags"] = ", ".join(self.instance.tags.values_list("name", flat=True))
            self.initial["stakeholder_types"] = list(self.instance.stakeholder_types.all())

    def service_arguments(self) -> dict[str, Any]:
        data = {name: self.cleaned_data[name] for name in self.Meta.fields}
        data["tags"] = split_values(self.cleaned_data["tags"])
        data["stakeholder_types"] = list(self.cleaned_data["stakeholder_types"])
        if self.instance.pk:
            data["version"] = self.cleaned_data.get("version")
        return data


class OrganisationLinkForm(forms.ModelForm):
    class Meta:
        model = OrganisationLink
        fields = ["kind", "target", "note"]
        labels = {"target": _("Organisation")}
        widgets = {"target": AutocompleteSelect("organisation_search")}


class OrganisationLinkChangeForm(forms.ModelForm):
    """The kind and note of an existing relation between organisations; its two sides stay."""

    class Meta:
        model = OrganisationLink
        fields = ["kind", "note"]

    def _post_clean(self) -> None:
        # The service validates, and the link must not change before it has read it.
        pass


class AffiliationForm(forms.ModelForm):
    class Meta:
        model = Affiliation
        fields = ["organisation", "role", "start_date", "end_date"]
        widgets = {
            "organisation": AutocompleteSelect("organisation_search"),
            "start_date": forms.DateInput(attrs={"type": "date"}),
            "end_date": forms.DateInput(attrs={"type": "date"}),
        }


class TieForm(forms.ModelForm):
    """A colleague's own tie with a person: how well, since when, how they met and through whom."""

    class Meta:
        model = Tie
        fields = ["strength", "since", "how_met", "how_met_note", "introduced_by"]
        widgets = {
            "since": forms.DateInput(attrs={"type": "date"}),
            "strength": forms.NumberInput(attrs={"min": 1, "max": 5}),
            "introduced_by": AutocompleteSelect("person_search"),
        }

    def __init__(self, *args: Any, persons: Any, person: Person, **kwargs: Any) -> None:
        """`persons`: the persons the user may see, the only ones who can be the introducer."""
        super().__init__(*args, **kwargs)
        introducer = self.instance.introduced_by_id
        if introducer is not None and not persons.filter(pk=introducer).exists():
            # Recorded by someone who may see a confidential introducer: this user can neither
            # see nor choose them, and saving without the field keeps them.
            del self.fields["introduced_by"]
        else:
            self.fields["introduced_by"].queryset = persons.exclude(pk=person.pk)  # type: ignore[attr-defined]


class PersonTieForm(forms.ModelForm):
    """Who knows whom between two relations: the other person, how well and how they met."""

    class Meta:
        model = Tie
        fields = ["other_person", "strength", "since", "how_met", "how_met_note", "introduced_by"]
        labels = {"other_person": _("Knows")}
        widgets = {
            "other_person": AutocompleteSelect("person_search"),
            "introduced_by": AutocompleteSelect("person_search"),
            "since": forms.DateInput(attrs={"type": "date"}),
            "strength": forms.NumberInput(attrs={"min": 1, "max": 5}),
        }

    def __init__(self, *args: Any, persons: Any, person: Person, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["other_person"].required = True
        self.fields["other_person"].queryset = persons.exclude(pk=person.pk)  # type: ignore[attr-defined]
        self.fields["introduced_by"].queryset = persons  # type: ignore[attr-defined]

    def _post_clean(self) -> None:
        # The service decides (it stores the pair in id order); no model validation here.
        pass


class NoteForm(forms.ModelForm):
    class Meta:
        model = Note
        fields = ["text", "is_private"]
        widgets = {"text": forms.Textarea(attrs={"rows": 3})}
