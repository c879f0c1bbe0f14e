"""Candidates for a theme's gap, found on the network graph (`gilde.network`): persons two
steps from the theme (they know a linked relation, or work where a linked relation works or at
a linked organisation), ranked by the warmest path a colleague has to them, with that path in
words: "via Bram Smit, whom Anna de Vries knows strongly".

The graph is read and kept by the network app (rebuilt in the background when it is stale), so
a request only walks arrays: the theme's edges are picked out in one numpy pass over the edge
list, whatever the network's size. The graph is the visible one of the asking member: a person
hidden from them has no edge in it, so they are neither a candidate nor an intermediary.
While no graph was stored yet (just after a restart) the caller falls back on the database
and the graph is queued for building."""

from __future__ import annotations

import threading
import weakref
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from django.core.cache import cache
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from gilde import visibility
from gilde.network.graph import E_KNOWS, E_PERSON_TIE, MEMBER, ORGANISATION, PERSON, Network
from gilde.relations.models import Organisation, Person

# What a colleague's tie of this worth (tie strength × recency, 0–1) is called: the theme
# page's strong and moderate ties (65 and 35 of 100).
STRONGLY, WELL = 0.65, 0.35


@dataclass(frozen=True)
class _Prepared:
    """What every theme's question needs from one graph, worked out once and kept with it:
    per node the worth of the best colleague's tie with it (0 when none) and that colleague
    (-1); the declared ties between persons; per organisation its best known employee."""

    best: np.ndarray
    who: np.ndarray
    tie_a: np.ndarray
    tie_b: np.ndarray
    tie_worth: np.ndarray
    org_best: np.ndarray
    org_x: np.ndarray
    # The answers already given on this graph, per (linked persons, organisations, types):
    # a theme's page asked again finds its candidates here until the graph is rebuilt or the
    # theme's links change.
    answers: OrderedDict[tuple[Any, ...], dict[int, dict[int, Route]]] = field(
        default_factory=OrderedDict, compare=False
    )


ANSWERS_KEPT = 32
_lock = threading.Lock()
_prepared: weakref.WeakKeyDictionary[Network, _Prepared] = weakref.WeakKeyDictionary()


@dataclass(frozen=True)
class Route:
    """How a candidate is two steps from the theme, and the warmest way a colleague reaches
    them: `via` the person (a linked relation, or someone at the same organisation) a colleague
    knows, or directly (`via` None)."""

    kind: str  # "person": knows a linked relation; "organisation": works at `organisation`
    near: int  # the linked relation they know (kind "person") or the organisation's node
    via: int | None  # the intermediary's node, None when a colleague knows them directly
    colleague: int | None  # the colleague's node, None when no colleague is on the way
    warmth: float  # the whole path's worth, 0–1
    known: float = 0.0  # how well the colleague knows the first person on the way, 0–1


def network_or_none(user: Any) -> Network | None:
    """The user's visible network graph when one is stored; otherwise queue its building (once)
    and answer None, so that no request reads the whole network itself."""
    from gilde.network import loader

    if not cache.has_key(loader.CACHE_KEY):
        if cache.add(f"{loader.CACHE_KEY}.queued.strategy", True, 300):
            from gilde.core.jobs import job_enqueue

            with transaction.atomic():
                job_enqueue(kind="network.graph")
        return None
    return loader.network_for(user)[0]


def _prepare(net: Network) -> _Prepared:
    found = _prepared.get(net)
    if found is not None:
        return found
    n = len(net.kinds)
    knows = net.edge_kinds == E_KNOWS
    a, b, worth = net.ends_a[knows], net.ends_b[knows], net.worth[knows]
    member_first = net.kinds[a] == MEMBER
    persons, members = np.where(member_first, b, a), np.where(member_first, a, b)
    order = np.argsort(worth, kind="stable")  # the best, written last, wins
    best = np.zeros(n, dtype=np.float64)
    who = np.full(n, -1, dtype=np.int64)
    best[persons[order]] = worth[order]
    who[persons[order]] = members[order]
    ties = net.edge_kinds == E_PERSON_TIE
    jp, jo = net.job_persons, net.job_orgs
    order = np.argsort(best[jp], kind="stable")
    org_best = np.zeros(n, dtype=np.float64)
    org_x = np.full(n, -1, dtype=np.int64)
    org_best[jo[order]] = best[jp[order]]
    org_x[jo[order]] = jp[order]
    found = _Prepared(
        best, who, net.ends_a[ties], net.ends_b[ties], net.worth[ties], org_best, org_x
    )
    _prepared[net] = found
    return found


def routes(
    net: Network, *, persons: list[int], organisations: list[int], types: list[int]
) -> dict[int, dict[int, Route]]:
    """Per stakeholder type of `types`: the persons of that type two steps from the linked
    `persons` and `organisations` (database ids), each with their warmest route."""
    ready = _prepare(net)
    key = (frozenset(persons), frozenset(organisations), tuple(types))
    with _lock:
        known = ready.answers.get(key)
    if known is not None:
        return known
    answer = _routes(net, ready, persons=persons, organisations=organisations, types=types)
    with _lock:
        ready.answers[key] = answer
        while len(ready.answers) > ANSWERS_KEPT:
            ready.answers.popitem(last=False)
    return answer


