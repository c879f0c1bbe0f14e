"""Keeping the derived maintenance figures current, set-based: one SQL pass over the contact
history, NumPy for the scores, bulk writes. The same code serves a whole-network rebuild and the
few persons a single contact moment touches, so both always agree."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass
from typing import Any, cast

import numpy as np
from django.db import connection, transaction
from django.db.models import Exists, Max, OuterRef, Q
from django.utils import timezone
from django.utils.dateparse import parse_datetime

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
        return "CAST(EXTRACT(EPOCH FROM cm.occurred_at) AS double precision) / 86400.0"
    return "(julianday(cm.occurred_at) - 2440587.5)"


def _kind_expression() -> str:
    whens = " ".join(f"WHEN '{kind}' THEN {i}" for i, kind in enumerate(strength.KINDS))
    return f"CASE cm.kind {whens} ELSE {strength.KINDS.index('other')} END"


# A moment in which a confidential relation took part counts only in that relation's own figures
# (whoever may see it sees them), never in those of the other relations there: their status, last
# contact and tie strengths are shared with colleagues who may not know the meeting happened
# (docs/security.md). Reads the persons link as `mp` and the moment as `cm`.
_NO_OTHER_CONFIDENTIAL = f"""NOT EXISTS (
    SELECT 1 FROM {ContactMoment.persons.through._meta.db_table} cx
    JOIN {Person._meta.db_table} px ON px.id = cx.person_id
    WHERE cx.contactmoment_id = mp.contactmoment_id AND px.confidential
      AND cx.person_id <> mp.person_id)"""  # noqa: S608  # nosec B608


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
          AND {_NO_OTHER_CONFIDENTIAL}
    """  # noqa: S608 - table names come from the models, values are parameters  # nosec B608
    return sql, params


def _ties(person_ids: Collection[int] | None) -> list[tuple[int, int, int, int, dt.date | None]]:
    qs = Tie.objects.filter(member__isnull=False).order_by("id")
    if person_ids is not None:
        qs = qs.filter(person_id__in=person_ids)
    return list(qs.values_list("id", "member_id", "person_id", "strength", "since"))


def _fetch(sql: str, params: list[int] | None = None, columns: int = 2) -> np.ndarray:
    with connection.cursor() as cursor:
        cursor.execute(sql, params or [])
        return np.array(cursor.fetchall(), dtype=np.float64).reshape(-1, columns)


def _contacts_of_persons(
    person_ids: Collection[int], tie_ids: np.ndarray, now_days: float
) -> strength.Contacts:
    """A few persons: the database joins their links to their ties."""
    sql, params = _contact_sql(person_ids)
    data = _fetch(sql, params, columns=4)
    return strength.Contacts(
        tie=np.searchsorted(tie_ids, data[:, 0].astype(np.int64)),
        age_days=now_days - data[:, 1],
        kind=data[:, 2].astype(np.int64),
        others=data[:, 3].astype(np.int64),
    )


def _counted_links(links: np.ndarray) -> np.ndarray:
    """The (moment, person) links that count in that person's figures: not those of a moment
    with another, confidential participant (see _NO_OTHER_CONFIDENTIAL)."""
    confidential = np.array(
        Person.objects.filter(confidential=True).values_list("pk", flat=True), dtype=np.int64
    )
    if not len(confidential) or not len(links):
        return links
    hidden = np.isin(links[:, 1], confidential)
    per_moment = np.bincount(links[hidden, 0], minlength=int(links[:, 0].max()) + 1)
    return links[per_moment[links[:, 0]] - hidden.astype(np.int64) == 0]


