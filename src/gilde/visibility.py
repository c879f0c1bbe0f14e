"""The one gate for reading personal data: every page, search, count, export and API operation
asks this module what the acting user may see. A row outside the scope does not exist for them
(views answer 404, not 403), so its existence is not revealed either.

Confidential persons are seen only by the members named on them, their owner, and network
managers and administrators; everything hanging off such a person (affiliations, ties, contact
moments, follow-ups, notes, favours) disappears with them."""

from __future__ import annotations

import bisect
import datetime as dt
import hashlib
import itertools
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.db.models import BooleanField, Case, Exists, OuterRef, Q, QuerySet, Value, When
from django.db.models.expressions import NegatedExpression

from gilde.core.lookups import IdList  # and the id_in lookup the scope filters with

if TYPE_CHECKING:
    from gilde.accounts.models import Member
    from gilde.contacts.models import ContactMoment, FollowUpQuerySet
    from gilde.events.models import Event, Guest, MeetingGoal, SurveyAnswer
    from gilde.goodwill.models import Favour
    from gilde.relations.models import Affiliation, Note, Organisation, Person, Tag, Tie


def member_of(user: Any) -> Member | None:
    """The member behind a login, or None for anonymous users and logins without a member."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    from gilde.accounts.models import Member

    try:
        member: Member = user.member
    except Member.DoesNotExist:
        return None
    return member


# Within one request the confidential persons hidden from the acting member are read once and
# every scoped query excludes them by id. Outside requests (commands, background jobs) they are
# read on each call. Any change to who may see whom clears what was read (see `forget`).
_request_memo: ContextVar[dict[Any, Any] | None] = ContextVar("gilde_visibility_memo", default=None)


@contextmanager
def request_memo() -> Iterator[None]:
    token = _request_memo.set({})
    try:
        yield
    finally:
        _request_memo.reset(token)


def forget() -> None:
    """Something changed who may see whom (a person made confidential, shared, handed to a new
    owner, removed) or who took part in a contact moment: the next scoped query reads the hidden
    persons, and the moments they took part in, again."""
    memo = _request_memo.get()
    if memo is not None:
        memo.clear()


def _per_request(key: object, read: Callable[[], Any]) -> Any:
    """What read() gives, read once per request under `key` (every call outside requests)."""
    memo = _request_memo.get()
    if memo is None:
        return read()
    if key not in memo:
        memo[key] = read()
    return memo[key]


def _hidden_ids(member: Member) -> IdList | None:
    """The ids of the confidential persons this member may not see, or None when there are too
    many to list (GILDE_HIDDEN_IDS_LIMIT): the scope then tests the condition in SQL."""

    def read() -> IdList | None:
        limit = settings.GILDE_HIDDEN_IDS_LIMIT
        found = list(hidden_persons_of(member).order_by().values_list("pk", flat=True)[: limit + 1])
        return IdList(found) if len(found) <= limit else None

    ids: IdList | None = _per_request(member.pk, read)
    return ids


def _person_visible(member: Member, path: str = "") -> Q:
    """The condition "this person is visible to member", on the person at `path` (e.g. "person"
    for a tie's person). Non-confidential persons match on their own column, so the shared-with
    subquery only runs for the few confidential rows."""
    from gilde.relations.models import Person

    prefix = f"{path}__" if path else ""
    shared = Person.confidential_members.through.objects.filter(member_id=member.pk).values(
        "person_id"
    )
    return (
        Q(**{f"{prefix}confidential": False})
        | Q(**{f"{prefix}owner_id": member.pk})
        | Q(**{f"{prefix}pk__in" if not path else f"{path}_id__in": shared})
    )


class _Scope:
    """What one member may not see, as conditions: `everything` when nothing is hidden from them
    (network managers, or a network without confidential persons they are kept from)."""

    def __init__(self, member: Member) -> None:
        self.member = member
        self.ids = None if member.manages_network else _hidden_ids(member)
        self.everything = member.manages_network or (self.ids is not None and not self.ids)

    def visible(self, path: str = "", *, nullable: bool = False) -> Q:
        """The person at `path` is visible; with `nullable`, so is an empty column (a tie's
        other person or introducer, a note or follow-up about no one). The row's own person is
        left out by an anti-join (the planner can then start from the other conditions); a
        nullable column by a plain test on the row, which costs the planner nothing."""
        if self.ids is None:
            condition = _person_visible(self.member, path)
            return Q(**{f"{path}__isnull": True}) | condition if nullable else condition
        column = f"{path}_id" if path else "pk"
        if nullable:
            return Q(**{f"{column}__isnull": True}) | ~Q(**{f"{column}__id_in": self.ids})
        return Q(**{f"{column}__id_not_in": self.ids})

    def hidden(self, path: str = "") -> Q:
        if self.ids is None:
            return Q(**{f"{path}_id__in" if path else "pk__in": hidden_persons_of(self.member)})
        column = f"{path}_id" if path else "pk"
        return Q(**{f"{column}__id_in": self.ids})

    def moment_with_hidden_person(self, moment: str) -> Q | Exists:
        """A contact moment (at the outer column `moment`) that has a hidden participant.
        PostgreSQL answers EXISTS per moment from the link table's (moment, person) index, so
        a timeline of twenty moments costs twenty probes; SQLite runs a correlated subquery
        over the id list once per row, so it gets the moments with hidden participants as one
        uncorrelated list instead."""
        from gilde.contacts.models import ContactMoment

        links = ContactMoment.persons.through.objects.filter(self.hidden("person"))
        if connection.vendor == "postgresql":
            return Exists(links.filter(contactmoment_id=OuterRef(moment)))
        return Q(**{f"{moment}__in": links.values("contactmoment_id")})


def _scope(user: Any) -> _Scope | None:
    member = member_of(user)
    return None if member is None else _Scope(member)


def hidden_persons_of(member: Member) -> QuerySet[Person]:
    from gilde.relations.models import Person

    if member.manages_network:
        return Person.objects.none()
    return Person.objects.filter(confidential=True).exclude(_person_visible(member))


def hidden_persons(user: Any) -> QuerySet[Person]:
    """The confidential persons this member may not see (none for network managers)."""
    from gilde.relations.models import Person

    member = member_of(user)
    if member is None:
        return Person.objects.none()
    return hidden_persons_of(member)


def persons(user: Any) -> QuerySet[Person]:
    from gilde.relations.models import Person

    scope = _scope(user)
    if scope is None:
        return Person.objects.none()
    if scope.everything:
        return Person.objects.all()
    return Person.objects.filter(scope.visible())


def person_condition(user: Any, path: str, *, nullable: bool = False) -> Q:
    """The condition "the person at `path` is visible to user", for a row of another app that
    hangs off a person (a theme link's person): nothing to test for those who see everyone,
    the hidden ids against the row's own column otherwise (no subquery over every person),
    and no row at all for anonymous users. With `nullable` an empty column passes."""
    scope = _scope(user)
    if scope is None:
        return Q(pk__in=[])
    if scope.everything:
        return Q()
    return scope.visible(path, nullable=nullable)


def moment_condition(user: Any, moment: str) -> Q | NegatedExpression[Any]:
    """The condition "the contact moment at column `moment` has no participant hidden from
    user", for rows that point at a moment (a participant link): tested against the moments of
    the hidden persons only, not by reading every visible moment."""
    scope = _scope(user)
    if scope is None:
        return Q(pk__in=[])
    if scope.everything:
        return Q()
    return ~scope.moment_with_hidden_person(moment)


def person_visible(user: Any, person: Person) -> bool:
    """Whether one already loaded person is inside the user's scope (no query for the common
    cases)."""
    member = member_of(user)
    if member is None:
        return False
    if member.manages_network or not person.confidential or person.owner_id == member.pk:
        return True
    return person.confidential_members.filter(pk=member.pk).exists()


def organisations(user: Any) -> QuerySet[Organisation]:
    from gilde.relations.models import Organisation

    return Organisation.objects.all() if member_of(user) else Organisation.objects.none()


def tags(user: Any) -> QuerySet[Tag]:
    """The tags a member is offered in filters and pickers: those on a person they see, on an
    organisation, or not used yet. A tag used only on relations hidden from them is left out:
    it would tell that such a relation exists and what it is about."""
    from gilde.relations.models import Person, Tag

    scope = _scope(user)
    if scope is None:
        return Tag.objects.none()
    if scope.everything:
        return Tag.objects.all()
    on_person = Person.tags.through.objects.filter(tag=OuterRef("pk"))
    return Tag.objects.filter(
        Exists(on_person.filter(person__in=persons(user)))
        | Exists(Tag.organisations.through.objects.filter(tag=OuterRef("pk")))
        | ~Exists(on_person)
    )


def affiliations(user: Any) -> QuerySet[Affiliation]:
    from gilde.relations.models import Affiliation

    scope = _scope(user)
    if scope is None:
        return Affiliation.objects.none()
    if scope.everything:
        return Affiliation.objects.all()
    return Affiliation.objects.filter(scope.visible("person"))


def ties(user: Any) -> QuerySet[Tie]:
    from gilde.relations.models import Tie

    scope = _scope(user)
    if scope is None:
        return Tie.objects.none()
    if scope.everything:
        return Tie.objects.annotate(introducer_visible=Value(True))
    # Who introduced them is a third person, who may be confidential: the tie stays visible,
    # the introducer's name does not (pages and API check `introducer_visible`).
    return (
        Tie.objects.filter(scope.visible("person"))
        .filter(scope.visible("other_person", nullable=True))
        .annotate(
            introducer_visible=Case(
                When(
                    scope.visible("introduced_by", nullable=True),
                    then=Value(True),
                ),
                default=Value(False),
                output_field=BooleanField(),
            )
        )
    )


def members(user: Any) -> QuerySet[Member]:
    from gilde.accounts.models import Member

    return Member.objects.all() if member_of(user) else Member.objects.none()


def notes(user: Any) -> QuerySet[Note]:
    """Shared notes on visible subjects, and the user's own private notes: never a colleague's."""
    from gilde.relations.models import Note

    scope = _scope(user)
    if scope is None:
        return Note.objects.none()
    shared_or_mine = Note.objects.filter(Q(is_private=False) | Q(author=scope.member))
    if scope.everything:
        return shared_or_mine
    return shared_or_mine.filter(scope.visible("person", nullable=True))


def contact_moments(user: Any) -> QuerySet[ContactMoment]:
    """Contact moments with no participant hidden from the user: a moment with a confidential
    person would show their name, what was said and with whom."""
    from gilde.contacts.models import ContactMoment

    scope = _scope(user)
    if scope is None:
        return ContactMoment.objects.none()
    if scope.everything:
        return ContactMoment.objects.all()
    return ContactMoment.objects.filter(~scope.moment_with_hidden_person("pk"))


# How long counts are kept in the cache: they are keyed by the contact-data token, so this only
# bounds the memory of counts nobody asks for any more.
COUNTS_KEPT_SECONDS = 3600


def contact_moment_counts(
    user: Any, bounds: list[dt.datetime], *, member_id: int | None = None
) -> list[int]:
    """How many contact moments the user may see fell between each two consecutive `bounds`,
    of everyone or of one colleague. Everyone's are counted as all moments in each range (a
    range on the occurred_at index) less the moments with a participant hidden from the user;
    a colleague's few are read and those with a hidden participant left out. Testing every
    moment of a quarter against the hidden persons cost a networker's dashboard more than the
    rest of the page."""
    scope = _scope(user)
    weeks = max(0, len(bounds) - 1)
    if scope is None or not weeks:
        return [0] * weeks
    # Kept under the contact-data token, which every write to moments, their participants or
    # who may see whom changes (database triggers): a count read back is always current. The
    # key names the member and whether they see everything, so counts are never shared.
    token = contact_data_token()
    if token is None:
        return _moment_counts(scope, bounds, member_id)
    ranges = hashlib.sha256(",".join(b.isoformat() for b in bounds).encode()).hexdigest()[:24]
    key = f"gilde:moment-counts:{token}:{scope.member.pk}:{int(scope.everything)}:{member_id}:{ranges}"
    kept = cache.get(key)
    if kept is not None:
        return list(kept)
    counts = _moment_counts(scope, bounds, member_id)
    cache.set(key, counts, COUNTS_KEPT_SECONDS)
    return counts


def contact_data_token() -> str | None:
    """The contact-data token (see contacts.models.ContactData), or None without its row."""
    from gilde.contacts.models import ContactData

    return ContactData.objects.filter(pk=1).values_list("token", flat=True).first()


def _moment_counts(scope: _Scope, bounds: list[dt.datetime], member_id: int | None) -> list[int]:
    from gilde.contacts.models import ContactMoment

    weeks = len(bounds) - 1
    moments = ContactMoment.objects.order_by()
    in_range = {"occurred_at__gte": bounds[0], "occurred_at__lt": bounds[-1]}
    hidden = set() if scope.everything else _hidden_moment_ids(scope)
    if member_id is not None:
        counts = [0] * weeks
        theirs = moments.filter(members=member_id, **in_range).values_list("pk", "occurred_at")
        for pk, at in theirs:
            if pk not in hidden:
                counts[bisect.bisect_right(bounds, at) - 1] += 1
        return counts
    # A count per week on the occurred_at index (thirteen index-only counts took half the time
    # of one pass with a filtered count per week on PostgreSQL).
    counts = [
        moments.filter(occurred_at__gte=start, occurred_at__lt=end).count()
        for start, end in itertools.pairwise(bounds)
    ]
    if hidden:
        taken_off = moments.filter(pk__id_in=sorted(hidden), **in_range)
        for at in taken_off.values_list("occurred_at", flat=True):
            counts[bisect.bisect_right(bounds, at) - 1] -= 1
    return counts


def _hidden_moment_ids(scope: _Scope) -> set[int]:
    """The contact moments with a participant hidden from the scope's member, from the link
    table's person index (a few thousand at most, not a join of every moment to its links);
    read once per request, like the hidden persons."""
    from gilde.contacts.models import ContactMoment

    links = ContactMoment.persons.through.objects.filter(scope.hidden("person"))
    found: set[int] = _per_request(
        ("moments", scope.member.pk),
        lambda: set(links.values_list("contactmoment_id", flat=True)),
    )
    return found


def follow_ups(user: Any) -> FollowUpQuerySet:
    from gilde.contacts.models import FollowUp

    scope = _scope(user)
    if scope is None:
        return FollowUp.objects.none()
    if scope.everything:
        return FollowUp.objects.all()
    return FollowUp.objects.filter(
        scope.visible("person", nullable=True),
        ~scope.moment_with_hidden_person("contact_moment_id"),
    )


def person_count(user: Any) -> int:
    """How many persons are in the user's scope: all of them but the hidden confidential ones,
    counted from the few confidential rows rather than by testing the scope on every person."""
    from gilde.relations.models import Person

    scope = _scope(user)
    if scope is None:
        return 0
    total = Person.objects.count()
    if scope.everything:
        return total
    if scope.ids is not None:
        return total - len(scope.ids)
    return total - hidden_persons_of(scope.member).count()


def open_follow_up_count(user: Any) -> int:
    """How many open follow-ups are in the user's scope (follow_ups(user).open().count()): all
    of them but those about a hidden person or hanging off a contact moment with one."""
    from gilde.contacts.models import FollowUp

    scope = _scope(user)
    if scope is None:
        return 0
    open_ = FollowUp.objects.open()
    if scope.everything:
        return open_.count()
    concealed = open_.filter(
        scope.hidden("person") | scope.moment_with_hidden_person("contact_moment_id")
    )
    return open_.count() - concealed.count()


def favours(user: Any) -> QuerySet[Favour]:
    """Favours with organisations, and with persons the user may see."""
    from gilde.goodwill.models import Favour

    scope = _scope(user)
    if scope is None:
        return Favour.objects.none()
    if scope.everything:
        return Favour.objects.all()
    return Favour.objects.filter(scope.visible("person", nullable=True))


def events(user: Any) -> QuerySet[Event]:
    """Events open to the whole organisation, and those only for their organisers where the
    user is one; network managers see every event."""
    from gilde.events.models import Event, EventVisibility

    member = member_of(user)
    if member is None:
        return Event.objects.none()
    if member.manages_network:
        return Event.objects.all()
    organising = Event.organisers.through.objects.filter(member_id=member.pk).values("event_id")
    return Event.objects.filter(
        Q(visibility=EventVisibility.ORGANISATION) | Q(pk__in=organising) | Q(created_by=member)
    )


def guests(user: Any) -> QuerySet[Guest]:
    """Places on the guest lists of the events the user sees, leaving out relations hidden from
    them: a confidential guest does not appear in a list, a count or a balance figure."""
    from gilde.events.models import Guest

    scope = _scope(user)
    if scope is None:
        return Guest.objects.none()
    on_visible_events = Guest.objects.filter(event__in=events(user))
    if scope.everything:
        return on_visible_events
    return on_visible_events.filter(scope.visible("person", nullable=True))


def meeting_goals(user: Any) -> QuerySet[MeetingGoal]:
    """Meeting goals of the events the user sees whose relations they all may see: a goal
    naming a confidential relation hidden from the user is not in a list, a share or a cost."""
    from gilde.events.models import MeetingGoal

    scope = _scope(user)
    if scope is None:
        return MeetingGoal.objects.none()
    on_visible_events = MeetingGoal.objects.filter(event__in=events(user))
    if scope.everything:
        return on_visible_events
    return on_visible_events.filter(scope.visible("person_a", nullable=True)).filter(
        scope.visible("person_b", nullable=True)
    )


def survey_answers(user: Any) -> QuerySet[SurveyAnswer]:
    """Survey answers of guests the user sees (the guest's place goes through `guests`)."""
    from gilde.events.models import SurveyAnswer

    return SurveyAnswer.objects.filter(guest__in=guests(user))


def referrals(user: Any) -> QuerySet[Any]:
    """Referrals between members with what they were about: only the giver's and the receiver's
    own; no role sees another pair's (a coordinator sees the flow, not the details)."""
    from gilde.members.models import Referral

    member = member_of(user)
    if member is None:
        return Referral.objects.none()
    return Referral.objects.filter(Q(giver_id=member.pk) | Q(receiver_id=member.pk))


def referral_flow(user: Any) -> QuerySet[Any]:
    """Every referral as who gave what kind to whom, when, and whether it was confirmed: the
    network's flow every member sees, without what it was about or what it was worth."""
    from gilde.members.models import Referral

    if member_of(user) is None:
        return Referral.objects.none().values("giver_id")
    return Referral.objects.values("giver_id", "receiver_id", "kind", "status", "occurred_on")
