"""Phone numbers to E.164 with the ``phonenumbers`` library, read the way Dutch files hold them."""

from __future__ import annotations

import re
from dataclasses import dataclass

import phonenumbers

_FLOAT_RE = re.compile(r"^(\d+)\.0+$")
_JUNK_RE = re.compile(r"[\s().\-/]")


@dataclass(frozen=True)
class PhoneResult:
    """E.164 text, or None with a reason code: "empty", "unparseable" or "invalid"."""

    e164: str | None
    reason: str = ""


def normalise_phone(raw: str, *, region: str = "NL") -> PhoneResult:
    """Read a phone number as written in an address book. Numbers without a country code are
    Dutch, and a leading zero that Excel dropped ("612345678") is put back when that gives a
    valid Dutch number."""
    text = raw.strip().lstrip("'").strip()
    if not text:
        return PhoneResult(None, "empty")
    if len(text) > 64:
        return PhoneResult(None, "unparseable")
    # Excel turns 0612345678 into the number 612345678, sometimes written as "612345678.0".
    text = _FLOAT_RE.sub(r"\1", text)
    # "+31 (0)6 1234 5678": the "(0)" is the trunk prefix and must go once a country code is there.
    text = text.replace("(0)", " ") if text.startswith(("+", "00")) else text
    if text.lower().startswith("tel:"):
        text = text[4:]
    digits = _JUNK_RE.sub("", text)
    if digits.isdigit() and not digits.startswith("0"):
        guess = _lost_prefix(digits)
        if guess:
            return PhoneResult(guess)
    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException:
        return PhoneResult(None, "unparseable")
    if not phonenumbers.is_valid_number(number):
        return PhoneResult(None, "invalid")
    return PhoneResult(phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164))


def _lost_prefix(digits: str) -> str | None:
    # Nine digits: a Dutch national number without its 0. Eleven digits starting with 31:
    # an international number without its "+". No valid Dutch number has either shape otherwise.
    if len(digits) == 9:
        candidate = "+31" + digits
    elif len(digits) == 11 and digits.startswith("31"):
        candidate = "+" + digits
    else:
        return None
    try:
        number = phonenumbers.parse(candidate, None)
    except phonenumbers.NumberParseException:
        return None
    if phonenumbers.is_valid_number(number):
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    return None


def split_phones(cell: str) -> list[str]:
    """Several numbers in one cell, as Google (" ::: ") and hand-made sheets (";", "/") hold them."""
    parts = re.split(r"\s*:::\s*|\s*[;,\n]\s*|\s+/\s+|\s+of\s+|\s+or\s+", cell)
    return [p for p in (part.strip() for part in parts) if p]