def _contacts_of_network(
    ties: list[tuple[int, int, int, int, dt.date | None]], now_days: float
) -> strength.Contacts:
    """The whole network: read the two link tables and the moments once each, and pair every
    person link with every member link of the same moment in NumPy; at a million contact
    moments that is several times faster than the same join in SQL."""
    persons_t = ContactMoment.persons.through._meta.db_table
    members_t = ContactMoment.members.through._meta.db_table
    all_links_p = _fetch(f"SELECT contactmoment_id, person_id FROM {persons_t}").astype(np.int64)  # noqa: S608  # nosec B608
    links_p = _counted_links(all_links_p)
    links_m = _fetch(f"SELECT contactmoment_id, member_id FROM {members_t}").astype(np.int64)  # noqa: S608  # nosec B608
    moments = _fetch(
        f"SELECT cm.id, {_day_expression()}, {_kind_expression()} "  # noqa: S608  # nosec B608
        f"FROM {ContactMoment._meta.db_table} cm",
        columns=3,
    )
    size = (
        int(
            max(
                moments[:, 0].max(initial=0),
                all_links_p[:, 0].max(initial=0),
                links_m[:, 0].max(initial=0),
            )
        )
        + 1
    )
    ids = moments[:, 0].astype(np.int64)
    day = np.zeros(size)
    day[ids] = moments[:, 1]
    kind = np.zeros(size, dtype=np.int64)
    kind[ids] = moments[:, 2].astype(np.int64)
    n_p = np.bincount(all_links_p[:, 0], minlength=size)  # the group's size, as it was
    n_m = np.bincount(links_m[:, 0], minlength=size)
    by_moment = links_m[np.argsort(links_m[:, 0], kind="stable")]
    first = np.concatenate(([0], np.cumsum(n_m)))[:-1]
    repeat = n_m[links_p[:, 0]]
    moment = np.repeat(links_p[:, 0], repeat)
    person = np.repeat(links_p[:, 1], repeat)
    offset = np.arange(int(repeat.sum())) - np.repeat(np.cumsum(repeat) - repeat, repeat)
    member = by_moment[first[moment] + offset, 1]
    tie_arr = np.array([(t[1], t[2]) for t in ties], dtype=np.int64).reshape(-1, 2)
    width = int(max(person.max(initial=0), tie_arr[:, 1].max(initial=0))) + 1
    tie_keys = tie_arr[:, 0] * width + tie_arr[:, 1]
    key_order = np.argsort(tie_keys)
    sorted_keys = tie_keys[key_order]
    keys = member * width + person
    pos = np.minimum(np.searchsorted(sorted_keys, keys), max(len(sorted_keys) - 1, 0))
    hit = (sorted_keys[pos] == keys) if len(sorted_keys) else np.zeros(len(keys), dtype=bool)
    moment = moment[hit]
    return strength.Contacts(
        tie=key_order[pos[hit]].astype(np.int64),
        age_days=now_days - day[moment],
        kind=kind[moment],
        others=n_p[moment] + n_m[moment] - 2,
    )


def strengths_for(
    person_ids: Collection[int] | None, now: dt.datetime
) -> tuple[list[tuple[int, int, int, int, dt.date | None]], strength.Strengths]:
    """The member ties of these persons (None: all) with their freshly computed strengths."""
    ties = _ties(person_ids)
    now_days = now.timestamp() / 86400.0
    if person_ids is None:
        contacts = _contacts_of_network(ties, now_days)
    else:
        tie_ids = np.array([t[0] for t in ties], dtype=np.int64)  # ascending: ordered by id
        contacts = _contacts_of_persons(person_ids, tie_ids, now_days)
    today = timezone.localdate(now)
    declared = np.array([t[3] for t in ties], dtype=np.int64)
    known = np.array([(today - t[4]).days if t[4] else np.nan for t in ties], dtype=np.float64)
    return ties, strength.compute(contacts, declared, known)


STRENGTH_COLUMNS = (
    "tie_id",
    "member_id",
    "person_id",
    "score",
    "contacts_year",
    "meetings_year",
    "calls_year",
    "contacts_total",
    "last_contact_at",
    "last_kind",
    "first_contact_at",
    "computed_at",
)


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
        through = through.filter(person_id__id_in=person_ids)
    other_confidential = ContactMoment.persons.through.objects.filter(
        contactmoment_id=OuterRef("contactmoment_id"), person__confidential=True
    ).exclude(person_id=OuterRef("person_id"))
    through = through.filter(~Exists(other_confidential))  # as _NO_OTHER_CONFIDENTIAL
    return dict(
        through.values("person_id")
        .annotate(last=Max("contactmoment__occurred_at"))
        .values_list("person_id", "last")  # type: ignore[misc]
    )


