"""Reads for goodwill, always through the visibility scope of the acting user."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import (
    Count,
    F,
    FloatField,
    Q,
    QuerySet,
    Sum,
    Value,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce, TruncMonth
from django.utils import timezone

from gilde import visibility
from gilde.goodwill.models import Favour, FavourDirection
from gilde.goodwill.rules import (
    GIVE_BACK_DEFICIT,
    GIVE_BACK_SHARE,
    KIND_WEIGHTS,
    RECENCY_STEPS,
    Balance,
)
from gilde.relations.models import Organisation, Person

# ---- favours and the balance -------------------------------------------------------------------


def favour_list(*, user: Any) -> QuerySet[Favour]:
    return visibility.favours(user).select_related(
        "member__user", "person", "organisation", "created_by"
    )


def favour_get(*, user: Any, pk: int) -> Favour:
    """One favour the user may see; raises Favour.DoesNotExist otherwise (a 404 to the user)."""
    return favour_list(user=user).get(pk=pk)


def favours_of(*, user: Any, subject: Person | Organisation) -> QuerySet[Favour]:
    """Favours with this person or organisation, newest first, with who made them (the subject
    is known: not joined again, which halves the query's planning on a person page)."""
    field = "person" if isinstance(subject, Person) else "organisation"
    return visibility.favours(user).filter(**{field: subject}).select_related("member__user")


def _points_sql(direction: str, today: dt.date) -> RawSQL:
    """The rule of gilde.goodwill.rules as SQL: kind weight times recency factor, for favours
    in one direction (0 for the other). Written out with literals on purpose: every value comes
    from the rule's constants or a date we format, never from input, and identical literal
    expressions let the database compute each sum once where bound parameters would make the
    list's HAVING and ORDER BY repeat it (four times slower at 50,000 favours)."""
    table = Favour._meta.db_table
    weight = " ".join(f"WHEN '{kind}' THEN {w:.2f}" for kind, w in KIND_WEIGHTS.items())
    recency = " ".join(
        f'WHEN "{table}"."occurred_on" > \'{(today - dt.timedelta(days=below)).isoformat()}\' '
        f"THEN {factor:.4f}"
        for below, factor in RECENCY_STEPS
    )
    if direction not in FavourDirection.values:
        raise ValueError(direction)
    return RawSQL(  # noqa: S611 - literals from constants only, see above  # nosec B611
        f'CASE WHEN "{table}"."direction" = \'{direction}\' THEN '
        f'(CASE "{table}"."kind" {weight} ELSE 1.00 END) * (CASE {recency} ELSE 0.0 END) '
        "ELSE 0.0 END",
        (),
        output_field=FloatField(),
    )


def _balance_aggregates(today: dt.date) -> dict[str, Any]:
    return {
        "given": Coalesce(
            Sum(_points_sql(FavourDirection.GIVEN, today)), Value(0.0), output_field=FloatField()
        ),
        "received": Coalesce(
            Sum(_points_sql(FavourDirection.RECEIVED, today)), Value(0.0), output_field=FloatField()
        ),
        "given_count": Count("id", filter=Q(direction=FavourDirection.GIVEN)),
        "received_count": Count("id", filter=Q(direction=FavourDirection.RECEIVED)),
    }


def balance_for(
    *, user: Any, subject: Person | Organisation, today: dt.date | None = None
) -> Balance:
    """The goodwill balance with one person or organisation, as of today."""
    row = favours_of(user=user, subject=subject).aggregate(
        **_balance_aggregates(today or timezone.localdate())
    )
    return Balance(
        given=round(row["given"], 2),
        received=round(row["received"], 2),
        given_count=row["given_count"],
        received_count=row["received_count"],
    )


def give_back_list(
    *, user: Any, of: str = "persons", today: dt.date | None = None
) -> QuerySet[Any]:
    """Relations we have mostly taken from and rarely given to, largest debt first: rows of
    {"subject_id", "given", "received", "given_count", "received_count", "debt"}. `of` is
    "persons" or "organisations"."""
    field = "organisation_id" if of == "organisations" else "person_id"
    favours: QuerySet[Any] = visibility.favours(user)
    return (
        favours.filter(**{f"{field}__isnull": False})
        .values(subject_id=F(field))
        .annotate(**_balance_aggregates(today or timezone.localdate()))
        .annotate(debt=F("received") - F("given"))
        .filter(debt__gte=GIVE_BACK_DEFICIT, given__lte=F("received") * GIVE_BACK_SHARE)
        .order_by("-debt", "subject_id")
    )


def with_subjects(*, user: Any, rows: list[dict[str, Any]], of: str) -> list[dict[str, Any]]:
    """Attach the person or organisation to each give-back row (one query for the page)."""
    scope = visibility.organisations(user) if of == "organisations" else visibility.persons(user)
    if of != "organisations":
        scope = scope.select_related("tier")
    found = scope.in_bulk([row["subject_id"] for row in rows])
    return [
        {**row, "subject": found[row["subject_id"]]} for row in rows if row["subject_id"] in found
    ]


# ---- figures for the charts --------------------------------------------------------------------


def favours_per_month(*, user: Any, starts: list[dt.date]) -> dict[str, tuple[int, ...]]:
    """Favours given and received per month beginning on `starts` (oldest first), counted over
    the favours the user may see: {"given": (...), "received": (...)}."""
    counts = {
        FavourDirection.GIVEN.value: [0] * len(starts),
        FavourDirection.RECEIVED.value: [0] * len(starts),
    }
    if not starts:
        return {k: tuple(v) for k, v in counts.items()}
    index = {(d.year, d.month): i for i, d in enumerate(starts)}
    rows = (
        visibility.favours(user)
        .filter(occurred_on__gte=starts[0])
        .order_by()
        .annotate(month=TruncMonth("occurred_on"))
        .values("month", "direction")
        .annotate(n=Count("id"))
        .values_list("month", "direction", "n")
    )
    for month, direction, n in rows:
        i = index.get((month.year, month.month))
        if i is not None and direction in counts:
            counts[direction][i] += n
    return {k: tuple(v) for k, v in counts.items()}
