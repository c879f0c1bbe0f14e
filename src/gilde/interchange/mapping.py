"""Which column holds which field: suggested from header names in Dutch and English, and
correctable by the user before the import is committed."""

from __future__ import annotations

import re

from gilde.interchange.errors import ImportFileError, NoNameColumn
from gilde.names import fold

FIELDS: tuple[str, ...] = (
    "full_name",
    "given_name",
    "middle_name",
    "initials",
    "tussenvoegsel",
    "family_name",
    "title",
    "email",
    "phone",
    "organisation",
    "job_title",
    "city",
    "street",
    "postal_code",
    "country",
    "address",
    "website",
    "linkedin_url",
    "connected_on",
    "birthday",
    "notes",
    "tags",
    "language",
)
NAME_FIELDS = frozenset({"full_name", "given_name", "family_name", "initials"})
IGNORE = "ignore"

# Header names, compacted (folded, only letters and digits), that mean one field exactly.
_EXACT: dict[str, str] = {
    **dict.fromkeys(
        [
            "naam",
            "name",
            "volledigenaam",
            "fullname",
            "displayname",
            "weergavenaam",
            "contactpersoon",
            "contact",
            "relatie",
            "persoon",
            "relatienaam",
            "contactname",
        ],
        "full_name",
    ),
    **dict.fromkeys(
        ["voornaam", "voornamen", "roepnaam", "firstname", "givenname", "first", "forename"],
        "given_name",
    ),
    **dict.fromkeys(
        ["middlename", "middelstenaam", "additionalname", "tweedenaam", "tweedevoornaam"],
        "middle_name",
    ),
    **dict.fromkeys(["voorletters", "initialen", "initials", "voorletter"], "initials"),
    **dict.fromkeys(
        ["tussenvoegsel", "tussenvoegsels", "voorvoegsel", "voorvoegsels", "tv", "tussenv"],
        "tussenvoegsel",
    ),
    **dict.fromkeys(
        ["achternaam", "familienaam", "lastname", "surname", "familyname", "geslachtsnaam", "last"],
        "family_name",
    ),
    **dict.fromkeys(["titel", "title", "nameprefix", "aanhef", "prefix", "titulatuur"], "title"),
    **dict.fromkeys(
        [
            "organisatie",
            "organization",
            "organisation",
            "bedrijf",
            "company",
            "bedrijfsnaam",
            "companyname",
            "werkgever",
            "employer",
            "firma",
            "instelling",
        ],
        "organisation",
    ),
    **dict.fromkeys(
        [
            "functie",
            "jobtitle",
            "position",
            "functietitel",
            "rol",
            "role",
            "organizationtitle",
            "beroep",
            "occupation",
        ],
        "job_title",
    ),
    **dict.fromkeys(
        ["email", "emailadres", "mail", "emailaddress", "mailadres", "epost", "emailvalue"], "email"
    ),
    **dict.fromkeys(
        [
            "telefoon",
            "telefoonnummer",
            "tel",
            "phone",
            "phonenumber",
            "mobiel",
            "mobile",
            "gsm",
            "telnr",
            "mobielnummer",
            "mobilephone",
            "cell",
            "cellphone",
        ],
        "phone",
    ),
    **dict.fromkeys(
        ["plaats", "woonplaats", "city", "stad", "vestigingsplaats", "town", "gemeente"], "city"
    ),
    **dict.fromkeys(["adres", "address", "postadres", "bezoekadres"], "address"),
    **dict.fromkeys(["straat", "street", "straatnaam", "straatenhuisnummer"], "street"),
    **dict.fromkeys(["postcode", "postalcode", "zip", "zipcode"], "postal_code"),
    **dict.fromkeys(["land", "country", "countryregion", "landregio"], "country"),
    **dict.fromkeys(["website", "webpage", "webpagina", "url", "homepage", "internet"], "website"),
    **dict.fromkeys(
        ["linkedin", "linkedinurl", "linkedinprofiel", "linkedinprofile"], "linkedin_url"
    ),
    **dict.fromkeys(
        ["connectedon", "verbondenop", "connectiondate", "verbindingsdatum"], "connected_on"
    ),
    **dict.fromkeys(
        ["geboortedatum", "birthday", "verjaardag", "birthdate", "dateofbirth", "gebdatum"],
        "birthday",
    ),
    **dict.fromkeys(
        [
            "notities",
            "notes",
            "notitie",
            "note",
            "opmerkingen",
            "opmerking",
            "memo",
            "toelichting",
            "bijzonderheden",
        ],
        "notes",
    ),
    **dict.fromkeys(
        [
            "tags",
            "labels",
            "label",
            "categories",
            "categorieen",
            "categorie",
            "groupmembership",
            "groepen",
            "groups",
            "trefwoorden",
            "keywords",
        ],
        "tags",
    ),
    **dict.fromkeys(["taal", "language", "voorkeurstaal"], "language"),
    # Columns that look like fields but are not: leave them alone.
    **dict.fromkeys(
        [
            "geboorteplaats",
            "nickname",
            "roepnaam2",
            "fileas",
            "namesuffix",
            "achtervoegsel",
            "suffix",
            "maidenname",
            "shortname",
            "afdeling",
            "department",
            "belang",
            "tier",
            "sterksteband",
            "strongesttie",
            "sterkteband",
            "sterkstebond",
        ],
        IGNORE,
    ),
}

