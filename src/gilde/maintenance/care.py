"""Keeping the derived maintenance figures current, set-based: one SQL pass over the contact
history, NumPy for the scores, bulk writes. The same code serves a whole-network rebuild and the
few persons a single contact moment touches, so both always agree."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass

import numpy as np
from django.db import connection, transaction
from django.db.models import Max, Q
from django.utils import timezone

from gilde.contacts.models import ContactMoment
from gilde.maintenance import strength
from gilde.maintenance.models import RelationCare, TieStrength
from gilde.maintenance.rhythm import Rhythm, due_dates
from gilde.relations.models import Person, Tie

BATCH = 2000
# Beyond this many persons a refresh runs over the whole network: one pass beats an IN list.
FULL_PASS_ABOVE = 5000


@dataclass(frozen=True)
class RecomputeResult:
    persons: int
    ties: int
    seconds: float


def _day_expression() -> str:
    """Days since 1970 of cm.occurred_at, in the database's own dialect."""
    if connection.vendor == "postgresql":
        return "EXTRACT(EPOCH FROM cm.occurred_at) / 86400.0"
    return "(julianday(cm.occurred_at) - 2440587.5)"


def _kind_expression() -> str:
    whens = " ".join(f"WHEN '{kind}' THEN {i}" for i, kind in enumerate(strength.KINDS))
    return f"CASE cm.kind {whens} ELSE {strength.KINDS.index('other')} END"


def _contact_sql(person_ids: Collection[int] | None) -> tuple[str, list[int]]:
    persons_t = ContactMoment.persons.through._meta.db_table
    members_t = ContactMoment.members.through._meta.db_table
    moment_t = ContactMoment._meta.db_table
    tie_t = Tie._meta.db_table
    where, params = "", []
    if person_ids is not None:
        where = f"AND mp.person_id IN ({', '.join(['%s'] * len(person_ids))})"
        params = list(person_ids)
    # CROSS JOIN fixes SQLite's join order: from each person link to its moment, its few
    # members and the tie by its unique (member, person) index. PostgreSQL plans it freely.
    sql = f"""
        SELECT t.id, {_day_expression()}, {_kind_expression()},
               (SELECT COUNT(*) FROM {persons_t} x WHERE x.contactmoment_id = cm.id)
             + (SELECT COUNT(*) FROM {members_t} y WHERE y.contactmoment_id = cm.id) - 2
        FROM {persons_t} mp
        CROSS JOIN {moment_t} cm
        CROSS JOIN {members_t} mm
        CROSS JOIN {tie_t} t
        WHERE cm.id = mp.contactmoment_id AND mm.contactmoment_id = cm.id
          AND t.member_id = mm.member_id AND t.person_id = mp.person_id {where}
    """  # noqa: S608 - table names come from the models, values are parameters
    return sql, params


def _ties(person_ids: Collection[int] | None) -> list[tuple[int, int, int, int, dt.date | None]]:
    qs = Tie.objects.filter(member__isnull=False).order_by("id")
    if person_ids is not None:
        qs = qs.filter(person_id__in=person_ids)
    return list(qs.values_list("id", "member_id", "person_id", "strength", "since"))


def strengths_for(
    person_ids: Collection[int] | None, now: dt.datetime
) -> tuple[list[tuple[int, int, int, int, dt.date | None]], strength.Strengths]:
    """The member ties of these persons (None: all) with their freshly computed strengths."""
    ties = _ties(person_ids)
    sql, params = _contact_sql(person_ids)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    now_days = now.timestamp() / 86400.0
    if rows:
        data = np.array(rows, dtype=np.float64)
        tie_ids = np.array([t[0] for t in ties], dtype=np.int64)  # ascending: ordered by id
        contacts = strength.Contacts(
            tie=np.searchsorted(tie_ids, data[:, 0].astype(np.int64)),
            age_days=now_days - data[:, 1],
            kind=data[:, 2].astype(np.int64),
            others=data[:, 3].astype(np.int64),
        )
    else:
        empty = np.zeros(0, dtype=np.int64)
        contacts = strength.Contacts(empty, np.zeros(0), empty, empty)
    today = timezone.localdate(now)
    declared = np.array([t[3] for t in ties], dtype=np.int64)
    known = np.array([(today - t[4]).days if t[4] else np.nan for t in ties], dtype=np.float64)
    return ties, strength.compute(contacts, declared, known)


def _moment_at(now: dt.datetime, age: float) -> dt.datetime | None:
    return None if np.isnan(age) else now - dt.timedelta(days=float(age))


