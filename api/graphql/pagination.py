# mypy: disable-error-code="untyped-decorator"
# (strawberry.field(...) with keyword arguments is typed as returning Any.)
"""Relay-style connections (first/after, pageInfo, totalCount) over keyset pagination.

GraphQL cursors are plain sort keys ("2024-05-01:42", ":42" for an undated row, "42" for
id order) so the compiler can build them inside the database; they are turned into the
query layer's keyset cursors (api.query.cursor) only to build the `after` condition.
"""

import datetime as dt
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

import strawberry
from sqlalchemy.sql.elements import ColumnElement

from api.graphql.errors import InvalidInput
from api.query import cursor as qc
from api.query.errors import InvalidCursor

T = TypeVar("T")

DEFAULT_PAGE = 50


@strawberry.type(description="Where a page sits in its listing.")
class PageInfo:
    has_next_page: bool
    has_previous_page: bool = strawberry.field(
        description="True when the page was asked for `after` a cursor."
    )
    start_cursor: str | None
    end_cursor: str | None


@strawberry.type
class Edge(Generic[T]):
    cursor: str
    node: T


@strawberry.type(description="One page of a listing.")
class Connection(Generic[T]):
    edges: list[Edge[T]]
    page_info: PageInfo
    count: strawberry.Private[Callable[[], Awaitable[int]]]

    @strawberry.field(description="The nodes of this page (the edges without cursors).")
    def nodes(self) -> list[T]:
        return [e.node for e in self.edges]

    @strawberry.field(description="How many rows match the filter, over all pages.")
    async def total_count(self) -> int:
        return await self.count()


@dataclass(frozen=True)
class Order:
    """A listing's order: a query-layer keyset plus the GraphQL cursor format."""

    keyset: qc.DateIdKeyset | qc.IdKeyset

    @property
    def dated(self) -> bool:
        return isinstance(self.keyset, qc.DateIdKeyset)

    def order_by(self) -> list[ColumnElement[Any]]:
        return self.keyset.order_by()

    def cursor_of(self, row: Mapping[str, Any]) -> str:
        if self.dated:
            day = row["date"]
            return f"{day.isoformat() if day is not None else ''}:{row['id']}"
        return str(row["id"])

    def after(self, cursor: str) -> ColumnElement[bool]:
        """The keyset condition for rows after `cursor`; InvalidInput when it is not one."""
        head, sep, tail = cursor.partition(":")
        try:
            if self.dated:
                if not sep:
                    raise ValueError
                day = dt.date.fromisoformat(head).isoformat() if head else None
                key: list[Any] = [day, _int(tail)]
            else:
                if sep:
                    raise ValueError
                key = [_int(head)]
            return self.keyset.after(qc.encode(self.keyset.tag, key), "after")
        except (ValueError, InvalidCursor):
            raise InvalidInput(
                f"not a cursor of this listing: {cursor[:64]!r}", field="after"
            ) from None


def _int(text: str) -> int:
    if not (text.isascii() and text.isdigit() and len(text) <= 18):
        raise ValueError(text)
    return int(text)


def check_first(first: int, max_page_size: int) -> None:
    if first < 0:
        raise InvalidInput("first must not be negative", field="first")
    if first > max_page_size:
        raise InvalidInput(f"first must be at most {max_page_size}", field="first")
