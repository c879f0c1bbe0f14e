"""The record of processing (art. 30) follows the configuration, in Dutch and English."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.conftest import client_for

pytestmark = pytest.mark.django_db


def test_the_record_states_the_configured_retention_periods(manager, settings):
    settings.GILDE_RETENTION_MONTHS = 18
    settings.GILDE_AUDIT_RETENTION_DAYS = 365
    settings.GILDE_CONTROLLER_NAME = "Stichting Netwerk Oost"
    client = client_for(manager)
    client.post(reverse("language_set"), {"language": "en", "next": "/"})
    page = client.get(reverse("privacy_processing")).content.decode()
    assert "Stichting Netwerk Oost" in page
    assert "18 months after the last contact moment" in page
    assert "Audit trail: 365 days" in page
    assert "Passwords of at least 12 characters" in page


def test_the_record_is_dutch_by_default(manager):
    page = client_for(manager).get(reverse("privacy_processing")).content.decode()
    assert "Verwerkingsregister" in page
    assert "Doeleinden" in page


def test_the_privacy_pages_are_for_managers(owner, reader, outsider):
    for url in ("privacy_overview", "privacy_processing", "privacy_erasures"):
        assert client_for(owner).get(reverse(url)).status_code == 403
        assert client_for(reader).get(reverse(url)).status_code == 403
        assert client_for(outsider).get(reverse(url)).status_code == 404


def test_the_overview_and_register_open_for_managers(manager):
    client = client_for(manager)
    assert client.get(reverse("privacy_overview")).status_code == 200
    assert client.get(reverse("privacy_erasures")).status_code == 200
