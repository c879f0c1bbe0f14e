"""Network questions for one asking user, answered from their visible graph (loader.network_for):
reach, warm introduction paths, concentration risk and brokers. Names are read through the
visibility scope; the graph gives only ids."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from django.core.exceptions import ObjectDoesNotExist
from django.utils import timezone

from gilde import visibility
from gilde.accounts.models import Member
from gilde.relations.models import Affiliation, Organisation, Person, StakeholderType

from .graph import MEMBER, ORGANISATION, PERSON, Network, Reach
from .loader import network_for


@dataclass(frozen=True)
class Breakdown:
    label: str
    first: int
    second: int


@dataclass(frozen=True)
class ReachReport:
    """First- and second-degree reach of some colleagues (the organisation, a department or one
    colleague), with its breakdowns, efficiency and overlap."""

    label: str
    colleagues: int
    first_persons: int
    second_persons: int
    first_organisations: int
    second_organisations: int
    efficiency: float
    overlap: float
    by_tier: list[Breakdown] = field(default_factory=list)
    by_type: list[Breakdown] = field(default_factory=list)
    by_sector: list[Breakdown] = field(default_factory=list)
    built_at: dt.datetime | None = None


@dataclass(frozen=True)
class Loss:
    """What the organisation's reach would lose without one colleague or one relation."""

    label: str
    first_persons: int
    second_persons: int
    organisations: int
    only_known_by: list[Person]


def _member_nodes(net: Network, members: list[Member]) -> list[int]:
    return [n for m in members if (n := net.node(MEMBER, m.pk)) is not None]


def _overlap(net: Network, sources: list[int], first: np.ndarray) -> float:
    """The share of directly known persons that two or more of these colleagues know; for one
    colleague, the share that any other colleague also knows."""
    if not len(first):
        return 0.0
    if len(sources) == 1:
        return float(np.mean(net.member_counts[first] > 1))
    lists = net.knows.neighborhood(sources, order=1, mindist=1)
    _, counts = np.unique(
        np.concatenate([np.asarray(x, dtype=np.int64) for x in lists]), return_counts=True
    )
    return float(np.sum(counts > 1) / len(first)) if len(counts) else 0.0


def _breakdowns(
    net: Network, reach: Reach
) -> tuple[list[Breakdown], list[Breakdown], list[Breakdown]]:
    from gilde.relations.models import Sector, Tier

    tiers = {t.code: str(t) for t in Tier.objects.all()}
    by_tier = []
    first_tiers = Counter(net.tiers[reach.first].tolist())
    second_tiers = Counter(net.tiers[reach.second].tolist())
    for code, name in tiers.items():
        by_tier.append(Breakdown(name, first_tiers.get(code, 0), second_tiers.get(code, 0)))
    by_type = []
    in_first = np.isin(net.type_nodes, reach.first)
    in_second = np.isin(net.type_nodes, reach.second)
    first_orgs = net.organisations_of(reach.first)
    second_orgs = np.setdiff1d(net.organisations_of(reach.second), first_orgs)
    org_first = np.isin(net.type_nodes, first_orgs)
    org_second = np.isin(net.type_nodes, second_orgs)
    for kind in StakeholderType.objects.all():
        is_kind = net.type_ids == kind.pk
        by_type.append(
            Breakdown(
                str(kind),
                int(np.sum(is_kind & (in_first | org_first))),
                int(np.sum(is_kind & (in_second | org_second))),
            )
        )
    first_sectors = Counter(net.sectors[first_orgs].tolist())
    second_sectors = Counter(net.sectors[second_orgs].tolist())
    by_sector = [
        Breakdown(str(label), first_sectors.get(value, 0), second_sectors.get(value, 0))
        for value, label in Sector.choices
    ]
    return by_tier, by_type, by_sector


