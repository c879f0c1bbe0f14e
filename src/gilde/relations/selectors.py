"""Reads from the relation registry, always through the visibility scope of the acting user."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, overload

from django.db import connection, transaction
from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    IntegerField,
    Lookup,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.expressions import OrderBy

from gilde import visibility
from gilde.accounts.selectors import member_sort_key
from gilde.names import fold, query_words
from gilde.relations.models import (
    Affiliation,
    EmailAddress,
    Organisation,
    OrganisationLink,
    Person,
    PersonSearchToken,
    Tie,
)

PERSON_ORDERINGS = {
    "name": ("sort_name", "id"),
    "-name": ("-sort_name", "-id"),
    "tier": ("tier__order", "sort_name", "id"),
    "-tier": ("-tier__order", "sort_name", "id"),
    "created": ("created_at", "id"),
    "-created": ("-created_at", "-id"),
}
ORGANISATION_ORDERINGS = {
    "name": ("sort_name", "id"),
    "-name": ("-sort_name", "-id"),
    "sector": ("sector", "sort_name", "id"),
    "-created": ("-created_at", "-id"),
}


@dataclass(frozen=True)
class PersonFilters:
    """What a person list can be narrowed by; empty values mean "no filter"."""

    q: str = ""
    tier: str = ""
    stakeholder_type: str = ""
    tag: str = ""
    sector: str = ""
    organisation: int | None = None
    known_by: int | None = None
    theme: int | None = None  # linked to this strategic theme (gilde.strategy)
    order: str = "name"


def _search_terms(q: str) -> list[str]:
    # Folded as the stored search words are (gilde.names.search), at most eight of them.
    return query_words(q)[:8]


MAX_MATCHES = 1_000_000


def _word_starts_with(term: str) -> Q:
    # Both lookups use the token index: SQLite compares by code point, so a range works there;
    # PostgreSQL's text ordering follows the locale, but Django gives the column a pattern index.
    if connection.vendor == "sqlite":
        return Q(token__gte=term, token__lt=term + "\U0010ffff")
    return Q(token__startswith=term)


def search_persons(qs: QuerySet[Person], q: str) -> QuerySet[Person]:
    """Every word typed must be a whole word of the person's search text, the last one (still
    being typed) the beginning of a word: "de berg" does not find "van der Berg", "van der be"
    does."""
    terms = _search_terms(q)
    for i, term in enumerate(terms):
        words = Q(token=term) if i < len(terms) - 1 else _word_starts_with(term)
        # The slice keeps the word lookup a subquery of its own (PostgreSQL does not pull a
        # limited subquery up), so it is answered from the token index, not per person.
        matches = PersonSearchToken.objects.filter(words).values("person_id")[:MAX_MATCHES]
        if connection.vendor == "postgresql":
            qs = qs.filter(_AnyOf(F("pk"), Subquery(matches)))
        else:
            qs = qs.filter(pk__in=matches)
    return qs


class _AnyOf(Lookup):
    """`id = ANY(ARRAY(subquery))`: PostgreSQL collects the matching ids once and fetches those
    persons by primary key; with `IN (subquery)` it hashes the matches and reads every person
    (about twice as slow when a short prefix such as "ber" matches 10,000 people)."""

    lookup_name = "any_of"

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, tuple[Any, ...]]:
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = compiler.compile(self.rhs)
        return f"{lhs} = ANY(ARRAY{rhs})", (*lhs_params, *rhs_params)


def person_list(*, user: Any, filters: PersonFilters) -> QuerySet[Person]:
    """Persons the user may see, searched by any word of name, e-mail, organisation, tag or
    passion ("J. van der Berg", "berg", "rabobank", "zeilen"), filtered and ordered."""
    qs = search_persons(visibility.persons(user), filters.q)
    if filters.tier:
        qs = qs.filter(tier__code=filters.tier)
    if filters.stakeholder_type:
        qs = qs.filter(stakeholder_types__code=filters.stakeholder_type)
    if filters.tag:
        qs = qs.filter(tags__name=filters.tag)
    if filters.sector:
        qs = qs.filter(
            Exists(
                Affiliation.objects.current().filter(
                    person=OuterRef("pk"), organisation__sector=filters.sector
                )
            )
        )
    if filters.organisation:
        qs = qs.filter(
            Exists(
                Affiliation.objects.filter(person=OuterRef("pk"), organisation=filters.organisation)
            )
        )
    if filters.known_by:
        qs = qs.filter(Exists(Tie.objects.filter(person=OuterRef("pk"), member=filters.known_by)))
    if filters.theme:
        qs = qs.filter(theme_links__theme_id=filters.theme)  # one link per person and theme
    ordering: tuple[str | OrderBy, ...] = PERSON_ORDERINGS.get(
        filters.order, PERSON_ORDERINGS["name"]
    )
    terms = _search_terms(filters.q)
    if terms and filters.order in ("", "name"):
        ordering = (search_rank(terms).asc(), *ordering)
    return qs.select_related("tier", "care").order_by(*ordering)


class PersonRows(Sequence[Person]):
    """A page of the person list as the paginator reads it (a count and a slice), fetched in two
    steps: the ids of the page in list order, then those persons with their tier and care. A
    short search ("ber") matches ten thousand people; sorting only their ids, and first trying
    the page among the name matches alone (which come first in the ranking), spares the database
    from ranking each of them by organisation, e-mail and tag and from joining every match to
    its tier and care row before the sort. The page comes with each person's current jobs and
    tags."""

    FEW = 500  # matches up to which one ranked query fetches the page

    def __init__(self, *, user: Any, filters: PersonFilters) -> None:
        self._listed = person_list(user=user, filters=filters)
        terms = _search_terms(filters.q)
        self.names_first: QuerySet[Person] | None = None
        self._count: int | None = None
        if terms and filters.order in ("", "name"):
            self.names_first = self._listed.filter(name_match(terms)).order_by(
                *PERSON_ORDERINGS["name"]
            )

    def __len__(self) -> int:
        if self._count is None:
            self._count = self._listed.order_by().count()
        return self._count

    @overload
    def __getitem__(self, window: int) -> Person: ...

    @overload
    def __getitem__(self, window: slice) -> list[Person]: ...

    def __getitem__(self, window: int | slice) -> Person | list[Person]:
        if isinstance(window, int):
            return self[window : window + 1][0]
        start, stop = window.start or 0, window.stop
        few = self._count is not None and self._count <= self.FEW
        if self.names_first is None or few:
            # No search to rank by (one query on the sort index), or so few matches that ranking
            # them all costs less than a second query.
            return list(with_current_affiliations(self._listed)[start:stop])
        ids: list[int] | None = None
        with _without_nested_loops():
            # A last page (fewer persons left than it holds) is never all name matches.
            fits = stop is not None and (self._count is None or self._count >= stop)
            if fits:
                # The whole page among the name matches: the same page as the full ranking's.
                ids = list(self.names_first.values_list("pk", flat=True)[start:stop])
                if len(ids) < stop - start:
                    ids = None
            if ids is None:
                ids = list(self._listed.values_list("pk", flat=True)[start:stop])
        found = with_current_affiliations(self._listed.order_by()).in_bulk(ids)
        return [found[pk] for pk in ids]


@contextmanager
def _without_nested_loops() -> Iterator[None]:
    """PostgreSQL cannot tell how many persons a search word matched (the ids come as one
    array), guesses ten, and then tests each of ten thousand matches against every person
    hidden from a networker in a nested loop: 110 ms for "ber" where hashing the hidden ones
    takes 45. For the page's id queries only: set for the transaction and set back after them."""
    if connection.vendor != "postgresql":
        yield
        return
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_nestloop = off")
        try:
            yield
        finally:
            cursor.execute("SET LOCAL enable_nestloop TO DEFAULT")


