"""Build JSON inside the database, portably: `json_build_object`/`json_agg` on
PostgreSQL, `json_object`/`json_group_array` on SQLite.

A response row then leaves the database as one finished JSON text, and Python only
joins texts: no per-field work in the server (see DESIGN.md, "The read path").
Object keys are code constants rendered as SQL literals (PostgreSQL cannot infer a
type for a bound key of the variadic json_build_object).
"""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import aggregate_order_by
from sqlalchemy.sql.elements import ColumnElement

Pair = tuple[str, ColumnElement[Any]]


def _key(name: str) -> ColumnElement[str]:
    assert name.replace("_", "").isalnum(), name  # keys are identifiers from our code
    return sa.literal_column(f"'{name}'")


@dataclass(frozen=True)
class Json:
    dialect: str

    @property
    def pg(self) -> bool:
        return self.dialect == "postgresql"

    def obj(self, *pairs: Pair) -> ColumnElement[Any]:
        args: list[ColumnElement[Any]] = []
        for name, value in pairs:
            args += [_key(name), value]
        fn = sa.func.json_build_object if self.pg else sa.func.json_object
        return fn(*args)

    def embed(self, value: ColumnElement[Any]) -> ColumnElement[Any]:
        """A JSON value produced by a subquery or stored in a JSON column, embedded as
        JSON. SQLite passes JSON between functions as text, so `json()` marks it."""
        return value if self.pg else sa.func.json(value)

    def one(self, stmt: sa.Select[Any]) -> ColumnElement[Any]:
        """A scalar subquery returning one JSON object (or null)."""
        return self.embed(stmt.scalar_subquery())

    def array(
        self,
        element: ColumnElement[Any],
        source: sa.Select[Any],
        order_by: Sequence[ColumnElement[Any]],
        outer: sa.Table,
        scalar: bool = False,
    ) -> ColumnElement[Any]:
        """`[element for each row of source, in order]`, `[]` when there is none.

        `source` is a select whose FROM/WHERE give the rows (its columns are ignored),
        correlated to the enclosing query's table `outer`. `scalar`: the elements are plain
        values (strings, numbers), not JSON objects.
        """
        if self.pg:
            agg = (
                sa.func.json_agg(aggregate_order_by(element, *order_by))
                if order_by
                else sa.func.json_agg(element)
            )
            sub = source.with_only_columns(agg).correlate(outer).scalar_subquery()
            return sa.func.coalesce(sub, sa.literal_column("'[]'::json"))
        # SQLite 3.40 has no ORDER BY inside aggregates: aggregate an ordered subquery.
        # The derived table must still see the outer row, and SQLAlchemy does not
        # auto-correlate a subquery in a FROM clause: name the outer table explicitly.
        inner = (
            source.with_only_columns(element.label("j"))
            .order_by(*order_by)
            .correlate(outer)
            .subquery()
        )
        value = inner.c.j if scalar else sa.func.json(inner.c.j)
        agg_stmt = sa.select(sa.func.json_group_array(value))
        return sa.func.json(agg_stmt.scalar_subquery())

    def ts(self, column: ColumnElement[Any]) -> ColumnElement[Any]:
        """A timestamp as ISO 8601 UTC text with microseconds: 2024-01-31T12:00:00.000000Z."""
        if self.pg:
            return sa.func.to_char(
                sa.func.timezone(sa.literal_column("'UTC'"), column),
                sa.literal_column('\'YYYY-MM-DD"T"HH24:MI:SS.US"Z"\''),
            )
        # SQLAlchemy stores SQLite datetimes as 'YYYY-MM-DD HH:MM:SS.ffffff' in UTC.
        return sa.func.replace(column, sa.literal_column("' '"), sa.literal_column("'T'")).op("||")(
            sa.literal_column("'Z'")
        )

    def text(self, value: ColumnElement[Any]) -> ColumnElement[str]:
        """The final JSON as text (asyncpg would otherwise decode it into Python)."""
        return sa.cast(value, sa.Text) if self.pg else value
