"""Whatever bytes a parser is fed, it returns a ParseResult or raises an ImportFileError."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gilde.interchange import ImportFileError, ImportLimits, ParseResult
from gilde.interchange.parse import PARSERS, parse_auto
from tests.interchange.make_fixtures import build_fixtures

FIXTURES = build_fixtures()
LIMITS = ImportLimits(max_bytes=200_000, max_rows=500, max_columns=200, max_cell_chars=20_000)
PROPERTY_SETTINGS = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
ParserFn = Callable[..., ParseResult]


def parses_or_refuses(parser: ParserFn, data: bytes, filename: str = "upload.csv") -> None:
    try:
        result = parser(data, filename=filename, limits=LIMITS)
    except ImportFileError as error:
        assert error.code
        assert str(error).startswith(filename)
    else:
        assert isinstance(result, ParseResult)


# Bytes that look like the files people upload: delimiters, quotes, vCard keywords, accents.
TOKENS = st.sampled_from(
    [
        "Naam",
        "Voornaam",
        "Achternaam",
        "First Name",
        "E-mail",
        "Telefoon",
        ";",
        ",",
        "\t",
        '"',
        "\n",
        "\r\n",
        " ",
        "van der",
        "Jan",
        "é",
        "’",
        "=",
        "+31",
        "BEGIN:VCARD",
        "END:VCARD",
        "N:",
        "FN:",
        "ENCODING=QUOTED-PRINTABLE:",
        "=C3=A9",
        "=\r\n",
        "item1.",
        "Notes:",
        "Connected On",
        " ::: ",
        "12 Mar 2021",
        "\x00",
        "<html>",
        "0612345678",
    ]
)
TEXTISH = st.lists(TOKENS, max_size=60).map("".join)
ENCODED = st.tuples(TEXTISH, st.sampled_from(["utf-8", "utf-8-sig", "cp1252", "utf-16"])).map(
    lambda pair: pair[0].encode(pair[1], "replace")
)


@st.composite
def mutated_fixture(draw: st.DrawFn) -> bytes:
    """A fixture with a few bytes changed, cut short or repeated: damaged uploads."""
    data = bytearray(FIXTURES[draw(st.sampled_from(sorted(FIXTURES)))])
    for _ in range(draw(st.integers(1, 4))):
        position = draw(st.integers(0, max(len(data) - 1, 0)))
        action = draw(st.sampled_from(["flip", "cut", "insert"]))
        if action == "flip" and data:
            data[position] = draw(st.integers(0, 255))
        elif action == "cut":
            del data[position:]
        else:
            data[position:position] = draw(st.binary(min_size=1, max_size=8))
    return bytes(data)


@pytest.mark.parametrize("name", sorted(PARSERS))
@PROPERTY_SETTINGS
@given(data=st.binary(max_size=3000))
def test_random_bytes_never_escape_as_another_error(name: str, data: bytes) -> None:
    parses_or_refuses(PARSERS[name], data)


@pytest.mark.parametrize("name", sorted(PARSERS))
@PROPERTY_SETTINGS
@given(data=ENCODED)
def test_text_like_input_never_escapes_as_another_error(name: str, data: bytes) -> None:
    parses_or_refuses(PARSERS[name], data)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=mutated_fixture())
def test_damaged_fixtures_never_escape_as_another_error(data: bytes) -> None:
    parses_or_refuses(parse_auto, data)
