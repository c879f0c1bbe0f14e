"""Signals reach the right colleague: a new signal on a subscribed theme, sector, tag or
organisation waits for the digest, or is mailed at once when urgent; never to someone who may
not see the moment."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from gilde.contacts.services import contact_moment_log
from gilde.maintenance.digest import digest_for, digest_send
from gilde.relations.models import Tag
from gilde.strategy import services
from gilde.strategy.models import SignalDelivery, SignalSubscription
from gilde.strategy.signals import is_urgent
from tests.factories import AffiliationFactory, MemberFactory, OrganisationFactory, PersonFactory
from tests.jobs import run_jobs
from tests.strategy.factories import ThemeFactory, ThemeLinkFactory


@pytest.fixture(autouse=True)
def _addresses(colleague):
    colleague.user.email = "sanne@example.nl"
    colleague.user.save()


@pytest.fixture
def energy(db):
    theme = ThemeFactory(name="Energie")
    person = PersonFactory(family_name="Netbeheerder")
    ThemeLinkFactory(theme=theme, person=person)
    return theme, person


@pytest.fixture(autouse=True)
def _routed_on_commit(django_capture_on_commit_callbacks):
    """Signals are routed once the moment's transaction commits (its participants saved too):
    each log below runs what its commit would."""
    global CAPTURE
    CAPTURE = django_capture_on_commit_callbacks


CAPTURE = None


def _log(actor, person, signals, **kwargs):
    with CAPTURE(execute=True):
        return contact_moment_log(
            actor=actor, persons=[person], summary="Gesprek", kind="call", signals=signals, **kwargs
        )


def test_a_signal_on_a_followed_theme_waits_for_the_digest(owner, colleague, energy):
    theme, person = energy
    services.signal_subscription_create(actor=colleague, theme=theme)
    moment = _log(owner, person, "Netcongestie in de regio neemt toe")
    assert SignalDelivery.objects.get().member == colleague
    digest = digest_for(member=colleague)
    assert digest.signals == [moment]
    assert digest_send(member=colleague)
    assert "Netcongestie" in mail.outbox[0].body
    assert SignalDelivery.objects.get().sent_at is not None
    assert digest_for(member=colleague).signals == []


def test_an_urgent_signal_is_mailed_at_once(owner, colleague, energy):
    theme, person = energy
    services.signal_subscription_create(actor=colleague, theme=theme)
    _log(owner, person, "Spoed: de aanbesteding sluit vrijdag")
    assert run_jobs() == 1
    assert len(mail.outbox) == 1 and "dringend signaal" in mail.outbox[0].subject


def test_sector_tag_and_organisation_subscriptions_match(owner, colleague, manager):
    organisation = OrganisationFactory(name="Netwerk BV", sector="energy")
    person = PersonFactory()
    AffiliationFactory(person=person, organisation=organisation)
    tag = Tag.objects.create(name="waterstof")
    person.tags.add(tag)
    services.signal_subscription_create(actor=colleague, sector="energy")
    services.signal_subscription_create(actor=manager, tag=tag)
    reader = MemberFactory(role="read_only")
    services.signal_subscription_create(actor=reader, organisation=organisation)
    _log(owner, person, "Nieuwe subsidie")
    assert set(SignalDelivery.objects.values_list("member", flat=True)) == {
        colleague.pk,
        manager.pk,
        reader.pk,
    }


def test_a_department_gets_the_signals_it_follows(owner, manager, energy):
    theme, person = energy
    sales = [MemberFactory(department="Sales"), MemberFactory(department="Sales")]
    services.signal_subscription_create(actor=manager, theme=theme, department="Sales")
    _log(owner, person, "Tip")
    assert set(SignalDelivery.objects.values_list("member", flat=True)) == {m.pk for m in sales}


def test_who_took_part_or_may_not_see_the_moment_gets_nothing(owner, colleague, energy):
    theme, person = energy
    services.signal_subscription_create(actor=owner, theme=theme)
    services.signal_subscription_create(actor=colleague, theme=theme)
    secret = PersonFactory(confidential=True, owner=owner)
    with CAPTURE(execute=True):
        contact_moment_log(
            actor=owner,
            persons=[person, secret],
            summary="Overleg",
            kind="meeting",
            signals="Vertrouwelijk",
        )
    assert not SignalDelivery.objects.exists()


def test_one_subject_per_subscription(colleague, energy):
    with pytest.raises(ValidationError):
        services.signal_subscription_create(actor=colleague, theme=energy[0], sector="energy")
    assert not SignalSubscription.objects.exists()


def test_urgency_is_read_from_the_text():
    assert is_urgent("! belangrijk") and is_urgent("Dit is DRINGEND") and is_urgent("urgent")
    assert not is_urgent("spoedig herstel verwacht") and not is_urgent("")


def test_the_page_subscribes_and_stops(colleague):
    from tests.conftest import client_for

    client = client_for(colleague)
    OrganisationFactory(name="Gemeente Delft")
    response = client.post(reverse("strategy:subscriptions"), {"organisation": "gemeente delft"})
    assert response.status_code == 302
    subscription = SignalSubscription.objects.get()
    assert subscription.member == colleague
    page = client.get(reverse("strategy:subscriptions")).content.decode()
    assert "Gemeente Delft" in page
    assert (
        client.post(reverse("strategy:subscription_delete", args=[subscription.pk])).status_code
        == 302
    )
    assert not SignalSubscription.objects.exists()


def test_an_unknown_organisation_is_a_clear_message(colleague):
    from tests.conftest import client_for

    response = client_for(colleague).post(
        reverse("strategy:subscriptions"), {"organisation": "Niemand"}
    )
    assert response.status_code == 422 and "Er is geen organisatie" in response.content.decode()
