"""The network graph from the database, kept ready between requests.

The whole network is read once into compact lists (`NetworkData`) by `network_graph_build`,
stored in the cache with the time it was built, and turned into an igraph graph once per
process. A request never rebuilds it: when the stored graph is older than
GILDE_NETWORK_GRAPH_MAX_AGE seconds the request answers from it and puts a rebuild on the task
queue (at most one per period). Only when no graph was ever stored is it built in the request.

Each member is then answered from their *visible* graph: the same graph with every edge of the
confidential persons hidden from them removed (`visibility.hidden_persons`)."""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import threading
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from gilde import visibility

from .communities import Communities, communities_find
from .graph import (
    E_JOB,
    E_KNOWS,
    E_ORG_LINK,
    E_PERSON_TIE,
    E_SELF,
    JOB_STRENGTH,
    MEMBER,
    ORG_LINK_STRENGTH,
    ORGANISATION,
    PERSON,
    PERSON_TIE_FACTOR,
    Network,
    NetworkData,
)

log = logging.getLogger(__name__)

CACHE_KEY = "gilde.network.graph"
CACHE_SECONDS = 60 * 60 * 24 * 7


@dataclass(frozen=True)
class Stored:
    built_at: dt.datetime
    data: NetworkData


def network_data_read(*, now: dt.datetime | None = None) -> NetworkData:
    """Every colleague, person and organisation with the edges between them, as of `now`."""
    from gilde.accounts.models import Member
    from gilde.maintenance.models import TieStrength
    from gilde.relations.models import (
        Affiliation,
        Organisation,
        OrganisationLink,
        Person,
        PostalAddress,
        Tie,
    )

    now = now or timezone.now()
    today = timezone.localdate(now)
    data = NetworkData()
    members = {}
    for pk in (
        Member.objects.filter(user__is_active=True).order_by("pk").values_list("pk", flat=True)
    ):
        members[pk] = data.add_node(MEMBER, pk)
        data.add_edge(0, members[pk], kind=E_SELF, strength=1.0)
    cities: dict[int, str] = {}
    for pk, city in (
        PostalAddress.objects.exclude(city="")
        .order_by("-pk")
        .values_list("person_id", "city")
        .iterator(chunk_size=5000)
    ):
        cities[pk] = city.strip()  # the first address wins (read last)
    persons = {
        pk: data.add_node(PERSON, pk, tier=tier or "", region=cities.get(pk, ""))
        for pk, tier in Person.objects.order_by("pk")
        .values_list("pk", "tier__code")
        .iterator(chunk_size=5000)
    }
    organisations = {
        pk: data.add_node(ORGANISATION, pk, sector=sector, region=city.strip())
        for pk, sector, city in Organisation.objects.order_by("pk")
        .values_list("pk", "sector", "city")
        .iterator(chunk_size=5000)
    }
    for model, nodes in ((Person, persons), (Organisation, organisations)):
        through = model.stakeholder_types.through.objects.values_list(
            f"{model._meta.model_name}_id", "stakeholdertype_id"
        )
        for pk, type_id in through.iterator(chunk_size=5000):
            data.type_nodes.append(nodes[pk])
            data.type_ids.append(type_id)
    scores = TieStrength.objects.values_list("tie_id", "score", "last_contact_at")
    measured = {tie: (score, last) for tie, score, last in scores.iterator(chunk_size=5000)}
    ties = Tie.objects.order_by("pk").values_list(
        "pk", "person_id", "member_id", "other_person_id", "strength", "since", "created_at"
    )
    for pk, person, member, other, declared, since, created in ties.iterator(chunk_size=5000):
        if member is not None:
            if member not in members:
                continue  # a colleague who left
            score, last = measured.get(pk, (declared * 20, None))
            age = (now - last).total_seconds() / 86400 if last else None
            began = (today - since).days if since else (now - created).total_seconds() / 86400
            data.add_edge(
                members[member],
                persons[person],
                kind=E_KNOWS,
                strength=score / 100,
                age=age,
                ref=pk,
                since=began,
            )
        else:
            data.add_edge(
                persons[other],
                persons[person],
                kind=E_PERSON_TIE,
                strength=declared * 0.2 * PERSON_TIE_FACTOR,
                ref=pk,
            )
    jobs = Affiliation.objects.current(today).order_by("pk")
    for pk, person, organisation in jobs.values_list("pk", "person_id", "organisation_id").iterator(
        chunk_size=5000
    ):
        data.add_edge(
            persons[person], organisations[organisation], kind=E_JOB, strength=JOB_STRENGTH, ref=pk
        )
    for pk, a, b in OrganisationLink.objects.order_by("pk").values_list(
        "pk", "source_id", "target_id"
    ):
        data.add_edge(
            organisations[a], organisations[b], kind=E_ORG_LINK, strength=ORG_LINK_STRENGTH, ref=pk
        )
    return data


def network_graph_build(*, now: dt.datetime | None = None) -> Stored:
    """Read the network and store it for every process (the task queue's `network.graph`)."""
    now = now or timezone.now()
    stored = Stored(built_at=now, data=network_data_read(now=now))
    cache.set(CACHE_KEY, stored, CACHE_SECONDS)
    cache.set(BUILT_KEY, now, CACHE_SECONDS)
    _forget_local()
    return stored


# ---- per process --------------------------------------------------------------------------

_lock = threading.Lock()
_local: dict[str, Any] = {"built_at": None, "network": None}
_visible: OrderedDict[tuple[dt.datetime, frozenset[int]], Network] = OrderedDict()
VISIBLE_KEPT = 8  # visible graphs kept per process: most members share one hidden set


