"""The due list, going cold, follow-ups, tier review and settings pages, with their permissions."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from gilde.contacts.models import ContactMoment
from gilde.maintenance.models import RelationCare
from gilde.relations.models import Tier
from tests.conftest import client_for
from tests.factories import FollowUpFactory, PersonFactory, TieFactory
from tests.maintenance.factories import contact


def overdue_person(member, tier="A", days=90, **kwargs):
    person = PersonFactory(tier=Tier.objects.get(code=tier), owner=member, **kwargs)
    TieFactory(person=person, member=member, strength=4)
    contact(person, member, days=days)
    return person


def test_my_due_list_shows_my_overdue_relations(owner, owner_client):
    person = overdue_person(owner)
    page = owner_client.get(reverse("maintenance_due")).content.decode()
    assert person.full_name in page


def test_logging_from_the_due_list_drops_the_relation_off(owner, owner_client):
    person = overdue_person(owner)
    response = owner_client.post(
        reverse("maintenance_due_log", args=[person.pk]),
        {
            "kind": "call",
            "occurred_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
            "summary": "Even bijgepraat",
        },
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert ContactMoment.objects.filter(summary="Even bijgepraat").exists()
    page = owner_client.get(reverse("maintenance_due")).content.decode()
    assert person.full_name not in page


def test_snoozing_hides_a_relation_until_the_day_comes(owner, owner_client):
    person = overdue_person(owner)
    owner_client.post(
        reverse("maintenance_snooze", args=[person.pk]), {"period": "week", "reason": "Op vakantie"}
    )
    care = RelationCare.objects.get(person=person)
    assert care.snoozed_until == timezone.localdate() + dt.timedelta(days=7)
    assert person.full_name not in owner_client.get(reverse("maintenance_due")).content.decode()


def test_snoozing_until_a_date_in_the_past_is_refused(owner, owner_client):
    person = overdue_person(owner)
    response = owner_client.post(
        reverse("maintenance_snooze", args=[person.pk]), {"period": "date", "until": "2020-01-01"}
    )
    assert response.status_code == 422
    assert RelationCare.objects.get(person=person).snoozed_until is None


def test_handing_over_moves_the_reminder_to_a_colleague(owner, colleague, owner_client):
    person = overdue_person(owner)
    owner_client.post(reverse("maintenance_hand_over", args=[person.pk]), {"to": colleague.pk})
    assert person.full_name not in owner_client.get(reverse("maintenance_due")).content.decode()
    assert (
        person.full_name in client_for(colleague).get(reverse("maintenance_due")).content.decode()
    )


def test_a_confidential_relation_cannot_be_handed_to_a_colleague_who_may_not_see_it(
    owner, colleague, manager, owner_client
):
    person = overdue_person(owner, confidential=True)
    url = reverse("maintenance_hand_over", args=[person.pk])
    form = owner_client.get(url).content.decode()
    assert f'value="{manager.pk}"' in form and f'value="{colleague.pk}"' not in form
    response = owner_client.post(url, {"to": colleague.pk})
    assert response.status_code == 422
    care = RelationCare.objects.filter(person=person).first()
    assert care is None or care.handed_to is None


def test_a_colleague_cannot_snooze_my_reminder(owner, colleague):
    person = overdue_person(owner)
    response = client_for(colleague).post(
        reverse("maintenance_snooze", args=[person.pk]), {"period": "week"}
    )
    assert response.status_code == 403


def test_a_manager_sees_a_colleagues_due_list_but_a_networker_does_not(owner, colleague, manager):
    person = overdue_person(owner)
    url = reverse("maintenance_due") + f"?member={owner.pk}"
    assert person.full_name in client_for(manager).get(url).content.decode()
    assert client_for(colleague).get(url).status_code == 403


def test_going_cold_lists_overdue_key_relations_with_who_knows_them(owner, manager):
    cold = overdue_person(owner, tier="A", days=100)
    fine = overdue_person(owner, tier="A", days=40)
    page = client_for(manager).get(reverse("maintenance_going_cold")).content.decode()
    assert cold.full_name in page and fine.full_name not in page and owner.name in page


def test_going_cold_shows_relations_nobody_contacted_for_a_year(owner, manager):
    old = overdue_person(owner, tier="D", days=400)
    page = (
        client_for(manager).get(reverse("maintenance_going_cold") + "?show=year").content.decode()
    )
    assert old.full_name in page


def test_going_cold_is_for_network_managers(owner_client):
    assert owner_client.get(reverse("maintenance_going_cold")).status_code == 403


def test_outsiders_see_none_of_it(outsider):
    client = client_for(outsider)
    for name in (
        "maintenance_due",
        "maintenance_going_cold",
        "maintenance_follow_ups",
        "maintenance_tier_review",
        "maintenance_settings",
    ):
        assert client.get(reverse(name)).status_code == 404, name


def test_anonymous_visitors_are_sent_to_login(client):
    response = client.get(reverse("maintenance_due"))
    assert response.status_code == 302 and "login" in response["Location"]


def test_the_due_list_page_takes_a_fixed_number_of_queries(
    owner, owner_client, django_assert_max_num_queries
):
    for _ in range(30):
        overdue_person(owner)
    with django_assert_max_num_queries(14):
        response = owner_client.get(reverse("maintenance_due"))
    assert response.status_code == 200


def test_the_going_cold_page_takes_a_fixed_number_of_queries(
    owner, manager, django_assert_max_num_queries
):
    for _ in range(30):
        overdue_person(owner, days=120)
    client = client_for(manager)
    with django_assert_max_num_queries(14):
        response = client.get(reverse("maintenance_going_cold"))
    assert response.status_code == 200


def test_follow_ups_overview_shows_mine_and_the_organisations_overdue(owner, manager):
    FollowUpFactory(
        owner=owner, title="Offerte nasturen", due_date=timezone.localdate() - dt.timedelta(days=3)
    )
    page = client_for(manager).get(reverse("maintenance_follow_ups")).content.decode()
    assert "Offerte nasturen" in page and owner.name.split()[0] in page
    assert (
        "Offerte nasturen"
        in client_for(owner).get(reverse("maintenance_follow_ups")).content.decode()
    )


def test_the_person_page_shows_status_and_why_a_tie_is_strong(owner, owner_client):
    person = PersonFactory(tier=Tier.objects.get(code="A"), owner=owner)
    TieFactory(person=person, member=owner, strength=4)
    for days in (12, 60, 120):
        contact(person, owner, days=days, kind="meeting")
    owner_client.post(reverse("language_set"), {"language": "en", "next": "/"})
    page = owner_client.get(reverse("person_detail", args=[person.pk])).content.decode()
    assert "3 meetings in the last year, last one 12 days ago" in page
    assert "on track" in page


def test_the_dashboard_lists_whom_to_contact_this_week(owner, owner_client):
    person = overdue_person(owner)
    assert person.full_name in owner_client.get(reverse("dashboard")).content.decode()


def test_the_log_and_snooze_forms_load_into_the_row_on_demand(owner, owner_client):
    person = overdue_person(owner)
    log_form = owner_client.get(
        reverse("maintenance_due_log", args=[person.pk]), HTTP_HX_REQUEST="true"
    )
    assert 'name="summary"' in log_form.content.decode()
    snooze_form = owner_client.get(
        reverse("maintenance_snooze", args=[person.pk]), HTTP_HX_REQUEST="true"
    )
    assert (
        'name="period"' in snooze_form.content.decode()
        and "<html" not in snooze_form.content.decode()
    )


def test_a_quick_log_without_summary_comes_back_in_the_row_with_the_error(owner, owner_client):
    person = overdue_person(owner)
    response = owner_client.post(
        reverse("maintenance_due_log", args=[person.pk]),
        {
            "kind": "call",
            "occurred_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
            "summary": "",
        },
        HTTP_HX_REQUEST="true",
    )
    assert (
        f'id="due-{person.pk}"' in response.content.decode()
        and "errorlist" in response.content.decode()
    )
    assert not ContactMoment.objects.filter(summary="").exists()