def name_match(terms: list[str]) -> Q:
    """The person's own name holds a word beginning with one of the terms (read from the sort
    name on the row itself, "berg|jan|van der")."""
    name = Q()
    for term in terms:
        name |= (
            Q(sort_name__startswith=term)
            | Q(sort_name__contains=f"|{term}")
            | Q(sort_name__contains=f" {term}")
            | Q(sort_name__contains=f"-{term}")
        )
    return name


def search_rank(terms: list[str]) -> Case:
    """Where a search matched, as a number to sort by: 0 the name, 1 the organisation, 2 an
    e-mail address, 3 a tag, 4 the rest (passions, talents, interests). "berg" lists Berg and
    van den Berg before Bakker, whose passion is bergwandelen. The name is read from the sort
    name ("berg|jan|van der") on the row itself; the other parts are only looked up for persons
    whose name did not match."""
    organisation, email, tag = Q(), Q(), Q()
    for term in terms:
        organisation |= Q(organisation__sort_name__startswith=term) | Q(
            organisation__sort_name__contains=f" {term}"
        )
        email |= Q(address__istartswith=term) | Q(address__icontains=f"@{term}")
        tag |= Q(tag__name__istartswith=term)
    return Case(
        When(name_match(terms), then=Value(0)),
        When(
            Exists(Affiliation.objects.current().filter(organisation, person=OuterRef("pk"))),
            then=Value(1),
        ),
        When(Exists(EmailAddress.objects.filter(email, person=OuterRef("pk"))), then=Value(2)),
        When(Exists(Person.tags.through.objects.filter(tag, person=OuterRef("pk"))), then=Value(3)),
        default=Value(4),
        output_field=IntegerField(),
    )


