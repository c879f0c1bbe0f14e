"""The team page and changing colleagues: only network managers and administrators, a network
manager never makes or changes an administrator, nobody deactivates themselves or the last
administrator, and a deactivated colleague is out (login, session, API tokens)."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from gilde.accounts import services, team
from gilde.accounts.models import ApiToken, Role
from gilde.audit.models import AuditEntry
from gilde.relations.models import Note
from tests.conftest import client_for
from tests.factories import MemberFactory, NoteFactory, PersonFactory

PASSWORD = "correct horse battery staple"


@pytest.fixture
def admin(db):  # type: ignore[no-untyped-def]
    return MemberFactory(user__username="admin", role=Role.ADMINISTRATOR)


def test_the_team_page_lists_colleagues_for_a_network_manager(manager, colleague):
    colleague.department, colleague.job_title = "Verkoop", "Accountmanager"
    colleague.save()
    response = client_for(manager).get(reverse("accounts:team"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Verkoop" in page and "Accountmanager" in page and colleague.name in page


def test_the_team_is_in_the_menu_of_managers_only(manager, colleague):
    team_url = reverse("accounts:team")
    assert team_url in client_for(manager).get(reverse("dashboard")).content.decode()
    assert team_url not in client_for(colleague).get(reverse("dashboard")).content.decode()


def test_networkers_and_readers_are_refused_the_team_page_with_a_page_saying_so(colleague, reader):
    for member in (colleague, reader):
        response = client_for(member).get(reverse("accounts:team"))
        assert response.status_code == 403
        assert "<article" in response.content.decode()


def test_an_outsider_and_an_anonymous_visitor_do_not_reach_the_team_page(outsider):
    assert client_for(outsider).get(reverse("accounts:team")).status_code == 404
    anonymous = Client().get(reverse("accounts:team"))
    assert anonymous.status_code == 302 and reverse("login") in anonymous.url


def test_a_manager_changes_role_department_and_job_title_with_an_audit_entry(manager, colleague):
    response = client_for(manager).post(
        reverse("accounts:member_edit", args=[colleague.pk]),
        {"role": Role.READ_ONLY, "department": "Inkoop", "job_title": "Inkoper"},
    )
    assert response.status_code == 302
    colleague.refresh_from_db()
    assert (colleague.role, colleague.department, colleague.job_title) == (
        Role.READ_ONLY,
        "Inkoop",
        "Inkoper",
    )
    entry = AuditEntry.objects.get(target_type="member", target_id=colleague.pk)
    assert entry.actor == manager and entry.detail["fields"] == ["department", "job_title", "role"]


def test_a_networker_cannot_change_a_colleague(colleague, owner):
    response = client_for(colleague).post(
        reverse("accounts:member_edit", args=[owner.pk]),
        {"role": Role.NETWORK_MANAGER, "department": "", "job_title": ""},
    )
    assert response.status_code == 403
    owner.refresh_from_db()
    assert owner.role == Role.NETWORKER


def test_a_network_manager_cannot_make_someone_administrator(manager, colleague):
    with pytest.raises(PermissionDenied):
        team.member_update(
            actor=manager, member=colleague, role=Role.ADMINISTRATOR, department="", job_title=""
        )
    response = client_for(manager).post(
        reverse("accounts:member_edit", args=[colleague.pk]),
        {"role": Role.ADMINISTRATOR, "department": "", "job_title": ""},
    )
    assert response.status_code == 200 and "role" in response.context["form"].errors
    colleague.refresh_from_db()
    assert colleague.role == Role.NETWORKER


def test_a_network_manager_cannot_change_or_deactivate_an_administrator(manager, admin):
    client = client_for(manager)
    assert client.get(reverse("accounts:member_edit", args=[admin.pk])).status_code == 403
    assert client.get(reverse("accounts:member_leave", args=[admin.pk])).status_code == 403
    with pytest.raises(PermissionDenied):
        team.member_deactivate(actor=manager, member=admin)
    admin.user.refresh_from_db()
    assert admin.user.is_active


def test_an_administrator_makes_an_administrator_who_gets_the_django_admin(admin, colleague):
    team.member_update(
        actor=admin, member=colleague, role=Role.ADMINISTRATOR, department="", job_title=""
    )
    colleague.user.refresh_from_db()
    assert colleague.user.is_staff and colleague.user.is_superuser
    team.member_update(
        actor=admin, member=colleague, role=Role.NETWORKER, department="", job_title=""
    )
    colleague.user.refresh_from_db()
    assert not colleague.user.is_staff and not colleague.user.is_superuser


def test_nobody_deactivates_themselves(manager):
    with pytest.raises(ValidationError):
        team.member_deactivate(actor=manager, member=manager)
    manager.user.refresh_from_db()
    assert manager.user.is_active


def test_the_last_administrator_is_neither_deactivated_nor_demoted(admin):
    other = MemberFactory(role=Role.ADMINISTRATOR)
    team.member_deactivate(actor=other, member=admin)
    with pytest.raises(ValidationError):
        team.member_update(
            actor=other, member=other, role=Role.NETWORKER, department="", job_title=""
        )
    team.member_reactivate(actor=other, member=admin)
    team.member_deactivate(actor=admin, member=other)
    admin.user.refresh_from_db()
    assert admin.user.is_active


def test_a_deactivated_colleague_cannot_log_in(manager, colleague):
    team.member_deactivate(actor=manager, member=colleague)
    response = Client().post(reverse("login"), {"username": "collega", "password": PASSWORD})
    assert response.status_code == 200 and "_auth_user_id" not in response.client.session


def test_a_deactivated_colleague_loses_the_session_they_already_had(manager, colleague):
    client = client_for(colleague)
    assert client.get(reverse("dashboard")).status_code == 200
    team.member_deactivate(actor=manager, member=colleague)
    response = client.get(reverse("dashboard"))
    assert response.status_code == 302 and reverse("login") in response.url


def test_a_deactivated_colleagues_api_tokens_stop_working(manager, colleague):
    _token, raw = services.api_token_create(member=colleague, name="script")
    api = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert api.get("/api/v1/persons").status_code == 200
    team.member_deactivate(actor=manager, member=colleague)
    assert api.get("/api/v1/persons").status_code == 401
    assert not ApiToken.objects.active().filter(member=colleague).exists()


def test_a_deactivated_colleagues_private_notes_stay_private(manager, colleague, owner):
    person = PersonFactory()
    note = NoteFactory(person=person, author=colleague, is_private=True, text="Alleen voor mij")
    team.member_deactivate(actor=manager, member=colleague)
    for member in (manager, owner):
        page = client_for(member).get(reverse("person_detail", args=[person.pk]))
        assert "Alleen voor mij" not in page.content.decode()
    assert Note.objects.filter(pk=note.pk).exists()


def test_a_manager_reactivates_a_colleague(manager, colleague):
    team.member_deactivate(actor=manager, member=colleague)
    response = client_for(manager).post(reverse("accounts:member_reactivate", args=[colleague.pk]))
    assert response.status_code == 302
    colleague.user.refresh_from_db()
    assert colleague.user.is_active
    actions = AuditEntry.objects.filter(target_type="member", target_id=colleague.pk)
    assert sorted(e.detail["active"] for e in actions) == [False, True]


def test_a_networker_cannot_reactivate_anyone(manager, colleague, owner):
    team.member_deactivate(actor=manager, member=owner)
    response = client_for(colleague).post(reverse("accounts:member_reactivate", args=[owner.pk]))
    assert response.status_code == 403
    owner.user.refresh_from_db()
    assert not owner.user.is_active


def test_the_team_page_shows_deactivated_colleagues_as_not_active(manager, colleague):
    team.member_deactivate(actor=manager, member=colleague)
    response = client_for(manager).get(reverse("accounts:team"))
    rows = {m.pk: m.user.is_active for m, _may_change in response.context["rows"]}
    assert rows == {manager.pk: True, colleague.pk: False}
    assert reverse("accounts:member_reactivate", args=[colleague.pk]) in response.content.decode()


def test_the_team_page_costs_the_same_queries_for_few_and_many_colleagues(
    manager, django_assert_max_num_queries
):
    client = client_for(manager)
    client.get(reverse("accounts:team"))  # session and language settle on the first request
    with django_assert_max_num_queries(12) as few:
        client.get(reverse("accounts:team"))
    MemberFactory.create_batch(15)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("accounts:team"))


def test_a_deactivated_colleagues_page_says_they_are_no_longer_active(manager, colleague):
    team.member_deactivate(actor=manager, member=colleague)
    page = client_for(manager).get(reverse("member_detail", args=[colleague.pk]))
    assert "niet meer actief" in page.content.decode()


def test_a_department_with_a_line_break_is_refused_and_nothing_changes(manager, colleague):
    with pytest.raises(ValidationError) as refused:
        team.member_update(
            actor=manager,
            member=colleague,
            role=Role.NETWORKER,
            department="Verkoop\nInkoop",
            job_title="",
        )
    assert "department" in refused.value.message_dict
    colleague.refresh_from_db()
    assert colleague.department == ""
