"""From an uploaded file to a preview: the interchange engine parses it, every row is matched
against the persons the importer can see, and each row gets a decision (new, matched, probable
duplicate). Nothing is written here."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import QuerySet

from gilde.interchange import ContactRecord, ImportLimits, parse_auto
from gilde.interchange.duplicates import Candidate, candidate_from_record, match_against
from gilde.interchange.keys import fold_email, normalise_linkedin
from gilde.interchange.records import ParseResult
from gilde.relations.models import Affiliation, EmailAddress, Person, PhoneNumber, PostalAddress

from .records import MATCH, NEW, PROBABLE, Decision

Progress = Callable[[str, int, int], None]
# An exact match (same e-mail, LinkedIn profile or phone and a name that fits) scores at least
# this; below it a match is only probable and the row is imported and queued for review.
EXACT_SCORE = 90
# How many rejected rows, warnings and matches the preview keeps to show.
SAMPLE = 500
TABULAR = ("csv", "xlsx")


def import_limits() -> ImportLimits:
    """The engine's limits, from the settings."""
    return ImportLimits(
        max_bytes=settings.GILDE_IMPORT_MAX_BYTES,
        max_rows=settings.GILDE_IMPORT_MAX_ROWS,
        max_columns=settings.GILDE_IMPORT_MAX_COLUMNS,
        max_zip_bytes=settings.GILDE_IMPORT_MAX_ZIP_BYTES,
        max_zip_ratio=settings.GILDE_IMPORT_MAX_ZIP_RATIO,
    )


@dataclass
class Preview:
    """What an import would do, row by row, with the counts and samples to show."""

    format: str
    columns: list[str]
    mapping: dict[str, str]
    records: list[ContactRecord]
    decisions: list[Decision]
    rejected: list[dict[str, object]]
    warnings: list[dict[str, object]]
    counts: dict[str, int] = field(default_factory=dict)
    matches: list[dict[str, object]] = field(default_factory=list)
    samples: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def summary(self) -> dict[str, object]:
        """The JSON kept on the batch: samples of rejected rows, warnings, matches and new rows
        (as read from the file, to show before committing), and sample values per column."""
        new = [
            row_shown(record)
            for record, decision in zip(self.records, self.decisions, strict=True)
            if decision[0] == NEW
        ]
        return {
            "rejected": self.rejected[:SAMPLE],
            "warnings": self.warnings[:SAMPLE],
            "matches": self.matches[:SAMPLE],
            "new": new[:NEW_SHOWN],
            "samples": {column: list(values) for column, values in self.samples.items()},
            "encoding": self.counts.get("encoding", ""),
        }


# New rows kept to show on the preview page (the counts say how many there are in all).
NEW_SHOWN = 100


def row_shown(record: ContactRecord) -> dict[str, object]:
    """A row of the file as the preview shows it beside, or instead of, a relation in Gilde."""
    return {
        "line": record.line,
        "name": record.display_name,
        "emails": list(record.emails[:3]),
        "phones": list(record.phones[:2]),
        "organisation": record.organisation,
        "job_title": record.job_title,
        "city": record.city,
    }


def registry_candidates(scope: QuerySet[Person]) -> list[Candidate]:
    """Every person in scope as the duplicate finder sees them, in five flat queries."""
    ids = scope.values("pk")
    emails: dict[int, list[str]] = defaultdict(list)
    for pid, address in EmailAddress.objects.filter(person__in=ids).values_list(
        "person_id", "address"
    ):
        emails[pid].append(address)
    phones: dict[int, list[str]] = defaultdict(list)
    for pid, number in PhoneNumber.objects.filter(person__in=ids).values_list(
        "person_id", "number"
    ):
        phones[pid].append(number)
    organisation = dict(
        Affiliation.objects.current()
        .filter(person__in=ids)
        .order_by("id")
        .values_list("person_id", "organisation__name")
    )
    city = dict(
        PostalAddress.objects.filter(person__in=ids)
        .exclude(city="")
        .order_by("-id")
        .values_list("person_id", "city")
    )
    rows = scope.values_list(
        "pk", "given_name", "initials", "tussenvoegsel", "family_name", "linkedin_url"
    )
    return [
        Candidate(
            pk,
            given,
            initials,
            tussen,
            family,
            tuple(emails.get(pk, ())),
            tuple(phones.get(pk, ())),
            linkedin,
            organisation.get(pk, ""),
            city.get(pk, ""),
        )
        for pk, given, initials, tussen, family, linkedin in rows.iterator(chunk_size=5000)
    ]


