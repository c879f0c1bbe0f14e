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
from gilde.interchange import ContactRecord, normalise_phone
from gilde.interchange.keys import fold_email, normalise_linkedin
from gilde.maintenance.services import care_follow
from gilde.names import PersonName, fold, name_search_text, sort_key
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
from gilde.strategy.occasions import new_jobs_on_import

from .models import BatchStatus, DuplicatePair, ImportBatch, ImportFile
from .records import MATCH, PROBABLE, Decision, unpack

Progress = Callable[[str, int, int], None]
CHUNK = 2_000
LINKEDIN_FORMATS = ("linkedin", "linkedin_zip")
# A LinkedIn connection says the member knows the person, not how well: a light tie.
LINKEDIN_TIE_STRENGTH = 2
_POSTCODE_RE = re.compile(r"^(\d{4}\s?[A-Za-z]{2})\s+(.*)$")
_LANGUAGES = {
    "nl": Language.DUTCH,
    "ne": Language.DUTCH,
    "du": Language.DUTCH,
    "en": Language.ENGLISH,
    "engels": Language.ENGLISH,
    "de": Language.GERMAN,
    "duits": Language.GERMAN,
    "ge": Language.GERMAN,
    "fr": Language.FRENCH,
    "frans": Language.FRENCH,
}
_url = URLValidator()


class CommitRefused(Exception):
    """The batch is not (or no longer) in a state to be committed."""


@dataclass
class _Plan:
    """What the commit inserts. One tuple per new person (its column values in PERSON_COLUMNS
    order, without the id, which is reserved inside the transaction) and one per row of
    related data, so no model instance is made per row."""

    persons: list[tuple[Any, ...]] = field(default_factory=list)
    # (record, search tokens, organisation, tags, (existing person id, score) or None)
    rows: list[tuple[ContactRecord, set[str], str, list[str], tuple[int, int] | None]] = field(
        default_factory=list
    )
    matched: list[tuple[ContactRecord, int]] = field(default_factory=list)


# The person columns an import fills in per row; every other column takes the same value for
# the whole batch (owner, batch, timestamps, defaults).
PERSON_COLUMNS = (
    "given_name",
    "initials",
    "tussenvoegsel",
    "family_name",
    "title",
    "website",
    "linkedin_url",
    "language",
    "birthday",
    "source",
    "sort_name",
    "search_text",
)
_SPACE_RE = re.compile(r"\s+")


def _clip(value: str, length: int) -> str:
    return (value or "").strip()[:length]


def _fold(text: str) -> str:
    """gilde.names.fold, exactly; plain ASCII needs no Unicode decomposition."""
    if text.isascii():
        return _SPACE_RE.sub(" ", text.lower()).strip()
    return fold(text)


# Given names, family names, organisations and tags repeat throughout a large file: what is
# derived from them is computed once per distinct value.
_folded = lru_cache(maxsize=200_000)(_fold)


@lru_cache(maxsize=200_000)
def _name_derived(given: str, initials: str, tussen: str, family: str) -> tuple[str, str, str]:
    """(sort name, name search text, that text folded) as Person.refresh_names and
    relations.services.person_search_text derive them."""
    name = PersonName(given, initials, tussen, family)
    text = name_search_text(name)
    return sort_key(name)[:300], text, _fold(text)


def search_text(
    name_text: tuple[str, str], emails: Iterable[str], organisation: str, tags: Iterable[str]
) -> str:
    """relations.services.person_search_text for a new person without passions, talents or
    interests: the parts are folded one by one (most are cached), which gives the same text as
    folding them joined. ``name_text`` is (name search text, that text folded)."""
    parts = [name_text[1]] if name_text[0] else []
    parts += [_fold(e) for e in emails if e]
    if organisation:
        parts.append(_folded(organisation))
    parts += [_folded(t) for t in tags if t]
    joined = _SPACE_RE.sub(" ", " ~ ".join(parts)).strip()
    return f" {joined.replace(',', ' ')} ".replace("  ", " ")


def forget_names() -> None:
    """Empty the caches of derived names (personal data) once a batch has been prepared."""
    for cached in (_folded, _name_derived, _language):
        cached.cache_clear()