def reach(user: Any, *, member: Member | None = None, department: str | None = None) -> ReachReport:
    """The reach of the organisation (no arguments), one colleague or one department."""
    from django.utils.translation import gettext as _

    net, built_at = network_for(user)
    if member is not None:
        colleagues = [member]
        label = member.name
    elif department is not None:
        colleagues = list(visibility.members(user).filter(department=department))
        label = department
    else:
        colleagues = list(visibility.members(user).filter(user__is_active=True))
        label = _("the organisation")
    sources = _member_nodes(net, colleagues)
    found = net.reach(sources)
    first_orgs = net.organisations_of(found.first)
    second_orgs = np.setdiff1d(net.organisations_of(found.second), first_orgs)
    by_tier, by_type, by_sector = _breakdowns(net, found)
    return ReachReport(
        label=label,
        colleagues=len(sources),
        first_persons=len(found.first),
        second_persons=len(found.second),
        first_organisations=len(first_orgs),
        second_organisations=len(second_orgs),
        efficiency=found.efficiency,
        overlap=_overlap(net, sources, found.first),
        by_tier=by_tier,
        by_type=by_type,
        by_sector=by_sector,
        built_at=built_at,
    )


def departments(user: Any) -> list[str]:
    return sorted(
        set(visibility.members(user).exclude(department="").values_list("department", flat=True))
    )


def loss_without(user: Any, *, member: Member | None = None, person: Person | None = None) -> Loss:
    """What the organisation's reach loses without one colleague or one (visible) relation."""
    net, _built = network_for(user)
    everyone = _member_nodes(net, list(visibility.members(user).filter(user__is_active=True)))
    whole = net.reach(everyone)
    if member is not None:
        gone = net.node(MEMBER, member.pk)
        label = member.name
    else:
        assert person is not None
        gone = net.node(PERSON, person.pk)
        label = str(person)
    if gone is None:
        return Loss(label, 0, 0, 0, [])
    rest = net.reach(everyone, without=[gone])
    all_whole = np.union1d(whole.first, whole.second)
    all_rest = np.union1d(rest.first, rest.second)
    lost = np.setdiff1d(all_whole, all_rest)
    lost = lost[lost != gone]
    lost_first = np.setdiff1d(whole.first, rest.first)
    lost_first = lost_first[lost_first != gone]
    lost_orgs = np.setdiff1d(net.organisations_of(all_whole), net.organisations_of(all_rest))
    only = []
    if member is not None:
        keys = net.keys[lost_first[:50]].tolist()
        only = list(visibility.persons(user).filter(pk__in=keys).order_by("sort_name"))
    return Loss(
        label=label,
        first_persons=len(lost_first),
        second_persons=len(np.setdiff1d(lost, lost_first)),
        organisations=len(lost_orgs),
        only_known_by=only,
    )


# ---- people behind node ids -----------------------------------------------------------------


def node_objects(user: Any, net: Network, nodes: list[int]) -> dict[int, Any]:
    """The member, visible person or organisation behind each node (missing when not visible)."""
    wanted: dict[int, list[int]] = {MEMBER: [], PERSON: [], ORGANISATION: []}
    for n in nodes:
        if int(net.kinds[n]) in wanted:
            wanted[int(net.kinds[n])].append(int(net.keys[n]))
    found: dict[int, Any] = {}
    for kind, qs in (
        (MEMBER, visibility.members(user).select_related("user")),
        (PERSON, visibility.persons(user).select_related("care", "tier")),
        (ORGANISATION, visibility.organisations(user)),
    ):
        if wanted[kind]:
            for obj in qs.filter(pk__in=wanted[kind]):
                node = net.node(kind, obj.pk)
                if node is not None:
                    found[node] = obj
    return found


def person_for(user: Any, pk: int) -> Person:
    """A visible person, or Person.DoesNotExist (a 404) for a wrong or hidden id."""
    return visibility.persons(user).get(pk=pk)


def organisation_for(user: Any, pk: int) -> Organisation:
    return visibility.organisations(user).get(pk=pk)


def employees(user: Any, organisation: Organisation | None, *, limit: int = 200) -> list[Person]:
    """The visible persons currently working at an organisation (none without one)."""
    if organisation is None:
        return []
    return list(
        visibility.persons(user)
        .filter(affiliations__in=Affiliation.objects.current().filter(organisation=organisation))
        .distinct()
        .order_by("sort_name")[:limit]
    )


def member_for(user: Any, pk: int) -> Member:
    return visibility.members(user).select_related("user").get(pk=pk)


def now() -> dt.datetime:
    return timezone.now()


__all__ = ["ObjectDoesNotExist"]


# ---- concentration risk and brokers ----------------------------------------------------------

