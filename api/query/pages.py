"""Reading pages, details and exports of a `Resource`.

Two forms of every read: JSON text built by the database (the REST hot path and the
GraphQL compiler) and plain row dicts of the table's columns (GraphQL resolvers).
"""

from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Dialect
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlalchemy.sql.elements import ColumnElement

from api.query import exports, prepared
from api.query.resources import INCIDENTS, Resource


@dataclass(frozen=True)
class JsonPage:
    items: list[str]  # one JSON object text per row, in order
    next: str | None  # cursor of the next page, None on the last page


@dataclass(frozen=True)
class RowPage:
    rows: list[dict[str, Any]]
    next: str | None


_RENDERED: dict[tuple[str, bool, str], ColumnElement[Any]] = {}


def projection(res: Resource, dialect: Dialect, detail: bool = False) -> ColumnElement[Any]:
    """The resource's JSON projection as pre-rendered SQL text, once per dialect.

    The projection is a large constant expression; rendering it to text once spares
    SQLAlchemy from walking it on every request to compute its statement-cache key
    (measured: ~2 ms of a 6 ms list request). It is rendered inside a SELECT from the
    resource's table so its correlated subqueries keep referring to that table.
    """
    key = (res.name, detail, dialect.name)
    if key not in _RENDERED:
        expr = (res.detail if detail else res.item)(dialect.name)
        stmt = sa.select(expr.label("sitrep_doc")).select_from(res.table)
        sql = str(stmt.compile(dialect=dialect, compile_kwargs={"literal_binds": True}))
        assert sql.startswith("SELECT ")
        _RENDERED[key] = sa.literal_column(sql[len("SELECT ") : sql.rindex(" AS sitrep_doc")])
    return _RENDERED[key]


def _base(
    res: Resource, filter_: Any, dialect: str, cursor: str | None
) -> tuple[sa.Select[Any], list[Any]]:
    ks = res.keyset
    cols: list[Any] = [res.table.c.id]
    if hasattr(ks, "date"):
        cols.append(ks.date.label("date"))
    stmt = sa.select(*cols).where(res.where(filter_ or res.filter_type(), dialect))
    if cursor is not None:
        stmt = stmt.where(ks.after(cursor))
    return stmt.order_by(*ks.order_by()), cols


async def json_page(
    conn: AsyncConnection, res: Resource, filter_: Any, limit: int, cursor: str | None = None
) -> JsonPage:
    """One statement: the page's rows (limit + 1, to know whether more follow), each with
    its finished JSON."""
    dialect = conn.dialect.name
    stmt, _ = _base(res, filter_, dialect, cursor)
    stmt = stmt.add_columns(projection(res, conn.dialect).label("doc")).limit(limit + 1)
    rows = await prepared.fetch(conn, stmt)
    nxt = res.keyset.cursor_of(rows[limit - 1]) if len(rows) > limit else None
    return JsonPage([r["doc"] for r in rows[:limit]], nxt)


async def json_stream(
    conn: AsyncConnection,
    res: Resource,
    filter_: Any,
    cursor: str | None = None,
    limit: int | None = None,
    batch: int = 2000,
) -> AsyncIterator[list[str]]:
    """Every matching row's JSON, in order, in batches, through a server-side cursor:
    memory stays flat however many rows there are."""
    dialect = conn.dialect.name
    stmt, _ = _base(res, filter_, dialect, cursor)
    stmt = stmt.add_columns(projection(res, conn.dialect).label("doc"))
    if limit is not None:
        stmt = stmt.limit(limit)
    result = await conn.stream(stmt.execution_options(yield_per=batch))
    async for part in result.partitions():
        yield [r.doc for r in part]


