"""Checks a gettext catalog for what a Dutch user would see in English: a message without a
translation, or one gettext marked fuzzy (a guess from a similar message, never used). Plain
Python, no Django."""

from __future__ import annotations

import ast
from dataclasses import dataclass, field


@dataclass
class Entry:
    line: int
    msgctxt: str = ""
    flags: set[str] = field(default_factory=set)
    msgid: str = ""
    msgid_plural: str = ""
    msgstr: list[str] = field(default_factory=list)
    obsolete: bool = False


def _unquote(text: str) -> str:
    return str(ast.literal_eval(text)) if text.startswith('"') else ""


def entries(text: str) -> list[Entry]:
    """The catalog's entries with their flags, id and translations (plural forms in order)."""
    found: list[Entry] = []
    current: Entry | None = None
    target: str | None = None
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line:
            current, target = None, None
            continue
        if current is None:
            current = Entry(line=number)
            found.append(current)
        if line.startswith("#~"):
            current.obsolete = True
        elif line.startswith("#,"):
            current.flags |= {flag.strip() for flag in line[2:].split(",")}
        elif line.startswith("#"):
            continue
        elif line.startswith("msgctxt "):
            target, current.msgctxt = "msgctxt", _unquote(line[8:])
        elif line.startswith("msgid_plural "):
            target, current.msgid_plural = "msgid_plural", _unquote(line[13:])
        elif line.startswith("msgid "):
            target, current.msgid = "msgid", _unquote(line[6:])
        elif line.startswith("msgstr"):
            target = "msgstr"
            current.msgstr.append(_unquote(line.partition(" ")[2]))
        elif line.startswith('"') and target:
            _continue(current, target, _unquote(line))
    return found


def _continue(entry: Entry, target: str, text: str) -> None:
    if target == "msgctxt":
        entry.msgctxt += text
    elif target == "msgid":
        entry.msgid += text
    elif target == "msgid_plural":
        entry.msgid_plural += text
    elif target == "msgstr":
        entry.msgstr[-1] += text


def _translated(entry: Entry) -> bool:
    return "fuzzy" not in entry.flags and bool(entry.msgstr) and all(entry.msgstr)


def problems(catalogs: dict[str, str], *, extracted: dict[str, str] | None = None) -> list[str]:
    """One line per message a user would see untranslated, as "file:12: untranslated: 'Record'"
    or "file:40: fuzzy: …". Django merges the catalogs of all apps, so a message counts as
    translated when any catalog translates it; every fuzzy entry is a problem all the same.
    ``extracted`` are catalogs freshly collected from the code: each of their messages must be
    translated in ``catalogs``. The header (empty msgid) and obsolete entries do not count."""
    read = {name: entries(text) for name, text in catalogs.items()}
    done = {(e.msgctxt, e.msgid) for found in read.values() for e in found if _translated(e)}
    failures = []
    for name, found in read.items():
        for entry in found:
            if entry.obsolete or not entry.msgid:
                continue
            if "fuzzy" in entry.flags:
                failures.append(f"{name}:{entry.line}: fuzzy: {entry.msgid!r}")
            elif (entry.msgctxt, entry.msgid) not in done:
                failures.append(f"{name}:{entry.line}: untranslated: {entry.msgid!r}")
    for name, text in (extracted or {}).items():
        failures += [
            f"{name}: not in any catalog: {entry.msgid!r}"
            for entry in entries(text)
            if entry.msgid and not entry.obsolete and (entry.msgctxt, entry.msgid) not in done
        ]
    return failures
