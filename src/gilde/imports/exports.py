"""Exports of the person list: the same filters as the list page, through the visibility scope,
to CSV (plain or Dutch Excel), XLSX or vCard, written by the interchange engine. Private notes
never leave Gilde; every export is audited with its size, never with names."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from gilde import visibility
from gilde.accounts.models import Member
from gilde.audit.services import audit_record
from gilde.interchange import ContactRecord
from gilde.interchange.export import ExportPerson, write_csv, write_vcard, write_xlsx
from gilde.permissions import can_export
from gilde.relations.models import EmailAddress, Person, PhoneNumber, PostalAddress
from gilde.relations.selectors import PersonFilters, person_list

EXPORT_FORMATS = {
    "csv": ("text/csv; charset=utf-8", "csv"),
    "csv_excel": ("text/csv; charset=utf-8", "csv"),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
    "vcard3": ("text/vcard; charset=utf-8", "vcf"),
    "vcard4": ("text/vcard; charset=utf-8", "vcf"),
}
CHUNK = 2_000


@dataclass(frozen=True)
class ExportFile:
    content: bytes
    content_type: str
    filename: str
    count: int


def _chunks(ids: list[int]) -> Iterator[list[int]]:
    for start in range(0, len(ids), CHUNK):
        yield ids[start : start + CHUNK]


def export_people(*, user: Any, filters: PersonFilters) -> list[ExportPerson]:
    """Every person in the filtered list the user can see, as export rows, in list order."""
    ids = list(person_list(user=user, filters=filters).values_list("pk", flat=True))
    people: list[ExportPerson] = []
    for chunk in _chunks(ids):
        people.extend(_rows(user, chunk))
    return people


def _grouped(rows: Any) -> dict[int, list[Any]]:
    grouped: dict[int, list[Any]] = defaultdict(list)
    for pid, *values in rows:
        grouped[pid].append(values[0] if len(values) == 1 else values)
    return grouped


def _rows(user: Any, ids: list[int]) -> list[ExportPerson]:
    current = Q(end_date__isnull=True) | Q(end_date__gte=timezone.localdate())
    persons = visibility.persons(user).filter(pk__in=ids).select_related("tier")
    by_id = {p.pk: p for p in persons}
    emails = _grouped(
        EmailAddress.objects.filter(person__in=ids)
        .order_by("-is_primary", "id")
        .values_list("person_id", "address")
    )
    phones = _grouped(
        PhoneNumber.objects.filter(person__in=ids).order_by("id").values_list("person_id", "number")
    )
    jobs = _grouped(
        visibility.affiliations(user)
        .filter(current)
        .filter(person__in=ids)
        .order_by("id")
        .values_list("person_id", "organisation__name", "role")
    )
    tags = _grouped(
        Person.tags.through.objects.filter(person__in=ids)
        .order_by("tag__name")
        .values_list("person_id", "tag__name")
    )
    addresses = _grouped(
        PostalAddress.objects.filter(person__in=ids)
        .order_by("id")
        .values_list("person_id", "street", "postal_code", "city", "country")
    )
    # Shared notes only: a private note is its author's alone, also in their own export.
    notes = _grouped(
        visibility.notes(user)
        .filter(person__in=ids, is_private=False)
        .order_by("created_at")
        .values_list("person_id", "text")
    )
    strongest = dict(
        visibility.ties(user)
        .filter(person__in=ids)
        .values_list("person_id")
        .annotate(m=Max("strength"))
        .values_list("person_id", "m")
    )
    rows = []
    for pid in ids:
        person = by_id.get(pid)
        if person is None:
            continue
        job = jobs.get(pid, [("", "")])[0]
        address = addresses.get(pid, [("", "", "", "")])[0]
        place = " ".join(p for p in (address[1], address[2]) if p)
        record = ContactRecord(
            given_name=person.given_name,
            initials=person.initials,
            tussenvoegsel=person.tussenvoegsel,
            family_name=person.family_name,
            title=person.title,
            emails=tuple(emails.get(pid, ())),
            phones=tuple(phones.get(pid, ())),
            organisation=job[0],
            job_title=job[1],
            city=address[2],
            address=", ".join(p for p in (address[0], place, address[3]) if p)
            if address[0]
            else "",
            website=person.website,
            linkedin_url=person.linkedin_url,
            birthday=person.birthday,
            notes="\n\n".join(notes.get(pid, ())),
            tags=tuple(tags.get(pid, ())),
            language=person.language,
        )
        rows.append(
            ExportPerson(
                record,
                tier=person.tier.code if person.tier else "",
                tie_strength=strongest.get(pid),
            )
        )
    return rows


def persons_export(
    *, actor: Member, user: Any, filters: PersonFilters, format: str, language: str = "nl"
) -> ExportFile:
    """The filtered person list as a file, audited (count and format, no names)."""
    if not can_export(actor):
        raise PermissionDenied(_("Your role does not allow you to export relations."))
    if format not in EXPORT_FORMATS:
        raise ValidationError({"format": _("Unknown export format.")})
    people = export_people(user=user, filters=filters)
    if format in ("csv", "csv_excel"):
        content = write_csv(people, dutch_excel=format == "csv_excel", language=language)
    elif format == "xlsx":
        content = write_xlsx(people, language=language)
    else:
        content = write_vcard(people, version="4.0" if format == "vcard4" else "3.0")
    filtered = {k: v for k, v in filters.__dict__.items() if v and k != "order"}
    audit_record(
        actor=actor,
        action="export",
        target_type="person",
        detail={"count": len(people), "format": format, "filters": sorted(filtered)},
    )
    content_type, extension = EXPORT_FORMATS[format]
    stamp = timezone.localdate().isoformat()
    return ExportFile(content, content_type, f"gilde-relaties-{stamp}.{extension}", len(people))