async def ndjson_stream(
    conn: AsyncConnection,
    res: Resource,
    filter_: Any,
    cursor: str | None = None,
    limit: int | None = None,
    batch: int = 2000,
) -> AsyncIterator[bytes]:
    """The NDJSON export: chunks of whole or partial lines, memory flat however many rows.

    On PostgreSQL the database builds each line and COPY streams them
    (`api.query.exports`; `conn` must not be in a transaction: use the read engine);
    incidents take the export's joins instead of the page's correlated subqueries.
    Elsewhere, and for statements the driver path cannot take (full-text words rendered
    into the SQL), `batch` rows at a time through a server-side cursor.
    """
    if conn.dialect.name == "postgresql":
        stmt, _ = _base(res, filter_, "postgresql", cursor)
        if res is INCIDENTS:
            source, line = exports.incident_export()
            stmt = stmt.with_only_columns(line.label("line")).select_from(source)
        else:
            line = projection(res, conn.dialect).label("line")  # pre-rendered text: no FROM
            stmt = stmt.with_only_columns(line).select_from(res.table)
        if limit is not None:
            stmt = stmt.limit(limit)
        compiled = prepared.compile_statement(stmt, conn.dialect)
        if compiled is not None:
            sql, args = compiled
            async for chunk in exports.copy_lines(await prepared.driver(conn), sql, args):
                yield chunk
            return
        # A server-side cursor needs a real transaction: the read engine's connection is
        # in autocommit.
        conn = await conn.execution_options(isolation_level="REPEATABLE READ")
    async with conn.begin():
        async for docs in json_stream(conn, res, filter_, cursor, limit, batch):
            if docs:
                yield ("\n".join(docs) + "\n").encode("utf-8")


def _detail_select(res: Resource, dialect: Dialect, id_: Any) -> sa.Select[Any]:
    return sa.select(projection(res, dialect, detail=True)).where(res.table.c.id == id_, res.live())


_DETAIL_SQL: dict[str, str] = {}


def _detail_sql(res: Resource, dialect: Dialect) -> str:
    """PostgreSQL: the detail statement as driver SQL whose only parameter ($1) is the
    id, compiled once per resource. The detail is the hottest read (measured on bench Q2
    REST: building the select and its cache key on every request was ~7% of the
    server's CPU)."""
    if res.name not in _DETAIL_SQL:
        compiled = _detail_select(res, dialect, sa.bindparam("id", type_=sa.Integer)).compile(
            dialect=dialect
        )
        assert compiled.positiontup == ["id"], compiled.positiontup
        _DETAIL_SQL[res.name] = str(compiled)
    return _DETAIL_SQL[res.name]


async def json_detail(conn: AsyncConnection, res: Resource, id_: int) -> str | None:
    """The detail JSON of one live row, or None."""
    doc: str | None
    if conn.dialect.name == "postgresql":
        driver = await prepared.driver(conn)
        doc = await driver.fetchval(_detail_sql(res, conn.dialect), id_)
    else:
        doc = await prepared.scalar(conn, _detail_select(res, conn.dialect, id_))
    return doc


async def row_page(
    conn: AsyncConnection, res: Resource, filter_: Any, limit: int, cursor: str | None = None
) -> RowPage:
    """A page of plain rows (all table columns), for resolvers."""
    dialect = conn.dialect.name
    ids, _ = _base(res, filter_, dialect, cursor)
    stmt = ids.with_only_columns(*res.table.c).limit(limit + 1)
    rows = [dict(r._mapping) for r in (await conn.execute(stmt)).all()]
    nxt = res.keyset.cursor_of(rows[limit - 1]) if len(rows) > limit else None
    return RowPage(rows[:limit], nxt)


async def count(conn: AsyncConnection, res: Resource, filter_: Any) -> int:
    dialect = conn.dialect.name
    stmt = (
        sa.select(sa.func.count())
        .select_from(res.table)
        .where(res.where(filter_ or res.filter_type(), dialect))
    )
    return int((await conn.execute(stmt)).scalar_one())


async def tombstone_target(conn: AsyncConnection, res: Resource, id_: int) -> int | None:
    """Where a merged row lives on now (following chains), or None."""
    if "merged_into_id" not in res.table.c:
        return None
    seen: set[int] = set()
    current = id_
    while current not in seen and len(seen) < 100:
        seen.add(current)
        stmt = sa.select(res.table.c.merged_into_id).where(res.table.c.id == current)
        target = (await conn.execute(stmt)).scalar_one_or_none()
        if target is None:
            return None if current == id_ else current
        current = target
    return None
