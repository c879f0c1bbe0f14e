"""Signals reach the right colleague: a contact moment with market signals is matched against
the colleagues' subscriptions (a theme, a sector, a tag, an organisation). A match waits for the
colleague's weekly digest, or, for an urgent signal, is mailed at once (on the worker).

A signal is urgent when its text starts with "!" or names it (urgent, dringend, spoed). Only
colleagues who may see the moment get it, and not those who took part in it."""

from __future__ import annotations

import re
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import Q, QuerySet
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from gilde import visibility
from gilde.accounts.models import Member
from gilde.contacts.models import ContactMoment
from gilde.relations.models import Affiliation, Organisation, Person
from gilde.strategy.models import SignalDelivery, SignalSubscription, ThemeLink

URGENT = re.compile(r"^\s*!|\b(urgent|dringend|spoed)\b", re.IGNORECASE)


def is_urgent(text: str) -> bool:
    return bool(URGENT.search(text or ""))


def _subjects(moment: ContactMoment) -> tuple[set[int], set[int], set[int], set[str], set[int]]:
    """What a moment is about: its persons, the organisations (its own and where its persons
    work now), their tags, their sectors and the themes they are linked to."""
    person_ids = set(moment.persons.values_list("pk", flat=True))
    org_ids = set(
        Affiliation.objects.current()
        .filter(person_id__in=person_ids)
        .values_list("organisation_id", flat=True)
    )
    if moment.organisation_id:
        org_ids.add(moment.organisation_id)
    tags = set(
        Person.tags.through.objects.filter(person_id__in=person_ids).values_list(
            "tag_id", flat=True
        )
    )
    tags |= set(
        Organisation.tags.through.objects.filter(organisation_id__in=org_ids).values_list(
            "tag_id", flat=True
        )
    )
    sectors = set(
        Organisation.objects.filter(pk__in=org_ids)
        .exclude(sector="")
        .values_list("sector", flat=True)
    )
    themes = set(
        ThemeLink.objects.filter(
            Q(person_id__in=person_ids) | Q(organisation_id__in=org_ids)
        ).values_list("theme_id", flat=True)
    )
    return org_ids, tags, themes, sectors, person_ids


def subscribers_of(moment: ContactMoment) -> QuerySet[SignalSubscription]:
    orgs, tags, themes, sectors, _persons = _subjects(moment)
    return SignalSubscription.objects.filter(
        Q(organisation_id__in=orgs)
        | Q(tag_id__in=tags)
        | Q(theme_id__in=themes)
        | Q(sector__in=sectors)
    ).select_related("member__user")


def _recipients(subscriptions: QuerySet[SignalSubscription]) -> set[Member]:
    found = {s.member for s in subscriptions if s.member is not None}
    departments = {s.department for s in subscriptions if s.member is None}
    if departments:
        found |= set(Member.objects.filter(department__in=departments).select_related("user"))
    return found


@transaction.atomic
def signal_route(*, moment_id: int) -> int:
    """Deliver a new signal to the colleagues subscribed to what it is about; returns how many
    got it. Urgent ones are mailed at once, through the task queue."""
    moment = ContactMoment.objects.filter(pk=moment_id).first()
    if moment is None or not moment.signals.strip():
        return 0
    took_part = set(moment.members.values_list("pk", flat=True))
    urgent = is_urgent(moment.signals)
    made = []
    for member in _recipients(subscribers_of(moment)):
        if member.pk in took_part or not member.user.is_active:
            continue
        if not visibility.contact_moments(member.user).filter(pk=moment.pk).exists():
            continue  # a moment with a relation hidden from them does not exist for them
        delivery, created = SignalDelivery.objects.get_or_create(
            member=member, moment=moment, defaults={"urgent": urgent}
        )
        if created:
            made.append(delivery.pk)
    if urgent and made:
        from gilde.core.jobs import job_enqueue

        job_enqueue(kind="strategy.signals_urgent", params={"deliveries": made})
    return len(made)


def waiting_for(member: Member) -> list[ContactMoment]:
    """The signals waiting for a member's digest (still visible to them), newest first."""
    ids = SignalDelivery.objects.filter(member=member, sent_at__isnull=True).values("moment_id")
    return list(
        visibility.contact_moments(member.user)
        .filter(pk__in=ids)
        .prefetch_related("persons")
        .order_by("-occurred_at")[:20]
    )


def mark_sent(member: Member, moments: list[ContactMoment]) -> None:
    SignalDelivery.objects.filter(member=member, moment__in=moments, sent_at__isnull=True).update(
        sent_at=timezone.now()
    )


def urgent_send(delivery_ids: list[int]) -> int:
    """Mail each urgent delivery not sent yet to its colleague, in their language."""
    sent = 0
    for delivery in SignalDelivery.objects.filter(
        pk__in=delivery_ids, sent_at__isnull=True
    ).select_related("member__user", "moment"):
        member = delivery.member
        if not member.user.email:
            continue
        if not visibility.contact_moments(member.user).filter(pk=delivery.moment_id).exists():
            continue
        message = _urgent_message(member, delivery.moment)
        message.send()
        SignalDelivery.objects.filter(pk=delivery.pk).update(sent_at=timezone.now())
        sent += 1
    return sent


def _urgent_message(member: Member, moment: ContactMoment) -> EmailMultiAlternatives:
    with translation.override(member.language):
        context: dict[str, Any] = {
            "moment": moment,
            "member": member,
            "base_url": settings.GILDE_BASE_URL,
        }
        subject = _("Gilde: urgent signal – %(summary)s") % {"summary": moment.summary[:80]}
        text = render_to_string("strategy/email/urgent_signal.txt", context)
        html = render_to_string("strategy/email/urgent_signal.html", context)
    message = EmailMultiAlternatives(subject, text, to=[member.user.email])
    message.attach_alternative(html, "text/html")
    return message
