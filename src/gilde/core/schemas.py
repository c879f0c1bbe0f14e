"""What every API input shape shares, and the constrained types its fields are made of: the
schema states exactly what the server takes, and the server checks exactly that before any
service runs."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from types import UnionType
from typing import Annotated, Any, ClassVar, Literal, Self, Union, get_args, get_origin

from django.conf import settings
from django.core.exceptions import ValidationError
from ninja import Field, Schema, Status
from ninja.pagination import LimitOffsetPagination
from pydantic import (
    BaseModel,
    BeforeValidator,
    StringConstraints,
    ValidationInfo,
    WithJsonSchema,
    field_validator,
    model_validator,
)
from pydantic.json_schema import JsonSchemaValue

from gilde.core.web import MAX_ID

# A record's id: positive and within a 64-bit column.
Id = Annotated[int, Field(ge=1, le=MAX_ID)]

# The characters gilde.core.text refuses: any control character in a single-line field; in a
# multi-line field all but tab and line breaks.
_LINE_CHARACTER = r"[^\x00-\x1f\x7f-\x9f\u2028\u2029]"
_TEXT_CHARACTER = r"[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]"
SINGLE_LINE = rf"^{_LINE_CHARACTER}*$"
NOT_BLANK_LINE = rf"^{_LINE_CHARACTER}*[^\s\x00-\x1f\x7f-\x9f\u2028\u2029]{_LINE_CHARACTER}*$"
MULTI_LINE = rf"^{_TEXT_CHARACTER}*$"

# One line of text (a name, a title, a tag), possibly empty; a required one with something in it
# besides spaces; and free text (a note) of at most GILDE_TEXT_MAX_CHARS characters.
Line = Annotated[str, StringConstraints(pattern=SINGLE_LINE)]
FilledLine = Annotated[str, StringConstraints(pattern=NOT_BLANK_LINE)]
Text = Annotated[
    str, StringConstraints(pattern=MULTI_LINE, max_length=settings.GILDE_TEXT_MAX_CHARS)
]

# What Django's URL and e-mail validators accept, narrowed to a form a schema can state: an
# http(s) address with a host name, and a plain e-mail address.
_HOST = r"([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}"
URL_PATTERN = rf"^(https?://{_HOST}(/[A-Za-z0-9._~%/+=&?#-]*)?)?$"
EMAIL_PATTERN = (
    r"^[A-Za-z0-9_%+-]+(\.[A-Za-z0-9_%+-]+)*@([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+"
    r"[A-Za-z]{2,63}$"
)
# An amount of money: a whole number, or a string with at most two decimals ("80", "80.50");
# a JSON fraction is refused, as binary floating point cannot hold cents exactly.
_AMOUNT = re.compile(r"^[0-9]{1,10}(\.[0-9]{1,2})?$")
MAX_AMOUNT = 9_999_999_999


def _amount(value: Any) -> Any:
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= MAX_AMOUNT:
        return value
    # JSON Schema counts 54.0 as an integer, and so do we.
    if isinstance(value, float) and value.is_integer() and 0 <= value <= MAX_AMOUNT:
        return int(value)
    if isinstance(value, str) and _AMOUNT.match(value):
        return value
    if isinstance(value, Decimal):
        return value
    raise ValueError('an amount as a whole number or a string such as "80.50" is expected')


Money = Annotated[
    Decimal,
    BeforeValidator(_amount),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "integer", "minimum": 0, "maximum": MAX_AMOUNT},
                {"type": "string", "pattern": _AMOUNT.pattern},
            ]
        }
    ),
]
Url = Annotated[str, StringConstraints(pattern=URL_PATTERN, max_length=200)]
Email = Annotated[str, StringConstraints(pattern=EMAIL_PATTERN, max_length=254)]

# The most rows one list request answers.
MAX_PAGE = 500


class ApiError(Schema):
    """Every refusal (see gilde.core.openapi, which documents it on every operation)."""

    detail: Any


# For a read that only some roles may make: its 403 is declared on the operation itself.
ERRORS_403: dict[int, Any] = {403: ApiError}


def _json_type_fits(annotation: Any, value: Any) -> bool:
    """Whether a JSON value has the type a field declares: pydantic's lax mode would read
    {"member_id": true} as member 1, "1" as a number, 0 as false and "true" as true."""
    origin = get_origin(annotation)
    if origin is Annotated:
        return _json_type_fits(get_args(annotation)[0], value)
    if origin in (Union, UnionType):
        return any(_json_type_fits(arg, value) for arg in get_args(annotation))
    if annotation is type(None):
        return value is None
    if origin is Literal:
        return value in get_args(annotation)
    if origin is list:
        (item,) = get_args(annotation) or (Any,)
        return isinstance(value, list) and all(_json_type_fits(item, v) for v in value)
    if origin is dict:
        _key, item = get_args(annotation) or (Any, Any)
        return isinstance(value, dict) and all(_json_type_fits(item, v) for v in value.values())
    if annotation is bool:
        return isinstance(value, bool)
    if annotation is int:  # JSON Schema counts 5.0 as an integer too
        return (isinstance(value, int) and not isinstance(value, bool)) or (
            isinstance(value, float) and value.is_integer()
        )
    if isinstance(annotation, type) and issubclass(annotation, str | dt.date):
        return isinstance(value, str | dt.date)
    if annotation is Decimal:
        return True  # checked by Money
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return isinstance(value, dict | BaseModel)
    return True


class InputSchema(Schema):
    """A request body: a JSON object whose values have exactly the declared JSON types."""

    @model_validator(mode="before")
    @classmethod
    def an_object(cls, data: Any) -> Any:
        # Ninja hands its schemas the value wrapped in a DjangoGetter, which reads a list or a
        # string as an object without fields (all defaults).
        if isinstance(getattr(data, "_obj", data), dict | BaseModel):
            return data
        raise ValueError("a JSON object is expected")

    @field_validator("*", mode="before")
    @classmethod
    def exact_json_type(cls, value: Any, info: ValidationInfo) -> Any:
        field = cls.model_fields.get(info.field_name or "")
        if field is not None and not _json_type_fits(field.annotation, value):
            raise ValueError("a value of another type is expected here (see the schema)")
        return value


class PersonOrOrganisationIn(InputSchema):
    """A request body about a person or an organisation: exactly one of the two ids."""

    person_id: Id | None = Field(None, description="The person (or give organisation_id)")
    organisation_id: Id | None = Field(None, description="The organisation (or give person_id)")

    model_config = {
        "json_schema_extra": {
            "description": "Exactly one of person_id and organisation_id.",
            "oneOf": [
                {
                    "required": ["person_id"],
                    "properties": {
                        "person_id": {"type": "integer"},
                        "organisation_id": {"type": "null"},
                    },
                },
                {
                    "required": ["organisation_id"],
                    "properties": {
                        "organisation_id": {"type": "integer"},
                        "person_id": {"type": "null"},
                    },
                },
            ],
        }
    }

    @model_validator(mode="after")
    def one_subject(self) -> Self:
        if (self.person_id is None) == (self.organisation_id is None):
            raise ValueError("give exactly one of person_id and organisation_id")
        return self


class PatchSchema(InputSchema):
    """A partial update: a field left out stays as it is. An explicit null is accepted only for
    the fields listed in `nullable` (it clears them, e.g. a birthday); elsewhere it is refused
    with 422 rather than stored as an empty name or turned into a database error, and the
    schema says so (null is offered only where it is taken)."""

    nullable: ClassVar[frozenset[str]] = frozenset()

    @classmethod
    def __get_pydantic_json_schema__(cls, core_schema: Any, handler: Any) -> JsonSchemaValue:
        schema = handler(core_schema)
        target = handler.resolve_ref_schema(schema)
        for name, prop in target.get("properties", {}).items():
            if name in cls.nullable or "anyOf" not in prop:
                continue
            kept = [option for option in prop["anyOf"] if option.get("type") != "null"]
            prop.pop("default", None)
            if len(kept) == 1:
                del prop["anyOf"]
                prop.update(kept[0])
            else:
                prop["anyOf"] = kept
        return schema

    @field_validator("*", mode="before")
    @classmethod
    def refuse_null(cls, value: Any, info: ValidationInfo) -> Any:
        # Runs only for the fields the client sent (defaults are not validated).
        if value is None and info.field_name not in cls.nullable:
            raise ValueError(
                "null is not allowed here: leave the field out to keep it, or send an empty "
                "value to clear it."
            )
        return value


class Paging(LimitOffsetPagination):
    """`limit`/`offset` for every list: at most MAX_PAGE rows at a time, and an offset past what
    any table can hold is refused with 422 instead of reaching the database."""

    class Input(Schema):
        limit: int = Field(100, ge=1, le=MAX_PAGE)
        offset: int = Field(0, ge=0, le=MAX_ID)


def codes_of(vocabulary: str) -> WithJsonSchema:
    """A code from a list kept in the database (tiers, stakeholder types): the schema names the
    list, and gilde.api writes its current codes into the served schema as an enum. The service
    refuses any other code with 422."""
    return WithJsonSchema({"type": "string", "minLength": 1, CODES_KEY: vocabulary})


CODES_KEY = "x-gilde-codes"


class ConflictOut(Schema):
    detail: str


def stale_conflict(error: ValidationError, message: Any) -> Status[dict[str, str]]:
    """A save on top of someone else's change answers 409; any other refusal goes on to the
    422 handler."""
    if getattr(error, "code", None) != "stale":
        raise error
    return Status(409, {"detail": str(message)})


class ParticipantsOut(Schema):
    """Who took part in a contact moment (or a signal, which is one), by id; prefetch `persons`
    and `members`."""

    person_ids: list[int]
    member_ids: list[int]

    @staticmethod
    def resolve_person_ids(obj: Any) -> list[int]:
        return [p.pk for p in obj.persons.all()]

    @staticmethod
    def resolve_member_ids(obj: Any) -> list[int]:
        return [m.pk for m in obj.members.all()]
