"""What a parser produces: one ContactRecord per usable row, a RejectedRow per unusable one."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from gilde.names import PersonName, display_name


@dataclass(frozen=True)
class ContactRecord:
    """One person as read from a file, with names split the Dutch way and phones in E.164."""

    line: int = 0
    given_name: str = ""
    initials: str = ""
    tussenvoegsel: str = ""
    family_name: str = ""
    title: str = ""
    emails: tuple[str, ...] = ()
    phones: tuple[str, ...] = ()
    organisation: str = ""
    job_title: str = ""
    city: str = ""
    address: str = ""
    website: str = ""
    linkedin_url: str = ""
    connected_on: date | None = None
    birthday: date | None = None
    notes: str = ""
    tags: tuple[str, ...] = ()
    language: str = ""
    source: str = ""

    @property
    def name(self) -> PersonName:
        """The name parts as a PersonName, for sorting and display."""
        return PersonName(self.given_name, self.initials, self.tussenvoegsel, self.family_name)

    @property
    def display_name(self) -> str:
        """The name as written in a letter, e.g. "dr. Jan van der Berg"."""
        return display_name(self.name, title=self.title)


@dataclass(frozen=True)
class RejectedRow:
    """A row that cannot become a person (no name and no e-mail); the import goes on."""

    line: int
    reason_code: str
    message: str


@dataclass(frozen=True)
class ParseWarning:
    """Something dropped or guessed in a row that was imported (an unreadable phone number)."""

    line: int
    code: str
    message: str
    value: str = ""


@dataclass(frozen=True)
class ParseResult:
    """Everything a parser found in one file; ``mapping`` is column name -> field name."""

    format: str
    records: tuple[ContactRecord, ...] = ()
    rejected: tuple[RejectedRow, ...] = ()
    columns: tuple[str, ...] = ()
    mapping: dict[str, str] = field(default_factory=dict)
    warnings: tuple[ParseWarning, ...] = ()
    encoding: str = ""
    delimiter: str = ""
    # The first few values of each column, so the column step can show what a column holds.
    samples: dict[str, tuple[str, ...]] = field(default_factory=dict)
