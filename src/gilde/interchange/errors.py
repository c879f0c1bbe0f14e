"""Errors an import file can cause. Each carries a stable ``code`` and ``params`` so the web
side can show the message in Dutch; ``str(error)`` is the English text for logs and the CLI."""

from __future__ import annotations

from typing import Any


class ImportFileError(Exception):
    """A file that cannot be imported as a whole: says which file, which line, what is wrong."""

    default_code = "unreadable_file"

    def __init__(
        self,
        message: str,
        *,
        filename: str,
        line: int | None = None,
        code: str | None = None,
        params: dict[str, Any] | None = None,
    ) -> None:
        self.message = message
        self.filename = filename
        self.line = line
        self.code = code or self.default_code
        self.params: dict[str, Any] = dict(params or {})
        super().__init__(str(self))

    def __str__(self) -> str:
        where = f"{self.filename}, line {self.line}" if self.line else self.filename
        return f"{where}: {self.message}"

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.code!r}, {str(self)!r})"


class UnreadableFile(ImportFileError):
    """Not a file of a kind we read: binary, HTML, empty, a damaged spreadsheet or zip."""

    default_code = "unreadable_file"


class MalformedFile(ImportFileError):
    """The right kind of file, but broken inside (unbalanced quotes, a vCard without END)."""

    default_code = "malformed_file"


class LimitExceeded(ImportFileError):
    """Larger than the configured limits (bytes, rows, columns, zip expansion)."""

    default_code = "limit_exceeded"


class NoNameColumn(ImportFileError):
    """No column could be recognised as a name, so no person could be made from a row."""

    default_code = "no_name_column"


# Every code a parser can raise, for the web side's translation table and the docs.
ERROR_CODES: dict[str, str] = {
    "binary_file": "The file is binary (for example a program, an image or an old .xls file).",
    "html_file": "The file is a web page (HTML), not a contact list.",
    "empty_file": "The file is empty.",
    "spreadsheet_file": "The file is a spreadsheet, not a CSV text file.",
    "bad_xlsx": "The Excel file is damaged or not an .xlsx file.",
    "bad_zip": "The zip file is damaged.",
    "no_connections_csv": "The zip file holds no LinkedIn Connections.csv.",
    "no_vcards": "The file holds no vCard (BEGIN:VCARD).",
    "unknown_format": "The format of the file was not recognised.",
    "unbalanced_quotes": "A quote opens a field that is not closed.",
    "malformed_csv": "The CSV file is damaged.",
    "no_name_column": "No column holds names.",
    "unknown_column": "The mapping names a column the file does not have.",
    "unknown_field": "The mapping names a field Gilde does not know.",
    "file_too_large": "The file is larger than allowed.",
    "too_many_rows": "The file has more rows than allowed.",
    "too_many_columns": "A row has more columns than allowed.",
    "cell_too_large": "A cell holds more text than allowed.",
    "zip_bomb": "The zip file expands to far more than its size.",
}
