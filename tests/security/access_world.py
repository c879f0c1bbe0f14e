"""The small world the access matrix and the API schema tests run in: one member per role, an
outsider login, and for each kind of object one that the networker `owner` owns, plus the same
hanging off a confidential person that only `owner` (and network managers) may see."""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass, field
from typing import Any

from django.core.files.base import ContentFile
from django.utils import timezone
from PIL import Image

from gilde.accounts.models import Member, Role
from gilde.accounts.services import api_token_create
from gilde.contacts.models import ContactMoment, FollowUp
from gilde.relations.models import Affiliation, Organisation, Person, Tie
from tests.factories import (
    AffiliationFactory,
    ContactMomentFactory,
    EventFactory,
    FollowUpFactory,
    GuestFactory,
    MemberFactory,
    OrganisationFactory,
    PersonFactory,
    TieFactory,
    UserFactory,
)

ROLES = ("anonymous", "outsider", "reader", "owner", "colleague", "manager", "admin")


def _jpeg() -> ContentFile:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "orange").save(buffer, "JPEG")
    return ContentFile(buffer.getvalue(), name="photo.jpg")


@dataclass
class Variant:
    """The objects one column of the matrix is about: ordinary, or hanging off a confidential
    person."""

    person: Person
    affiliation: Affiliation
    tie: Tie
    person_tie: Tie  # between the person and another relation (who knows whom among relations)
    moment: ContactMoment
    follow_up: FollowUp
    favour: Any
    pair: Any
    guest: Any  # the person's place on the owner's event
    theme_link: Any = None  # the person on the strategy theme, linked by the owner


@dataclass
class World:
    members: dict[str, Member]
    outsider: Any
    organisation: Organisation
    variants: dict[str, Variant]
    extra: dict[str, Any] = field(default_factory=dict)
    tokens: dict[str, str] = field(default_factory=dict)

    def user(self, role: str) -> Any:
        if role == "anonymous":
            return None
        if role == "outsider":
            return self.outsider
        return self.members[role].user


def _variant(
    owner: Member, organisation: Organisation, event: Any, *, confidential: bool
) -> Variant:
    from gilde.goodwill.models import Favour
    from gilde.imports.models import DuplicatePair

    person = PersonFactory(owner=owner, family_name="Geheim" if confidential else "Gewoon")
    person.confidential = confidential
    person.photo.save("photo.jpg", _jpeg(), save=False)
    person.save()
    other = PersonFactory(owner=owner)
    a, b = sorted([person, other], key=lambda p: p.pk)
    moment = ContactMomentFactory(persons=[person], members=[owner], created_by=owner)
    return Variant(
        person=person,
        affiliation=AffiliationFactory(person=person, organisation=organisation),
        tie=TieFactory(person=person, member=owner),
        person_tie=TieFactory(person=a, other_person=b, member=None),
        moment=moment,
        follow_up=FollowUpFactory(person=person, owner=owner, contact_moment=moment),
        favour=Favour.objects.create(
            member=owner,
            person=person,
            direction="given",
            kind="help",
            occurred_on=timezone.localdate() - dt.timedelta(days=2),
            created_by=owner,
        ),
        pair=DuplicatePair.objects.create(person_a=a, person_b=b, score=90, kind="probable"),
        guest=GuestFactory(event=event, person=person, status="accepted"),
    )


def _tier_suggestion(person: Person, members: dict[str, Member]) -> Any:
    """An open tier review with one suggestion to decide on."""
    from gilde.maintenance.models import SuggestionReason, TierReview, TierSuggestion
    from gilde.relations.models import Tier

    review = TierReview.objects.create(started_by=members["manager"])
    return TierSuggestion.objects.create(
        review=review,
        person=person,
        from_tier=person.tier,
        to_tier=Tier.objects.get(code="D"),
        reason=SuggestionReason.NEVER_CONTACTED,
    )


