"""Import errors in the user's language: the engine gives a stable code, a file name, a line and
parameters; this says it in Dutch or English."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gilde.interchange import ImportFileError

TEXTS = {
    "binary_file": gettext_lazy(
        "This is not a text or spreadsheet file (perhaps a program, an image, a PDF or an old .xls file). Save it as .csv or .xlsx and try again."
    ),
    "html_file": gettext_lazy(
        "This file is a web page (HTML), not a contact list; often a login page was saved instead of the export."
    ),
    "empty_file": gettext_lazy("The file is empty or holds no rows."),
    "spreadsheet_file": gettext_lazy(
        "This is a spreadsheet or zip file, not a CSV text file; choose Excel or automatic detection."
    ),
    "bad_xlsx": gettext_lazy("The Excel file is damaged or is not an .xlsx file."),
    "bad_zip": gettext_lazy("The zip file is damaged or protected with a password."),
    "no_connections_csv": gettext_lazy(
        "The zip file holds no LinkedIn Connections.csv; download LinkedIn's data export with 'Connections' selected."
    ),
    "no_vcards": gettext_lazy("The file holds no vCard (BEGIN:VCARD)."),
    "unknown_format": gettext_lazy("Gilde does not read this format."),
    "unbalanced_quotes": gettext_lazy(
        'A quote (") opens a field here that is not closed; check the quotes on this line.'
    ),
    "malformed_csv": gettext_lazy("The CSV file cannot be read here."),
    "no_name_column": gettext_lazy(
        "No column holds names. Choose below which column holds the name."
    ),
    "unknown_column": gettext_lazy("The mapping names a column the file does not have."),
    "unknown_field": gettext_lazy("The mapping names a field Gilde does not know."),
    "file_too_large": gettext_lazy(
        "The file is larger than allowed (%(limit)s bytes); split it into smaller files."
    ),
    "too_many_rows": gettext_lazy(
        "The file has more rows than allowed (%(limit)s); split it into smaller files."
    ),
    "too_many_columns": gettext_lazy("This row has more columns than allowed (%(limit)s)."),
    "cell_too_large": gettext_lazy("A cell holds more text than allowed; is a quote missing?"),
    "zip_bomb": gettext_lazy("The zip file expands to far more than its size and was not opened."),
    "commit_failed": gettext_lazy(
        "The import failed and nothing was saved. Try again, or ask the administrator (details are in the log)."
    ),
    "internal_error": gettext_lazy("The file could not be read."),
}


def error_text(
    code: str, *, filename: str, line: int | None, params: dict[str, Any], fallback: str
) -> str:
    """“contacten.csv, line 3: …” in the user's language."""
    text = TEXTS.get(code)
    message = fallback
    if text is not None:
        try:
            message = str(text) % {
                k: f"{v:,}" if isinstance(v, int) else v for k, v in params.items()
            }
        except (KeyError, TypeError, ValueError):
            message = str(text)
    if line:
        return _("%(file)s, line %(line)s: %(message)s") % {
            "file": filename,
            "line": line,
            "message": message,
        }
    return f"{filename}: {message}"


def describe(error: ImportFileError) -> str:
    return error_text(
        error.code,
        filename=error.filename,
        line=error.line,
        params=error.params,
        fallback=error.message,
    )
