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
from gilde.accounts.models import Member
from gilde.maintenance.models import TieStrength
from gilde.relations.models import Affiliation, Organisation, Person, StakeholderType
from gilde.strategy import candidates
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
    """Theme links the user may see: those of organisations and of persons in their scope
    (tested on the link's own column: no subquery over every person)."""
    return ThemeLink.objects.filter(visibility.person_condition(user, "person", nullable=True))


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
    linked: int = 0
    gaps: list[Gap] = field(default_factory=list)


def _best_ties(person_ids: list[int]) -> dict[int, tuple[int, str]]:
    """Per person: the best tie's score and the colleague's name. The ties are read as plain
    values (a key relation may have dozens), the names only of the colleagues chosen."""
    best: dict[int, tuple[int, int]] = {}
    for person_id, score, member_id in (
        TieStrength.objects.filter(person_id__in=person_ids)
        .order_by("person_id", "-score", "member_id")
        .values_list("person_id", "score", "member_id")
    ):
        best.setdefault(person_id, (score, member_id))
    names = {
        m.pk: m.name
        for m in Member.objects.filter(pk__in={m for _s, m in best.values()}).select_related("user")
    }
    return {pid: (score, names.get(member_id, "")) for pid, (score, member_id) in best.items()}


SHOWN = 50  # linked relations listed on a theme's page (the counts cover them all)


def _cold_days(tiers: dict[int, Any]) -> dict[int | None, int]:
    """Per tier, the days without contact after which a relation is going cold: the tier's
    maximum interval (twice the ideal when no maximum is set), a year without a rhythm."""
    found: dict[int | None, int] = {None: COLD_DAYS}
    for pk, ideal, most in tiers.values():
        found[pk] = most or (2 * ideal if ideal else COLD_DAYS)
    return found


def _going_cold(today: dt.date) -> Q:
    """The condition "this linked person is going cold": no contact, or the last one before
    the start of the day their tier's cold days ago (local time). Tested in the database, on
    the relation's care row, so no row's date is read into Python."""
    from gilde.relations.models import Tier

    tiers = {t.pk: (t.pk, t.ideal_interval_days, t.max_interval_days) for t in Tier.objects.all()}
    zone = timezone.get_current_timezone()

    def cutoff(days: int) -> dt.datetime:
        return dt.datetime.combine(today - dt.timedelta(days=days), dt.time.min, tzinfo=zone)

    last = "person__care__last_contact_at"
    condition = Q(**{f"{last}__isnull": True}) | Q(
        person__tier__isnull=True, **{f"{last}__lt": cutoff(COLD_DAYS)}
    )
    for tier, days in _cold_days(tiers).items():
        if tier is not None:
            condition |= Q(person__tier_id=tier, **{f"{last}__lt": cutoff(days)})
    return condition