_FIRST_DAY = np.datetime64("0001-01-01T00:00:00", "s")


def _db_times(now: dt.datetime, ages: np.ndarray) -> list[str | None]:
    """`now` minus each age in days, as the database stores a datetime (UTC, whole seconds);
    None where the age is NaN. Formatting 100,000s of values in NumPy instead of one by one
    through the database adapter saves most of a whole-network write."""
    utc = now.astimezone(dt.UTC).replace(tzinfo=None, microsecond=0)
    valid = ~np.isnan(ages)
    seconds = np.rint(np.where(valid, ages, 0.0) * 86400.0).astype(np.int64)
    # Not before the calendar's first day: a moment stored there (before dates were bounded)
    # would otherwise round to the year 0, which no database takes.
    times = np.maximum(np.datetime64(utc, "s") - seconds.astype("timedelta64[s]"), _FIRST_DAY)
    text = np.datetime_as_string(times, unit="s")
    suffix = "+00:00" if connection.vendor == "postgresql" else ""
    return [
        t.replace("T", " ") + suffix if ok else None
        for t, ok in zip(text.tolist(), valid.tolist(), strict=True)
    ]


def _strength_tuples(
    ties: list[tuple[int, int, int, int, dt.date | None]], s: strength.Strengths, now: dt.datetime
) -> list[tuple[object, ...]]:
    """Rows for STRENGTH_COLUMNS, ready for the database."""
    score, year, meetings = s.score.tolist(), s.contacts_year.tolist(), s.meetings_year.tolist()
    calls, total, kinds = s.calls_year.tolist(), s.contacts_total.tolist(), s.last_kind.tolist()
    last, first = _db_times(now, s.last_age), _db_times(now, s.first_age)
    stamp = connection.ops.adapt_datetimefield_value(now)
    names = [*strength.KINDS, ""]  # index -1: no contact
    return [
        (
            tie_id,
            member_id,
            person_id,
            score[i],
            year[i],
            meetings[i],
            calls[i],
            total[i],
            last[i],
            names[kinds[i]],
            first[i],
            stamp,
        )
        for i, (tie_id, member_id, person_id, _declared, _since) in enumerate(ties)
    ]


def _last_contacts_raw(person_ids: Collection[int] | None) -> dict[int, Any]:
    """Per person the time of the last contact moment, as the database returns it (so it is
    written back without conversion)."""
    persons_t = ContactMoment.persons.through._meta.db_table
    where, params = "", []
    if person_ids is not None:
        where = f"AND mp.person_id IN ({', '.join(['%s'] * len(person_ids))})"
        params = list(person_ids)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT mp.person_id, MAX(cm.occurred_at) FROM {persons_t} mp "  # noqa: S608  # nosec B608
            f"JOIN {ContactMoment._meta.db_table} cm ON cm.id = mp.contactmoment_id "
            f"WHERE {_NO_OTHER_CONFIDENTIAL} {where} GROUP BY mp.person_id",
            params,
        )
        return dict(cursor.fetchall())


def _as_datetime(value: Any) -> dt.datetime:
    if isinstance(value, dt.datetime):
        return value if timezone.is_aware(value) else timezone.make_aware(value, dt.UTC)
    parsed = parse_datetime(str(value))
    assert parsed is not None
    return parsed if timezone.is_aware(parsed) else timezone.make_aware(parsed, dt.UTC)


CARE_COLUMNS = (
    "person_id",
    "last_contact_at",
    "top_member_id",
    "contact_member_id",
    "override_due_on",
    "override_overdue_on",
    "tier_id",
    "updated_at",
    "no_reminders",
    "snooze_reason",
)
CARE_DERIVED = CARE_COLUMNS[1:8]


