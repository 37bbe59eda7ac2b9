"""Keyset pagination with opaque cursors.

A cursor is the sort key of the last row of a page, tagged with the listing it belongs
to, serialised as URL-safe base64 JSON. Because the next page starts strictly after that
key (not at an offset), rows added meanwhile never shift a page: a walk sees no gap and
no repeat. Orders are total (the id breaks ties).
"""

import base64
import binascii
import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import orjson
import sqlalchemy as sa
from sqlalchemy.sql.elements import ColumnElement

from api.query.errors import InvalidCursor


def encode(tag: str, key: Sequence[Any]) -> str:
    raw = orjson.dumps([tag, *key])
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def decode(tag: str, cursor: str, param: str = "cursor") -> list[Any]:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        value = orjson.loads(base64.urlsafe_b64decode(padded.encode("ascii")))
    except (ValueError, binascii.Error, UnicodeEncodeError, orjson.JSONDecodeError):
        raise InvalidCursor(param) from None
    if not isinstance(value, list) or not value or value[0] != tag:
        raise InvalidCursor(param)
    return value[1:]


def _int(v: Any, param: str) -> int:
    # bool is an int subclass; a cursor never holds one.
    if isinstance(v, int) and not isinstance(v, bool) and -(2**63) <= v < 2**63:
        return v
    raise InvalidCursor(param)


@dataclass(frozen=True)
class IdKeyset:
    """Ascending id order."""

    tag: str
    id: sa.ColumnElement[int]

    def order_by(self) -> list[ColumnElement[Any]]:
        return [self.id.asc()]

    def after(self, cursor: str, param: str = "cursor") -> ColumnElement[bool]:
        key = decode(self.tag, cursor, param)
        if len(key) != 1:
            raise InvalidCursor(param)
        return self.id > _int(key[0], param)

    def cursor_of(self, row: Mapping[str, Any]) -> str:
        return encode(self.tag, [row["id"]])


@dataclass(frozen=True)
class DateIdKeyset:
    """Newest first: (date DESC NULLS FIRST, id DESC).

    NULLS FIRST is PostgreSQL's native placement for DESC, so the order is a backward
    scan of a plain (date, id) index and `(date, id) < (:d, :id)` is an index range.
    """

    tag: str
    date: sa.ColumnElement[dt.date]
    id: sa.ColumnElement[int]

    def order_by(self) -> list[ColumnElement[Any]]:
        return [self.date.desc().nulls_first(), self.id.desc()]

    def after(self, cursor: str, param: str = "cursor") -> ColumnElement[bool]:
        key = decode(self.tag, cursor, param)
        if len(key) != 2:
            raise InvalidCursor(param)
        raw_date, last_id = key[0], _int(key[1], param)
        if raw_date is None:
            return sa.or_(sa.and_(self.date.is_(None), self.id < last_id), self.date.isnot(None))
        try:
            day = dt.date.fromisoformat(raw_date)
        except (TypeError, ValueError):
            raise InvalidCursor(param) from None
        return sa.tuple_(self.date, self.id) < sa.tuple_(sa.literal(day, sa.Date), last_id)

    def cursor_of(self, row: Mapping[str, Any]) -> str:
        day = row["date"]
        return encode(self.tag, [day.isoformat() if day is not None else None, row["id"]])
