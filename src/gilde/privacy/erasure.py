"""The right to erasure (AVG art. 17): anonymise a person in one transaction, keep a register of
erasures that holds nothing erased, and replay it after a backup is restored.

What happens to a person's data:

- the person row keeps its number, tier, stakeholder types, language, owner and dates (counts
  per tier stay right) and loses everything else: names, initials, title, website, LinkedIn,
  photo (the file too), birthday, passions, talents, interests, source, tags, search words;
- e-mail addresses, phone numbers, postal addresses, jobs (affiliations) and notes about them
  are deleted;
- contact moments in which they were the only relation lose their texts (the summary becomes
  the erased marker), so the fact that a meeting took place still counts; in moments with
  other relations, every mention of their names, e-mail addresses and phone numbers is
  replaced by the marker;
- free text elsewhere (other contact moments, notes, follow-ups, favours, tie and organisation
  notes) that names them in full, or gives their e-mail address or phone number, has that
  mention replaced;
- ties and favours stay as counts, without their notes; the privacy file keeps only dates;
- places on event guest lists stay (turnout figures remain right) without their answers:
  companion, dietary wishes, whom they wanted to meet, bounce messages.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone

from gilde.accounts.models import Member
from gilde.audit.models import AuditAction
from gilde.audit.services import audit_record
from gilde.contacts.models import ContactMoment, FollowUp
from gilde.core.web import MAX_ID
from gilde.events.models import Guest
from gilde.goodwill.models import Favour
from gilde.permissions import require_privacy_officer
from gilde.privacy.models import ErasureRecord, PersonPrivacy
from gilde.privacy.services import privacy_file
from gilde.relations.models import (
    Affiliation,
    EmailAddress,
    Note,
    Organisation,
    OrganisationLink,
    Person,
    PersonSearchToken,
    PhoneNumber,
    PostalAddress,
    Tie,
)

ERASED = "[…]"

# Free text anywhere in Gilde that may mention a person by name: (model, text fields).
FREE_TEXT: tuple[tuple[type[models.Model], tuple[str, ...]], ...] = (
    (ContactMoment, ("summary", "notes", "signals")),
    (Note, ("text",)),
    (FollowUp, ("title",)),
    (Favour, ("note",)),
    (Tie, ("how_met_note",)),
    (Organisation, ("description",)),
    (OrganisationLink, ("note",)),
)
# Rows about the person that this module handles itself; any other model pointing at Person
# (added later by another part of Gilde) has its text columns scrubbed generically.
HANDLED: set[type[models.Model]] = {
    ContactMoment,
    Note,
    FollowUp,
    Favour,
    Tie,
    Affiliation,
    PersonSearchToken,
    PersonPrivacy,
    EmailAddress,
    PhoneNumber,
    PostalAddress,
}


def _words(text: str) -> list[str]:
    return [w for w in re.split(r"[\s,]+", text.strip()) if w]


def _phrase(words: list[str]) -> re.Pattern[str]:
    body = r"[\s,]+".join(re.escape(w) for w in words)
    return re.compile(rf"(?<!\w){body}(?!\w)", re.IGNORECASE)


def _phone(number: str) -> list[re.Pattern[str]]:
    """A phone number however it is written: with or without spaces, dashes and brackets, and
    a Dutch number in its national form (06…) as well as its international one (+31 6…)."""
    digits = re.sub(r"\D", "", number)
    forms = {digits}
    if digits.startswith("31"):
        forms.add("0" + digits[2:])
    if digits.startswith("0") and not digits.startswith("00"):
        forms.add("31" + digits[1:])
    sep = r"[\s\-.()/]*"
    return [
        re.compile(rf"(?<!\d)\+?{sep.join(form)}(?!\d)") for form in sorted(forms) if len(form) >= 6
    ]


class Mentions:
    """Ways the person is named: `full` (whole names, e-mail addresses, phone numbers) identify
    them anywhere; `partial` (given name or family name alone) only in text about them."""

    def __init__(self, person: Person, emails: Iterable[str], phones: Iterable[str]) -> None:
        given, tv, family = person.given_name, person.tussenvoegsel, person.family_name
        full: list[list[str]] = []
        for first in {given, person.initials, f"{person.title} {given}".strip()}:
            if first and family:
                full.append(_words(f"{first} {tv} {family}"))
                full.append(_words(f"{family}, {first} {tv}"))
        partial = [_words(f"{tv} {family}"), _words(family)]
        if len(given) >= 2:
            partial.append(_words(given))
        self.emails = sorted({e.strip() for e in emails if e.strip()}, key=len, reverse=True)
        self.full = [re.compile(re.escape(e), re.IGNORECASE) for e in self.emails]
        self.full += [p for number in phones for p in _phone(number)]
        self.full += [_phrase(w) for w in sorted(full, key=len, reverse=True) if w]
        self.partial = [_phrase(w) for w in sorted(partial, key=len, reverse=True) if w]
        self.family = family

    def scrub(self, text: str, *, about_them: bool) -> str:
        for pattern in self.full + (self.partial if about_them else []):
            text = pattern.sub(ERASED, text)
        return text

    def candidates(self, fields: tuple[str, ...]) -> Q:
        """Rows that may mention them: a cheap filter before the exact patterns run."""
        needles = [self.family, *self.emails] if len(self.family) >= 2 else self.emails
        condition = Q(pk__in=[])
        for needle in needles:
            for field in fields:
                condition |= Q(**{f"{field}__icontains": needle})
        return condition


def _scrub_rows(
    rows: Iterable[models.Model], fields: tuple[str, ...], mentions: Mentions, *, about_them: bool
) -> int:
    changed = 0
    for row in rows:
        updates = {}
        for name in fields:
            old = getattr(row, name) or ""
            new = mentions.scrub(old, about_them=about_them)
            if new != old:
                limit = getattr(row._meta.get_field(name), "max_length", None)
                updates[name] = new[:limit] if limit else new
        if updates:
            type(row)._default_manager.filter(pk=row.pk).update(**updates)
            changed += 1
    return changed


def _text_fields(model: type[models.Model]) -> tuple[str, ...]:
    return tuple(
        f.name
        for f in model._meta.concrete_fields
        if isinstance(f, models.CharField | models.TextField) and not f.choices
    )


def _erase_texts(person: Person, mentions: Mentions, counts: dict[str, int]) -> None:
    own_ids = list(ContactMoment.objects.filter(persons=person).values_list("pk", flat=True))
    own_moments = ContactMoment.objects.filter(pk__in=own_ids)
    # Counted on a fresh queryset: counting on the filtered join would always say one.
    alone_ids = list(
        own_moments.annotate(n=models.Count("persons")).filter(n=1).values_list("pk", flat=True)
    )
    counts["contact_moments_blanked"] = ContactMoment.objects.filter(pk__in=alone_ids).update(
        summary=ERASED, notes="", signals=""
    )
    shared = own_moments.exclude(pk__in=alone_ids)
    counts["contact_moments_scrubbed"] = _scrub_rows(
        shared, ("summary", "notes", "signals"), mentions, about_them=True
    )
    counts["follow_ups_scrubbed"] = _scrub_rows(
        FollowUp.objects.filter(Q(person=person) | Q(contact_moment__persons=person)).distinct(),
        ("title",),
        mentions,
        about_them=True,
    )
    counts["favour_notes_blanked"] = (
        Favour.objects.filter(person=person).exclude(note="").update(note="")
    )
    counts["tie_notes_blanked"] = (
        Tie.objects.filter(Q(person=person) | Q(other_person=person))
        .exclude(how_met_note="")
        .update(how_met_note="")
    )
    counts["event_answers_blanked"] = Guest.objects.filter(person=person).update(
        companion_name="", dietary_wishes="", wish_to_meet="", bounce_reason=""
    )
    counts["autolog_entries_deleted"] = _erase_found(person, mentions)
    counts["notes_deleted"] = Note.objects.filter(person=person).delete()[0]
    counts["affiliations_deleted"] = Affiliation.objects.filter(person=person).delete()[0]
    # Elsewhere: whole names, e-mail addresses and phone numbers only.
    elsewhere = 0
    for model, fields in FREE_TEXT:
        rows = model._default_manager.filter(mentions.candidates(fields))
        elsewhere += _scrub_rows(rows, fields, mentions, about_them=False)
    counts["mentions_elsewhere_scrubbed"] = elsewhere
    # Rows of other parts of Gilde that point at the person.
    for relation in Person._meta.get_fields(include_hidden=True):
        related = relation.related_model
        if not relation.auto_created or relation.many_to_many or not isinstance(related, type):
            continue
        if related in HANDLED or relation.concrete:
            continue
        target: type[models.Model] = related
        fields = _text_fields(target)
        field_name = relation.field.name  # type: ignore[union-attr]
        if fields:
            rows = target._default_manager.filter(**{field_name: person})
            _scrub_rows(rows, fields, mentions, about_them=True)


def _erase_found(person: Person, mentions: Mentions) -> int:
    """Contacts found in mail or calendars about them that were never logged (waiting for
    review, or discarded) go; their address leaves the lists of addresses without a relation.
    Logged ones are contact moments, handled above."""
    from gilde.autolog.models import Entry, EntryStatus

    deleted = Entry.objects.filter(persons=person).exclude(status=EntryStatus.LOGGED).delete()[0]
    addresses = {a.lower() for a in mentions.emails}
    for entry in Entry.objects.exclude(unknown_addresses=[]).only("pk", "unknown_addresses"):
        kept = [a for a in entry.unknown_addresses if a not in addresses]
        if len(kept) != len(entry.unknown_addresses):
            Entry.objects.filter(pk=entry.pk).update(unknown_addresses=kept)
    return deleted


def _erase_person_row(person: Person, counts: dict[str, int]) -> None:
    counts["emails_deleted"] = person.emails.all().delete()[0]
    counts["phones_deleted"] = person.phones.all().delete()[0]
    counts["addresses_deleted"] = person.addresses.all().delete()[0]
    PersonSearchToken.objects.filter(person=person).delete()
    person.tags.clear()
    photo = person.photo.name
    if photo:
        storage = person.photo.storage
        transaction.on_commit(lambda: storage.delete(photo))
    blank = {
        "given_name": "",
        "tussenvoegsel": "",
        "initials": "",
        "title": "",
        "website": "",
        "linkedin_url": "",
        "photo": "",
        "birthday": None,
        "passions": "",
        "talents": "",
        "interests": "",
        "source": "",
        "search_text": "",
    }
    for name, value in blank.items():
        setattr(person, name, value)
    person.family_name = ERASED
    person.refresh_names()
    Person.objects.filter(pk=person.pk).update(
        **blank, family_name=ERASED, sort_name=person.sort_name, version=models.F("version") + 1
    )


def _journal_path() -> Path | None:
    value = getattr(settings, "GILDE_ERASURE_JOURNAL", "")
    return Path(value) if value else None


def _journal_append(person_id: int, erased_at: str) -> None:
    path = _journal_path()
    if path is None:
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a", encoding="utf-8") as journal:
        journal.write(json.dumps({"person_id": person_id, "erased_at": erased_at}) + "\n")


def person_erase(*, actor: Member | None, person: Person, reason: str = "request") -> ErasureRecord:
    """Anonymise the person in one transaction and register the erasure (by number only).
    `actor` None means Gilde itself (re-applying the register, or automatic retention)."""
    if actor is not None:
        require_privacy_officer(actor)
    with transaction.atomic():
        person = Person.objects.select_for_update().get(pk=person.pk)
        mentions = Mentions(
            person,
            person.emails.values_list("address", flat=True),
            person.phones.values_list("number", flat=True),
        )
        counts: dict[str, int] = {}
        _erase_texts(person, mentions, counts)
        _erase_person_row(person, counts)
        now = timezone.now()
        file = privacy_file(person)
        file.balancing_note = file.consent_how = file.contract_reference = ""
        file.retention_reason = ""
        file.erased_at = now
        file.save()
        record, created = ErasureRecord.objects.get_or_create(
            person_id=person.pk,
            defaults={"erased_at": now, "erased_by": actor, "reason": reason, "counts": counts},
        )
        if not created:
            record.reapplied_at = now
            record.save(update_fields=["reapplied_at"])
        audit_record(actor=actor, action=AuditAction.ERASE, target=person, detail=counts)
        erased_at = record.erased_at.isoformat()
        transaction.on_commit(lambda: _journal_append(person.pk, erased_at))
    return record


class JournalError(Exception):
    """A journal file that is not an erasure journal; the message says why, in one line."""


def journal_entries(path: Path | None = None) -> dict[int, dt.datetime]:
    """Person ids (with their erasure moment) from the journal file. A line that is not an entry
    (a person id that no row can have, or no readable moment: a line cut short by a crash) is
    skipped; a missing file is an empty journal. A file that is not UTF-8 text, or has lines but
    no entry, is not a journal: JournalError."""
    path = path or _journal_path()
    entries: dict[int, dt.datetime] = {}
    if path is None or not path.exists():
        return entries
    try:
        lines = [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    except UnicodeDecodeError as exc:
        raise JournalError(f"{path} is not an erasure journal (not UTF-8 text).") from exc
    for line in lines:
        try:
            data = json.loads(line)
            person_id = int(data["person_id"])
            erased_at = _parse_moment(str(data["erased_at"]))
        except (ValueError, KeyError, TypeError, IndexError):
            continue
        if 0 < person_id <= MAX_ID and erased_at is not None:
            entries.setdefault(person_id, erased_at)
    if lines and not entries:
        raise JournalError(
            f"{path} holds no erasure journal entries "
            "(lines of JSON with a person_id and an erased_at moment)."
        )
    return entries


def _needs_erasure(person: Person) -> bool:
    file = privacy_file(person)
    return (
        file.erased_at is None
        or person.family_name != ERASED
        or person.emails.exists()
        or person.phones.exists()
        or person.addresses.exists()
    )


def register_restore(rows: Iterable[dict[str, Any]]) -> int:
    """Put register rows (read from the database before a restore) back; returns how many
    were missing."""
    added = 0
    for row in rows:
        _obj, created = ErasureRecord.objects.get_or_create(
            person_id=row["person_id"],
            defaults={k: v for k, v in row.items() if k not in {"id", "person_id", "erased_by_id"}},
        )
        added += created
    return added


def _advance_person_ids(past: int) -> None:
    """Make sure no new person is ever given the number of an erased one (a restored database
    also restores an older id sequence), or a later replay would erase the newcomer."""
    from django.db import connection

    table = Person._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "UPDATE sqlite_sequence SET seq = %s WHERE name = %s AND seq < %s",
                [past, table, past],
            )
        elif connection.vendor == "postgresql":
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "  # noqa: S608  # nosec B608
                f"GREATEST(%s, (SELECT COALESCE(MAX(id), 1) FROM {table})))",
                [past],
            )


def erasures_reapply(*, journal: Path | None = None, dry_run: bool = False) -> list[int]:
    """Erase again every registered person who is back (after restoring an older backup);
    returns their ids. Journal entries missing from the register are added to it. A person
    created after the erasure is someone else and is left alone."""
    from_journal = journal_entries(journal)
    with transaction.atomic():  # all of it or, when one erasure fails, none
        return _reapply(from_journal, dry_run=dry_run)


def _reapply(from_journal: dict[int, dt.datetime], *, dry_run: bool) -> list[int]:
    known = dict(ErasureRecord.objects.values_list("person_id", "erased_at"))
    redo: list[int] = []
    for person_id in sorted(set(known) | set(from_journal)):
        erased_at = known.get(person_id) or from_journal[person_id]
        person = Person.objects.filter(pk=person_id, created_at__lte=erased_at).first()
        if person is not None and _needs_erasure(person):
            redo.append(person_id)
            if not dry_run:
                person_erase(actor=None, person=person, reason="reapplied")
        elif person_id not in known and not dry_run:
            ErasureRecord.objects.create(person_id=person_id, erased_at=erased_at, reason="journal")
    if not dry_run and (known or from_journal):
        _advance_person_ids(max(set(known) | set(from_journal)))
    return redo


def _parse_moment(value: str) -> dt.datetime | None:
    """The moment a journal line gives, or None when it gives none."""
    from django.utils.dateparse import parse_datetime

    try:
        return parse_datetime(value)
    except ValueError:
        return None
