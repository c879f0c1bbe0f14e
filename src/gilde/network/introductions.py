"""Warm introductions: the best few paths from the organisation (or one colleague) to a person
or organisation, each step explained in words, and asking for the introduction as a follow-up
for the colleague who starts the path."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from gilde import visibility
from gilde.accounts.models import Member
from gilde.contacts.models import FollowUp
from gilde.contacts.services import follow_up_complete, follow_up_create
from gilde.maintenance.explain import status_label
from gilde.maintenance.models import TieStrength
from gilde.maintenance.selectors import last_contact_of, status_of
from gilde.permissions import require_create
from gilde.relations.models import Affiliation, Organisation, OrganisationLink, Person, Tie

from .graph import (
    E_JOB,
    E_KNOWS,
    E_ORG_LINK,
    E_PERSON_TIE,
    E_SELF,
    MEMBER,
    ORGANISATION,
    PERSON,
    Network,
)
from .graph import Path as GraphPath
from .loader import network_changed, network_for
from .models import IntroductionAsk
from .selectors import node_objects

PATHS_SHOWN = 3
NOTE_LENGTH = 300  # of the events' meeting request


@dataclass(frozen=True)
class Step:
    text: str  # "Anna knows Bram strongly: 6 contacts this year"
    to: Any  # the member, person or organisation this step reaches


@dataclass(frozen=True)
class Intermediary:
    person: Person
    last_contact: dt.datetime | None
    status: str  # the care status code (due, overdue…)
    status_text: str


@dataclass(frozen=True)
class WarmPath:
    number: int
    colleague: Member
    steps: list[Step]
    intermediaries: list[Intermediary]
    score: float  # 0–1

    @property
    def percent(self) -> int:
        return round(self.score * 100)

    @property
    def route(self) -> str:
        names = [self.colleague.name] + [str(step.to) for step in self.steps]
        return " → ".join(names)


def _strength_word(score: int) -> str:
    if score >= 70:
        return _("strongly")
    if score >= 40:
        return _("well")
    return _("slightly")


def _explain(net: Network, edge: int, a: Any, b: Any, rows: dict[str, dict[int, Any]]) -> str:
    kind = int(net.edge_kinds[edge])
    ref = int(net.edge_refs[edge])
    if kind == E_KNOWS:
        measured = rows["strengths"].get(ref)
        member, person = (a, b) if isinstance(a, Member) else (b, a)
        if measured is None:
            return _("%(a)s knows %(b)s") % {"a": member, "b": person}
        text = ngettext(
            "%(a)s knows %(b)s %(how)s: %(n)d contact this year",
            "%(a)s knows %(b)s %(how)s: %(n)d contacts this year",
            measured.contacts_year,
        ) % {"a": member, "b": person, "how": _strength_word(measured.score),
             "n": measured.contacts_year}  # fmt: skip
        if measured.last_contact_at:
            text += ", " + _("last on %(date)s") % {
                "date": timezone.localdate(measured.last_contact_at).strftime("%d-%m-%Y")
            }
        return text
    if kind == E_PERSON_TIE:
        tie = rows["ties"].get(ref)
        declared = tie.strength if tie else 3
        return _("%(a)s knows %(b)s (declared strength %(n)d of 5)") % {
            "a": a, "b": b, "n": declared
        }  # fmt: skip
    if kind == E_JOB:
        person, organisation = (a, b) if isinstance(a, Person) else (b, a)
        job = rows["jobs"].get(ref)
        if job is not None and job.role:
            return _("%(a)s works at %(b)s as %(role)s") % {
                "a": person, "b": organisation, "role": job.role
            }  # fmt: skip
        return _("%(a)s works at %(b)s") % {"a": person, "b": organisation}
    if kind == E_ORG_LINK:
        link = rows["links"].get(ref)
        what = link.get_kind_display() if link else ""
        return _("%(a)s is linked to %(b)s (%(kind)s)") % {"a": a, "b": b, "kind": what}
    return ""


def _rows(net: Network, paths: list[GraphPath]) -> dict[str, dict[int, Any]]:
    refs: dict[int, list[int]] = {E_KNOWS: [], E_PERSON_TIE: [], E_JOB: [], E_ORG_LINK: []}
    for path in paths:
        for e in path.edges:
            kind = int(net.edge_kinds[e])
            if kind in refs:
                refs[kind].append(int(net.edge_refs[e]))
    return {
        "strengths": {s.tie_id: s for s in TieStrength.objects.filter(tie_id__in=refs[E_KNOWS])},
        "ties": {t.pk: t for t in Tie.objects.filter(pk__in=refs[E_PERSON_TIE])},
        "jobs": {j.pk: j for j in Affiliation.objects.filter(pk__in=refs[E_JOB])},
        "links": {x.pk: x for x in OrganisationLink.objects.filter(pk__in=refs[E_ORG_LINK])},
    }


def warm_paths(
    user: Any,
    *,
    person: Person | None = None,
    organisation: Organisation | None = None,
    member: Member | None = None,
    k: int = PATHS_SHOWN,
) -> list[WarmPath]:
    """The best `k` warm paths to a visible person or an organisation, from the organisation
    (or from `member` only), explained step by step."""
    net, _built = network_for(user)
    if person is not None:
        if not visibility.person_visible(user, person):
            raise Person.DoesNotExist
        target = net.node(PERSON, person.pk)
    else:
        assert organisation is not None
        target = net.node(ORGANISATION, organisation.pk)
    source = 0 if member is None else net.node(MEMBER, member.pk)
    if target is None or source is None:
        return []
    found = net.paths(source, target, k=k)
    objects = node_objects(user, net, sorted({n for p in found for n in p.nodes if n != 0}))
    rows = _rows(net, found)
    today = timezone.localdate()
    result: list[WarmPath] = []
    for path in found:
        nodes = [n for n in path.nodes if n != 0]
        edges = [e for e in path.edges if int(net.edge_kinds[e]) != E_SELF]
        if any(n not in objects for n in nodes):
            continue  # stored graph older than a removal: skip rather than guess
        steps = [
            Step(_explain(net, e, objects[a], objects[b], rows), objects[b])
            for e, a, b in zip(edges, nodes[:-1], nodes[1:], strict=True)
        ]
        middle = [objects[n] for n in nodes[1:-1] if int(net.kinds[n]) == PERSON]
        intermediaries = []
        for p in middle:
            status = status_of(p, today)
            intermediaries.append(
                Intermediary(p, last_contact_of(p), str(status.status), status_label(status.status))
            )
        result.append(
            WarmPath(len(result) + 1, objects[nodes[0]], steps, intermediaries, path.score)
        )
    return result


@transaction.atomic
def introduction_ask(
    *,
    actor: Member,
    person: Person | None = None,
    organisation: Organisation | None = None,
    number: int = 1,
) -> FollowUp:
    """A follow-up for the colleague who starts warm path `number` (as shown now): ask the first
    person on it for the introduction, with the whole path in its title."""
    require_create(actor)
    paths = warm_paths(actor.user, person=person, organisation=organisation)
    chosen = next((p for p in paths if p.number == number), None)
    if chosen is None:
        raise ValidationError(_("This path is no longer there; look at the paths again."))
    target = person or organisation
    first = next((s.to for s in chosen.steps if isinstance(s.to, Person)), None)
    title = _("Ask for an introduction to %(target)s: %(route)s") % {
        "target": target, "route": chosen.route
    }  # fmt: skip
    limit = FollowUp._meta.get_field("title").max_length or 300
    introducer = first if first is not None and first != target else None
    follow_up = follow_up_create(
        actor=actor,
        owner=chosen.colleague,
        title=title[:limit],
        due_date=timezone.localdate() + dt.timedelta(days=7),
        person=introducer or person,
    )
    IntroductionAsk.objects.create(
        follow_up=follow_up, colleague=chosen.colleague, introducer=introducer,
        person=person, organisation=organisation,
    )  # fmt: skip
    if person is not None and chosen.colleague.can_write:
        # The events' guest lists suggest inviting whom a colleague wants to meet.
        from gilde.events.guestlist import introduction_request_record

        introduction_request_record(member=chosen.colleague, person=person,
                                    note=title[:NOTE_LENGTH])  # fmt: skip
    return follow_up


def introductions_asked(user: Any, *, person: Person | None = None,
                        organisation: Organisation | None = None) -> list[IntroductionAsk]:  # fmt: skip
    """The introductions asked to this person or organisation, open ones first (visible
    introducers only: a hidden one is left out of the answer, not named)."""
    asks = IntroductionAsk.objects.filter(person=person) if person is not None else (
        IntroductionAsk.objects.filter(organisation=organisation)
    )  # fmt: skip
    visible = visibility.persons(user)
    asks = asks.filter(Q(introducer__isnull=True) | Q(introducer__in=visible))
    return list(
        asks.select_related("colleague__user", "introducer", "follow_up", "tie__person").order_by(
            F("made_at").desc(nulls_first=True), "-asked_at"
        )[:10]
    )


def ask_for(user: Any, pk: int) -> IntroductionAsk:
    """An introduction asked about a person or organisation the user sees (else DoesNotExist)."""
    ask = IntroductionAsk.objects.select_related(
        "colleague__user", "introducer", "person", "organisation", "follow_up"
    ).get(pk=pk)
    if ask.person is not None and not visibility.person_visible(user, ask.person):
        raise IntroductionAsk.DoesNotExist
    if ask.introducer is not None and not visibility.person_visible(user, ask.introducer):
        raise IntroductionAsk.DoesNotExist
    return ask


@transaction.atomic
def introduction_made(*, actor: Member, ask: IntroductionAsk, person: Person | None = None) -> Tie:
    """The introduction happened: the colleague now knows the person (for an organisation: the
    `person` they were introduced to there), introduced by the relation they asked. Records the
    tie with "introduced by", ticks off the follow-up and the events' meeting request, and has
    the network graph read again."""
    from gilde.events.guestlist import introduction_request_met
    from gilde.events.models import IntroductionRequest
    from gilde.relations.models import TieOrigin
    from gilde.relations.services import tie_create, tie_update

    require_create(actor)
    if ask.colleague_id != actor.pk and not actor.manages_network:
        raise PermissionDenied(_("Only the colleague who asked and network managers may do this."))
    if ask.made_at is not None:
        raise ValidationError(_("This introduction has already been recorded."))
    target = ask.person or person
    if target is None or not visibility.person_visible(actor.user, target):
        raise ValidationError(_("Say whom the colleague was introduced to."))
    if (
        ask.organisation_id is not None
        and ask.person_id is None
        and not (
            Affiliation.objects.current().filter(person=target, organisation=ask.organisation_id)
        ).exists()
    ):
        raise ValidationError(_("%(person)s does not work at %(organisation)s.")
                              % {"person": target, "organisation": ask.organisation})  # fmt: skip
    fields: dict[str, Any] = {"how_met": TieOrigin.INTRODUCTION}
    if ask.introducer is not None:
        fields["introduced_by"] = ask.introducer
    tie = Tie.objects.filter(member=ask.colleague, person=target).first()
    if tie is None:
        tie = tie_create(actor=actor, person=target, member=ask.colleague,
                         since=timezone.localdate(), **fields)  # fmt: skip
    else:
        tie = tie_update(actor=actor, tie=tie, **fields)
    ask.made_at = timezone.now()
    ask.tie = tie
    ask.save(update_fields=["made_at", "tie"])
    if ask.follow_up.done_at is None:
        follow_up_complete(actor=actor, follow_up=ask.follow_up)
    for request in IntroductionRequest.objects.filter(
        member=ask.colleague, person=target, met_at__isnull=True
    ):
        introduction_request_met(member=actor, request=request)
    network_changed()
    return tie
