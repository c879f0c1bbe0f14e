"""`field__id_in=[...]`: a column among a list of ids passed as one parameter, not one
placeholder per id. PostgreSQL gets `col = ANY(%s::bigint[])` (an array, hashed when long),
SQLite `col IN (SELECT value FROM json_each(%s))`; other databases the plain `IN (...)`.

A list of a few hundred ids written out as placeholders costs the ORM and the driver
milliseconds to build and parse on every query; as one parameter it costs next to nothing. Pass
an `IdList` to reuse one list in many queries: the ORM does not walk through it element by
element when it builds a filter (as it does with a list or tuple), and SQLite's JSON text is
made once."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from django.db import models
from django.db.models import Lookup


class IdList:
    """Integer ids, kept as one value (not a list) for the ORM."""

    __slots__ = ("_json", "ids")

    def __init__(self, ids: Iterable[int]) -> None:
        self.ids = [int(value) for value in ids]
        self._json: str | None = None

    def __len__(self) -> int:
        return len(self.ids)

    def __repr__(self) -> str:
        return f"IdList({self.ids!r})"

    @property
    def json(self) -> str:
        if self._json is None:
            self._json = json.dumps(self.ids)
        return self._json


class IdIn(Lookup):
    lookup_name = "id_in"
    prepare_rhs = False

    def get_prep_lookup(self) -> IdList:
        if isinstance(self.rhs, IdList):
            return self.rhs
        if not isinstance(self.rhs, Iterable) or isinstance(self.rhs, str | bytes):
            raise TypeError("id_in takes a list of integer ids")
        return IdList(self.rhs)

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, tuple[Any, ...]]:
        lhs, lhs_params = self.process_lhs(compiler, connection)
        ids = self.rhs.ids
        if connection.vendor == "postgresql":
            return f"{lhs} = ANY(%s::bigint[])", (*lhs_params, ids)
        if connection.vendor == "sqlite":
            sql = f"{lhs} IN (SELECT value FROM json_each(%s))"  # noqa: S608 - lhs is a column
            return sql, (*lhs_params, self.rhs.json)
        if not ids:
            return "1 = 0", tuple(lhs_params)
        placeholders = ", ".join(["%s"] * len(ids))
        return f"{lhs} IN ({placeholders})", (*lhs_params, *ids)


models.BigAutoField.register_lookup(IdIn)
models.AutoField.register_lookup(IdIn)
models.ForeignKey.register_lookup(IdIn)