@dataclass(frozen=True)
class PossibleDuplicate:
    person: Person
    same_email: bool
    same_name: bool


def possible_duplicates(
    *,
    user: Any,
    given_name: str = "",
    initials: str = "",
    tussenvoegsel: str = "",
    family_name: str = "",
    emails: list[str] | None = None,
    exclude: int | None = None,
    limit: int = 5,
) -> list[PossibleDuplicate]:
    """Persons the user may see who may be the one being entered: the same e-mail address, or
    the same family name with the same given name (or the same first initial). Nobody outside
    the user's scope is ever hinted at, not even as a count."""
    addresses = [a.strip().lower() for a in emails or [] if "@" in a][:10]
    family = fold(family_name.strip())
    first = fold(given_name.strip() or initials.strip().rstrip("."))
    if not addresses and not (family and first):
        return []
    by_email: set[int] = set()
    match = Q(pk__in=[])
    if addresses:
        same = Q(pk__in=[])
        for address in addresses:
            same |= Q(address__iexact=address)
        by_email = set(EmailAddress.objects.filter(same).values_list("person_id", flat=True))
        match |= Q(pk__in=by_email)
    if family and first:
        # Sort names read "family|given or initials|tussenvoegsel": "Jan" matches "J." too.
        match |= Q(sort_name__startswith=f"{family}|{first[:1]}")
    found = visibility.persons(user).filter(match)
    if exclude is not None:
        found = found.exclude(pk=exclude)
    result = []
    for person in found.order_by("sort_name", "id")[: limit * 4]:
        given = person.sort_name.split("|")[1] if "|" in person.sort_name else ""
        same_name = bool(family and first) and _same_first_name(given, first)
        if person.pk in by_email or same_name:
            result.append(PossibleDuplicate(person, person.pk in by_email, same_name))
    return result[:limit]


def _same_first_name(stored: str, typed: str) -> bool:
    """ "jan" and "jan", or an initial on either side ("j." and "jan")."""
    stored, typed = stored.rstrip("."), typed.rstrip(".")
    if not stored or not typed:
        return False
    if len(stored) == 1 or len(typed) == 1 or "." in stored or "." in typed:
        return stored[0] == typed[0]
    return stored == typed


def with_current_affiliations(qs: QuerySet[Person]) -> QuerySet[Person]:
    """Prefetch each person's current job so a list page costs a fixed number of queries."""
    return qs.prefetch_related(
        Prefetch(
            "affiliations",
            queryset=Affiliation.objects.current().select_related("organisation"),
            to_attr="current_affiliations",
        ),
        "tags",
    )


def person_get(*, user: Any, pk: int) -> Person:
    """One person the user may see; raises Person.DoesNotExist otherwise (a 404 to the user)."""
    return visibility.persons(user).select_related("tier", "owner__user").get(pk=pk)