def _strength_rows(
    ties: list[tuple[int, int, int, int, dt.date | None]], s: strength.Strengths, now: dt.datetime
) -> list[TieStrength]:
    rows = []
    for i, (tie_id, member_id, person_id, _declared, _since) in enumerate(ties):
        kind = int(s.last_kind[i])
        rows.append(
            TieStrength(
                tie_id=tie_id,
                member_id=member_id,
                person_id=person_id,
                score=int(s.score[i]),
                contacts_year=int(s.contacts_year[i]),
                meetings_year=int(s.meetings_year[i]),
                calls_year=int(s.calls_year[i]),
                contacts_total=int(s.contacts_total[i]),
                last_contact_at=_moment_at(now, s.last_age[i]),
                last_kind=strength.KINDS[kind] if kind >= 0 else "",
                first_contact_at=_moment_at(now, s.first_age[i]),
                computed_at=now,
            )  # fmt: skip
        )
    return rows


def _top_members(
    ties: list[tuple[int, int, int, int, dt.date | None]], s: strength.Strengths
) -> dict[int, int]:
    """Per person the member with the strongest tie (declared strength, then id, break ties)."""
    best: dict[int, tuple[int, int, int]] = {}
    for i, (_tie_id, member_id, person_id, declared, _since) in enumerate(ties):
        key = (int(s.score[i]), declared, -member_id)
        if person_id not in best or key > best[person_id]:
            best[person_id] = key
    return {person_id: -key[2] for person_id, key in best.items()}


def _last_contacts(person_ids: Collection[int] | None) -> dict[int, dt.datetime]:
    through = ContactMoment.persons.through.objects.order_by()
    if person_ids is not None:
        through = through.filter(person_id__in=person_ids)
    return dict(
        through.values("person_id")
        .annotate(last=Max("contactmoment__occurred_at"))
        .values_list("person_id", "last")
    )


def _care_rows(
    person_ids: Collection[int] | None,
    last: dict[int, dt.datetime],
    top: dict[int, int],
) -> list[RelationCare]:
    """Care rows for every person with contact, a tie or a choice made about them."""
    chosen = RelationCare.objects.filter(
        Q(handed_to__isnull=False) | Q(ideal_interval_days__isnull=False) | Q(no_reminders=True)
    )
    persons = Person.objects.order_by()
    if person_ids is not None:
        chosen = chosen.filter(person_id__in=person_ids)
        persons = persons.filter(pk__in=person_ids)
    choices = {c.person_id: c for c in chosen}
    owners = dict(persons.values_list("pk", "owner_id"))
    wanted = set(last) | set(top) | set(choices)
    rows = []
    for person_id in wanted:
        if person_id not in owners:
            continue
        choice = choices.get(person_id)
        last_at = last.get(person_id)
        handed = choice.handed_to_id if choice else None
        row = RelationCare(
            person_id=person_id, last_contact_at=last_at, top_member_id=top.get(person_id),
            contact_member_id=handed or top.get(person_id) or owners[person_id],
        )  # fmt: skip
        if choice and choice.ideal_interval_days is not None and last_at is not None:
            rhythm = Rhythm(choice.ideal_interval_days, choice.max_interval_days)
            row.override_due_on, row.override_overdue_on = due_dates(
                timezone.localdate(last_at), rhythm
            )
        rows.append(row)
    return rows


DERIVED_CARE_FIELDS = [
    "last_contact_at", "top_member", "contact_member", "override_due_on", "override_overdue_on",
    "updated_at",
]  # fmt: skip


def _write(
    person_ids: Collection[int] | None, strengths: list[TieStrength], care: list[RelationCare]
) -> None:
    started = timezone.now()
    stale = TieStrength.objects.all()
    if person_ids is not None:
        stale = stale.filter(person_id__in=person_ids)
    stale._raw_delete(stale.db)  # derived rows: nothing cascades from them
    TieStrength.objects.bulk_create(strengths, batch_size=BATCH)
    RelationCare.objects.bulk_create(
        care, batch_size=BATCH, update_conflicts=True, unique_fields=["person"],
        update_fields=DERIVED_CARE_FIELDS,
    )  # fmt: skip
    # Rows this pass did not write (all their contacts were removed) keep the choices people
    # made but lose the derived figures.
    untouched = RelationCare.objects.filter(updated_at__lt=started)
    if person_ids is not None:
        untouched = untouched.filter(person_id__in=person_ids)
    untouched.update(
        last_contact_at=None, top_member=None, override_due_on=None, override_overdue_on=None,
        updated_at=started,
    )  # fmt: skip


@transaction.atomic
def care_refresh(
    *, person_ids: Collection[int] | None = None, now: dt.datetime | None = None
) -> RecomputeResult:
    """Recompute last contact, tie strengths and the best placed colleague for these persons
    (None: the whole network)."""
    started = timezone.now()
    now = now or started
    if person_ids is not None and len(person_ids) > FULL_PASS_ABOVE:
        person_ids = None
    ids = sorted(set(person_ids)) if person_ids is not None else None
    if ids == []:
        return RecomputeResult(0, 0, 0.0)
    ties, s = strengths_for(ids, now)
    rows = _strength_rows(ties, s, now)
    care = _care_rows(ids, _last_contacts(ids), _top_members(ties, s))
    _write(ids, rows, care)
    seconds = (timezone.now() - started).total_seconds()
    return RecomputeResult(len(care), len(rows), round(seconds, 2))
