"""Communities as the pages, API and command line read them: each community named after the
sector and organisations most of its persons work at, and the colleagues who bridge
communities. Answered from the asking member's visible graph; names through the visibility
scope."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from gilde.accounts.models import Member
from gilde.relations.models import Organisation, Sector

from .communities import Communities
from .graph import MEMBER, Network
from .loader import communities_for
from .selectors import node_objects


@dataclass(frozen=True)
class CommunityRow:
    number: int
    label: str
    persons: int
    colleagues: list[Member]
    sectors: list[tuple[str, int]]  # (sector name, persons)
    organisations: list[tuple[Organisation, int]]


@dataclass(frozen=True)
class BridgeRow:
    colleague: Member
    home: int
    communities: int
    participation: float


@dataclass(frozen=True)
class CommunityReport:
    ready: bool  # False while the task queue is still computing them
    modularity: float = 0.0
    total: int = 0
    rows: list[CommunityRow] = field(default_factory=list)
    bridges: list[BridgeRow] = field(default_factory=list)


def _label(sectors: list[tuple[str, int]], orgs: list[tuple[Organisation, int]]) -> str:
    parts = [name for name, _n in sectors[:1]] + [org.name for org, _n in orgs[:2]]
    return " · ".join(parts) or _("No sector or organisation known")


def community_rows(user: Any, net: Network, found: Communities, *, top: int) -> list[CommunityRow]:
    sector_names = dict(Sector.choices)
    chosen = [c for c in found.found if c.persons][:top]
    wanted: set[int] = set()
    for c in chosen:
        wanted.update(org for org, _n in c.organisations)
        wanted.update(c.nodes[net.kinds[c.nodes] == MEMBER].tolist())
    objects = node_objects(user, net, sorted(wanted))
    rows = []
    for c in chosen:
        sectors = [(str(sector_names.get(code, code)), n) for code, n in c.sectors]
        orgs = [(objects[o], n) for o, n in c.organisations if o in objects]
        colleagues = [
            objects[n] for n in c.nodes[net.kinds[c.nodes] == MEMBER].tolist() if n in objects
        ]
        rows.append(
            CommunityRow(c.number, _label(sectors, orgs), c.persons, colleagues, sectors, orgs)
        )
    return rows


def communities(user: Any, *, top: int = 30, bridges: int = 15) -> CommunityReport:
    """The largest `top` communities with a name, and the colleagues whose contacts spread over
    most communities (participation 0: all in one community; towards 1: evenly over many)."""
    found, net = communities_for(user)
    if found is None:
        return CommunityReport(ready=False)
    spread = [b for b in found.bridges if b.communities >= 2][:bridges]
    objects = node_objects(user, net, [b.node for b in spread])
    return CommunityReport(
        ready=True,
        modularity=round(found.modularity, 3),
        total=sum(1 for c in found.found if c.persons),
        rows=community_rows(user, net, found, top=top),
        bridges=[
            BridgeRow(objects[b.node], b.home, b.communities, b.participation)
            for b in spread
            if b.node in objects
        ],
    )