def coverage(*, user: Any, theme: Theme, today: dt.date | None = None) -> Coverage:
    """Per theme: the linked relations with their best tie and whether they are going cold,
    counts per role and stakeholder type, stakeholder types missing, and linked organisations
    no colleague knows anyone at. Counted by the database in grouped queries on the theme's
    index; the first SHOWN links (most important first) are listed."""
    today = today or timezone.localdate()
    scoped = links(user).filter(theme=theme).order_by()
    result = Coverage(
        theme=theme, rows=[], by_role={}, by_type={}, types_missing=[], unknown_organisations=[]
    )
    by_importance: Counter[int] = Counter()
    for role, importance, n in (
        scoped.values("role", "importance")
        .annotate(n=Count("id"))
        .values_list("role", "importance", "n")
    ):
        result.by_role[role] = result.by_role.get(role, 0) + n
        by_importance[importance] += n
    result.linked = sum(by_importance.values())
    persons = scoped.filter(person__isnull=False)
    person_ids = persons.values("person_id")
    by_type: Counter[str] = Counter()
    for model, column, ids in (
        (Person, "person_id", person_ids),
        (
            Organisation,
            "organisation_id",
            scoped.filter(organisation__isnull=False).values("organisation_id"),
        ),
    ):
        through: QuerySet[Any] = model.stakeholder_types.through.objects.filter(
            **{f"{column}__in": ids}
        )
        for code, n in (
            through.order_by()
            .values("stakeholdertype__code")
            .annotate(n=Count("id"))
            .values_list("stakeholdertype__code", "n")
        ):
            by_type[code] += n
    result.by_type = dict(by_type)
    tops = Counter(
        STRONG if top >= STRONG else MODERATE if top >= MODERATE else 0
        for top in TieStrength.objects.filter(person_id__in=person_ids)
        .order_by()
        .values("person_id")
        .annotate(top=Max("score"))
        .values_list("top", flat=True)
    )
    result.strong, result.moderate = tops[STRONG], tops[MODERATE]
    result.weak = persons.count() - result.strong - result.moderate
    going_cold = _going_cold(today)
    result.cold = persons.filter(going_cold).count()
    # The SHOWN most important: sort only the links of the importance levels they come from.
    level, enough = 0, 0
    for importance in sorted(by_importance, reverse=True):
        level, enough = importance, enough + by_importance[importance]
        if enough >= SHOWN:
            break
    shown = list(
        scoped.filter(importance__gte=level)
        .select_related("person__tier", "organisation")
        .order_by("-importance", "person__sort_name", "organisation__sort_name")[:SHOWN]
    )
    shown_persons = [r.person_id for r in shown if r.person_id]
    cold = set(
        persons.filter(going_cold, person_id__in=shown_persons).values_list("person_id", flat=True)
    )
    ties = _best_ties(shown_persons)
    for link in shown:
        tie = ties.get(link.person_id) if link.person_id else None
        result.rows.append(
            LinkedRelation(
                link=link,
                best_score=tie[0] if tie else None,
                best_member=tie[1] if tie else "",
                cold=link.person_id in cold,
            )
        )
    result.types_missing = [t for t in StakeholderType.objects.all() if t.code not in by_type]
    result.unknown_organisations = unknown_organisations(user=user, theme=theme)
    return result


