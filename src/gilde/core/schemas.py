"""What every API input shape shares."""

from __future__ import annotations

from typing import Any, ClassVar, get_args

from django.core.exceptions import ValidationError
from ninja import Field, Schema, Status
from ninja.pagination import LimitOffsetPagination
from pydantic import ValidationInfo, field_validator

from gilde.core.web import MAX_ID

# The most rows one list request answers.
MAX_PAGE = 500


def _takes_a_number(annotation: Any) -> bool:
    return annotation is int or any(_takes_a_number(arg) for arg in get_args(annotation))


class InputSchema(Schema):
    """A request body. JSON's true and false are not numbers here: pydantic would read
    {"member_id": true} as member 1."""

    @field_validator("*", mode="before")
    @classmethod
    def refuse_bool_for_number(cls, value: Any, info: ValidationInfo) -> Any:
        values = value if isinstance(value, list) else [value]
        if (
            any(isinstance(v, bool) for v in values)
            and info.field_name is not None
            and _takes_a_number(cls.model_fields[info.field_name].annotation)
        ):
            raise ValueError("a number is expected here, not true or false")
        return value


class PatchSchema(InputSchema):
    """A partial update: a field left out stays as it is. An explicit null is accepted only for
    the fields listed in `nullable` (it clears them, e.g. a birthday); elsewhere it is refused
    with 422 rather than stored as an empty name or turned into a database error."""

    nullable: ClassVar[frozenset[str]] = frozenset()

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


class ConflictOut(Schema):
    detail: str


def stale_conflict(error: ValidationError, message: Any) -> Status[dict[str, str]]:
    """A save on top of someone else's change answers 409; any other refusal goes on to the
    422 handler."""
    if getattr(error, "code", None) != "stale":
        raise error
    return Status(409, {"detail": str(message)})
