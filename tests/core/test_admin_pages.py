"""Every page of the Django admin renders, for every registered model: the list, the add form,
the change form of a real record and the delete confirmation (the form renderer draws the
admin's own widgets, which exist only as Django templates)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import factory
import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import models
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_tasks_db.models import DBTaskResult

from gilde.accounts.models import ApiToken, Member, Role
from gilde.relations.models import StakeholderType, Tag, Tier
from tests.factories import MemberFactory, UserFactory


class GroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Group

    name = factory.Sequence(lambda n: f"Team {n}")


class ApiTokenFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ApiToken

    member = factory.SubFactory(MemberFactory)
    name = "Koppeling CRM"
    key_prefix = factory.LazyAttribute(lambda o: ApiToken.generate()[1])
    key_hash = factory.Sequence(lambda n: f"{n:064x}")


class TierFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Tier

    code = "E"
    name_nl = "Extra"
    name_en = "Extra"
    order = 9


class StakeholderTypeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StakeholderType

    code = factory.Sequence(lambda n: f"soort-{n}")
    name_nl = "Brancheorganisatie"
    name_en = "Trade body"


class TagFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Tag

    name = factory.Sequence(lambda n: f"duurzaamheid-{n}")


class TOTPDeviceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TOTPDevice

    user = factory.SubFactory(UserFactory)
    name = "Telefoon"


class DBTaskResultFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DBTaskResult

    enqueued_at = factory.LazyFunction(timezone.now)
    run_after = factory.LazyFunction(timezone.now)
    args_kwargs = factory.LazyFunction(lambda: {"args": [], "kwargs": {}})
    task_path = "gilde.core.background.run_job"
    backend_name = "default"
    exception_class_path = ""
    traceback = ""


_ACCESS = {
    "user_agent": "Mozilla/5.0",
    "ip_address": "192.0.2.10",
    "username": "collega",
    "http_accept": "text/html",
    "path_info": "/login/",
}


class AccessAttemptFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AccessAttempt

    get_data = ""
    post_data = "username=collega"
    failures_since_start = 3


class AccessLogFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AccessLog


class AccessFailureLogFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AccessFailureLog


# One factory per registered model; a model registered later without one fails the walk below.
FACTORIES: dict[type[models.Model], Callable[[], models.Model]] = {
    get_user_model(): UserFactory,
    Group: GroupFactory,
    Member: MemberFactory,
    ApiToken: ApiTokenFactory,
    Tier: TierFactory,
    StakeholderType: StakeholderTypeFactory,
    Tag: TagFactory,
    TOTPDevice: TOTPDeviceFactory,
    AccessAttempt: lambda: AccessAttemptFactory(**_ACCESS),
    AccessLog: lambda: AccessLogFactory(**_ACCESS),
    AccessFailureLog: lambda: AccessFailureLogFactory(**_ACCESS),
    DBTaskResult: DBTaskResultFactory,
}

REGISTERED = sorted(admin.site._registry.items(), key=lambda item: item[0]._meta.label)


@pytest.fixture
def administrator(db: Any) -> Any:
    return MemberFactory(role=Role.ADMINISTRATOR, user__is_staff=True, user__is_superuser=True).user


def test_every_registered_model_has_a_factory_here() -> None:
    assert {model for model, _model_admin in REGISTERED} <= set(FACTORIES)


@pytest.mark.parametrize(
    ("model", "model_admin"), REGISTERED, ids=[m._meta.label for m, _a in REGISTERED]
)
def test_every_admin_page_of_the_model_renders(administrator, model, model_admin):
    record = FACTORIES[model]()
    client = Client()
    client.force_login(administrator)
    request = RequestFactory().get("/admin/")
    request.user = administrator
    name = f"admin:{model._meta.app_label}_{model._meta.model_name}"
    # An admin that offers no add form or deletion (django-axes' records of logins, the task
    # queue's results) refuses it, as it should.
    add_status = 200 if model_admin.has_add_permission(request) else 403
    delete_status = 200 if model_admin.has_delete_permission(request, record) else 403

    pages = {
        "changelist": (reverse(f"{name}_changelist"), 200),
        "add": (reverse(f"{name}_add"), add_status),
        "change": (reverse(f"{name}_change", args=[record.pk]), 200),
        "delete": (reverse(f"{name}_delete", args=[record.pk]), delete_status),
    }

    answers = {page: client.get(url).status_code for page, (url, _status) in pages.items()}
    assert answers == {page: status for page, (_url, status) in pages.items()}
    assert pages["change"][0] in client.get(pages["changelist"][0]).content.decode()


def test_the_admin_adds_a_member_to_an_existing_login(administrator):
    user = UserFactory(username="nieuwecollega")
    client = Client()
    client.force_login(administrator)

    response = client.post(
        reverse("admin:accounts_member_add"),
        {"user": user.pk, "role": Role.NETWORKER, "language": "nl"},
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    assert Member.objects.get(user=user).role == Role.NETWORKER
