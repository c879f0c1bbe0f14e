"""The one gate for reading personal data: every page, search, count, export and API operation
asks this module what the acting user may see. A row outside the scope does not exist for them
(views answer 404, not 403), so its existence is not revealed either."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import Q, QuerySet

if TYPE_CHECKING:
    from gilde.accounts.models import Member
    from gilde.contacts.models import ContactMoment, FollowUpQuerySet
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


def persons(user: Any) -> QuerySet[Person]:
    from gilde.relations.models import Person

    return Person.objects.all() if member_of(user) else Person.objects.none()


def organisations(user: Any) -> QuerySet[Organisation]:
    from gilde.relations.models import Organisation

    return Organisation.objects.all() if member_of(user) else Organisation.objects.none()


def _sees_every_person(user: Any) -> bool:
    """Whether the person scope is unrestricted for this user; rows that hang off persons then
    need no subquery (which at 100,000 persons costs more than the page itself)."""
    return member_of(user) is not None


def affiliations(user: Any) -> QuerySet[Affiliation]:
    from gilde.relations.models import Affiliation

    if _sees_every_person(user):
        return Affiliation.objects.all()
    return Affiliation.objects.filter(
        person__in=persons(user), organisation__in=organisations(user)
    )


def ties(user: Any) -> QuerySet[Tie]:
    from gilde.relations.models import Tie

    if _sees_every_person(user):
        return Tie.objects.all()
    visible = persons(user)
    return Tie.objects.filter(person__in=visible).filter(
        Q(other_person__isnull=True) | Q(other_person__in=visible)
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
    if _sees_every_person(user):
        return shared_or_mine
    return shared_or_mine.filter(
        Q(person__isnull=True) | Q(person__in=persons(user)),
        Q(organisation__isnull=True) | Q(organisation__in=organisations(user)),
    )


def contact_moments(user: Any) -> QuerySet[ContactMoment]:
    from gilde.contacts.models import ContactMoment

    return ContactMoment.objects.all() if member_of(user) else ContactMoment.objects.none()


def follow_ups(user: Any) -> FollowUpQuerySet:
    from gilde.contacts.models import FollowUp

    return FollowUp.objects.all() if member_of(user) else FollowUp.objects.none()
