"""The one gate for reading personal data: every page, search, count, export and API operation
asks this module what the acting user may see. A row outside the scope does not exist for them
(views answer 404, not 403), so its existence is not revealed either.

Confidential persons are seen only by the members named on them, their owner, and network
managers and administrators; everything hanging off such a person (affiliations, ties, contact
moments, follow-ups, notes, favours) disappears with them."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import BooleanField, Case, Q, QuerySet, Value, When

if TYPE_CHECKING:
    from gilde.accounts.models import Member
    from gilde.contacts.models import ContactMoment, FollowUpQuerySet
    from gilde.goodwill.models import Favour
    from gilde.relations.models import Affiliation, Note, Organisation, Person, Tie


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


def _sees_every_person(user: Any) -> bool:
    """Whether the person scope is unrestricted for this user (network managers and
    administrators); rows that hang off persons then need no subquery at all."""
    member = member_of(user)
    return member is not None and member.manages_network


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


def person_condition(user: Any, path: str) -> Q:
    """The visibility of the person at `path` as a condition, for aggregates over rows that hang
    off persons (e.g. counting a member's ties): empty for those who see every person."""
    member = member_of(user)
    if member is None:
        return Q(pk__in=[])
    if member.manages_network:
        return Q()
    return _person_visible(member, path)


def hidden_persons(user: Any) -> QuerySet[Person]:
    """The confidential persons this member may not see (none for network managers)."""
    from gilde.relations.models import Person

    member = member_of(user)
    if member is None or member.manages_network:
        return Person.objects.none()
    return Person.objects.filter(confidential=True).exclude(_person_visible(member))


def persons(user: Any) -> QuerySet[Person]:
    from gilde.relations.models import Person

    member = member_of(user)
    if member is None:
        return Person.objects.none()
    if member.manages_network:
        return Person.objects.all()
    return Person.objects.filter(_person_visible(member))


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


def affiliations(user: Any) -> QuerySet[Affiliation]:
    from gilde.relations.models import Affiliation

    member = member_of(user)
    if member is None:
        return Affiliation.objects.none()
    if member.manages_network:
        return Affiliation.objects.all()
    return Affiliation.objects.filter(_person_visible(member, "person"))


def ties(user: Any) -> QuerySet[Tie]:
    from gilde.relations.models import Tie

    member = member_of(user)
    if member is None:
        return Tie.objects.none()
    if member.manages_network:
        return Tie.objects.annotate(introducer_visible=Value(True))
    # Who introduced them is a third person, who may be confidential: the tie stays visible,
    # the introducer's name does not (pages and API check `introducer_visible`).
    return (
        Tie.objects.filter(_person_visible(member, "person"))
        .filter(Q(other_person__isnull=True) | _person_visible(member, "other_person"))
        .annotate(
            introducer_visible=Case(
                When(
                    Q(introduced_by__isnull=True) | _person_visible(member, "introduced_by"),
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

    member = member_of(user)
    if member is None:
        return Note.objects.none()
    shared_or_mine = Note.objects.filter(Q(is_private=False) | Q(author=member))
    if member.manages_network:
        return shared_or_mine
    return shared_or_mine.filter(Q(person__isnull=True) | _person_visible(member, "person"))


def contact_moments(user: Any) -> QuerySet[ContactMoment]:
    """Contact moments with no participant hidden from the user: a moment with a confidential
    person would show their name, what was said and with whom."""
    from gilde.contacts.models import ContactMoment

    member = member_of(user)
    if member is None:
        return ContactMoment.objects.none()
    if member.manages_network:
        return ContactMoment.objects.all()
    return ContactMoment.objects.exclude(pk__in=_moments_with_hidden_persons(user))


def _moments_with_hidden_persons(user: Any) -> QuerySet[Any]:
    from gilde.contacts.models import ContactMoment

    return ContactMoment.persons.through.objects.filter(
        person_id__in=hidden_persons(user).values("pk")
    ).values("contactmoment_id")


def follow_ups(user: Any) -> FollowUpQuerySet:
    from gilde.contacts.models import FollowUp

    member = member_of(user)
    if member is None:
        return FollowUp.objects.none()
    if member.manages_network:
        return FollowUp.objects.all()
    return FollowUp.objects.filter(
        Q(person__isnull=True) | _person_visible(member, "person")
    ).exclude(contact_moment_id__in=_moments_with_hidden_persons(user))


def person_count(user: Any) -> int:
    """How many persons are in the user's scope: all of them but the hidden confidential ones,
    counted from the few confidential rows rather than by testing the scope on every person."""
    from gilde.relations.models import Person

    member = member_of(user)
    if member is None:
        return 0
    total = Person.objects.count()
    return total if member.manages_network else total - hidden_persons(user).count()


def open_follow_up_count(user: Any) -> int:
    """How many open follow-ups are in the user's scope (follow_ups(user).open().count()): all
    of them but those about a hidden person or hanging off a contact moment with one."""
    from gilde.contacts.models import FollowUp

    member = member_of(user)
    if member is None:
        return 0
    open_ = FollowUp.objects.open()
    if member.manages_network:
        return open_.count()
    concealed = open_.filter(
        Q(person_id__in=hidden_persons(user).values("pk"))
        | Q(contact_moment_id__in=_moments_with_hidden_persons(user))
    )
    return open_.count() - concealed.count()


def favours(user: Any) -> QuerySet[Favour]:
    """Favours with organisations, and with persons the user may see."""
    from gilde.goodwill.models import Favour

    member = member_of(user)
    if member is None:
        return Favour.objects.none()
    if member.manages_network:
        return Favour.objects.all()
    return Favour.objects.filter(Q(person__isnull=True) | _person_visible(member, "person"))
