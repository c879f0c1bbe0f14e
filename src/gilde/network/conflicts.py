"""Conflicting interests: which relations should not be brought together, and why.

Rules, strongest first:
- explicit: two persons recorded as a conflict pair (gilde.events ConflictPair);
- dispute: they work at organisations recorded as in dispute with each other;
- competitor of a client: one works at a client (stakeholder type "client"), the other at an
  organisation recorded as that client's competitor;
- opposite roles on a theme: on one strategy theme, one is (or works at) a critic or opponent
  and the other is (or works at) a partner;
- competitors: they work at organisations recorded as competitors (neither a client).

`conflicting_pairs` answers for a set of persons and is the one rule set every caller uses: the
guest list warns about every pair, meeting-goal suggestions leave them out, and the seating plan
keeps the pairs of `APART` rules at different tables (plain competitors only weigh against one
table: a sector meeting is full of them). `conflicts_report` lists what to review for the whole
visible network."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q
from django.utils.translation import gettext as _

from gilde import visibility
from gilde.core.lookups import IdList
from gilde.relations.models import Affiliation, OrganisationLink, OrganisationLinkKind, Person

CLIENT_TYPE = "client"  # the stakeholder type code of clients
EXPLICIT, DISPUTE, COMPETITOR_OF_CLIENT, OPPOSITE_ROLES, COMPETITORS = (
    "explicit", "dispute", "competitor_of_client", "opposite_roles", "competitors"
)  # fmt: skip
RULES = (EXPLICIT, DISPUTE, COMPETITOR_OF_CLIENT, OPPOSITE_ROLES, COMPETITORS)  # strongest first
# The rules strong enough to seat a pair at different tables.
APART = frozenset({EXPLICIT, DISPUTE, COMPETITOR_OF_CLIENT, OPPOSITE_ROLES})
# The strategy theme roles that oppose each other (strategy.models.ThemeRole values).
CRITIC_ROLE, PARTNER_ROLE = "critic", "partner"


@dataclass(frozen=True)
class ConflictingPair:
    """Two persons (lowest id first) who should not be seated together, by the strongest rule."""

    person_a: int
    person_b: int
    rule: str
    reason: str


def _user(viewer: Any) -> Any:
    return getattr(viewer, "user", viewer)  # a Member or a user


def _client_ids(org_ids: Iterable[int]) -> set[int]:
    from gilde.relations.models import Organisation

    return set(
        Organisation.objects.filter(pk__in=list(org_ids), stakeholder_types__code=CLIENT_TYPE)
        .values_list("pk", flat=True)
    )  # fmt: skip


def _link_rule(link: OrganisationLink, clients: set[int]) -> tuple[str, str] | None:
    """The rule and reason an organisation link makes, or None when it makes no conflict."""
    if link.kind == OrganisationLinkKind.DISPUTE:
        return DISPUTE, _("%(a)s is in dispute with %(b)s") % {"a": link.source, "b": link.target}
    if link.kind != OrganisationLinkKind.COMPETITOR:
        return None
    for client, other in ((link.target, link.source), (link.source, link.target)):
        if client.pk in clients:
            return COMPETITOR_OF_CLIENT, _("%(a)s is a competitor of our client %(b)s") % {
                "a": other, "b": client
            }  # fmt: skip
    return COMPETITORS, _("%(a)s and %(b)s are competitors") % {"a": link.source, "b": link.target}


def _keep(found: dict[tuple[int, int], ConflictingPair], pair: ConflictingPair) -> None:
    key = (pair.person_a, pair.person_b)
    old = found.get(key)
    if old is None or RULES.index(pair.rule) < RULES.index(old.rule):
        found[key] = pair


def conflicting_pairs(person_ids: Iterable[int], viewer: Any) -> list[ConflictingPair]:
    """Every pair among `person_ids` (those `viewer`, a user or member, may see) with
    conflicting interests, by its strongest rule; sorted by rule, then ids. `viewer` None
    answers for everyone: only for the seating engine, which must plan the whole list."""
    from gilde.events.models import ConflictPair

    asked = IdList(sorted(set(person_ids)))
    if viewer is None:
        ids = set(asked.ids)
    else:
        visible = visibility.persons(_user(viewer)).filter(pk__id_in=asked)
        ids = set(visible.values_list("pk", flat=True))
    if len(ids) < 2:
        return []
    chosen = IdList(sorted(ids))
    found: dict[tuple[int, int], ConflictingPair] = {}
    # One side in the database, the other here: SQLite reads a second `IN json_each(...)` on
    # the same rows slowly (a third of a second at 2,000 guests).
    for a, b, reason in ConflictPair.objects.filter(person_a_id__id_in=chosen).values_list(
        "person_a_id", "person_b_id", "reason"
    ):
        if b not in ids:
            continue
        text = reason or _("recorded as having conflicting interests")
        _keep(found, ConflictingPair(min(a, b), max(a, b), EXPLICIT, text))
    at: dict[int, set[int]] = defaultdict(set)  # organisation -> persons working there
    for person, org in (
        Affiliation.objects.current()
        .filter(person_id__id_in=chosen)
        .values_list("person_id", "organisation_id")
    ):
        at[org].add(person)
    if at:
        orgs = IdList(sorted(at))
        links = OrganisationLink.objects.filter(
            source_id__id_in=orgs, target_id__id_in=orgs,
            kind__in=[OrganisationLinkKind.DISPUTE, OrganisationLinkKind.COMPETITOR],
        ).select_related("source", "target")  # fmt: skip
        clients = _client_ids(at)
        for link in links.order_by("pk"):
            made = _link_rule(link, clients)
            if made is None:
                continue
            for a in at[link.source_id]:
                for b in at[link.target_id]:
                    if a != b:
                        _keep(found, ConflictingPair(min(a, b), max(a, b), *made))
    for pair in _opposite_roles(chosen, at):
        _keep(found, pair)
    return sorted(found.values(), key=lambda p: (RULES.index(p.rule), p.person_a, p.person_b))


def _opposite_roles(ids: IdList, at: dict[int, set[int]]) -> list[ConflictingPair]:
    """Pairs on opposite sides of a strategy theme: a critic or opponent and a partner, each
    linked to the theme themselves or through the organisation they work at."""
    from gilde.strategy.models import ThemeLink

    links = ThemeLink.objects.filter(role__in=[CRITIC_ROLE, PARTNER_ROLE]).filter(
        Q(person_id__id_in=ids) | Q(organisation_id__id_in=IdList(sorted(at)))
    )
    sides: dict[tuple[int, str], set[int]] = defaultdict(set)  # (theme, role) -> persons
    names: dict[int, str] = {}
    for theme_id, theme, role, person_id, org_id in links.values_list(
        "theme_id", "theme__name", "role", "person_id", "organisation_id"
    ):
        names[theme_id] = theme
        people = {person_id} if person_id is not None else at.get(org_id or 0, set())
        sides[(theme_id, role)] |= people
    found = []
    for theme_id, theme in sorted(names.items()):
        reason = _("opposite roles on the theme %(theme)s: a critic and a partner") % {
            "theme": theme
        }
        for a in sides[(theme_id, CRITIC_ROLE)]:
            for b in sides[(theme_id, PARTNER_ROLE)] - {a}:
                found.append(ConflictingPair(min(a, b), max(a, b), OPPOSITE_ROLES, reason))
    return found


# ---- the report ------------------------------------------------------------------------------


@dataclass(frozen=True)
class OrganisationConflict:
    rule: str
    reason: str
    link: OrganisationLink
    source_persons: list[Person] = field(default_factory=list)  # known relations working there
    target_persons: list[Person] = field(default_factory=list)


@dataclass(frozen=True)
class ThemeConflict:
    """A strategy theme with critics or opponents on one side and partners on the other."""

    theme: str
    critics: list[Any] = field(default_factory=list)  # persons and organisations
    partners: list[Any] = field(default_factory=list)
    critics_total: int = 0
    partners_total: int = 0


@dataclass(frozen=True)
class ConflictsReport:
    explicit: list[tuple[Person, Person, str]]
    organisations: list[OrganisationConflict]
    themes: list[ThemeConflict] = field(default_factory=list)


def _theme_conflicts(user: Any) -> list[ThemeConflict]:
    """Themes with both critics and partners among the relations the user may see."""
    from gilde.strategy.models import ThemeLink

    links = (
        ThemeLink.objects.filter(role__in=[CRITIC_ROLE, PARTNER_ROLE])
        .filter(Q(person__in=visibility.persons(user))
                | Q(organisation__in=visibility.organisations(user)))
        .select_related("theme", "person", "organisation")
        .order_by("theme__name", "theme_id", "pk")
    )  # fmt: skip
    sides: dict[int, ThemeConflict] = {}
    for link in links:
        row = sides.setdefault(link.theme_id, ThemeConflict(link.theme.name))
        who = link.person if link.person is not None else link.organisation
        (row.critics if link.role == CRITIC_ROLE else row.partners).append(who)
    return [
        ThemeConflict(row.theme, row.critics[:PERSONS_SHOWN], row.partners[:PERSONS_SHOWN],
                      len(row.critics), len(row.partners))
        for row in sides.values() if row.critics and row.partners
    ]  # fmt: skip


PERSONS_SHOWN = 5


def conflicts_report(user: Any) -> ConflictsReport:
    """What to review: the recorded conflict pairs between visible persons, each dispute or
    competition between organisations with the relations working on either side, and the
    strategy themes with critics and partners."""
    from gilde.events.models import ConflictPair

    visible = visibility.persons(user)
    explicit = [
        (pair.person_a, pair.person_b, pair.reason)
        for pair in ConflictPair.objects.filter(person_a__in=visible, person_b__in=visible)
        .select_related("person_a", "person_b")
        .order_by("person_a__sort_name", "pk")
    ]
    links = list(
        OrganisationLink.objects.filter(
            Q(kind=OrganisationLinkKind.DISPUTE) | Q(kind=OrganisationLinkKind.COMPETITOR),
            source__in=visibility.organisations(user), target__in=visibility.organisations(user),
        ).select_related("source", "target").order_by("pk")
    )  # fmt: skip
    org_ids = {o for link in links for o in (link.source_id, link.target_id)}
    clients = _client_ids(org_ids)
    working: dict[int, list[Person]] = defaultdict(list)
    jobs = (
        Affiliation.objects.current()
        .filter(organisation_id__in=org_ids, person__in=visible)
        .select_related("person")
        .order_by("person__sort_name", "pk")
    )
    for job in jobs:
        working[job.organisation_id].append(job.person)
    rows = []
    for link in links:
        made = _link_rule(link, clients)
        if made is None:
            continue
        rows.append(
            OrganisationConflict(made[0], made[1], link,
                                 working[link.source_id][:PERSONS_SHOWN],
                                 working[link.target_id][:PERSONS_SHOWN])
        )  # fmt: skip
    rows.sort(key=lambda r: (RULES.index(r.rule), r.link.pk))
    return ConflictsReport(explicit, rows, _theme_conflicts(user))
