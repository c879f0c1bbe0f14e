"""Committing a previewed batch: the rows are turned into persons with everything derived
(sort name, search text and tokens) before the transaction starts, then inserted set-wise in one
transaction, so a failure anywhere leaves nothing behind."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import connection, models, transaction
from django.utils import timezone

from gilde.audit.services import audit_record
from gilde.interchange import ContactRecord
from gilde.interchange.keys import normalise_linkedin
from gilde.names import fold
from gilde.relations.models import (
    Affiliation,
    EmailAddress,
    Language,
    Note,
    Organisation,
    Person,
    PersonSearchToken,
    PhoneNumber,
    PostalAddress,
    Tag,
    Tie,
    TieOrigin,
)
from gilde.relations.services import person_search_text

from .models import BatchStatus, DuplicatePair, ImportBatch, ImportFile
from .records import MATCH, PROBABLE, Decision, unpack

Progress = Callable[[str, int, int], None]
CHUNK = 2_000
LINKEDIN_FORMATS = ("linkedin", "linkedin_zip")
# A LinkedIn connection says the member knows the person, not how well: a light tie.
LINKEDIN_TIE_STRENGTH = 2
_POSTCODE_RE = re.compile(r"^(\d{4}\s?[A-Za-z]{2})\s+(.*)$")
_LANGUAGES = {
    "nl": Language.DUTCH, "ne": Language.DUTCH, "du": Language.DUTCH,
    "en": Language.ENGLISH, "engels": Language.ENGLISH,
    "de": Language.GERMAN, "duits": Language.GERMAN, "ge": Language.GERMAN,
    "fr": Language.FRENCH, "frans": Language.FRENCH,
}  # fmt: skip
_url = URLValidator()


class CommitRefused(Exception):
    """The batch is not (or no longer) in a state to be committed."""


@dataclass
class _Row:
    """One person to create, with the rows that hang off it."""

    record: ContactRecord
    person: Person
    tokens: set[str]
    organisation: str
    tags: list[str]
    duplicate_of: tuple[int, int] | None = None  # (existing person id, score)


@dataclass
class _Plan:
    rows: list[_Row] = field(default_factory=list)
    matched: list[tuple[ContactRecord, int]] = field(default_factory=list)


def _clip(value: str, length: int) -> str:
    return (value or "").strip()[:length]


def _valid_url(value: str) -> str:
    value = (value or "").strip()
    if value and not re.match(r"^[a-z]+://", value, re.I):
        value = "https://" + value
    try:
        _url(value)
    except ValidationError:
        return ""
    return value if len(value) <= 200 else ""


def _language(value: str) -> str:
    key = fold(value).strip()
    if not key:
        return Language.DUTCH
    return _LANGUAGES.get(key, _LANGUAGES.get(key[:2], Language.OTHER))


def person_from_record(record: ContactRecord, *, batch: ImportBatch) -> Person:
    """An unsaved Person with the names, details and provenance of one imported row."""
    family = _clip(record.family_name, 150)
    if not (family or record.given_name or record.initials):
        family = _clip(record.emails[0], 150) if record.emails else ""
    person = Person(
        given_name=_clip(record.given_name, 100), initials=_clip(record.initials, 20),
        tussenvoegsel=_clip(record.tussenvoegsel, 30), family_name=family,
        title=_clip(record.title, 40), website=_valid_url(record.website),
        linkedin_url=_valid_url(normalise_linkedin(record.linkedin_url) or record.linkedin_url),
        language=_language(record.language), birthday=record.birthday,
        source=_clip(record.source or f"{batch.format}:{batch.file_name}", 200),
        owner_id=batch.owner_id, import_batch_id=batch.pk,
    )  # fmt: skip
    person.refresh_names()
    return person


def plan(
    records: Sequence[ContactRecord], decisions: Sequence[Decision], *, batch: ImportBatch,
    progress: Progress,
) -> _Plan:  # fmt: skip
    """Everything that can be computed before the transaction: persons with derived fields."""
    result = _Plan()
    total = len(records)
    for index, (record, (action, existing, score)) in enumerate(
        zip(records, decisions, strict=True)
    ):
        if index % CHUNK == 0:
            progress("preparing", index, total)
        if action == MATCH:
            if existing is not None:
                result.matched.append((record, existing))
            continue
        person = person_from_record(record, batch=batch)
        organisation = _clip(record.organisation, 200)
        tags = list(dict.fromkeys(_clip(t, 60) for t in record.tags if t.strip()))
        person.search_text = person_search_text(
            person, emails=record.emails, organisations=[organisation] if organisation else [],
            tags=tags,
        )  # fmt: skip
        duplicate = (existing, score) if action == PROBABLE and existing is not None else None
        result.rows.append(_Row(record, person, PersonSearchToken.tokens_of(person.search_text),
                                organisation, tags, duplicate))  # fmt: skip
    progress("preparing", total, total)
    return result


def _chunks(items: Sequence[Any], size: int = CHUNK) -> Iterable[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def insert_rows(model: type[models.Model], rows: Sequence[models.Model]) -> list[models.Model]:
    """bulk_create in chunks; returns the rows, with primary keys."""
    created: list[models.Model] = []
    for chunk in _chunks(rows):
        created.extend(model._default_manager.bulk_create(chunk))
    return created


def _organisations(names: set[str], batch: ImportBatch, scope: models.QuerySet[Organisation]
                   ) -> tuple[dict[str, int], list[int]]:  # fmt: skip
    """Organisation id per folded name: matched by name among those in scope, else created."""
    wanted = {fold(n)[:200]: n for n in names if n}  # one fold per distinct name
    found: dict[str, int] = {}
    for pk, key in scope.order_by("id").values_list("pk", "sort_name").iterator(chunk_size=5000):
        if key in wanted:
            found.setdefault(key, pk)
    new = [
        Organisation(name=name, sort_name=key, owner_id=batch.owner_id,
                     source=f"import:{batch.pk}")
        for key, name in wanted.items() if key not in found
    ]  # fmt: skip
    for org in insert_rows(Organisation, new):
        found[org.sort_name] = org.pk  # type: ignore[attr-defined]
    return found, [o.pk for o in new]


def _tags(names: set[str]) -> dict[str, int]:
    found = {name.casefold(): pk for pk, name in Tag.objects.values_list("pk", "name")}
    new = {n.casefold(): n for n in names if n.casefold() not in found}
    for tag in insert_rows(Tag, [Tag(name=n) for n in new.values()]):
        found[tag.name.casefold()] = tag.pk  # type: ignore[attr-defined]
    return found


def _address(record: ContactRecord, person_id: int) -> tuple[Any, ...] | None:
    if not (record.address or record.city):
        return None
    parts = [p.strip() for p in record.address.split(",") if p.strip()]
    street = parts[0] if len(parts) > 1 or not record.city else ""
    postal_code, city = "", record.city
    for part in parts[1:]:
        if match := _POSTCODE_RE.match(part):
            postal_code, city = match.group(1).upper(), city or match.group(2)
    return (person_id, street[:200], postal_code[:20], city[:100], "", "work")


def insert_values(
    model: type[models.Model], columns: Sequence[str], rows: list[tuple[Any, ...]]
) -> None:
    """Plain INSERTs through executemany: no model instance per row. For the tables that hang
    off a person (a 100,000-row import writes over a million search tokens)."""
    if not rows:
        return
    table = connection.ops.quote_name(model._meta.db_table)
    column = {f.name: str(f.column) for f in model._meta.concrete_fields}
    names = ", ".join(connection.ops.quote_name(column[c]) for c in columns)
    sql = f"INSERT INTO {table} ({names}) VALUES ({', '.join(['%s'] * len(columns))})"  # noqa: S608 - names come from the models
    with connection.cursor() as cursor:
        for chunk in _chunks(rows, 10 * CHUNK):
            cursor.executemany(sql, chunk)


def commit_plan(batch: ImportBatch, work: _Plan, *, organisations: models.QuerySet[Organisation],
                progress: Progress) -> dict[str, Any]:  # fmt: skip
    """Insert everything of the plan; must run inside the caller's transaction."""
    org_ids, new_orgs = _organisations({r.organisation for r in work.rows}, batch, organisations)
    tag_ids = _tags({t for r in work.rows for t in r.tags})
    total = len(work.rows)
    for done, chunk in enumerate(_chunks(work.rows)):
        insert_rows(Person, [r.person for r in chunk])
        progress("saving", done * CHUNK + len(chunk), total)
    member = batch.created_by_id
    tie_member = member if batch.format in LINKEDIN_FORMATS else None
    emails: list[tuple[Any, ...]] = []
    phones: list[tuple[Any, ...]] = []
    addresses: list[tuple[Any, ...]] = []
    affiliations: list[tuple[Any, ...]] = []
    notes: list[tuple[Any, ...]] = []
    tag_rows: list[tuple[Any, ...]] = []
    tokens: list[tuple[Any, ...]] = []
    ties: list[Tie] = []
    pairs: list[DuplicatePair] = []
    now = timezone.now()
    org_key = lru_cache(maxsize=None)(lambda name: org_ids[fold(name)[:200]])
    for row in work.rows:
        pid = row.person.pk
        record = row.record
        emails += [(pid, a[:254], "work", i == 0) for i, a in enumerate(record.emails)]
        phones += [(pid, n[:40], "mobile") for n in record.phones]
        if (address := _address(record, pid)) is not None:
            addresses.append(address)
        if row.organisation:
            affiliations.append((pid, org_key(row.organisation), _clip(record.job_title, 200)))
        if record.notes and member is not None:
            notes.append((pid, member, record.notes, False, now))
        if tie_member is not None:
            ties.append(_linkedin_tie(pid, tie_member, record))
        tag_rows += [(pid, tag_ids[t.casefold()]) for t in row.tags]
        tokens += [(pid, t) for t in row.tokens]
        if row.duplicate_of is not None:
            other, score = row.duplicate_of
            a, b = sorted((pid, other))
            pairs.append(DuplicatePair(person_a_id=a, person_b_id=b, score=score, kind="probable",
                                       batch=batch, reasons=[{"code": "import", "text": ""}]))  # fmt: skip
    progress("saving", total, total)
    insert_values(EmailAddress, ("person", "address", "kind", "is_primary"), emails)
    insert_values(PhoneNumber, ("person", "number", "kind"), phones)
    insert_values(
        PostalAddress, ("person", "street", "postal_code", "city", "country", "kind"), addresses
    )
    insert_values(Affiliation, ("person", "organisation", "role"), affiliations)
    insert_values(Note, ("person", "author", "text", "is_private", "created_at"), notes)
    insert_values(Person.tags.through, ("person", "tag"), tag_rows)
    insert_values(PersonSearchToken, ("person", "token"), tokens)
    insert_rows(Tie, ties)
    DuplicatePair.objects.bulk_create(pairs, batch_size=CHUNK, ignore_conflicts=True)
    matched_ties = _matched_ties(work.matched, tie_member) if tie_member is not None else []
    return {
        "persons": total,
        "organisations": new_orgs,
        "matched_ties": matched_ties,
        "ties": len(ties),
        "counts": expected_counts(
            emails=len(emails),
            phones=len(phones),
            addresses=len(addresses),
            affiliations=len(affiliations),
            notes=len(notes),
            ties=len(ties),
            tags=len(tag_rows),
        ),  # fmt: skip
    }


