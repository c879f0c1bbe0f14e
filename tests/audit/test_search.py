"""Only network managers search the audit trail: on the page and through the API."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from gilde.accounts.models import ApiToken
from gilde.audit.models import AuditAction, AuditEntry
from gilde.audit.services import audit_record
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


def _token(member) -> str:  # type: ignore[no-untyped-def]
    raw, prefix, key_hash = ApiToken.generate()
    ApiToken.objects.create(member=member, name="t", key_prefix=prefix, key_hash=key_hash)
    return raw


def test_an_outsider_gets_404(outsider):
    assert client_for(outsider).get(reverse("audit_list")).status_code == 404


def test_networkers_and_readers_may_not_read_the_trail(owner, reader):
    assert client_for(owner).get(reverse("audit_list")).status_code == 403
    assert client_for(reader).get(reverse("audit_list")).status_code == 403


def test_a_manager_searches_by_actor_action_target_and_period(manager, owner, colleague):
    audit_record(actor=owner, action=AuditAction.VIEW, target_type="person", target_id=11)
    audit_record(actor=colleague, action=AuditAction.VIEW, target_type="person", target_id=12)
    audit_record(actor=owner, action=AuditAction.DELETE, target_type="person", target_id=13)
    old = audit_record(actor=owner, action=AuditAction.VIEW, target_type="person", target_id=14)
    AuditEntry.objects.filter(pk=old.pk).update(at=timezone.now() - dt.timedelta(days=40))
    since = (timezone.localdate() - dt.timedelta(days=7)).isoformat()
    response = client_for(manager).get(
        reverse("audit_list"), {"actor": owner.pk, "action": "view", "since": since}
    )
    assert response.status_code == 200
    shown = [entry.target_id for entry in response.context["page"]]
    assert shown == [11]
    by_target = client_for(manager).get(
        reverse("audit_list"), {"target_type": "person", "target_id": 13}
    )
    assert [e.target_id for e in by_target.context["page"]] == [13]


def test_the_trail_page_costs_a_fixed_number_of_queries(
    manager, owner, django_assert_max_num_queries
):
    for i in range(60):
        audit_record(actor=owner, action=AuditAction.VIEW, target_type="person", target_id=i)
    client = client_for(manager)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("audit_list"), {"page": 2})
    assert response.status_code == 200


def test_bad_filters_are_ignored_not_an_error(manager):
    response = client_for(manager).get(
        reverse("audit_list"), {"since": "gisteren", "action": "hack", "target_id": "x"}
    )
    assert response.status_code == 200


def test_the_api_lists_the_trail_for_managers_only(manager, owner):
    audit_record(actor=owner, action=AuditAction.LOGIN_FAILED, username="eigenaar")
    audit_record(actor=owner, action=AuditAction.VIEW, target_type="person", target_id=5)
    as_manager = Client().get(
        "/api/v1/audit-entries",
        {"action": "login_failed"},
        HTTP_AUTHORIZATION=f"Bearer {_token(manager)}",
    )
    assert as_manager.status_code == 200
    assert [e["action"] for e in as_manager.json()["items"]] == ["login_failed"]
    as_owner = Client().get("/api/v1/audit-entries", HTTP_AUTHORIZATION=f"Bearer {_token(owner)}")
    assert as_owner.status_code == 403
    assert Client().get("/api/v1/audit-entries").status_code == 401
