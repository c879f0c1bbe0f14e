"""The audit trail in words: records named ("Jan van der Berg", not "person #2478") and the
stored detail as a sentence ("3 new relations, details added to 1; from a CSV file", not
"details_added_to: 1; format: csv"). Names are read through the reader's visibility scope at
the moment the page is shown; the entries themselves keep only ids, never names."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.urls import reverse
from django.utils.dateparse import parse_date
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from gilde import visibility
from gilde.audit.models import AuditEntry
from gilde.core.datestyle import day_text

# Which model a target type names (its `_meta.model_name`), for field names in its language.
MODELS = {
    "person": "relations.Person",
    "organisation": "relations.Organisation",
    "affiliation": "relations.Affiliation",
    "tie": "relations.Tie",
    "note": "relations.Note",
    "organisationlink": "relations.OrganisationLink",
    "contactmoment": "contacts.ContactMoment",
    "favour": "goodwill.Favour",
    "importbatch": "imports.ImportBatch",
    "member": "accounts.Member",
}


def type_label(target_type: str) -> str:
    labels = {
        "person": _("relation"),
        "organisation": _("organisation"),
        "affiliation": _("job"),
        "tie": _("tie"),
        "note": _("note"),
        "contactmoment": _("contact moment"),
        "favour": _("favour"),
        "importbatch": _("import"),
        "member": _("colleague"),
        "tierreview": _("tier review"),
        "organisationlink": _("relation between organisations"),
        "followup": _("follow-up"),
        "invitation": _("invitation"),
        "apitoken": _("API token"),
        "job": _("background job"),
    }
    return labels.get(target_type, target_type.replace("_", " "))


@dataclass(frozen=True)
class Named:
    label: str
    url: str = ""


class AuditReader:
    """Reads the names of everything a page of entries refers to, a query per kind of record."""

    def __init__(self, *, user: Any, entries: Iterable[AuditEntry]) -> None:
        entries = list(entries)
        wanted: dict[str, set[int]] = {
            "person": set(),
            "organisation": set(),
            "member": set(),
            "importbatch": set(),
        }
        for entry in entries:
            if entry.target_type in wanted and entry.target_id is not None:
                wanted[entry.target_type].add(entry.target_id)
            for key, kind in DETAIL_REFERENCES.items():
                value = entry.detail.get(key) if isinstance(entry.detail, dict) else None
                if isinstance(value, int):
                    wanted[kind].add(value)
        self.names: dict[tuple[str, int], Named] = {}
        for pk, person in visibility.persons(user).in_bulk(wanted["person"]).items():
            self.names["person", pk] = Named(person.full_name, reverse("person_detail", args=[pk]))
        for pk, org in visibility.organisations(user).in_bulk(wanted["organisation"]).items():
            self.names["organisation", pk] = Named(
                org.name, reverse("organisation_detail", args=[pk])
            )
        members = visibility.members(user).select_related("user").in_bulk(wanted["member"])
        for pk, member in members.items():
            self.names["member", pk] = Named(member.name, reverse("member_detail", args=[pk]))
        batches = apps.get_model("imports.ImportBatch").objects.filter(pk__in=wanted["importbatch"])
        for batch in batches:
            self.names["importbatch", batch.pk] = Named(
                _("import of %(file)s") % {"file": batch.file_name}
            )

    def target(self, entry: AuditEntry) -> Named | None:
        """The record the entry is about, by name and with a link where the reader may open it;
        a record that is gone (erased, merged, deleted) by its kind and former number."""
        if not entry.target_type:
            return None
        if entry.target_id is None:
            return Named(capfirst(type_label(entry.target_type)))
        found = self.names.get((entry.target_type, entry.target_id))
        if found is not None:
            return found
        if entry.target_type in ("person", "organisation", "member", "importbatch"):
            return Named(
                _("%(kind)s %(id)s (no longer in Gilde)")
                % {"kind": capfirst(type_label(entry.target_type)), "id": entry.target_id}
            )
        return Named(f"{capfirst(type_label(entry.target_type))} {entry.target_id}")

    def name(self, kind: str, pk: Any) -> str:
        if not isinstance(pk, int):
            return str(pk)
        found = self.names.get((kind, pk))
        return found.label if found else _("%(kind)s %(id)s") % {"kind": type_label(kind), "id": pk}

    def sentence(self, entry: AuditEntry) -> str:
        """The detail as one or more sentences in the reader's language."""
        detail = dict(entry.detail) if isinstance(entry.detail, dict) else {}
        parts: list[str] = []
        for handler in HANDLERS:
            parts += handler(self, entry, detail)
        for key, value in sorted(detail.items()):  # what no handler knew: still readable
            parts.append(f"{capfirst(key.replace('_', ' '))}: {_plain(value)}")
        return "; ".join(p for p in parts if p)