def unknown_organisations(*, user: Any, theme: Theme) -> list[Organisation]:
    """Organisations linked to the theme where no colleague knows anyone working there now."""
    known = Affiliation.objects.current().filter(
        visibility.person_condition(user, "person"),
        organisation=OuterRef("organisation_id"),
        person__ties__member__isnull=False,
    )
    ids = (
        ThemeLink.objects.filter(theme=theme, organisation__isnull=False)
        .exclude(Exists(known))
        .values("organisation_id")
    )
    return list(visibility.organisations(user).filter(pk__in=ids).order_by("sort_name")[:50])


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
    well. Two grouped queries whatever the network's size: the database counts, a person's
    ties are probed by index once per linked person."""
    visible_links = links(user)
    well_known = Exists(
        TieStrength.objects.filter(person_id=OuterRef("person_id"), score__gte=MODERATE)
    )
    person_cells = (
        visible_links.filter(person__isnull=False, person__stakeholder_types__isnull=False)
        .order_by()
        .values("theme_id", "person__stakeholder_types")
        .annotate(n=Count("id"), covered=Count("id", filter=Q(well_known)))
        .values_list("theme_id", "person__stakeholder_types", "n", "covered")
    )
    org_cells = (
        visible_links.filter(
            organisation__isnull=False, organisation__stakeholder_types__isnull=False
        )
        .order_by()
        .values("theme_id", "organisation__stakeholder_types")
        .annotate(n=Count("id"))
        .values_list("theme_id", "organisation__stakeholder_types", "n")
    )
    linked: Counter[tuple[int, int]] = Counter()
    covered: Counter[tuple[int, int]] = Counter()
    for theme_id, type_id, n, well in person_cells:
        linked[(theme_id, type_id)] += n
        covered[(theme_id, type_id)] += well
    for theme_id, type_id, n in org_cells:
        linked[(theme_id, type_id)] += n
    cells = {key: HeatCell(n, covered[key]) for key, n in linked.items()}
    return Heatmap(themes=list(themes()), types=list(StakeholderType.objects.all()), cells=cells)


# ---- gaps and candidates ---------------------------------------------------------------------


@dataclass
class Candidate:
    person: Person
    via: str  # "person" (knows a linked relation), "organisation" (works where one works)
    via_name: str
    best_score: int | None
    reason: str = ""  # the warm path in words: "via Bram Smit, whom Anna de Vries knows well"
    joined: bool = False  # the reason says whom they know ("knows Bram, whom Anna knows well")


@dataclass
class Gap:
    stakeholder_type: StakeholderType
    candidates: list[Candidate]
    anyone: bool = True  # anyone of this type in the network (that the user may see)


def _types_anyone_has(user: Any, types: list[StakeholderType]) -> set[int]:
    """Of these stakeholder types, those a person (visible to the user) or an organisation has."""
    ids = [t.pk for t in types]
    on_persons = Person.stakeholder_types.through.objects.filter(
        visibility.person_condition(user, "person"), stakeholdertype_id__in=ids
    )
    on_organisations = Organisation.stakeholder_types.through.objects.filter(
        stakeholdertype_id__in=ids
    )
    return set(on_persons.values_list("stakeholdertype_id", flat=True).distinct()) | set(
        on_organisations.values_list("stakeholdertype_id", flat=True).distinct()
    )


def _two_steps(user: Any, theme: Theme) -> tuple[dict[int, int], dict[int, int]]:
    """Persons two steps from a theme, in the user's scope: {person: the linked relation they
    know} and {person: the organisation they work at, where a linked relation works or that is
    linked itself}. Linked persons themselves are left out."""
    scope = visibility.persons(user)
    linked_persons = set(
        ThemeLink.objects.filter(theme=theme, person__in=scope).values_list("person_id", flat=True)
    )
    linked_orgs = set(
        Affiliation.objects.current()
        .filter(person_id__in=linked_persons)
        .values_list("organisation_id", flat=True)
    ) | set(
        ThemeLink.objects.filter(theme=theme, organisation__isnull=False).values_list(
            "organisation_id", flat=True
        )
    )
    via_person: dict[int, int] = {}
    for a, b in (
        visibility.ties(user)
        .filter(other_person__isnull=False)
        .filter(Q(person_id__in=linked_persons) | Q(other_person_id__in=linked_persons))
        .values_list("person_id", "other_person_id")[:5000]
    ):
        if b not in linked_persons:
            via_person.setdefault(b, a)
        if a not in linked_persons:
            via_person.setdefault(a, b)
    via_org = {
        pid: oid
        for pid, oid in Affiliation.objects.current()
        .filter(organisation_id__in=linked_orgs, person__in=scope)
        .values_list("person_id", "organisation_id")[:20000]
        if pid not in linked_persons
    }
    return via_person, via_org


def gaps(
    *, user: Any, theme: Theme, cover: Coverage, limit: int = 6, per_gap: int = 5
) -> list[Gap]:
    """The stakeholder types a theme misses, each with candidates two steps away: persons of
    that type who know a linked relation (a tie between persons), or who work at an
    organisation where a linked relation works or that is linked itself. The warmest path a
    colleague has to them ranks them, found on the network graph (see `candidates`); until a
    graph is stored, those a colleague knows best come first."""
    if not cover.types_missing:
        return []
    held = _types_anyone_has(user, cover.types_missing)
    missing = [t for t in cover.types_missing if t.pk in held][:limit]
    nobody = [
        Gap(stakeholder_type=t, candidates=[], anyone=False)
        for t in cover.types_missing
        if t.pk not in held
    ]
    if not missing:
        return nobody
    net = candidates.network_or_none(user)
    if net is not None:
        return _gaps_on_graph(user, net, theme, missing, per_gap) + nobody
    via_person, via_org = _two_steps(user, theme)
    near = set(via_person) | set(via_org)
    by_type: dict[int, list[int]] = defaultdict(list)
    for pid, type_id in Person.stakeholder_types.through.objects.filter(
        person_id__in=list(near), stakeholdertype_id__in=[t.pk for t in missing]
    ).values_list("person_id", "stakeholdertype_id"):
        by_type[type_id].append(pid)
    wanted = {pid for pids in by_type.values() for pid in pids}
    best = dict(
        TieStrength.objects.filter(person_id__in=list(wanted))
        .order_by()
        .values("person_id")
        .annotate(top=Max("score"))
        .values_list("person_id", "top")
    )
    chosen = {
        t.pk: sorted(by_type[t.pk], key=lambda pk: (-(best.get(pk) or -1), pk))[:per_gap]
        for t in missing
    }
    every = [pk for pks in chosen.values() for pk in pks]
    persons = visibility.persons(user).in_bulk(every)
    names = _names(via_person, via_org, every)
    found = []
    for t in missing:
        candidates_ = []
        for pk in chosen[t.pk]:
            if pk not in persons:
                continue
            kind = "person" if pk in via_person else "organisation"
            key = via_person.get(pk) if kind == "person" else via_org.get(pk)
            candidates_.append(
                Candidate(
                    person=persons[pk],
                    via=kind,
                    via_name=names[kind].get(key or 0, ""),
                    best_score=best.get(pk),
                )
            )
        found.append(Gap(stakeholder_type=t, candidates=candidates_))
    return found + nobody


def _gaps_on_graph(
    user: Any, net: Any, theme: Theme, missing: list[StakeholderType], per_gap: int
) -> list[Gap]:
    scoped = links(user).filter(theme=theme).order_by()
    linked = list(scoped.filter(person__isnull=False).values_list("person_id", flat=True))
    organisations = list(
        scoped.filter(organisation__isnull=False).values_list("organisation_id", flat=True)
    )
    by_type = candidates.routes(
        net, persons=linked, organisations=organisations, types=[t.pk for t in missing]
    )
    chosen = {
        type_id: sorted(found.items(), key=lambda item: (-item[1].warmth, int(net.keys[item[0]])))[
            : per_gap * 2
        ]  # a few spare for a person removed since the graph was read
        for type_id, found in by_type.items()
    }
    every = {int(net.keys[node]) for pairs in chosen.values() for node, _route in pairs}
    persons = visibility.persons(user).in_bulk(list(every))
    nodes = {
        n
        for pairs in chosen.values()
        for node, r in pairs
        for n in (r.near, r.via, r.colleague)
        if n is not None
    }
    names = candidates.names_of(user, net, nodes)
    best = dict(
        TieStrength.objects.filter(person_id__in=list(every))
        .order_by()
        .values("person_id")
        .annotate(top=Max("score"))
        .values_list("person_id", "top")
    )
    found = []
    for t in missing:
        listed: list[Candidate] = []
        for node, route in chosen.get(t.pk, []):
            person = persons.get(int(net.keys[node]))
            if person is None or route.near not in names or len(listed) == per_gap:
                continue
            listed.append(
                Candidate(
                    person=person,
                    via=route.kind,
                    via_name=names[route.near],
                    best_score=best.get(person.pk),
                    reason=candidates.reason(route, names),
                    joined=candidates.joined(route) and route.colleague in names,
                )
            )
        found.append(Gap(stakeholder_type=t, candidates=listed))
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
        visibility.ties(user)
        .filter(member__isnull=False, person__tier__isnull=False)
        .order_by()
        .values("member_id", "person__tier_id")
        .annotate(n=Count("id"))
        .values_list("member_id", "person__tier_id", "n")
    )
    found: dict[int, dict[str, int]] = defaultdict(dict)
    for member_id, tier_id, n in rows:
        found[member_id][codes[tier_id]] = n
    top = sorted(found, key=lambda m: (-sum(found[m].values()), m))[:limit]
    names = {
        m.pk: m.name for m in visibility.members(user).filter(pk__in=top).select_related("user")
    }
    return [ColleagueMix(m, names.get(m, "?"), found[m]) for m in top]