KEY_TIERS = ("A", "B")
BETWEENNESS_EXACT_UP_TO = 5000  # nodes; above it betweenness is sampled
BETWEENNESS_SAMPLES = 500


@dataclass(frozen=True)
class Risk:
    """A key relation known by one colleague only, and who could be the second."""

    person: Person
    colleague: Member
    proposed: Member | None
    path_percent: int | None


def concentration(user: Any, *, member: Member | None = None, limit: int = 100) -> list[Risk]:
    """Key relations (tier A or B) that only one colleague knows, with a proposed second
    colleague by the strongest warm path (at most `limit`, key tier first)."""
    net, _built = network_for(user)
    persons = net.nodes_of(PERSON)
    single = persons[(net.member_counts[persons] == 1) & np.isin(net.tiers[persons], KEY_TIERS)]
    pairs: list[tuple[str, int, int]] = []
    for node in single.tolist():
        knowers = net.knowers(node)
        if member is not None and int(net.keys[knowers[0]]) != member.pk:
            continue
        pairs.append((str(net.tiers[node]), node, knowers[0]))
    pairs.sort()
    pairs = pairs[:limit]
    objects = node_objects(user, net, [n for _t, p, k in pairs for n in (p, k)])
    result = []
    for _tier, node, knower in pairs:
        if node not in objects or knower not in objects:
            continue
        second = net.second_colleague(node, knower)
        proposed = None
        percent = None
        if second is not None:
            found = node_objects(user, net, [second[0]])
            proposed = found.get(second[0])
            percent = round(second[1] * 100)
        result.append(Risk(objects[node], objects[knower], proposed, percent))
    return result


def concentration_counts(user: Any) -> dict[str, Any]:
    """How many key relations hang on one colleague, in total and per colleague."""
    net, _built = network_for(user)
    persons = net.nodes_of(PERSON)
    single = persons[(net.member_counts[persons] == 1) & np.isin(net.tiers[persons], KEY_TIERS)]
    per: Counter[int] = Counter()
    for node in single.tolist():
        for knower in net.knowers(node):
            per[knower] += 1
    objects = node_objects(user, net, list(per))
    return {
        "total": sum(per.values()),
        "per_colleague": sorted(
            ((objects[n], c) for n, c in per.items() if n in objects),
            key=lambda item: (-item[1], item[0].name),
        ),
    }


@dataclass(frozen=True)
class Broker:
    subject: Any  # a member or a person
    degree: int
    weighted_degree: float
    betweenness: float
    constraint: float


@dataclass(frozen=True)
class BrokerReport:
    colleagues: list[Broker]
    relations: list[Broker]
    sampled: bool
    relative_error: float  # typical relative error of the betweenness figures (0 when exact)


def brokers(user: Any, *, top: int = 20) -> BrokerReport:
    """Colleagues and relations who connect most: betweenness first, with degree, weighted
    degree and Burt's constraint (low constraint = spans structural holes)."""
    net, _built = network_for(user)
    n = len(net.kinds)
    sampled = n > BETWEENNESS_EXACT_UP_TO
    figures = net.measures(samples=BETWEENNESS_SAMPLES if sampled else None)

    def ranked(kind: int) -> list[int]:
        nodes = net.nodes_of(kind)
        nodes = nodes[figures["degree"][nodes] > 0]
        order = np.lexsort((-figures["degree"][nodes], -figures["betweenness"][nodes]))
        return nodes[order][:top].tolist()

    chosen = {MEMBER: ranked(MEMBER), PERSON: ranked(PERSON)}
    objects = node_objects(user, net, chosen[MEMBER] + chosen[PERSON])

    def rows(nodes: list[int]) -> list[Broker]:
        return [
            Broker(
                objects[v],
                int(figures["degree"][v]),
                round(float(figures["weighted_degree"][v]), 2),
                round(float(figures["betweenness"][v]), 1),
                round(float(figures["constraint"][v]), 3),
            )
            for v in nodes
            if v in objects
        ]

    return BrokerReport(
        rows(chosen[MEMBER]),
        rows(chosen[PERSON]),
        sampled,
        round(1 / np.sqrt(BETWEENNESS_SAMPLES), 3) if sampled else 0.0,
    )


def colleagues(user: Any) -> list[Member]:
    return list(visibility.members(user).filter(user__is_active=True).select_related("user"))
