"""Normal forms used both when reading files and when matching duplicates."""

from __future__ import annotations

import re

_EMAIL_RE = re.compile(r"^[^@\s<>(),;:\"\[\]]+@[^@\s<>(),;:\"\[\]]+\.[^@\s<>(),;:\"\[\]]{2,}$")
_LINKEDIN_RE = re.compile(
    r"^(?:https?://)?(?:[a-z]{2,3}\.|www\.)?linkedin\.com/(in|pub)/([^/?#\s]+)", re.I
)
# Characters a spreadsheet reads as the start of a formula, also after leading white space (a
# " =HYPERLINK(…)" or "\n=…" is still run by some); see export.guard_cell.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_GUARDED_RE = re.compile(r"^'+\s*[=+\-@\t\r]")


def fold_email(email: str) -> str:
    """The form two e-mail addresses are compared in: trimmed and lower-cased."""
    return email.strip().strip("<>").strip().casefold()


def is_email(text: str) -> bool:
    """A plausible e-mail address: one @, a dot in the domain, no spaces."""
    return bool(_EMAIL_RE.match(text.strip()))


def split_emails(cell: str) -> list[str]:
    """Several addresses in one cell, separated by " ::: " (Google), ";", "," or spaces; a
    "mailto:" or a display name in angle brackets is taken off."""
    parts = re.split(r"\s*:::\s*|[;,\s]+", cell.replace("mailto:", " "))
    return [p.strip("<>") for p in parts if p.strip("<>")]


def normalise_linkedin(url: str) -> str:
    """The canonical profile URL "https://www.linkedin.com/in/<slug>", or "" if it is none."""
    match = _LINKEDIN_RE.match(url.strip())
    if not match:
        return ""
    return f"https://www.linkedin.com/{match.group(1).lower()}/{match.group(2).lower()}"


def unguard_cell(value: str) -> str:
    """Undo the apostrophe Gilde puts before a cell that would start a formula ("'+3161...")."""
    return value[1:] if _GUARDED_RE.match(value) else value


def guard_cell(value: str) -> str:
    """Prefix an apostrophe to text a spreadsheet would run as a formula; unguard_cell undoes it,
    also for text that itself starts with apostrophes."""
    stripped = value.lstrip("'")
    if stripped.startswith(FORMULA_STARTS) or stripped.lstrip().startswith(FORMULA_STARTS):
        return "'" + value
    return value
