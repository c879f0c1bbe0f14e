"""Reads for the network strategy, always through the acting user's visibility scope: a
confidential person linked to a theme changes no count, cell or candidate for those who may not
see them."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Exists, Max, OuterRef, Q, QuerySet
from django.utils import timezone

from gilde import visibility
from gilde.maintenance.models import TieStrength
from gilde.relations.models import Affiliation, Organisation, Person, StakeholderType
from gilde.strategy.models import Goal, Theme, ThemeLink

STRONG = 65
MODERATE = 35
COLD_DAYS = 365  # a relation without a rhythm counts as cold after a year without contact


def goals() -> QuerySet[Goal]:
    """Goals are the organisation's and not personal data: every member reads them."""
    return Goal.objects.prefetch_related("themes__owner__user")


def themes() -> QuerySet[Theme]:
    return Theme.objects.select_related("goal", "owner__user")


def theme_get(*, pk: int) -> Theme:
    return themes().get(pk=pk)


def links(user: Any) -> QuerySet[ThemeLink]:
    """Theme links the user may see: those of organisations and of persons in their scope."""
    if visibility.member_of(user) is None:
        return ThemeLink.objects.none()
    visible = visibility.persons(user).values("pk")
    return ThemeLink.objects.filter(Q(person__isnull=True) | Q(person_id__in=visible))


def links_of(*, user: Any, subject: Person | Organisation) -> QuerySet[ThemeLink]:
    """The themes a person or organisation is linked to (the panel on their page)."""
    kind = "person" if isinstance(subject, Person) else "organisation"
    return links(user).filter(**{kind: subject}).select_related("theme__goal")


def persons_on_theme(theme: Theme, viewer: Any) -> QuerySet[Person]:
    """The persons linked to a theme that the viewer may see, for guest lists and exports:
    linked themselves, or working now at an organisation linked to the theme."""
    by_org = Affiliation.objects.current().filter(
        person=OuterRef("pk"),
        organisation__theme_links__theme=theme,
    )
    return visibility.persons(viewer).filter(
        Exists(ThemeLink.objects.filter(theme=theme, person=OuterRef("pk"))) | Exists(by_org)
    )


# ---- coverage -------------------------------------------------------------------------------


@dataclass
class LinkedRelation:
    """One linked relation on a theme's page: who, role, importance, best tie, status."""

    link: ThemeLink
    best_score: int | None = None
    best_member: str = ""
    cold: bool = False


@dataclass
class Coverage:
    theme: Theme
    rows: list[LinkedRelation]
    by_role: dict[str, int]
    by_type: dict[str, int]
    types_missing: list[StakeholderType]
    unknown_organisations: list[Organisation]
    strong: int = 0
    moderate: int = 0
    weak: int = 0
    cold: int = 0
    gaps: list[Gap] = field(default_factory=list)


def _best_ties(person_ids: list[int]) -> dict[int, TieStrength]:
    best: dict[int, TieStrength] = {}
    for row in (
        TieStrength.objects.filter(person_id__in=person_ids)
        .select_related("member__user")
        .order_by("person_id", "-score")
    ):
        best.setdefault(row.person_id, row)
    return best


def _cold(person: Person, today: dt.date) -> bool:
    from gilde.maintenance.rhythm import Status
    from gilde.maintenance.selectors import status_of

    status = status_of(person, today)
    if status.status in (Status.OVERDUE, Status.NEVER):
        return True
    last = getattr(getattr(person, "care", None), "last_contact_at", None)
    return last is None or (today - timezone.localdate(last)).days > COLD_DAYS


def coverage(*, user: Any, theme: Theme, today: dt.date | None = None) -> Coverage:
    """Per theme: the linked relations with their best tie and whether they are going cold,
    counts per role and stakeholder type, stakeholder types missing, and linked organisations
    no colleague knows anyone at."""
    today = today or timezone.localdate()
    rows = list(
        links(user).filter(theme=theme)
        .select_related("person__tier", "person__care", "organisation")
        .prefetch_related("person__stakeholder_types", "organisation__stakeholder_types")
        .order_by("-importance", "person__sort_name", "organisation__sort_name")
    )  # fmt: skip
    best = _best_ties([r.person_id for r in rows if r.person_id])
    found: list[LinkedRelation] = []
    by_role: Counter[str] = Counter()
    by_type: Counter[str] = Counter()
    result = Coverage(theme=theme, rows=found, by_role={}, by_type={}, types_missing=[],
                      unknown_organisations=[])  # fmt: skip
    for link in rows:
        row = LinkedRelation(link=link)
        by_role[link.role] += 1
        subject = link.person or link.organisation
        for t in subject.stakeholder_types.all():  # type: ignore[union-attr]
            by_type[t.code] += 1
        if link.person is not None:
            tie = best.get(link.person_id)  # type: ignore[arg-type]
            row.best_score = tie.score if tie else None
            row.best_member = tie.member.name if tie else ""
            row.cold = _cold(link.person, today)
            score = row.best_score or 0
            if score >= STRONG:
                result.strong += 1
            elif score >= MODERATE:
                result.moderate += 1
            else:
                result.weak += 1
            result.cold += row.cold
        found.append(row)
    result.by_role, result.by_type = dict(by_role), dict(by_type)
    result.types_missing = [t for t in StakeholderType.objects.all() if t.code not in by_type]
    result.unknown_organisations = unknown_organisations(user=user, theme=theme)
    return result