def _valid_url(value: str) -> str:
    value = (value or "").strip()
    if not value:
        return ""
    if not re.match(r"^[a-z]+://", value, re.I):
        value = "https://" + value
    try:
        _url(value)
    except ValidationError:
        return ""
    return value if len(value) <= 200 else ""


@lru_cache(maxsize=1024)
def _language(value: str) -> str:
    key = fold(value).strip()
    if not key:
        return Language.DUTCH
    return _LANGUAGES.get(key, _LANGUAGES.get(key[:2], Language.OTHER))


def person_values(
    record: ContactRecord, *, tags: list[str], default_source: str
) -> tuple[tuple[Any, ...], str]:
    """The PERSON_COLUMNS values of one imported row (names, details, provenance, sort name and
    search text, as the registry's services derive them) and the organisation it names."""
    family = _clip(record.family_name, 150)
    given, initials = _clip(record.given_name, 100), _clip(record.initials, 20)
    if not (family or record.given_name or record.initials):
        family = _clip(record.emails[0], 150) if record.emails else ""
    tussen = _clip(record.tussenvoegsel, 30)
    sort_name, *name_text = _name_derived(given, initials, tussen, family)
    organisation = _clip(record.organisation, 200)
    linkedin = record.linkedin_url
    birthday = record.birthday
    return (
        given,
        initials,
        tussen,
        family,
        _clip(record.title, 40),
        _valid_url(record.website),
        _valid_url(normalise_linkedin(linkedin) or linkedin) if linkedin else "",
        _language(record.language),
        connection.ops.adapt_datefield_value(birthday) if birthday else None,
        _clip(record.source or default_source, 200),
        sort_name,
        search_text((name_text[0], name_text[1]), record.emails, organisation, tags),
    ), organisation


def _tags_of(record: ContactRecord) -> list[str]:
    if not record.tags:
        return []
    return list(dict.fromkeys(_clip(t, 60) for t in record.tags if t.strip()))


def plan(
    records: Sequence[ContactRecord],
    decisions: Sequence[Decision],
    *,
    batch: ImportBatch,
    progress: Progress,
) -> _Plan:
    """Everything that can be computed before the transaction: the values of every person."""
    result = _Plan()
    total = len(records)
    default_source = f"{batch.format}:{batch.file_name}"
    persons, rows = result.persons, result.rows
    for index, (record, (action, existing, score)) in enumerate(
        zip(records, decisions, strict=True)
    ):
        if index % CHUNK == 0:
            progress("preparing", index, total)
        if action == MATCH:
            if existing is not None:
                result.matched.append((record, existing))
            continue
        tags = _tags_of(record)
        values, organisation = person_values(record, tags=tags, default_source=default_source)
        persons.append(values)
        duplicate = (existing, score) if action == PROBABLE and existing is not None else None
        tokens = PersonSearchToken.tokens_of(values[-1])
        rows.append((record, tokens, organisation, tags, duplicate))
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


def reserve_ids(model: type[models.Model], count: int) -> list[int]:
    """Primary keys for `count` new rows, so they can be inserted with plain INSERTs (or COPY)
    and the rows that point at them built without reading anything back. Must run inside the
    transaction that inserts them: PostgreSQL hands the numbers out from the table's sequence
    (safe next to concurrent inserts); SQLite's IMMEDIATE transaction already holds the write
    lock, so the numbers after the highest ever used are free."""
    if count <= 0:
        return []
    quote = connection.ops.quote_name
    table, pk = model._meta.db_table, str(model._meta.pk.column)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [quote(table), pk, count],
            )
            return [int(row[0]) for row in cursor.fetchall()]
        cursor.execute(f"SELECT MAX({quote(pk)}) FROM {quote(table)}")  # noqa: S608 - names come from the model  # nosec B608
        top = int(cursor.fetchone()[0] or 0)
        if connection.vendor == "sqlite":
            # AUTOINCREMENT: never reuse the number of a deleted row.
            cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
            row = cursor.fetchone()
            top = max(top, int(row[0])) if row else top
    return list(range(top + 1, top + 1 + count))