def _care_tuples(
    person_ids: Collection[int] | None, last: dict[int, Any], top: dict[int, int], stamp: Any
) -> list[tuple[object, ...]]:
    """Rows for CARE_COLUMNS: every person with contact, a tie or a choice made about them."""
    chosen = RelationCare.objects.filter(
        Q(handed_to__isnull=False) | Q(ideal_interval_days__isnull=False) | Q(no_reminders=True)
    )
    persons = Person.objects.order_by()
    if person_ids is not None:
        chosen = chosen.filter(person_id__in=person_ids)
        persons = persons.filter(pk__in=person_ids)
    choices = {c.person_id: c for c in chosen}
    ops = connection.ops
    rows: list[tuple[object, ...]] = []
    wanted = set(last) | set(top) | set(choices)
    for person_id, owner_id, tier_id in persons.values_list("pk", "owner_id", "tier_id"):
        if person_id not in wanted:
            continue
        choice = choices.get(person_id)
        last_at = last.get(person_id)
        due_on = overdue_on = None
        if choice and choice.ideal_interval_days is not None and last_at is not None:
            rhythm = Rhythm(choice.ideal_interval_days, choice.max_interval_days)
            due_on, overdue_on = due_dates(timezone.localdate(_as_datetime(last_at)), rhythm)
        handed = choice.handed_to_id if choice else None
        rows.append(
            (
                person_id,
                last_at,
                top.get(person_id),
                handed or top.get(person_id) or owner_id,
                ops.adapt_datefield_value(due_on),
                ops.adapt_datefield_value(overdue_on),
                tier_id,
                stamp,
                False,
                "",
            )
        )
    return rows


def _insert(
    table: str, columns: tuple[str, ...], rows: list[tuple[object, ...]], upsert: str = ""
) -> None:
    """Insert many rows; with `upsert` (an ON CONFLICT clause) rows that exist are updated.
    PostgreSQL gets them through COPY (a temporary table for the upsert): row-by-row
    statements cost it several times more. SQLite inserts in-process, where executemany is
    as fast as it gets."""
    names = ", ".join(columns)
    with connection.cursor() as cursor:
        if connection.vendor != "postgresql":
            marks = ", ".join(["%s"] * len(columns))
            sql = f"INSERT INTO {table} ({names}) VALUES ({marks}) {upsert}"  # noqa: S608  # nosec B608
            for start in range(0, len(rows), BATCH):
                cursor.executemany(sql, cast(Any, rows[start : start + BATCH]))
            return
        target = table
        if upsert:
            target = f"{table}_load"
            cursor.execute(f"CREATE TEMPORARY TABLE {target} (LIKE {table}) ON COMMIT DROP")
        with cursor.cursor.copy(f"COPY {target} ({names}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        if upsert:
            cursor.execute(f"INSERT INTO {table} ({names}) SELECT {names} FROM {target} {upsert}")  # noqa: S608  # nosec B608
            cursor.execute(f"DROP TABLE {target}")


def _write(
    person_ids: Collection[int] | None,
    strengths: list[tuple[object, ...]],
    care: list[tuple[object, ...]],
    started: dt.datetime,
) -> None:
    """Replace the derived rows in bulk: plain INSERTs and one upsert statement (both SQLite
    and PostgreSQL speak ON CONFLICT), without building a model instance per row."""
    stale = TieStrength.objects.all()
    if person_ids is not None:
        stale = stale.filter(person_id__in=person_ids)
    stale._raw_delete(stale.db)  # derived rows: nothing cascades from them
    _insert(TieStrength._meta.db_table, STRENGTH_COLUMNS, strengths)
    updates = ", ".join(f"{c} = excluded.{c}" for c in CARE_DERIVED)
    _insert(RelationCare._meta.db_table, CARE_COLUMNS, care,
            upsert=f"ON CONFLICT (person_id) DO UPDATE SET {updates}")  # fmt: skip  # nosec B608
    # Rows this pass did not write (all their contacts were removed) keep the choices people
    # made but lose the derived figures.
    untouched = RelationCare.objects.filter(updated_at__lt=started)
    if person_ids is not None:
        untouched = untouched.filter(person_id__in=person_ids)
    untouched.update(
        last_contact_at=None,
        top_member=None,
        override_due_on=None,
        override_overdue_on=None,
        updated_at=started,
    )


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
    rows = _strength_tuples(ties, s, now)
    stamp = connection.ops.adapt_datetimefield_value(started)
    care = _care_tuples(ids, _last_contacts_raw(ids), _top_members(ties, s), stamp)
    _write(ids, rows, care, started)
    seconds = (timezone.now() - started).total_seconds()
    return RecomputeResult(len(care), len(rows), round(seconds, 2))
