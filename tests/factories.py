"""Test data factories: one per model, with believable Dutch values."""

from __future__ import annotations

import datetime as dt

import factory
from django.contrib.auth import get_user_model
from django.utils import timezone

from gilde.accounts.models import Member, Role
from gilde.contacts.models import ContactMoment, FollowUp
from gilde.events.models import Event, Guest
from gilde.relations.models import Affiliation, Note, Organisation, Person, Tie, Tier


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = "Jeroen"
    last_name = factory.Sequence(lambda n: f"Collega{n}")
    password = factory.django.Password("correct horse battery staple")


class MemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Member

    user = factory.SubFactory(UserFactory)
    role = Role.NETWORKER
    language = "nl"


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Rijnbouw {n} B.V.")
    sort_name = factory.LazyAttribute(lambda o: o.name.lower())
    sector = "construction"
    city = "Utrecht"


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person
        skip_postgeneration_save = True

    given_name = "Anna"
    tussenvoegsel = "de"
    family_name = factory.Sequence(lambda n: f"Vries{n}")
    initials = "A."
    tier = factory.LazyFunction(lambda: Tier.objects.get(code="B"))

    @factory.post_generation
    def reindex(obj: Person, create: bool, extracted: object, **kwargs: object) -> None:  # noqa: N805
        from gilde.relations.services import person_reindex

        if create:
            person_reindex(person=obj)


class AffiliationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Affiliation

    person = factory.SubFactory(PersonFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = "Directeur"
    start_date = dt.date(2020, 1, 1)


class TieFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Tie

    person = factory.SubFactory(PersonFactory)
    member = factory.SubFactory(MemberFactory)
    strength = 3


class ContactMomentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ContactMoment
        skip_postgeneration_save = True

    occurred_at = factory.LazyFunction(lambda: timezone.now() - dt.timedelta(days=3))
    kind = "call"
    summary = "Bijgepraat over de energietransitie"

    @factory.post_generation
    def persons(
        obj: ContactMoment, create: bool, extracted: list[Person] | None, **kwargs: object
    ) -> None:  # noqa: N805
        if create and extracted:
            obj.persons.set(extracted)

    @factory.post_generation
    def members(
        obj: ContactMoment, create: bool, extracted: list[Member] | None, **kwargs: object
    ) -> None:  # noqa: N805
        if create and extracted:
            obj.members.set(extracted)


class FollowUpFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FollowUp

    owner = factory.SubFactory(MemberFactory)
    title = "Offerte nasturen"
    due_date = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=7))


class NoteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Note

    author = factory.SubFactory(MemberFactory)
    text = "Houdt van zeilen"
    is_private = False


class EventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Event
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Netwerkbijeenkomst energietransitie {n}")
    kind = "network_meeting"
    starts_at = factory.LazyFunction(
        lambda: (timezone.now() + dt.timedelta(days=30)).replace(
            hour=16, minute=0, second=0, microsecond=0
        )
    )
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + dt.timedelta(hours=3))
    venue = "Het Zuiderhuis"
    address = "Stationsplein 1, Utrecht"
    capacity = 40

    @factory.post_generation
    def organisers(
        obj: Event, create: bool, extracted: list[Member] | None, **kwargs: object
    ) -> None:  # noqa: N805
        if create and extracted:
            obj.organisers.set(extracted)


class GuestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Guest

    event = factory.SubFactory(EventFactory)
    person = factory.SubFactory(PersonFactory)
