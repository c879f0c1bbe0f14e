"""Phone numbers to E.164 with the ``phonenumbers`` library, read the way Dutch files hold them."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import phonenumbers
from phonenumbers.phonemetadata import PhoneMetadata

_FLOAT_RE = re.compile(r"^(\d+)\.0+$")
_JUNK_RE = re.compile(r"[\s().\-/]")
# Digits with spaces and hyphens only: how Dutch numbers are usually written.
_PLAIN_RE = re.compile(r"^[\d \-]+$")


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
    # The common case, a Dutch number written nationally ("06-1234 5678"): no full parse.
    if (
        region == "NL"
        and len(digits) == 10
        and digits[0] == "0"
        and digits[1] != "0"
        and digits.isdigit()
        and _PLAIN_RE.match(text)
    ):
        found = _dutch(digits[1:])
        # Ten digits with a leading 0 always parse; one that fits no pattern is invalid.
        return PhoneResult(found) if found else PhoneResult(None, "invalid")
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


def _dutch(national: str) -> str | None:
    """E.164 of a Dutch national significant number (digits without the trunk 0) when
    phonenumbers holds it valid: what parsing "0" + national with region NL gives, without
    the parsing."""
    general, kinds = _dutch_rules()
    pattern = kinds.get(len(national))
    if pattern is None or not general(national) or not pattern.fullmatch(national):
        return None
    return "+31" + national


@lru_cache(maxsize=1)
def _dutch_rules() -> tuple[Callable[[str], bool], dict[int, re.Pattern[str]]]:
    """The checks phonenumbers.is_valid_number makes for region NL, read from its metadata: a
    number is valid when it fits the general description and that of one kind of number (fixed
    line, mobile, toll free...), each a pattern and the lengths it allows. Per length, the
    patterns of the kinds that allow it are joined into one."""
    meta = PhoneMetadata.metadata_for_region("NL")
    assert meta is not None

    def lengths(desc: Any) -> frozenset[int]:
        return frozenset(desc.possible_length or range(1, 18))

    general_desc: Any = meta.general_desc
    general_lengths = lengths(general_desc)
    general_pattern = re.compile(str(general_desc.national_number_pattern))
    kinds = [
        k
        for k in (
            meta.premium_rate,
            meta.toll_free,
            meta.shared_cost,
            meta.voip,
            meta.personal_number,
            meta.pager,
            meta.uan,
            meta.voicemail,
            meta.fixed_line,
            meta.mobile,
        )
        if k is not None and k.national_number_pattern
    ]
    joined = {
        size: re.compile("|".join(f"(?:{k.national_number_pattern})" for k in allowing))
        for size in range(1, 18)
        if (allowing := [k for k in kinds if size in lengths(k)])
    }

    def general(national: str) -> bool:
        return len(national) in general_lengths and bool(general_pattern.fullmatch(national))

    return general, joined


def _lost_prefix(digits: str) -> str | None:
    # Nine digits: a Dutch national number without its 0. Eleven digits starting with 31:
    # an international number without its "+". No valid Dutch number has either shape otherwise.
    if len(digits) == 9:
        candidate = "+31" + digits
    elif len(digits) == 11 and digits.startswith("31"):
        candidate = "+" + digits
    else:
        return None
    if candidate[3] != "0" and (found := _dutch(candidate[3:])):
        return found
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
