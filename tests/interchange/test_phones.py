from __future__ import annotations

import pytest

from gilde.interchange.phones import PhoneResult, normalise_phone


@pytest.mark.parametrize(
    ("raw", "e164"),
    [
        ("0612345678", "+31612345678"),
        ("06-12345678", "+31612345678"),
        ("020 - 123 45 67", "+31201234567"),
        ("+31 (0)6 1234 5678", "+31612345678"),
        ("0031612345678", "+31612345678"),
        ("'+31612345678", "+31612345678"),
        ("tel:+31-20-123-4567", "+31201234567"),
        ("+44 20 7946 0958", "+442079460958"),
    ],
)
def test_numbers_are_normalised_to_e164(raw: str, e164: str) -> None:
    assert normalise_phone(raw) == PhoneResult(e164)


@pytest.mark.parametrize(
    ("raw", "e164"),
    [
        ("612345678", "+31612345678"),
        ("201234567", "+31201234567"),
        ("612345678.0", "+31612345678"),
        ("31612345678", "+31612345678"),
    ],
)
def test_a_leading_zero_or_plus_lost_by_excel_is_put_back(raw: str, e164: str) -> None:
    assert normalise_phone(raw).e164 == e164


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        ("", "empty"),
        ("abc", "unparseable"),
        ("123", "invalid"),
        ("12345", "invalid"),
        ("9" * 80, "unparseable"),
    ],
)
def test_unusable_numbers_say_why(raw: str, reason: str) -> None:
    assert normalise_phone(raw) == PhoneResult(None, reason)


def test_nine_digits_that_are_no_dutch_number_are_not_guessed() -> None:
    assert normalise_phone("999999999").e164 is None


def test_the_shortcut_for_dutch_numbers_agrees_with_a_full_parse():
    import random

    import phonenumbers

    def parsed(text: str, region: str | None) -> str | None:
        try:
            number = phonenumbers.parse(text, region)
        except phonenumbers.NumberParseException:
            return None
        if not phonenumbers.is_valid_number(number):
            return None
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)

    rng = random.Random(4)
    for prefix in range(1000):  # every three-digit start of a Dutch number
        national = f"{prefix:03d}" + "".join(rng.choice("0123456789") for _ in range(6))
        expected = parsed("0" + national, "NL")
        assert normalise_phone("0" + national).e164 == expected
        assert normalise_phone(f"0{national[:2]} {national[2:5]} {national[5:]}").e164 == expected
        if national[0] != "0":
            assert normalise_phone(national).e164 == (parsed("+31" + national, None))