def _routes(
    net: Network,
    ready: _Prepared,
    *,
    persons: list[int],
    organisations: list[int],
    types: list[int],
) -> dict[int, dict[int, Route]]:
    n = len(net.kinds)
    best, who = ready.best, ready.who
    linked = np.zeros(n, dtype=bool)
    linked[[x for pk in persons if (x := net.node(PERSON, pk)) is not None]] = True
    # Knows a linked relation: a declared tie between persons.
    a, b = ready.tie_a, ready.tie_b
    out_a = linked[a] & ~linked[b]
    out_b = linked[b] & ~linked[a]
    tie_c = np.concatenate([b[out_a], a[out_b]])
    tie_x = np.concatenate([a[out_a], b[out_b]])
    tie_warm = best[tie_x] * np.concatenate([ready.tie_worth[out_a], ready.tie_worth[out_b]])
    # Works at a linked organisation or where a linked relation works; the intermediary is
    # the best known of its employees (not the candidate: they are then known directly).
    jp, jo = net.job_persons, net.job_orgs
    around = np.zeros(n, dtype=bool)
    around[[x for pk in organisations if (x := net.node(ORGANISATION, pk)) is not None]] = True
    around[jo[linked[jp]]] = True
    at = around[jo] & ~linked[jp]
    job_c, job_o = jp[at], jo[at]
    job_x = ready.org_x[job_o]
    job_warm = np.where(job_x != job_c, ready.org_best[job_o] * 0.36, 0.0)  # two jobs of 0.6
    # Only persons of a wanted type.
    near = np.zeros(n, dtype=bool)
    near[tie_c] = True
    near[job_c] = True
    type_ids = net.type_ids
    wanted_type = np.zeros(int(type_ids.max(initial=0)) + 1, dtype=bool)
    wanted_type[[t for t in types if t < len(wanted_type)]] = True
    typed = near[net.type_nodes] & wanted_type[type_ids]
    wanted = np.zeros(n, dtype=bool)
    wanted[net.type_nodes[typed]] = True
    found: dict[int, Route] = {}
    for kind, cs, xs, ws, nears in (
        ("organisation", job_c, job_x, job_warm, job_o),
        ("person", tie_c, tie_x, tie_warm, tie_x),
    ):
        keep = wanted[cs]
        for c, x, w, o in zip(
            cs[keep].tolist(),
            xs[keep].tolist(),
            ws[keep].tolist(),
            nears[keep].tolist(),
            strict=True,
        ):
            direct = float(best[c])
            route = (
                Route(kind, o, None, int(who[c]), direct, direct)
                if direct >= w and direct > 0
                else Route(
                    kind,
                    o,
                    x if w > 0 else None,
                    int(who[x]) if w > 0 else None,
                    w,
                    float(best[x]) if w > 0 else 0.0,
                )
            )
            held = found.get(c)
            # The warmer route wins; a person one knows beats a shared employer at equal warmth.
            if (
                held is None
                or route.warmth > held.warmth
                or (route.warmth == held.warmth and kind == "person")
            ):
                found[c] = route
    by_type: dict[int, dict[int, Route]] = {t: {} for t in types}
    for node, type_id in zip(
        net.type_nodes[typed].tolist(), net.type_ids[typed].tolist(), strict=True
    ):
        if node in found:
            by_type[type_id][node] = found[node]
    return by_type


def how(warmth: float) -> str:
    if warmth >= STRONGLY:
        return pgettext("knows", "strongly")
    if warmth >= WELL:
        return pgettext("knows", "well")
    return pgettext("knows", "slightly")


def reason(route: Route, names: dict[int, str]) -> str:
    """The warm path in words ("" when no colleague is on the way, or someone on it is not
    visible any more). A candidate who knows a linked relation a colleague knows reads as one
    phrase, "knows Bram Smit, whom Anna de Vries knows well" (see `joined`)."""
    if route.colleague not in names or (route.via is not None and route.via not in names):
        return ""
    if route.via is None:
        return _("%(colleague)s knows them %(how)s") % {
            "colleague": names[route.colleague],
            "how": how(route.known),
        }
    if route.kind == "person" and route.via == route.near:
        return _("knows %(via)s, whom %(colleague)s knows %(how)s") % {
            "via": names[route.via],
            "colleague": names[route.colleague],
            "how": how(route.known),
        }
    return _("via %(via)s, whom %(colleague)s knows %(how)s") % {
        "via": names[route.via],
        "colleague": names[route.colleague],
        "how": how(route.known),
    }


def joined(route: Route) -> bool:
    """Whether `reason` already says whom the candidate knows."""
    return route.kind == "person" and route.via is not None and route.via == route.near


def names_of(user: Any, net: Network, nodes: set[int]) -> dict[int, str]:
    """The names behind nodes, read through the user's scope (a node whose person is no longer
    visible, in a graph older than the change, gets no name)."""
    from gilde.accounts.models import Member

    wanted: dict[int, list[int]] = {MEMBER: [], PERSON: [], ORGANISATION: []}
    for node in nodes:
        kind = int(net.kinds[node])
        if kind in wanted:
            wanted[kind].append(int(net.keys[node]))
    found: dict[int, str] = {}
    sources: tuple[tuple[int, Any], ...] = (
        (MEMBER, visibility.members(user).select_related("user")),
        (PERSON, visibility.persons(user)),
        (ORGANISATION, visibility.organisations(user)),
    )
    for kind, qs in sources:
        if not wanted[kind]:
            continue
        for obj in qs.filter(pk__in=wanted[kind]):
            at = net.node(kind, obj.pk)
            if at is not None:
                found[at] = (
                    obj.name
                    if isinstance(obj, Member | Organisation)
                    else obj.full_name
                    if isinstance(obj, Person)
                    else str(obj)
                )
    return found