def _strategy(world: World) -> None:
    """A goal and a theme, each variant's person linked to it by the owner."""
    from gilde.relations.models import Tier
    from gilde.strategy.models import (
        ActivityPlan,
        Goal,
        Report,
        SignalSubscription,
        Theme,
        ThemeLink,
    )
    from gilde.strategy.report import report_figures

    goal = Goal.objects.create(title="Duurzame regio")
    theme = Theme.objects.create(goal=goal, name="Energietransitie")
    world.extra["goal"], world.extra["theme"] = goal, theme
    manager = world.members["manager"]
    today = timezone.localdate()
    quarter = (today.month - 1) // 3 + 1
    world.extra["report"] = Report.objects.create(
        year=today.year,
        quarter=quarter,
        created_by=manager,
        pdf=b"%PDF-1.4",
        figures=report_figures(user=manager.user, year=today.year, quarter=quarter),
    )
    world.extra["subscription"] = SignalSubscription.objects.create(
        member=world.members["owner"], theme=theme
    )
    world.extra["plan"] = ActivityPlan.objects.create(
        tier=Tier.objects.get(code="A"), theme=theme, activities="Bezoek", contacts_per_year=4
    )
    for variant in world.variants.values():
        variant.theme_link = ThemeLink.objects.create(
            theme=theme, person=variant.person, role="partner", created_by=world.members["owner"]
        )


def build_world(*, tokens: bool = False) -> World:
    members = {
        "reader": MemberFactory(user__username="lezer", role=Role.READ_ONLY),
        "owner": MemberFactory(user__username="eigenaar", role=Role.NETWORKER),
        "colleague": MemberFactory(user__username="collega", role=Role.NETWORKER),
        "manager": MemberFactory(user__username="beheer", role=Role.NETWORK_MANAGER),
        "admin": MemberFactory(
            user__username="admin",
            user__is_staff=True,
            user__is_superuser=True,
            role=Role.ADMINISTRATOR,
        ),
    }
    owner = members["owner"]
    organisation = OrganisationFactory(owner=owner)
    # An event the owner organises, begun an hour ago (so attendance can be recorded), with the
    # owner as host and each variant's person as a guest.
    start = timezone.now() - dt.timedelta(hours=1)
    event = EventFactory(
        organisers=[owner], created_by=owner, starts_at=start, ends_at=start + dt.timedelta(hours=3)
    )
    GuestFactory(event=event, person=None, member=owner, role="host", status="accepted")
    world = World(
        members=members,
        outsider=UserFactory(username="buitenstaander"),
        organisation=organisation,
        variants={
            "own": _variant(owner, organisation, event, confidential=False),
            "confidential": _variant(owner, organisation, event, confidential=True),
        },
    )
    world.extra["event"] = event
    from gilde.imports.models import ImportBatch

    world.extra["import_batch"] = ImportBatch.objects.create(
        created_by=owner, owner=owner, file_name="relaties.csv", format="csv"
    )
    world.extra["api_token"] = api_token_create(member=owner, name="script")[0]
    from gilde.privacy.models import ErasureRequest, ErasureStatus

    # Done, so that it does not hold up erasing the person in the matrix.
    world.extra["erasure_request"] = ErasureRequest.objects.create(
        person_id=world.variants["own"].person.pk,
        requested_by=members["manager"],
        status=ErasureStatus.DONE,
        started_at=timezone.now(),
        finished_at=timezone.now(),
    )
    from gilde.core.models import Job, JobStatus

    # Failed, so that a manager's retry is accepted (and queued only, in the tests).
    world.extra["job"] = Job.objects.create(
        kind="network.recompute", status=JobStatus.FAILED, error="RuntimeError"
    )
    world.extra["tier_suggestion"] = _tier_suggestion(world.variants["own"].person, members)
    _strategy(world)
    _autolog(world, owner)
    if tokens:
        world.tokens = {
            role: api_token_create(member=m, name="t")[1] for role, m in members.items()
        }
    return world


def _autolog(world: World, owner: Member) -> None:
    """The owner's mailbox connection, never-log rule and a found contact waiting for review:
    their own, so to everyone else they do not exist."""
    from gilde.autolog.models import Connection, Entry, NeverLog
    from gilde.autolog.secrets import secret_seal

    world.extra["autolog_connection"] = Connection.objects.create(
        member=owner,
        kind="imap",
        server="imap://127.0.0.1:9",
        username="eigenaar@example.nl",
        secret=secret_seal("geheim"),
    )
    world.extra["autolog_rule"] = NeverLog.objects.create(member=owner, pattern="prive.nl")
    entry = Entry.objects.create(
        member=owner,
        source="mailbox",
        thread_key="t" * 64,
        kind="email",
        occurred_at=timezone.now() - dt.timedelta(days=1),
        summary="Offerte",
        unknown_addresses=["nieuw@klant.nl"],
    )
    entry.persons.add(world.variants["own"].person)
    world.extra["autolog_entry"] = entry