def person_page(*, user: Any, pk: int) -> Person:
    """The person as their page shows them: with tier, owner and care status joined, and
    contact details, stakeholder types and tags read once each (the page and its panels all
    use them)."""
    return (
        visibility.persons(user)
        .select_related("tier", "owner__user", "care__contact_member__user")
        .prefetch_related("emails", "phones", "addresses", "stakeholder_types", "tags")
        .get(pk=pk)
    )


def person_ties(*, user: Any, person: Person) -> QuerySet[Tie]:
    """Who knows this person: colleagues and other relations, strongest first."""
    return (
        visibility.ties(user)
        .filter(Q(person=person) | Q(other_person=person))
        .select_related("member__user", "other_person", "person", "introduced_by")
        .order_by("-strength", "id")
    )


def colleague_ties_in_order(ties: list[Tie]) -> list[Tie]:
    """The colleagues among a person's ties, strongest first and, at equal strength, in Dutch
    name order ("de Graaf" under G)."""

    def order(tie: Tie) -> tuple[int, str]:
        user = tie.member.user if tie.member else None
        name = member_sort_key(user.first_name, user.last_name, user.username) if user else ""
        return (-tie.strength, name)

    return sorted((t for t in ties if t.member_id), key=order)


@dataclass(frozen=True)
class OrganisationFilters:
    q: str = ""
    sector: str = ""
    kind: str = ""
    tier: str = ""
    stakeholder_type: str = ""
    tag: str = ""
    order: str = "name"


def organisation_list(*, user: Any, filters: OrganisationFilters) -> QuerySet[Organisation]:
    qs = visibility.organisations(user)
    for term in _search_terms(filters.q):
        qs = qs.filter(sort_name__contains=term)  # names are short: any part of the name will do
    if filters.sector:
        qs = qs.filter(sector=filters.sector)
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.tier:
        qs = qs.filter(tier__code=filters.tier)
    if filters.stakeholder_type:
        qs = qs.filter(stakeholder_types__code=filters.stakeholder_type)
    if filters.tag:
        qs = qs.filter(tags__name=filters.tag)
    ordering = ORGANISATION_ORDERINGS.get(filters.order, ORGANISATION_ORDERINGS["name"])
    return qs.select_related("tier").order_by(*ordering)


def organisation_get(*, user: Any, pk: int) -> Organisation:
    return visibility.organisations(user).select_related("tier", "parent").get(pk=pk)


def organisation_links(*, user: Any) -> QuerySet[OrganisationLink]:
    """Relations between organisations the user may see on both sides (pages and API)."""
    organisations = visibility.organisations(user)
    return OrganisationLink.objects.filter(source__in=organisations, target__in=organisations)


def organisation_people(*, user: Any, organisation: Organisation) -> QuerySet[Affiliation]:
    """Everyone who works or worked at the organisation, current roles first."""
    return (
        visibility.affiliations(user)
        .filter(organisation=organisation)
        .select_related("person__tier")
    )


def organisation_ties(*, user: Any, organisation: Organisation) -> QuerySet[Tie]:
    """Which colleagues know people who currently work at the organisation."""
    current = Affiliation.objects.current().filter(organisation=organisation).values("person_id")
    return (
        visibility.ties(user)
        .filter(person_id__in=current, member__isnull=False)
        .select_related("member__user", "person")
        .order_by("-strength", "person__sort_name")
    )


def member_network(*, user: Any, member_id: int) -> QuerySet[Tie]:
    """The relations a member knows, strongest first."""
    return (
        visibility.ties(user)
        .filter(member_id=member_id)
        .select_related("person__tier")
        .order_by("-strength", "person__sort_name")
    )


def member_network_summary(*, user: Any, member_id: int) -> dict[str, Any]:
    """Counts per tier and per declared strength for one member's network."""
    ties = visibility.ties(user).filter(member_id=member_id)
    by_tier = dict(
        ties.values_list("person__tier__code")
        .annotate(n=Count("id"))
        .values_list("person__tier__code", "n")
    )
    by_strength = dict(
        ties.values_list("strength").annotate(n=Count("id")).values_list("strength", "n")
    )
    return {"total": sum(by_strength.values()), "by_tier": by_tier, "by_strength": by_strength}