DETAIL_REFERENCES = {
    "person": "person",
    "other_person": "person",
    "merged_person_id": "person",
    "organisation": "organisation",
    "other_organisation": "organisation",
    "member": "member",
    "to_member": "member",
}


def _plain(value: Any) -> str:
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, list | tuple):
        return ", ".join(map(_plain, value))
    if isinstance(value, dict):
        return ", ".join(f"{k.replace('_', ' ')} {_plain(v)}" for k, v in value.items())
    return str(value)


def field_label(target_type: str, name: str) -> str:
    """A field's name as its form labels it, in the reader's language."""
    lists = {
        "emails": _("e-mail addresses"),
        "phones": _("phone numbers"),
        "tags": _("tags"),
        "addresses": _("addresses"),
        "stakeholder_types": _("stakeholder types"),
        "confidential_members": _("visible to"),
        "active": _("active"),
        "sent_at": _("sent"),
        "accepted_at": _("accepted"),
    }
    if name in lists:
        return str(lists[name])
    model_label = MODELS.get(target_type)
    field: Any = None
    if model_label:
        try:
            field = apps.get_model(model_label)._meta.get_field(name)
        except (FieldDoesNotExist, LookupError):
            field = None
    label = getattr(field, "verbose_name", None)
    return str(label) if label else name.replace("_", " ")


def _fields(reader: AuditReader, entry: AuditEntry, detail: dict[str, Any]) -> list[str]:
    fields = detail.pop("fields", None)
    if not fields:
        return []
    names = ", ".join(field_label(entry.target_type, str(f)) for f in fields)
    return [_("Changed: %(fields)s") % {"fields": names}]


def _references(reader: AuditReader, entry: AuditEntry, detail: dict[str, Any]) -> list[str]:
    said = []
    labels = {
        "person": _("Relation: %(name)s"),
        "other_person": _("With: %(name)s"),
        "organisation": _("Organisation: %(name)s"),
        "other_organisation": _("And organisation: %(name)s"),
    }
    for key, text in labels.items():
        if key in detail:
            said.append(text % {"name": reader.name(DETAIL_REFERENCES[key], detail.pop(key))})
    return said


def _import(reader: AuditReader, entry: AuditEntry, detail: dict[str, Any]) -> list[str]:
    if entry.action != "import" or "persons" not in detail:
        return []
    persons, orgs = int(detail.pop("persons", 0)), int(detail.pop("organisations", 0))
    ties, filled = int(detail.pop("ties", 0)), int(detail.pop("details_added_to", 0))
    said = [
        ngettext("%(n)d new relation", "%(n)d new relations", persons) % {"n": persons},
        ngettext("%(n)d new organisation", "%(n)d new organisations", orgs) % {"n": orgs},
    ]
    if ties:
        said.append(ngettext("%(n)d tie", "%(n)d ties", ties) % {"n": ties})
    if filled:
        said.append(
            ngettext(
                "details added to %(n)d relation already in Gilde",
                "details added to %(n)d relations already in Gilde",
                filled,
            )
            % {"n": filled}
        )
    if "format" in detail:
        said.append(_("from a %(format)s file") % {"format": _format(detail.pop("format"))})
    return [", ".join(said)]


def _format(value: Any) -> str:
    known = {
        "csv": "CSV",
        "xlsx": "Excel",
        "vcard": "vCard",
        "vcf": "vCard",
        "json": "JSON",
        "linkedin": "LinkedIn",
        "google": "Google Contacts",
        "outlook": "Outlook",
        "html": _("printable page"),
        "pdf": "PDF",
    }
    return str(known.get(str(value).lower(), value))


def _export(reader: AuditReader, entry: AuditEntry, detail: dict[str, Any]) -> list[str]:
    if entry.action != "export" or "count" not in detail:
        return []
    count = int(detail.pop("count"))
    said = ngettext("%(n)d relation exported", "%(n)d relations exported", count) % {"n": count}
    if "format" in detail:
        said += " " + _("as %(format)s") % {"format": _format(detail.pop("format"))}
    filters = detail.pop("filters", None)
    if filters:
        said += "; " + _("filtered by %(filters)s") % {"filters": _plain(filters)}
    return [said]