def _exact_keys(record: ContactRecord) -> Iterable[str]:
    yield from (f"e:{fold_email(e)}" for e in record.emails)
    if linkedin := normalise_linkedin(record.linkedin_url):
        yield f"l:{linkedin}"


def decide(
    records: list[ContactRecord], existing: list[Candidate]
) -> tuple[list[Decision], list[dict[str, object]]]:
    """A decision per record and the matches to show. A row whose e-mail or LinkedIn profile
    appeared on an earlier row of the same file is that same person: it is matched, not
    imported twice."""
    decisions: list[Decision] = [(NEW, None, 0)] * len(records)
    shown: list[dict[str, object]] = []
    best: dict[int, tuple[int, str, int | None, list[str]]] = {}
    if existing:
        incoming = [candidate_from_record(r, i) for i, r in enumerate(records)]
        for pair in match_against(existing, incoming):
            index = int(pair.a)  # type: ignore[call-overload]
            if index not in best:  # pairs come best first per incoming row
                codes = [r.code for r in pair.reasons]
                best[index] = (pair.score, pair.kind, int(pair.b), codes)  # type: ignore[call-overload]
    seen: dict[str, int] = {}
    for index, record in enumerate(records):
        keys = list(_exact_keys(record))
        earlier = next((seen[k] for k in keys if k in seen), None)
        for key in keys:
            seen.setdefault(key, index)
        if index in best:
            score, kind, pid, codes = best[index]
            exact = kind == "exact" and score >= EXACT_SCORE
            decisions[index] = (MATCH if exact else PROBABLE, pid, score)
            shown.append(
                {
                    "line": record.line,
                    "name": record.display_name or ", ".join(record.emails),
                    "person": pid,
                    "score": score,
                    "reasons": codes,
                    "action": decisions[index][0],
                    "row": row_shown(record),
                }
            )
        elif earlier is not None:
            decisions[index] = (MATCH, None, 100)
            shown.append(
                {
                    "line": record.line,
                    "name": record.display_name,
                    "person": None,
                    "score": 100,
                    "reasons": ["same_in_file"],
                    "action": MATCH,
                    "earlier_line": records[earlier].line,
                }
            )
    return decisions, shown


def preview_build(
    *,
    content: bytes,
    filename: str,
    format: str,
    mapping: dict[str, str] | None,
    scope: QuerySet[Person],
    progress: Progress | None = None,
) -> Preview:
    """Parse and match; raises ImportFileError (from the engine) for a file it cannot read."""
    report = progress or (lambda phase, done, total: None)
    report("reading", 0, 1)
    parsed: ParseResult = parse_auto(
        content, filename=filename, limits=import_limits(), mapping=mapping, format=format
    )
    records = list(parsed.records)
    report("matching", 0, len(records))
    decisions, matches = decide(records, registry_candidates(scope) if records else [])
    report("matching", len(records), len(records))
    actions = [d[0] for d in decisions]
    return Preview(
        format=parsed.format,
        columns=list(parsed.columns),
        mapping=dict(parsed.mapping),
        records=records,
        decisions=decisions,
        rejected=[
            {"line": r.line, "code": r.reason_code, "message": r.message} for r in parsed.rejected
        ],
        warnings=[
            {"line": w.line, "code": w.code, "message": w.message, "value": w.value[:200]}
            for w in parsed.warnings
        ],
        counts={
            "new": actions.count(NEW),
            "matched": actions.count(MATCH),
            "duplicates": actions.count(PROBABLE),
            "rejected": len(parsed.rejected),
            "warnings": len(parsed.warnings),
        },
        matches=matches,
        samples=dict(parsed.samples),
    )