# Numbered and prefixed variants (Google "E-mail 2 - Value", Outlook "Business Phone",
# "Werkadres, plaats"), tried in order on the compacted header without digits.
_PATTERNS: tuple[tuple[str, str], ...] = (
    (r"(label|type|displayname|weergavenaam|phonetic|yomi|fax|pobox|postbus)", IGNORE),
    (r"linkedin", "linkedin_url"),
    (r"e?mail", "email"),
    (r"(phone|telefoon|mobiel|mobile|gsm)", "phone"),
    (r"(website|webpage|webpagina|url)", "website"),
    (r"(street|straat)", "street"),
    (r"(postalcode|postcode)", "postal_code"),
    (r"(city|plaats)$", "city"),
    (r"(countryregion|landregio|country)$", "country"),
    (r"(formatted|address|adres)$", "address"),
    (r"organi[sz]ation(name)?$", "organisation"),
    (r"organi[sz]ationtitle$", "job_title"),
)


def _compact(header: str) -> str:
    return re.sub(r"[^a-z0-9]", "", fold(header))


def suggest_field(header: str) -> str:
    """The field a header most likely holds, or "ignore"."""
    compact = _compact(header)
    plain = re.sub(r"\d+", "", compact)
    for key in (compact, plain):
        if key in _EXACT:
            return _EXACT[key]
    for pattern, target in _PATTERNS:
        if re.search(pattern, plain):
            return target
    return IGNORE


def suggest_mapping(columns: tuple[str, ...] | list[str]) -> dict[str, str]:
    """Map every column to a field from its header, Dutch or English; unknown ones to "ignore"."""
    return {column: suggest_field(column) for column in columns}


def has_name_column(mapping: dict[str, str]) -> bool:
    """True when some column is mapped to a name field."""
    return any(target in NAME_FIELDS for target in mapping.values())


def check_mapping(mapping: dict[str, str], columns: tuple[str, ...], *, filename: str) -> None:
    """Refuse a mapping that names unknown columns or fields, or maps no name at all."""
    for column, target in mapping.items():
        if column not in columns:
            raise ImportFileError(
                f"The mapping names the column {column!r}, which the file does not have.",
                filename=filename,
                code="unknown_column",
                params={"column": column},
            )
        if target not in FIELDS and target != IGNORE and target:
            raise ImportFileError(
                f"The mapping sends column {column!r} to {target!r}, which is not a field.",
                filename=filename,
                code="unknown_field",
                params={"column": column, "field": target},
            )
    if not has_name_column(mapping):
        raise NoNameColumn(
            "No column holds names; expected a column such as Naam, Voornaam, Achternaam, "
            "Name, First Name or Last Name. Columns found: " + ", ".join(columns[:20]),
            filename=filename,
            line=None,
            code="no_name_column",
            params={"columns": list(columns)},
        )


def unique_columns(header: list[str]) -> tuple[str, ...]:
    """Header cells made unique and non-empty, so a mapping can name every column."""
    seen: dict[str, int] = {}
    result = []
    for index, cell in enumerate(header, start=1):
        name = cell.strip() or f"Column {index}"
        if name in seen:
            seen[name] += 1
            name = f"{name} ({seen[name]})"
        else:
            seen[name] = 1
        result.append(name)
    return tuple(result)
