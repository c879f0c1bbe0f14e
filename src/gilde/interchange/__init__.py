"""Import and export of relations: parsers for CSV, Excel, LinkedIn, Google, Outlook and vCard,
a duplicate finder and writers. Plain Python, no Django: bytes in, dataclasses out."""

from gilde.interchange.errors import (
    ERROR_CODES,
    ImportFileError,
    LimitExceeded,
    MalformedFile,
    NoNameColumn,
    UnreadableFile,
)
from gilde.interchange.limits import ImportLimits
from gilde.interchange.mapping import FIELDS, suggest_mapping
from gilde.interchange.parse import (
    FORMATS,
    detect_format,
    parse_auto,
    parse_linkedin,
    parse_linkedin_zip,
)
from gilde.interchange.phones import PhoneResult, normalise_phone
from gilde.interchange.records import ContactRecord, ParseResult, ParseWarning, RejectedRow
from gilde.interchange.tabular import (
    parse_csv,
    parse_google_csv,
    parse_linkedin_csv,
    parse_outlook_csv,
    parse_xlsx,
)
from gilde.interchange.vcard import parse_vcard

__all__ = [
    "ERROR_CODES",
    "FIELDS",
    "FORMATS",
    "ContactRecord",
    "ImportFileError",
    "ImportLimits",
    "LimitExceeded",
    "MalformedFile",
    "NoNameColumn",
    "ParseResult",
    "ParseWarning",
    "PhoneResult",
    "RejectedRow",
    "UnreadableFile",
    "detect_format",
    "normalise_phone",
    "parse_auto",
    "parse_csv",
    "parse_google_csv",
    "parse_linkedin",
    "parse_linkedin_csv",
    "parse_linkedin_zip",
    "parse_outlook_csv",
    "parse_vcard",
    "parse_xlsx",
    "suggest_mapping",
]
