"""One date style everywhere: "3 dec. 2026 08:42", and "vandaag" or "3 dagen geleden" where it
helps, in Dutch and English, through the template filters every page uses."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from django.template import Context, Template
from django.utils import timezone, translation

from gilde.core import datestyle

SRC = Path(__file__).resolve().parents[2] / "src" / "gilde"
MOMENT = timezone.make_aware(dt.datetime(2026, 12, 3, 8, 42))  # noqa: DTZ001 - made local


@pytest.mark.parametrize(
    ("language", "expected"),
    [("nl", "3 dec. 2026 08:42"), ("en", "3 Dec 2026 08:42")],
)
def test_a_moment_reads_day_abbreviated_month_year_and_time(language, expected):
    with translation.override(language):
        assert datestyle.moment_text(MOMENT) == expected


def test_dutch_months_are_small_letters_and_may_stays_whole():
    with translation.override("nl"):
        assert datestyle.day_text(dt.date(2026, 5, 1)) == "1 mei 2026"
        assert datestyle.day_text(dt.date(2026, 3, 9)) == "9 mrt. 2026"
        assert datestyle.day_month_text(dt.date(1970, 12, 3)) == "3 december"


def test_a_utc_time_is_shown_in_local_time():
    utc = dt.datetime(2026, 7, 1, 22, 30, tzinfo=dt.UTC)  # 00:30 the next day in Amsterdam
    with translation.override("nl"):
        assert datestyle.moment_text(utc) == "2 jul. 2026 00:30"


@pytest.mark.parametrize(
    ("days", "expected"),
    [
        (0, "vandaag"),
        (1, "gisteren"),
        (3, "3 dagen geleden"),
        (-1, "morgen"),
        (-4, "over 4 dagen"),
        (40, "24 okt. 2026"),
    ],
)
def test_relative_words_near_today_and_the_date_further_away(days, expected):
    today = dt.date(2026, 12, 3)
    with translation.override("nl"):
        assert datestyle.relative_day_text(today - dt.timedelta(days=days), today=today) == expected


def test_a_moment_today_keeps_its_time():
    today = timezone.localdate(MOMENT)
    with translation.override("nl"):
        assert datestyle.when_text(MOMENT, today=today) == "vandaag 08:42"
    with translation.override("en"):
        assert datestyle.when_text(MOMENT, today=today + dt.timedelta(days=1)) == "yesterday 08:42"


def test_the_filters_give_a_time_element_with_the_full_date_as_its_title():
    with translation.override("nl"):
        html = Template("{{ at|when }}|{{ at|day }}|{{ nothing|moment }}").render(
            Context({"at": MOMENT, "nothing": None})
        )
    assert 'title="3 dec. 2026 08:42"' in html
    assert html.endswith("|3 dec. 2026|")


def test_no_template_formats_a_date_its_own_way():
    """Only a year ("Y"), a time after its day ("H:i"), a date input's value ("Y-m-d") or a
    machine-readable attribute ("c") may use Django's date filter: every date a person reads
    goes through the style's filters."""
    allowed = {'"Y"', '"H:i"', "'Y-m-d'", '"c"'}
    found = []
    for path in SRC.rglob("*"):
        if path.suffix not in {".html", ".txt"}:
            continue
        for fmt in re.findall(r"\|date:(\S+?)[\s}|%]", path.read_text()):
            if fmt not in allowed:
                found.append(f"{path.relative_to(SRC)}: {fmt}")
        if "|timesince" in path.read_text() and "waiting_since" not in path.read_text():
            found.append(f"{path.relative_to(SRC)}: timesince")
    assert found == []


def test_dutch_addresses_the_reader_as_u_never_je():
    """The formal "u" throughout (docs/design.md): no translation says je, jij, jouw or jezelf."""
    informal = re.compile(r"\b(je|jij|jou|jouw|jezelf)\b", re.IGNORECASE)
    found = []
    for po in SRC.rglob("locale/nl/LC_MESSAGES/django.po"):
        text = po.read_text()
        for entry in re.findall(r'msgstr(?:\[\d\])? "(.*(?:\n".*)*)', text):
            message = "".join(part.strip('"') for part in entry.split("\n"))
            if informal.search(message):
                found.append(f"{po.relative_to(SRC)}: {message}")
    assert found == []