def _linkedin_tie(person_id: int, member_id: int, record: ContactRecord) -> Tie:
    return Tie(person_id=person_id, member_id=member_id, strength=LINKEDIN_TIE_STRENGTH,
               since=record.connected_on, how_met=TieOrigin.OTHER, how_met_note="LinkedIn")  # fmt: skip


def _matched_ties(matched: list[tuple[ContactRecord, int]], member_id: int) -> list[int]:
    """Ties from the importing member to LinkedIn connections that were already known; only
    where the member had no tie yet (a declared tie says more than a connection)."""
    existing = set(
        Tie.objects.filter(member_id=member_id, person_id__in=[p for _, p in matched])
        .values_list("person_id", flat=True)
    )  # fmt: skip
    new: dict[int, Tie] = {}
    for record, pid in matched:
        if pid not in existing and pid not in new:
            new[pid] = _linkedin_tie(pid, member_id, record)
    return [t.pk for t in insert_rows(Tie, list(new.values()))]


def expected_counts(**counts: int) -> dict[str, int]:
    """Rows the import made per related table, keyed like undo's check (see undo.related_counts)."""
    names = {
        "emails": "relations.emailaddress.person", "phones": "relations.phonenumber.person",
        "addresses": "relations.postaladdress.person", "affiliations": "relations.affiliation.person",
        "notes": "relations.note.person", "ties": "relations.tie.person",
        "tags": "relations.person_tags.person",
    }  # fmt: skip
    return {names[k]: v for k, v in counts.items() if v}