def batch_constants(
    model: type[models.Model], varying: Sequence[str], **values: Any
) -> tuple[tuple[str, ...], tuple[Any, ...]]:
    """(field names, database values) of every column not in `varying`, as a new instance made
    with `values` would save them: defaults, auto_now timestamps, the batch-wide foreign keys."""
    template = model(**values)
    names: list[str] = []
    prepared: list[Any] = []
    for f in model._meta.concrete_fields:
        if f.primary_key or f.name in varying:
            continue
        names.append(f.name)
        prepared.append(f.get_db_prep_save(f.pre_save(template, add=True), connection))
    return tuple(names), tuple(prepared)


def _organisations(
    names: set[str], batch: ImportBatch, scope: models.QuerySet[Organisation]
) -> tuple[dict[str, int], list[int]]:
    """Organisation id per folded name: matched by name among those in scope, else created."""
    wanted = {_folded(n)[:200]: n for n in names if n}  # one fold per distinct name
    found: dict[str, int] = {}
    for pk, key in scope.order_by("id").values_list("pk", "sort_name").iterator(chunk_size=5000):
        if key in wanted:
            found.setdefault(key, pk)
    new = [(key, name) for key, name in wanted.items() if key not in found]
    ids = reserve_ids(Organisation, len(new))
    names_, constants = batch_constants(
        Organisation, ("name", "sort_name"), owner_id=batch.owner_id, source=f"import:{batch.pk}"
    )
    insert_values(
        Organisation,
        ("id", "name", "sort_name", *names_),
        [(pk, name, key, *constants) for pk, (key, name) in zip(ids, new, strict=True)],
    )
    found.update((key, pk) for pk, (key, _) in zip(ids, new, strict=True))
    return found, ids


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
    """Plain INSERTs through executemany, or COPY on PostgreSQL: no model instance per row.
    For persons and the tables that hang off them (a 100,000-row import writes over a million
    search tokens)."""
    if not rows:
        return
    table = connection.ops.quote_name(model._meta.db_table)
    column = {f.name: str(f.column) for f in model._meta.concrete_fields}
    names = ", ".join(connection.ops.quote_name(column[c]) for c in columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            return
        sql = f"INSERT INTO {table} ({names}) VALUES ({', '.join(['%s'] * len(columns))})"  # noqa: S608 - names come from the models  # nosec B608
        for chunk in _chunks(rows, 10 * CHUNK):
            cursor.executemany(sql, chunk)


def commit_plan(
    batch: ImportBatch,
    work: _Plan,
    *,
    organisations: models.QuerySet[Organisation],
    progress: Progress,
) -> dict[str, Any]:
    """Insert everything of the plan; must run inside the caller's transaction."""
    org_ids, new_orgs = _organisations({r[2] for r in work.rows}, batch, organisations)
    tag_ids = _tags({t for r in work.rows for t in r[3]})
    total = len(work.rows)
    person_ids = reserve_ids(Person, total)
    names, constants = batch_constants(
        Person, PERSON_COLUMNS, owner_id=batch.owner_id, import_batch_id=batch.pk
    )
    insert_values(
        Person,
        ("id", *PERSON_COLUMNS, *names),
        [(pid, *values, *constants) for pid, values in zip(person_ids, work.persons, strict=True)],
    )
    progress("saving", total, total)
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
    org_key = lru_cache(maxsize=None)(lambda name: org_ids[_folded(name)[:200]])
    for pid, (record, row_tokens, organisation, row_tags, duplicate_of) in zip(
        person_ids, work.rows, strict=True
    ):
        if record.emails:
            emails += [(pid, a[:254], "work", i == 0) for i, a in enumerate(record.emails)]
        if record.phones:
            phones += [(pid, n[:40], "mobile") for n in record.phones]
        if (address := _address(record, pid)) is not None:
            addresses.append(address)
        if organisation:
            affiliations.append((pid, org_key(organisation), _clip(record.job_title, 200)))
        if record.notes and member is not None:
            notes.append((pid, member, record.notes, False, now))
        if tie_member is not None:
            ties.append(_linkedin_tie(pid, tie_member, record))
        if row_tags:
            tag_rows += [(pid, tag_ids[t.casefold()]) for t in row_tags]
        tokens += [(pid, t) for t in row_tokens]
        if duplicate_of is not None:
            other, score = duplicate_of
            a, b = sorted((pid, other))
            pairs.append(
                DuplicatePair(
                    person_a_id=a,
                    person_b_id=b,
                    score=score,
                    kind="probable",
                    batch=batch,
                    reasons=[{"code": "import", "text": ""}],
                )
            )
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
    filled = fill_matched(work.matched)
    # A matched relation named at another organisation has a new job: worth a message.
    new_jobs_on_import((pid, record.organisation) for record, pid in work.matched)
    return {
        "persons": total,
        "organisations": new_orgs,
        "matched_ties": matched_ties,
        **filled,
        "ties": len(ties),
        "counts": expected_counts(
            emails=len(emails),
            phones=len(phones),
            addresses=len(addresses),
            affiliations=len(affiliations),
            notes=len(notes),
            ties=len(ties),
            tags=len(tag_rows),
        ),
    }


def _linkedin_tie(person_id: int, member_id: int, record: ContactRecord) -> Tie:
    return Tie(
        person_id=person_id,
        member_id=member_id,
        strength=LINKEDIN_TIE_STRENGTH,
        since=record.connected_on,
        how_met=TieOrigin.OTHER,
        how_met_note="LinkedIn",
    )


def _matched_ties(matched: list[tuple[ContactRecord, int]], member_id: int) -> list[int]:
    """Ties from the importing member to LinkedIn connections that were already known; only
    where the member had no tie yet (a declared tie says more than a connection)."""
    existing = set(
        Tie.objects.filter(member_id=member_id, person_id__in=[p for _, p in matched]).values_list(
            "person_id", flat=True
        )
    )
    new: dict[int, Tie] = {}
    for record, pid in matched:
        if pid not in existing and pid not in new:
            new[pid] = _linkedin_tie(pid, member_id, record)
    return [t.pk for t in insert_rows(Tie, list(new.values()))]


def _phone_key(number: str) -> str:
    """The number as the import reads phone numbers (E.164, Dutch without a country code), so a
    stored "06 12345678" is the same as an imported "+31612345678"; its digits if unreadable."""
    return normalise_phone(number).e164 or re.sub(r"\D", "", number)


def fill_matched(matched: list[tuple[ContactRecord, int]]) -> dict[str, Any]:
    """Add what a matched row knows and the existing person lacks: e-mail addresses and phone
    numbers they do not have yet, and a LinkedIn profile where none is recorded. Nothing the
    person has is overwritten. Returns what was added, so that undo can take it away again:
    {"filled_emails": [ids], "filled_phones": [ids], "filled_linkedin": {person id: url}}."""
    if not matched:
        return {}
    ids = sorted({pid for _, pid in matched})
    emails: dict[int, set[str]] = {pid: set() for pid in ids}
    phones: dict[int, set[str]] = {pid: set() for pid in ids}
    no_linkedin: set[int] = set()
    for chunk in _chunks(ids):
        rows = EmailAddress.objects.filter(person_id__in=chunk).values_list("person_id", "address")
        for pid, address in rows:
            emails[pid].add(fold_email(address))
        for pid, number in PhoneNumber.objects.filter(person_id__in=chunk).values_list(
            "person_id", "number"
        ):
            phones[pid].add(_phone_key(number))
        no_linkedin.update(
            Person.objects.filter(pk__in=chunk, linkedin_url="").values_list("pk", flat=True)
        )
    new_emails: list[EmailAddress] = []
    new_phones: list[PhoneNumber] = []
    linkedin: dict[int, str] = {}
    for record, pid in matched:
        for address in record.emails:
            key = fold_email(address)
            if key and key not in emails[pid]:
                new_emails.append(
                    EmailAddress(
                        person_id=pid,
                        address=address[:254],
                        kind="work",
                        is_primary=not emails[pid],
                    )
                )
                emails[pid].add(key)
        for number in record.phones:
            key = _phone_key(number)
            if key and key not in phones[pid]:
                new_phones.append(PhoneNumber(person_id=pid, number=number[:40], kind="mobile"))
                phones[pid].add(key)
        url = normalise_linkedin(record.linkedin_url) if record.linkedin_url else ""
        if url and pid in no_linkedin and _valid_url(url):
            linkedin[pid] = url
            no_linkedin.discard(pid)
    email_ids = [e.pk for e in insert_rows(EmailAddress, new_emails)]
    phone_ids = [p.pk for p in insert_rows(PhoneNumber, new_phones)]
    for pid, url in linkedin.items():
        # A new version: an edit form opened before the import is then refused, not overwriting.
        Person.objects.filter(pk=pid, linkedin_url="").update(
            linkedin_url=url, version=models.F("version") + 1
        )
    reindex_persons({e.person_id for e in new_emails})
    if not (email_ids or phone_ids or linkedin):
        return {}
    touched = {e.person_id for e in new_emails} | {p.person_id for p in new_phones} | set(linkedin)
    return {
        "filled_emails": email_ids,
        "filled_phones": phone_ids,
        "filled_linkedin": {str(k): v for k, v in linkedin.items()},
        "filled_persons": len(touched),
    }


def reindex_persons(person_ids: Iterable[int]) -> None:
    """Search text and words of persons whose e-mail addresses changed."""
    from gilde.relations.services import person_reindex

    for person in Person.objects.filter(pk__in=list(person_ids)):
        person_reindex(person=person)


def expected_counts(**counts: int) -> dict[str, int]:
    """Rows the import made per related table, keyed like undo's check (see undo.related_counts)."""
    names = {
        "emails": "relations.emailaddress.person",
        "phones": "relations.phonenumber.person",
        "addresses": "relations.postaladdress.person",
        "affiliations": "relations.affiliation.person",
        "notes": "relations.note.person",
        "ties": "relations.tie.person",
        "tags": "relations.person_tags.person",
    }
    return {names[k]: v for k, v in counts.items() if v}


def _persons_with_new_colleague_ties(batch: ImportBatch, matched_ties: list[int]) -> set[int]:
    ties = Tie.objects.filter(member__isnull=False).filter(
        models.Q(person__import_batch=batch) | models.Q(pk__in=matched_ties)
    )
    return set(ties.values_list("person_id", flat=True))


def commit_batch(
    batch_id: int,
    *,
    organisations: models.QuerySet[Organisation],
    progress: Progress,
    now: Callable[[], dt.datetime] = timezone.now,
) -> ImportBatch:
    """Commit a batch that the service has marked running: all of it in one transaction."""
    batch = ImportBatch.objects.select_related("created_by__user").get(pk=batch_id)
    if batch.status != BatchStatus.RUNNING:
        raise CommitRefused(batch.status)
    records, decisions = unpack(bytes(ImportFile.objects.get(batch=batch).records))
    try:
        work = plan(records, decisions, batch=batch, progress=progress)
    finally:
        forget_names()
    with transaction.atomic():
        locked = ImportBatch.objects.select_for_update().get(pk=batch_id)
        if locked.status != BatchStatus.RUNNING:
            raise CommitRefused(locked.status)
        # A first write, so that SQLite holds its write lock before ids are reserved (it does
        # already when transactions start IMMEDIATE, as the settings make them).
        ImportBatch.objects.filter(pk=batch_id).update(phase="saving")
        made = commit_plan(batch, work, organisations=organisations, progress=progress)
        care_follow(person_ids=_persons_with_new_colleague_ties(batch, made["matched_ties"]))
        ImportBatch.objects.filter(pk=batch_id).update(
            status=BatchStatus.COMMITTED,
            committed_at=now(),
            created_persons=made["persons"],
            undo_record={k: v for k, v in made.items() if k != "persons"},
            phase="",
            progress_done=made["persons"],
            progress_total=made["persons"],
        )
        # The file and its rows are not kept once they are in the registry (data minimisation).
        ImportFile.objects.filter(batch_id=batch_id).delete()
        audit_record(
            actor=batch.created_by,
            action="import",
            target=batch,
            detail={
                "persons": made["persons"],
                "organisations": len(made["organisations"]),
                "ties": made["ties"] + len(made["matched_ties"]),
                "format": batch.format,
                "details_added_to": made.get("filled_persons", 0),
            },
        )
    batch.refresh_from_db()
    return batch