def _forget_local() -> None:
    with _lock:
        _local.update(built_at=None, network=None)
        _visible.clear()


def _stored() -> Stored:
    stored = cache.get(CACHE_KEY)
    if stored is None:
        return network_graph_build()
    _refresh_if_stale(stored.built_at)
    return stored


def _refresh_if_stale(built_at: dt.datetime) -> None:
    age = (timezone.now() - built_at).total_seconds()
    changed = cache.get(CHANGED_KEY)
    if age > settings.GILDE_NETWORK_GRAPH_MAX_AGE or (
        changed is not None and changed > built_at and age > settings.GILDE_NETWORK_GRAPH_REFRESH
    ):
        _refresh_later(built_at)


CHANGED_KEY = f"{CACHE_KEY}.changed"
# When the stored graph was built, kept apart from it: a process that already holds that graph
# reads only this small entry, not the whole network (unpickling it costs 100-200 ms at
# 100,000 persons).
BUILT_KEY = f"{CACHE_KEY}.built_at"


def network_changed() -> None:
    """Something the graph is made of changed: the next request past the short refresh age
    queues a rebuild (no database work here, so it costs a save nothing)."""
    cache.set(CHANGED_KEY, timezone.now(), CACHE_SECONDS)


def _refresh_later(built_at: dt.datetime) -> None:
    """Queue one rebuild for this stored graph; a second request before it runs queues none."""
    from gilde.core.jobs import job_enqueue

    if not cache.add(f"{CACHE_KEY}.queued.{built_at.timestamp()}", True, 3600):
        return
    try:
        with transaction.atomic():
            job_enqueue(kind="network.graph")
    except Exception:  # the old graph still answers; the next request tries again
        cache.delete(f"{CACHE_KEY}.queued.{built_at.timestamp()}")
        log.exception("The network graph rebuild could not be queued")


def network() -> tuple[Network, dt.datetime]:
    """The whole network (for background work and the organisation's own figures), with when
    it was read."""
    built_at = cache.get(BUILT_KEY)
    if built_at is not None:
        with _lock:
            held = _local["network"] if _local["built_at"] == built_at else None
        if held is not None:
            _refresh_if_stale(built_at)
            return held, built_at
    stored = _stored()
    with _lock:
        if _local["built_at"] != stored.built_at:
            _local.update(built_at=stored.built_at, network=Network(stored.data))
            _visible.clear()
        return _local["network"], stored.built_at


def _hidden(user: Any, whole: Network) -> frozenset[int]:
    return frozenset(
        node
        for pk in visibility.hidden_persons(user).values_list("pk", flat=True)
        if (node := whole.node(PERSON, pk)) is not None
    )


def network_for(user: Any) -> tuple[Network, dt.datetime]:
    """The network as `user` may see it: persons hidden from them keep no edge."""
    whole, built_at = network()
    hidden = _hidden(user, whole)
    if not hidden:
        return whole, built_at
    key = (built_at, hidden)
    with _lock:
        found = _visible.get(key)
        if found is not None:
            _visible.move_to_end(key)
            return found, built_at
    visible = whole.hide(hidden)
    with _lock:
        _visible[key] = visible
        while len(_visible) > VISIBLE_KEPT:
            _visible.popitem(last=False)
    return visible, built_at


# ---- communities, computed in the background -----------------------------------------------

# Up to this many nodes Leiden takes well under a second and runs in the request; above it the
# communities are computed by the task queue (`network.communities`) and the page says so.
COMMUNITIES_INLINE_UP_TO = 20_000


def _communities_key(hidden: frozenset[int], built_at: dt.datetime) -> str:
    listed = ",".join(str(n) for n in sorted(hidden))
    digest = hashlib.sha256(listed.encode()).hexdigest()[:24]
    return f"{CACHE_KEY}.communities.{built_at.timestamp()}.{digest}"


def communities_whole() -> Communities:
    """The whole network's communities (as a network manager sees them), computed and kept."""
    whole, built_at = network()
    if "communities" not in whole._kept:
        found = communities_find(whole)
        cache.set(_communities_key(frozenset(), built_at), found, CACHE_SECONDS)
        whole._kept["communities"] = found
    return whole._kept["communities"]


def communities_for(user: Any, *, wait: bool = False) -> tuple[Communities | None, Network]:
    """The communities of `user`'s visible graph: kept with the graph, read from the cache, or
    computed now when the graph is small (or `wait`); otherwise queued, and None until done."""
    net, built_at = network_for(user)
    if "communities" in net._kept:
        return net._kept["communities"], net
    key = _communities_key(_hidden(user, network()[0]), built_at)
    found = cache.get(key)
    if found is None and (wait or len(net.kinds) <= COMMUNITIES_INLINE_UP_TO):
        found = communities_find(net)
        cache.set(key, found, CACHE_SECONDS)
    if found is not None:
        net._kept["communities"] = found
        return found, net
    if cache.add(f"{key}.queued", True, 3600):
        from gilde.accounts.models import Member
        from gilde.core.jobs import job_enqueue

        member = Member.objects.filter(user=user).first()
        with transaction.atomic():
            job_enqueue(
                kind="network.communities", params={"member": member.pk if member else None}
            )
    return None, net


def forget_stored() -> None:
    """Drop the stored graph: the next question reads the network again."""
    cache.delete_many([CACHE_KEY, BUILT_KEY])
    _forget_local()