def commit_batch(
    batch_id: int, *, organisations: models.QuerySet[Organisation], progress: Progress,
    now: Callable[[], dt.datetime] = timezone.now,
) -> ImportBatch:  # fmt: skip
    """Commit a batch that the service has marked running: all of it in one transaction."""
    batch = ImportBatch.objects.select_related("created_by__user").get(pk=batch_id)
    if batch.status != BatchStatus.RUNNING:
        raise CommitRefused(batch.status)
    records, decisions = unpack(bytes(ImportFile.objects.get(batch=batch).records))
    work = plan(records, decisions, batch=batch, progress=progress)
    with transaction.atomic():
        locked = ImportBatch.objects.select_for_update().get(pk=batch_id)
        if locked.status != BatchStatus.RUNNING:
            raise CommitRefused(locked.status)
        made = commit_plan(batch, work, organisations=organisations, progress=progress)
        ImportBatch.objects.filter(pk=batch_id).update(
            status=BatchStatus.COMMITTED, committed_at=now(), created_persons=made["persons"],
            undo_record={k: v for k, v in made.items() if k != "persons"}, phase="",
            progress_done=made["persons"], progress_total=made["persons"],
        )  # fmt: skip
        # The file and its rows are not kept once they are in the registry (data minimisation).
        ImportFile.objects.filter(batch_id=batch_id).delete()
        audit_record(
            actor=batch.created_by, action="import", target=batch,
            detail={"persons": made["persons"], "organisations": len(made["organisations"]),
                    "ties": made["ties"] + len(made["matched_ties"]), "format": batch.format},
        )  # fmt: skip
    batch.refresh_from_db()
    return batch
