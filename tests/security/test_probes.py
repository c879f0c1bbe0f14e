"""What a probe of the whole application found, each as it was found: records reached through a
visible one, lookup lists, and input that took a page or an API call to a 500."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from gilde.accounts.services import api_token_create
from gilde.contacts.models import ContactMoment, FollowUp
from gilde.contacts.services import follow_up_create
from gilde.relations.models import Tag, Tie
from tests.accounts.test_api import Api
from tests.conftest import client_for
from tests.factories import ContactMomentFactory, PersonFactory, TieFactory


@pytest.fixture
def ordinary(owner):
    return PersonFactory(given_name="Piet", family_name="Gewoon", owner=owner)


def api_for(member) -> Api:
    return Api(api_token_create(member=member, name="probe")[1])


# ---- L1: a moment's follow-ups -----------------------------------------------------------------


def test_a_follow_up_about_a_hidden_relation_is_not_shown_on_a_visible_moment(
    owner, colleague, reader, secret, ordinary
):
    moment = ContactMomentFactory(persons=[ordinary, secret], members=[owner])
    moment.persons.remove(secret)  # the moment itself is visible: only P took part
    FollowUp.objects.create(
        owner=owner, title="Bel de klokkenluider", person=secret, contact_moment=moment
    )
    for member in (colleague, reader):
        page = client_for(member).get(reverse("contact_moment_detail", args=[moment.pk]))
        assert page.status_code == 200
        assert "klokkenluider" not in page.content.decode().lower()
    page = client_for(owner).get(reverse("contact_moment_detail", args=[moment.pk]))
    assert "Bel de klokkenluider" in page.content.decode()


def test_a_follow_up_about_someone_who_was_not_there_is_refused(owner, secret, ordinary):
    moment = ContactMomentFactory(persons=[ordinary], members=[owner])
    with pytest.raises(ValidationError) as refused:
        follow_up_create(
            actor=owner, owner=owner, title="Bel", person=secret, contact_moment=moment
        )
    assert "person" in refused.value.message_dict
    assert not FollowUp.objects.exists()


def test_the_api_refuses_a_follow_up_about_someone_who_was_not_there(owner, secret, ordinary):
    moment = ContactMomentFactory(persons=[ordinary], members=[owner])
    response = api_for(owner).post(
        "/follow-ups",
        {"title": "Bel", "person_id": secret.pk, "contact_moment_id": moment.pk},
    )
    assert response.status_code == 422
    assert not FollowUp.objects.exists()


# ---- L3: lookup lists --------------------------------------------------------------------------


@pytest.mark.parametrize("page", ["person_list", "signal_list"])
def test_a_tag_used_only_on_a_hidden_relation_is_not_offered(owner, colleague, secret, page):
    secret.tags.add(Tag.objects.create(name="tag-geheim-xyz"))
    shown = PersonFactory(owner=owner)
    shown.tags.add(Tag.objects.create(name="tag-gewoon"))
    html = client_for(colleague).get(reverse(page)).content.decode()
    assert "tag-gewoon" in html
    assert "tag-geheim-xyz" not in html
    assert "tag-geheim-xyz" in client_for(owner).get(reverse(page)).content.decode()


def test_a_tag_on_an_organisation_or_on_nothing_yet_is_offered(colleague):
    from tests.factories import OrganisationFactory

    OrganisationFactory().tags.add(Tag.objects.create(name="tag-van-organisatie"))
    Tag.objects.create(name="tag-nog-ongebruikt")
    html = client_for(colleague).get(reverse("person_list")).content.decode()
    assert "tag-van-organisatie" in html
    assert "tag-nog-ongebruikt" in html


# ---- E1–E5: the ways to a 500 ------------------------------------------------------------------


@pytest.mark.parametrize("query", [{"until": "9999-12-31"}, {"since": "0001-01-01"}])
def test_signals_take_any_date_in_their_filter(colleague, query):
    assert client_for(colleague).get(reverse("signal_list"), query).status_code == 200


@pytest.mark.parametrize("query", [{"until": "9999-12-31"}, {"since": "0001-01-01"}])
def test_the_audit_trail_takes_any_date_in_its_filter(manager, query):
    assert client_for(manager).get(reverse("audit_list"), query).status_code == 200


@pytest.mark.parametrize("query", [{"until": "9999-12-31"}, {"since": "0001-01-01"}])
def test_api_lists_refuse_a_date_out_of_range(owner, query):
    api = api_for(owner)
    for path in ("/contact-moments", "/signals"):
        response = api.get(path, **query)
        assert response.status_code == 422, path


def test_the_quick_log_refuses_the_year_one(owner, ordinary):
    response = client_for(owner).post(
        reverse("quick_log", args=[ordinary.pk]),
        {"kind": "call", "occurred_at": "0001-01-01T00:00", "summary": "Gebeld"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code < 500
    assert "1900" in response.content.decode()
    assert not ContactMoment.objects.exists()


def test_the_api_refuses_a_contact_moment_in_the_year_one(owner, ordinary):
    response = api_for(owner).post(
        "/contact-moments",
        {"occurred_at": "0001-01-01T00:00:00Z", "person_ids": [ordinary.pk], "summary": "Oud"},
    )
    assert response.status_code == 422
    assert not ContactMoment.objects.exists()


def test_the_api_refuses_a_tie_known_since_the_year_one(owner, ordinary):
    response = api_for(owner).post(
        "/ties", {"member_id": owner.pk, "person_id": ordinary.pk, "since": "0001-01-01"}
    )
    assert response.status_code == 422
    assert not Tie.objects.exists()


def test_a_person_with_a_moment_and_tie_from_the_year_one_still_has_a_page(
    owner, manager, ordinary
):
    """Stored before the edges were bounded (or written around them): the page must not fail."""
    from gilde.maintenance.services import care_follow

    year_one = dt.datetime(1, 1, 1, tzinfo=dt.UTC)
    ContactMomentFactory(persons=[ordinary], members=[owner], occurred_at=year_one)
    TieFactory(member=owner, person=ordinary, since=dt.date(1, 1, 1))
    care_follow(person_ids=[ordinary.pk])
    for member in (owner, manager):
        for _ in range(4):
            page = client_for(member).get(reverse("person_detail", args=[ordinary.pk]))
            assert page.status_code == 200
    assert api_for(owner).get(f"/persons/{ordinary.pk}/care").status_code == 200


def test_the_duplicates_api_refuses_an_offset_past_any_table(manager):
    response = api_for(manager).get("/duplicates", offset="10932926819272962048")
    assert response.status_code == 422


@pytest.mark.parametrize("member", ["owner", "reader"])
def test_the_duplicates_api_follows_the_page_and_is_for_network_managers(request, member):
    response = api_for(request.getfixturevalue(member)).get("/duplicates")
    assert response.status_code == 403


def test_a_moment_long_ago_within_range_is_still_accepted(owner, ordinary):
    when = "1950-06-01T12:00:00Z"
    response = api_for(owner).post(
        "/contact-moments",
        {"occurred_at": when, "person_ids": [ordinary.pk], "summary": "Afspraak"},
    )
    assert response.status_code == 201


def test_taking_someone_off_a_moment_takes_their_follow_up_off_it_too(owner, ordinary):
    from gilde.contacts.services import contact_moment_update

    other = PersonFactory(owner=owner)
    moment = ContactMomentFactory(persons=[ordinary, other], members=[owner], created_by=owner)
    item = follow_up_create(
        actor=owner, owner=owner, title="Offerte", person=other, contact_moment=moment
    )
    contact_moment_update(actor=owner, moment=moment, persons=[ordinary])
    item.refresh_from_db()
    assert (item.contact_moment_id, item.person_id) == (None, other.pk)


# ---- API paths answer JSON, whatever refuses them ----------------------------------------------


def test_a_method_the_api_path_does_not_take_answers_json(owner):
    api = api_for(owner)
    response = api.client.generic("PUT", "/api/v1/persons", "{}", **api.headers)
    assert response.status_code == 405
    assert response.json()["detail"]


def test_a_body_too_large_for_memory_answers_json_on_the_api(owner, ordinary):
    api = api_for(owner)
    body = {"summary": "x" * (11 * 1024 * 1024), "person_ids": [ordinary.pk]}
    response = api.post("/contact-moments", body)
    assert response.status_code == 400
    assert response.json()["detail"]
    assert not ContactMoment.objects.exists()


def test_a_body_over_the_request_limit_answers_json_on_the_api(owner):
    api = api_for(owner)
    response = api.client.post(
        "/api/v1/contact-moments",
        "{}",
        content_type="application/json",
        CONTENT_LENGTH=str(10**12),
        **api.headers,
    )
    assert response.status_code == 413
    assert response.json()["detail"]


def test_pages_keep_their_html_error_pages(owner):
    response = client_for(owner).generic("PUT", reverse("person_list"))
    assert not response.get("Content-Type", "").startswith("application/json")


# ---- input bounded and clean -------------------------------------------------------------------


@pytest.mark.parametrize("name", ["Jan\nBerg", "Jan\rBerg", "Jan\tBerg", "Jan\x00Berg", "Jan\x1bB"])
def test_the_api_refuses_control_characters_in_a_name(owner, name):
    from gilde.relations.models import Person

    response = api_for(owner).post("/persons", {"family_name": name})
    assert response.status_code == 422
    assert not Person.objects.exists()


def test_the_form_refuses_a_line_break_in_a_name(owner):
    from gilde.relations.models import Person

    response = client_for(owner).post(
        reverse("person_create"), {"given_name": "Jan", "family_name": "Berg\r\nBcc: x"}
    )
    assert response.status_code == 200
    assert not Person.objects.exists()


def test_free_text_takes_lines_but_not_a_file(owner, ordinary, settings):
    settings.GILDE_TEXT_MAX_CHARS = 1000
    api = api_for(owner)
    body = {"person_ids": [ordinary.pk], "summary": "Lunch", "occurred_at": "2026-01-05T12:00Z"}
    assert api.post("/contact-moments", {**body, "notes": "Eén\nTwee\n\tdrie"}).status_code == 201
    assert api.post("/contact-moments", {**body, "notes": "x" * 1001}).status_code == 422
    assert api.post("/contact-moments", {**body, "notes": "nul\x00"}).status_code == 422
    assert ContactMoment.objects.count() == 1


def test_one_save_adds_at_most_ten_new_tags(owner):
    from gilde.relations.models import Person

    api = api_for(owner)
    many = {"family_name": "Berg", "tags": [f"label-{n}" for n in range(11)]}
    assert api.post("/persons", many).status_code == 429  # a quota, as the schema documents
    assert not Tag.objects.exists() and not Person.objects.exists()
    few = {"family_name": "Berg", "tags": [f"label-{n}" for n in range(10)]}
    assert api.post("/persons", few).status_code == 201
    assert Tag.objects.count() == 10


def test_a_tag_is_one_line_too(owner):
    response = api_for(owner).post("/persons", {"family_name": "Berg", "tags": ["a\nb"]})
    assert response.status_code == 422
    assert not Tag.objects.exists()


def test_every_model_people_type_text_into_checks_it():
    """A new model with a name or free text must mix in CleanTextMixin, or be listed here as
    written only by Gilde itself."""
    from django.apps import apps
    from django.db import models

    from gilde.core.text import CleanTextMixin

    written_by_gilde = {
        "PersonSearchToken",
        "ContactData",
        "ImportBatch",
        "ImportFile",
        "DuplicatePair",
        "DuplicateScan",
        "EventMail",
        "ResultsMail",
        "AuditEntry",
        "ApiToken",
        "LoginNameCheck",
        "RelationCare",
        "TieStrength",
        "ReminderSettings",
        "TierReview",
        "TierSuggestion",
        "PersonPrivacy",
        "ErasureRecord",
        "ErasureRequest",
        "Tier",
        "StakeholderType",
        "ContactMomentSignal",
        "Job",
        "GuestStatusChange",
        "SeatingPlan",
        "SeenMessage",
        "SyncRun",
    }
    unchecked = [
        model.__name__
        for model in apps.get_models()
        if model.__module__.startswith("gilde.")
        and model.__name__ not in written_by_gilde
        and any(
            isinstance(f, models.CharField | models.TextField) and f.editable
            for f in model._meta.concrete_fields
        )
        and not issubclass(model, CleanTextMixin)
    ]
    assert unchecked == []


# ---- L2: derived figures -----------------------------------------------------------------------


def test_a_hidden_meeting_shows_in_no_figure_of_the_other_relation_there(
    owner, colleague, secret, ordinary
):
    """N1 (owner) meets the confidential C and the ordinary P today. The colleague sees P's
    timeline end where it did, and no figure of P may tell otherwise."""
    from gilde.contacts.services import contact_moment_log
    from gilde.maintenance.models import RelationCare, TieStrength

    TieFactory(member=owner, person=ordinary, strength=3)
    long_ago = ContactMomentFactory(
        persons=[ordinary],
        members=[owner],
        created_by=owner,
        occurred_at=dt.datetime(2026, 1, 5, 10, tzinfo=dt.UTC),
        kind="call",
    )
    contact_moment_log(actor=owner, persons=[ordinary, secret], kind="meeting", summary="Geheim")
    care = RelationCare.objects.get(person=ordinary)
    assert care.last_contact_at == long_ago.occurred_at
    strength = TieStrength.objects.get(person=ordinary, member=owner)
    assert (strength.meetings_year, strength.contacts_total) == (0, 1)
    api = api_for(colleague).get(f"/persons/{ordinary.pk}/care").json()
    assert api["last_contact_at"].startswith("2026-01-05")
    page = client_for(colleague).get(reverse("person_detail", args=[ordinary.pk]))
    assert "vandaag" not in page.content.decode()
    # The meeting does count for the confidential relation, for whoever may see them.
    secret_last = RelationCare.objects.get(person=secret).last_contact_at
    assert secret_last > care.last_contact_at + dt.timedelta(days=300)


@pytest.mark.parametrize("value", [True, False])
def test_true_or_false_is_no_id_in_the_api(owner, ordinary, value):
    api = api_for(owner)
    response = api.post("/ties", {"member_id": value, "person_id": ordinary.pk})
    assert response.status_code == 422
    moment = {"occurred_at": "2026-01-05T12:00Z", "summary": "x", "person_ids": [value]}
    assert api.post("/contact-moments", moment).status_code == 422
    assert not Tie.objects.exists() and not ContactMoment.objects.exists()


def test_a_flag_still_takes_true(owner):
    response = api_for(owner).post("/persons", {"family_name": "Berg", "confidential": True})
    assert response.status_code == 201