def _maintenance(reader: AuditReader, entry: AuditEntry, detail: dict[str, Any]) -> list[str]:
    kind = detail.pop("maintenance", None)
    if kind is None:
        return []
    if kind == "snooze":
        until = parse_date(str(detail.pop("until", "")))
        return [
            _("Reminder postponed until %(date)s") % {"date": day_text(until) if until else "?"}
        ]
    if kind == "hand_over":
        return [
            _("Handed over to %(name)s")
            % {"name": reader.name("member", detail.pop("to_member", None))}
        ]
    if kind == "rhythm":
        ideal, most = detail.pop("ideal", None), detail.pop("max", None)
        if detail.pop("no_reminders", False):
            return [_("Contact rhythm: no reminders")]
        if ideal is None:
            return [_("Contact rhythm: the tier's again")]
        return [
            _("Own contact rhythm: every %(ideal)s days, at most %(max)s")
            % {"ideal": ideal, "max": most or 2 * int(ideal)}
        ]
    if kind == "tier_review":
        tiers = dict(apps.get_model("relations.Tier").objects.values_list("pk", "code"))
        return [
            _("Tier changed from %(old)s to %(new)s in the tier review")
            % {
                "old": tiers.get(detail.pop("from_tier", None), "–"),
                "new": tiers.get(detail.pop("to_tier", None), "–"),
            }
        ]
    if kind == "tier_review_complete":
        return [_("Tier review completed")]
    return [str(kind).replace("_", " ")]


def _other(reader: AuditReader, entry: AuditEntry, detail: dict[str, Any]) -> list[str]:
    said = []
    if detail.pop("undo_import", False):
        words = {"persons": _("relations removed"), "organisations": _("organisations removed")}
        removed = ", ".join(
            f"{v} {words.get(k, k.replace('_', ' '))}" for k, v in sorted(detail.items())
        )
        detail.clear()
        said.append(_("Import undone") + (f": {removed}" if removed else ""))
    if "expired_uploads" in detail:
        n = int(detail.pop("expired_uploads"))
        said.append(
            ngettext(
                "%(n)d unconfirmed upload removed after %(days)s days",
                "%(n)d unconfirmed uploads removed after %(days)s days",
                n,
            )
            % {"n": n, "days": detail.pop("days", "?")}
        )
    if "merged_person_id" in detail:
        said.append(
            _("Merged with %(name)s")
            % {"name": reader.name("person", detail.pop("merged_person_id"))}
        )
        taken = detail.pop("fields_taken", None)
        if taken:
            said.append(
                _("taken from them: %(fields)s")
                % {"fields": ", ".join(field_label("person", str(f)) for f in taken)}
            )
        moved = detail.pop("moved", None)
        if moved:
            said.append(_("moved: %(what)s") % {"what": _plain(moved)})
    if "privacy" in detail:
        said.append(
            _("Privacy changed: %(fields)s")
            % {"fields": ", ".join(field_label("person", str(f)) for f in detail.pop("privacy"))}
        )
    if "role" in detail:
        from gilde.accounts.models import Role

        role = detail.pop("role")
        said.append(_("Role: %(role)s") % {"role": dict(Role.choices).get(role, role)})
    if entry.action == "access_request" and "format" in detail:
        said.append(_("Answered as %(format)s") % {"format": _format(detail.pop("format"))})
    if "member" in detail:
        said.append(
            _("Colleague: %(name)s") % {"name": reader.name("member", detail.pop("member"))}
        )
    if detail.pop("resent", False):
        said.append(_("invitation sent again"))
    if "retry" in detail:
        detail.pop("retry")
        said.append(_("Job started again: %(kind)s") % {"kind": detail.pop("kind", "?")})
    if entry.action == "erase" and detail:
        words = _erase_words()
        counts = ", ".join(
            f"{v} {words.get(k, k.replace('_', ' '))}" for k, v in sorted(detail.items()) if v
        )
        detail.clear()
        said.append(_("Erased; %(counts)s") % {"counts": counts} if counts else _("Erased"))
    return said


HANDLERS = (_maintenance, _import, _export, _fields, _other, _references)


def _erase_words() -> dict[str, str]:
    """What an erasure counted, as words after the number ("3 e-mail addresses deleted")."""
    return {
        "addresses_deleted": _("addresses deleted"),
        "affiliations_deleted": _("jobs deleted"),
        "contact_moments_blanked": _("contact moments emptied"),
        "contact_moments_scrubbed": _("contact moments cleared of the name"),
        "emails_deleted": _("e-mail addresses deleted"),
        "event_answers_blanked": _("event answers emptied"),
        "favour_notes_blanked": _("favour notes emptied"),
        "follow_ups_scrubbed": _("follow-ups cleared of the name"),
        "mentions_elsewhere_scrubbed": _("mentions elsewhere cleared"),
        "notes_deleted": _("notes deleted"),
        "phones_deleted": _("phone numbers deleted"),
        "tie_notes_blanked": _("tie notes emptied"),
    }
