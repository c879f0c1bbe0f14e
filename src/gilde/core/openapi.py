"""The error answers every API operation can give, written into its OpenAPI schema.

The error handlers in gilde.api (and ApiErrorsAsJsonMiddleware before them) answer every refusal
as {"detail": …}; which refusals an operation can meet follows from what it takes, so they are
derived here once instead of being repeated on 63 operations:

- 401 always: no valid personal access token.
- 400 and 413 when it takes a body: a body that is not JSON (or not a form), a body over
  GILDE_REQUEST_MAX_BYTES.
- 403 when it writes (the role or ownership does not allow it), and on reads that only some
  roles may make (declared on the operation itself).
- 404 when it names a record, in its path, its body or an id in its query: a record that does
  not exist and one the caller may not see answer alike.
- 409 when it writes: a stale version, a duplicate or a record still in use.
- 422 when it takes any input: a value the schema or a business rule refuses.
"""

from __future__ import annotations

from typing import Any

from gilde.core.schemas import CODES_KEY

ERROR_SCHEMA = "ApiError"
ERROR_ITEM_SCHEMA = "ApiErrorItem"

ERROR_COMPONENTS: dict[str, Any] = {
    ERROR_ITEM_SCHEMA: {
        "title": ERROR_ITEM_SCHEMA,
        "type": "object",
        "description": "One refused value: where it is (`body`, `query` or `path` and the field) "
        "and why.",
        "properties": {
            "loc": {"type": "array", "items": {"anyOf": [{"type": "string"}, {"type": "integer"}]}},
            "msg": {"type": "string"},
            "type": {
                "type": "string",
                "description": '"rule" when the value breaks a rule between fields, about the '
                "record's current state or about today's date (which this schema cannot "
                "state); otherwise the kind of value error.",
            },
        },
        "required": ["loc", "msg"],
    },
    ERROR_SCHEMA: {
        "title": ERROR_SCHEMA,
        "type": "object",
        "description": "Every refusal: a sentence, or (422) the refused values one by one.",
        "properties": {
            "detail": {
                "anyOf": [
                    {"type": "string"},
                    {
                        "type": "array",
                        "items": {"$ref": f"#/components/schemas/{ERROR_ITEM_SCHEMA}"},
                    },
                ]
            }
        },
        "required": ["detail"],
    },
}

DESCRIPTIONS = {
    "400": "The request body could not be read (not JSON, or not the form the operation takes).",
    "401": "No valid personal access token (Authorization: Bearer gld_…).",
    "403": "Your role, or who owns the record, does not allow this.",
    "404": "No such record, or not one you may see.",
    "409": "Conflicts with the current data: changed by someone else since you read it "
    "(send the new version), a duplicate, or a record still in use.",
    "413": "The request body is larger than the server accepts.",
    "422": "A value is refused; `detail` lists each with its place and reason.",
    "429": "Too many new shared tags: at most a few per save, and a number per member per day.",
}

WRITES = {"post", "put", "patch", "delete"}


def _error_codes(method: str, operation: dict[str, Any], takes_tags: bool) -> set[str]:
    parameters = operation.get("parameters", [])
    has_body = "requestBody" in operation
    names_a_record = has_body or any(
        p["in"] == "path" or p["name"].endswith("_id") or p["name"] in {"known_by", "organisation"}
        for p in parameters
    )
    codes = {"401"}
    if has_body:
        codes |= {"400", "413"}
    if method in WRITES:
        codes |= {"403", "409"}
    if names_a_record:
        codes.add("404")
    if parameters or has_body:
        codes.add("422")
    if takes_tags:
        codes.add("429")
    return codes


def _takes_tags(operation: dict[str, Any], components: dict[str, Any]) -> bool:
    """Whether the operation's body has a `tags` field (new tags fall under the tag quota)."""
    for media in operation.get("requestBody", {}).get("content", {}).values():
        reference = media.get("schema", {}).get("$ref", "")
        component = components.get(reference.rsplit("/", 1)[-1], {})
        if "tags" in component.get("properties", {}):
            return True
    return False


def fill_codes(node: Any, vocabularies: dict[str, list[str]]) -> None:
    """Write the current codes of each list kept in the database into the schema parts that
    name it (see gilde.core.schemas.codes_of)."""
    if isinstance(node, dict):
        if CODES_KEY in node:
            node["enum"] = vocabularies[node.pop(CODES_KEY)]
        for value in node.values():
            fill_codes(value, vocabularies)
    elif isinstance(node, list):
        for value in node:
            fill_codes(value, vocabularies)


def document_errors(schema: dict[str, Any]) -> dict[str, Any]:
    """Add the error answers (shape and meaning) to every operation of an OpenAPI schema."""
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    components.update(ERROR_COMPONENTS)
    reference = {"$ref": f"#/components/schemas/{ERROR_SCHEMA}"}
    for operations in schema.get("paths", {}).values():
        for method, operation in operations.items():
            responses = {str(code): answer for code, answer in operation["responses"].items()}
            declared = {code for code in responses if code.startswith("4")}
            codes = _error_codes(method, operation, _takes_tags(operation, components))
            for code in codes | declared:
                responses[code] = {
                    "description": DESCRIPTIONS[code],
                    "content": {"application/json": {"schema": reference}},
                }
            operation["responses"] = dict(sorted(responses.items()))
    return schema