def unknown_organisations(*, user: Any, theme: Theme) -> list[Organisation]:
    """Organisations linked to the theme where no colleague knows anyone working there now."""
    known = Affiliation.objects.current().filter(
        organisation=OuterRef("pk"),
        person__in=visibility.persons(user),
        person__ties__member__isnull=False,
    )
    return list(
        visibility.organisations(user)
        .filter(theme_links__theme=theme)
        .exclude(Exists(known))
        .order_by("sort_name")[:50]
    )


@dataclass(frozen=True)
class HeatCell:
    linked: int
    covered: int  # with a moderate or strong tie to a colleague

    @property
    def level(self) -> int:
        """0 nobody, 1 linked but no one well known, 2 one or two covered, 3 three or more."""
        if not self.linked:
            return 0
        if not self.covered:
            return 1
        return 2 if self.covered < 3 else 3


@dataclass
class Heatmap:
    themes: list[Theme]
    types: list[StakeholderType]
    cells: dict[tuple[int, int], HeatCell]

    @property
    def table(self) -> list[tuple[Theme, list[HeatCell]]]:
        empty = HeatCell(0, 0)
        return [(t, [self.cells.get((t.pk, s.pk), empty) for s in self.types]) for t in self.themes]


def heatmap(*, user: Any) -> Heatmap:
    """Theme × stakeholder type: how many linked relations (persons by their own types,
    organisations by theirs), and how many of the persons a colleague knows moderately or
    well. Three grouped queries whatever the network's size."""
    visible_links = links(user)
    person_rows = (
        visible_links.filter(person__isnull=False, person__stakeholder_types__isnull=False)
        .order_by()
        .values_list("theme_id", "person__stakeholder_types", "person_id")
    )
    org_rows = (
        visible_links.filter(organisation__isnull=False,
                             organisation__stakeholder_types__isnull=False)
        .order_by()
        .values_list("theme_id", "organisation__stakeholder_types")
    )  # fmt: skip
    covered_persons = set(
        TieStrength.objects.filter(
            person_id__in=visible_links.filter(person__isnull=False).values("person_id"),
            score__gte=MODERATE,
        )
        .order_by()
        .values_list("person_id", flat=True)
        .distinct()
    )
    linked: Counter[tuple[int, int]] = Counter()
    covered: Counter[tuple[int, int]] = Counter()
    for theme_id, type_id, person_id in person_rows:
        linked[(theme_id, type_id)] += 1
        covered[(theme_id, type_id)] += person_id in covered_persons
    for theme_id, type_id in org_rows:
        linked[(theme_id, type_id)] += 1
    cells = {key: HeatCell(n, covered[key]) for key, n in linked.items()}
    return Heatmap(themes=list(themes()), types=list(StakeholderType.objects.all()), cells=cells)


# ---- gaps and candidates ---------------------------------------------------------------------


@dataclass
class Candidate:
    person: Person
    via: str  # "person" (knows a linked relation), "organisation" (works where one works)
    via_name: str
    best_score: int | None


@dataclass
class Gap:
    stakeholder_type: StakeholderType
    candidates: list[Candidate]


