"""Forms of the import pages: they parse input, the services decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from gilde.interchange import FIELDS

FORMAT_LABELS = [
    ("auto", _("Recognise automatically")),
    ("csv", _("CSV (Excel, any columns)")),
    ("xlsx", _("Excel (.xlsx)")),
    ("linkedin", _("LinkedIn (Connections.csv or export .zip)")),
    ("google", _("Google Contacts (CSV)")),
    ("outlook", _("Outlook (CSV)")),
    ("vcard", _("vCard (.vcf)")),
]
FIELD_LABELS = {
    "full_name": _("Full name"),
    "given_name": _("Given name"),
    "middle_name": _("Middle name"),
    "initials": _("Initials"),
    "tussenvoegsel": _("Tussenvoegsel"),
    "family_name": _("Family name"),
    "title": _("Title"),
    "email": _("E-mail"),
    "phone": _("Phone"),
    "organisation": _("Organisation"),
    "job_title": _("Job title"),
    "city": _("City"),
    "street": _("Street"),
    "postal_code": _("Postal code"),
    "country": _("Country"),
    "address": _("Address"),
    "website": _("Website"),
    "linkedin_url": _("LinkedIn"),
    "connected_on": _("Connected on"),
    "birthday": _("Birthday"),
    "notes": _("Notes"),
    "tags": _("Tags"),
    "language": _("Language"),
}


class UploadForm(forms.Form):
    file = forms.FileField(label=_("File"))
    format = forms.ChoiceField(label=_("Format"), choices=FORMAT_LABELS, initial="auto")
    shared = forms.BooleanField(
        label=_("Import as shared relations (no owner)"),
        required=False,
        help_text=_("Network managers only; otherwise you own the imported relations."),
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > settings.GILDE_IMPORT_MAX_BYTES:
            raise forms.ValidationError(
                _("The file is larger than allowed (%(limit)s MB); split it into smaller files.")
                % {"limit": settings.GILDE_IMPORT_MAX_BYTES // (1024 * 1024)}
            )
        return upload


class MappingForm(forms.Form):
    """One choice per column of the file: which field it holds, or nothing."""

    def __init__(self, *args: Any, columns: list[str], mapping: dict[str, str], **kwargs: Any):
        super().__init__(*args, **kwargs)
        choices = [("ignore", _("— leave out —")), *((f, FIELD_LABELS.get(f, f)) for f in FIELDS)]
        self.columns = columns
        for index, column in enumerate(columns):
            self.fields[f"col_{index}"] = forms.ChoiceField(
                label=column, choices=choices, initial=mapping.get(column, "ignore") or "ignore"
            )

    def mapping(self) -> dict[str, str]:
        return {column: self.cleaned_data[f"col_{i}"] for i, column in enumerate(self.columns)}
