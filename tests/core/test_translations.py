"""The translation check fails on every message a Dutch user would meet in English."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from gilde.core.translations import problems

HEADER = 'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'


def test_a_message_without_translation_is_reported():
    text = HEADER + 'msgid "Record"\nmsgstr ""\n'
    assert problems({"a.po": text}) == ["a.po:5: untranslated: 'Record'"]


def test_a_fuzzy_message_is_reported_even_with_a_translation():
    text = (
        HEADER + '#, fuzzy, python-format\nmsgid "Remove relation"\nmsgstr "Relatie verwijderen"\n'
    )
    assert problems({"a.po": text}) == ["a.po:5: fuzzy: 'Remove relation'"]


def test_a_plural_needs_every_form():
    text = (
        HEADER
        + 'msgid "%(n)s day"\nmsgid_plural "%(n)s days"\nmsgstr[0] "%(n)s dag"\nmsgstr[1] ""\n'
    )
    assert problems({"a.po": text}) == ["a.po:5: untranslated: '%(n)s day'"]


def test_a_message_translated_by_another_apps_catalog_counts_as_translated():
    other = HEADER + 'msgid "Verify"\nmsgstr "Controleren"\n'
    mine = HEADER + 'msgid "Verify"\nmsgstr ""\n'
    assert problems({"a.po": mine, "b.po": other}) == []


def test_a_translation_in_another_context_does_not_count():
    audit = HEADER + 'msgctxt "noun"\nmsgid "Record"\nmsgstr "Betreft"\n'
    extracted = HEADER + 'msgctxt "verb"\nmsgid "Record"\nmsgstr ""\n'
    assert problems({"a.po": audit}, extracted={"new.po": extracted}) == [
        "new.po: not in any catalog: 'Record'"
    ]


def test_multiline_messages_are_joined():
    text = HEADER + 'msgid ""\n"Two "\n"lines"\nmsgstr ""\n"Twee "\n"regels"\n'
    assert problems({"a.po": text}) == []


def test_gildes_own_catalogs_are_complete():
    call_command("messages_check")


def test_the_check_fails_on_a_catalog_with_a_fuzzy_entry(tmp_path, settings):
    catalog = tmp_path / "app" / "locale" / "nl" / "LC_MESSAGES" / "django.po"
    catalog.parent.mkdir(parents=True)
    catalog.write_text(HEADER + '#, fuzzy\nmsgid "Colleagues"\nmsgstr "Collega"\n', "utf-8")
    settings.BASE_DIR = tmp_path
    with pytest.raises(CommandError, match="1 messages"):
        call_command("messages_check")


def test_the_audit_column_and_the_goodwill_button_translate_record_apart(manager_client: Client):
    audit = manager_client.get(reverse("audit_list")).content.decode()
    assert "<th>Betreft</th>" in audit
    assert "Vastleggen" not in audit


def test_known_by_anyone_is_proper_dutch(manager_client: Client):
    page = manager_client.get(reverse("person_list")).content.decode()
    assert "Gekend" not in page
    assert "Bekend bij alle collega" in page


def test_dutch_speaks_to_the_user_formally():
    """Formal "u" throughout: no "je", "jij", "jouw" or "jezelf" in any Dutch catalog."""
    import re
    from pathlib import Path

    from django.conf import settings

    from gilde.core.translations import entries

    informal = re.compile(r"\b(je|jij|jou|jouw|jezelf)\b", re.IGNORECASE)
    found = [
        f"{path.name}:{entry.line}: {text}"
        for path in Path(settings.BASE_DIR).rglob("locale/nl/LC_MESSAGES/django.po")
        for entry in entries(path.read_text("utf-8"))
        for text in entry.msgstr
        if informal.search(text)
    ]
    assert found == []