def gap_candidates(
    *, user: Any, theme: Theme, stakeholder_type: StakeholderType, limit: int = 5
) -> list[Candidate]:
    """Persons of a missing stakeholder type two steps from the theme: they know a linked
    relation (a tie between persons), or work at an organisation where a linked relation works
    or that is linked itself. Those a colleague knows best come first: a warm path exists."""
    scope = visibility.persons(user)
    linked_persons = ThemeLink.objects.filter(theme=theme, person__in=scope).values("person_id")
    linked_orgs = set(
        Affiliation.objects.current().filter(person_id__in=linked_persons)
        .values_list("organisation_id", flat=True)
    ) | set(ThemeLink.objects.filter(theme=theme, organisation__isnull=False)
            .values_list("organisation_id", flat=True))  # fmt: skip
    of_type = scope.filter(stakeholder_types=stakeholder_type).exclude(pk__in=linked_persons)
    via_person: dict[int, int] = {}
    for a, b in (
        visibility.ties(user)
        .filter(other_person__isnull=False)
        .filter(Q(person_id__in=linked_persons) | Q(other_person_id__in=linked_persons))
        .values_list("person_id", "other_person_id")[:5000]
    ):
        via_person.setdefault(b, a)
        via_person.setdefault(a, b)
    via_org = dict(
        Affiliation.objects.current()
        .filter(organisation_id__in=linked_orgs, person__in=of_type)
        .values_list("person_id", "organisation_id")[:5000]
    )
    ids = set(of_type.filter(pk__in=list(via_person)[:5000]).values_list("pk", flat=True))
    ids |= set(via_org)
    if not ids:
        return []
    best = dict(
        TieStrength.objects.filter(person_id__in=ids).order_by().values("person_id")
        .annotate(top=Max("score")).values_list("person_id", "top")
    )  # fmt: skip
    chosen = sorted(ids, key=lambda pk: (-(best.get(pk) or -1), pk))[:limit]
    persons = scope.in_bulk(chosen)
    names = _names(via_person, via_org, chosen)
    found = []
    for pk in chosen:
        if pk not in persons:
            continue
        kind = (
            "person" if pk in via_person and via_person[pk] in names["person"] else "organisation"
        )
        key = via_person.get(pk) if kind == "person" else via_org.get(pk)
        found.append(Candidate(person=persons[pk], via=kind,
                               via_name=names[kind].get(key, ""),  # type: ignore[arg-type]
                               best_score=best.get(pk)))  # fmt: skip
    return found


def _names(
    via_person: dict[int, int], via_org: dict[int, int], chosen: list[int]
) -> dict[str, dict[int, str]]:
    person_ids = {via_person[pk] for pk in chosen if pk in via_person}
    org_ids = {via_org[pk] for pk in chosen if pk in via_org}
    return {
        "person": {p.pk: p.full_name for p in Person.objects.filter(pk__in=person_ids)},
        "organisation": dict(Organisation.objects.filter(pk__in=org_ids).values_list("pk", "name")),
    }


def gaps(*, user: Any, theme: Theme, cover: Coverage, limit: int = 6) -> list[Gap]:
    """The stakeholder types a theme misses, each with its candidates."""
    return [
        Gap(stakeholder_type=t,
            candidates=gap_candidates(user=user, theme=theme, stakeholder_type=t))
        for t in cover.types_missing[:limit]
    ]  # fmt: skip


def theme_counts(*, user: Any) -> dict[int, dict[str, int]]:
    """Per theme: linked persons and organisations (visible ones), for the overview."""
    counts: dict[int, dict[str, int]] = defaultdict(lambda: {"persons": 0, "organisations": 0})
    for theme_id, person_id, _org in (
        links(user).order_by().values_list("theme_id", "person_id", "organisation_id")
    ):
        counts[theme_id]["persons" if person_id else "organisations"] += 1
    return dict(counts)


# ---- the tier mix per colleague ---------------------------------------------------------------


@dataclass
class ColleagueMix:
    member_id: int
    name: str
    counts: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def share(self, code: str) -> float:
        return round(100 * self.counts.get(code, 0) / (self.total or 1), 1)


def tier_mix_per_colleague(*, user: Any, limit: int = 12) -> list[ColleagueMix]:
    """Per colleague, the tiers of the relations they know (their ties), for the colleagues
    with the most relations; through the user's scope."""
    from gilde.relations.models import Tier

    codes = dict(Tier.objects.values_list("pk", "code"))
    rows = (
        visibility.ties(user).filter(member__isnull=False, person__tier__isnull=False)
        .order_by().values("member_id", "person__tier_id").annotate(n=Count("id"))
        .values_list("member_id", "person__tier_id", "n")
    )  # fmt: skip
    found: dict[int, dict[str, int]] = defaultdict(dict)
    for member_id, tier_id, n in rows:
        found[member_id][codes[tier_id]] = n
    top = sorted(found, key=lambda m: (-sum(found[m].values()), m))[:limit]
    names = {
        m.pk: m.name for m in visibility.members(user).filter(pk__in=top).select_related("user")
    }
    return [ColleagueMix(m, names.get(m, "?"), found[m]) for m in top]
