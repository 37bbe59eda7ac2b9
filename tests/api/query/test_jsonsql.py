"""PostgreSQL response JSON built by text concatenation (`api.query.jsonsql`) parses to
exactly what json_build_object/json_agg gave, for every kind of value it embeds."""

from __future__ import annotations

import asyncio
import datetime as dt
import math
from collections.abc import Sequence
from typing import Any

import orjson
import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy.dialects import postgresql
from sqlalchemy.dialects.postgresql import aggregate_order_by
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine
from sqlalchemy.sql.elements import ColumnElement

from api.query import tables
from api.query.jsonsql import Json, Pair, is_key, is_word_enum

PG = [pytest.param("postgres", marks=pytest.mark.postgres)]
PROPS = settings(
    max_examples=80, deadline=None, database=None, suppress_health_check=list(HealthCheck)
)
# Any text PostgreSQL can store: no NUL, no lone surrogates.
TEXT = st.text(st.characters(exclude_characters="\x00", exclude_categories=["Cs"]), max_size=30)

md = sa.MetaData()
kinds = sa.Table(
    "jsonsql_kinds",
    md,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("i", sa.Integer),
    sa.Column("b", sa.BigInteger),
    sa.Column("s", sa.SmallInteger),
    sa.Column("bo", sa.Boolean),
    sa.Column("f", sa.Float(53)),
    sa.Column("d", sa.Date),
    sa.Column("t", sa.DateTime(timezone=True)),
    sa.Column("x", sa.Text),
    # An enum the database holds to its values (rendered in quotes, no to_json), and one
    # it does not (any text: through to_json).
    sa.Column(
        "w", sa.Enum("air_strike", "clash", name="w", native_enum=False, create_constraint=True)
    ),
    sa.Column("e", sa.Enum("air_strike", "clash", native_enum=False, length=100)),
    sa.Column("j", sa.JSON(none_as_null=True)),
    sa.Column("jb", postgresql.JSONB(none_as_null=True)),
)
items = sa.Table(
    "jsonsql_items",
    md,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("kind_id", sa.Integer),
    sa.Column("x", sa.Text),
    sa.Column("n", sa.Integer),
)


class Reference(Json):
    """The former PostgreSQL implementation, json_build_object and json_agg: what the
    concatenated text must parse to."""

    def obj(self, *pairs: Pair) -> ColumnElement[Any]:
        args: list[ColumnElement[Any]] = []
        for name, value in pairs:
            args += [sa.literal_column(f"'{name}'"), value]
        return sa.func.json_build_object(*args)

    def embed(self, value: ColumnElement[Any]) -> ColumnElement[Any]:
        return value

    def or_empty(self, value: ColumnElement[Any]) -> ColumnElement[Any]:
        return sa.func.coalesce(value, sa.literal_column("'[]'::json"))

    def agg(
        self, element: ColumnElement[Any], order_by: Sequence[ColumnElement[Any]] = ()
    ) -> ColumnElement[Any]:
        agg = sa.func.json_agg(aggregate_order_by(element, *order_by) if order_by else element)
        return self.or_empty(agg)

    def array(
        self,
        element: ColumnElement[Any],
        source: sa.Select[Any],
        order_by: Sequence[ColumnElement[Any]],
        outer: sa.Table,
        scalar: bool = False,
    ) -> ColumnElement[Any]:
        agg = sa.func.json_agg(aggregate_order_by(element, *order_by))
        return self.or_empty(source.with_only_columns(agg).correlate(outer).scalar_subquery())

    def text(self, value: ColumnElement[Any]) -> ColumnElement[str]:
        return sa.cast(value, sa.Text)

    def word(self, value: ColumnElement[Any]) -> ColumnElement[Any]:
        return value


NEW, OLD = Json("postgresql"), Reference("postgresql")


def shape(j: Json) -> ColumnElement[Any]:
    """One object of a `kinds` row holding every kind of value the projections embed."""
    k, it = kinds.c, items.c
    item = j.obj(("id", it.id), ("x", it.x), ("n", it.n))
    of_row = sa.select(it.id).where(it.kind_id == k.id)
    count = sa.select(sa.func.count()).select_from(items).where(it.kind_id == k.id)
    return j.obj(
        *[(c.name, c) for c in kinds.c],
        ("ts", j.ts(k.t)),
        ("const", sa.literal_column("'Incident'::text")),
        ("flag", k.i > 0),
        ("true", sa.literal_column("true")),
        ("typed_null", sa.cast(sa.null(), sa.Text)),
        ("length", sa.func.length(k.x)),
        ("count", count.scalar_subquery()),
        ("upper", sa.func.upper(k.e)),
        ("upper_word", j.word(sa.func.upper(k.w))),
        ("nested", j.obj(("i", k.i), ("x", k.x), ("empty", j.obj()))),
        ("embedded", j.embed(k.j)),
        ("or_empty", j.or_empty(k.j)),
        ("first_item", j.one(sa.select(item).where(it.kind_id == k.id).order_by(it.id).limit(1))),
        ("items", j.array(item, of_row, [it.id.desc()], kinds)),
        ("texts", j.array(it.x, of_row, [it.id], kinds, scalar=True)),
        ("numbers", j.array(it.n, of_row, [it.n.asc().nulls_first(), it.id], kinds, scalar=True)),
    )


async def _compare(conn: AsyncConnection) -> int:
    """Rows compared; asserts the new text parses to what the reference gave."""
    stmt = sa.select(NEW.text(shape(NEW)), OLD.text(shape(OLD))).order_by(kinds.c.id)
    rows = (await conn.execute(stmt)).all()
    for new, old in rows:
        assert orjson.loads(new) == orjson.loads(old), (new, old)
        assert " : " not in new[:10]  # compact
    # The aggregate of a group, as the export and the stats buckets use it.
    it = items.c
    element = NEW.obj(("x", it.x), ("n", it.n))
    reference = OLD.obj(("x", it.x), ("n", it.n))
    grouped = (
        sa.select(
            NEW.text(NEW.agg(element, [it.id])),
            OLD.text(OLD.agg(reference, [it.id])),
            NEW.text(NEW.agg(it.x, [it.id])),
            OLD.text(OLD.agg(it.x, [it.id])),
        )
        .group_by(it.kind_id)
        .order_by(it.kind_id)
    )
    for new_objs, old_objs, new_xs, old_xs in (await conn.execute(grouped)).all():
        assert orjson.loads(new_objs) == orjson.loads(old_objs)
        assert orjson.loads(new_xs) == orjson.loads(old_xs)
    # Over no rows at all: [] (the reference's coalesce); without an order.
    for where in (sa.false(), it.id == 1):
        new, old = (
            await conn.execute(
                sa.select(NEW.text(NEW.agg(it.n)), OLD.text(OLD.agg(it.n))).where(where)
            )
        ).one()
        assert orjson.loads(new) == orjson.loads(old)
    return len(rows)


async def _fill(conn: AsyncConnection, rows: list[dict[str, Any]], words: list[Any]) -> None:
    await conn.execute(items.delete())
    await conn.execute(kinds.delete())
    # One statement for all rows: every row names every column.
    await conn.execute(kinds.insert(), [{c.name: r.get(c.name) for c in kinds.c} for r in rows])
    ids = [r["id"] for r in rows]
    if words:
        # Every other row gets items (the others have empty arrays and a null first_item).
        stored = [
            {"id": n + 1, "kind_id": ids[(n % len(ids)) // 2 * 2], "x": w, "n": n % 3 or None}
            for n, w in enumerate(words)
        ]
        await conn.execute(items.insert(), stored)


UTC = dt.UTC
STORED_JSON = '{\n  "a" : [1, 2.50, {"b": null}],\n "u": "\\u00e9\\n", "e": {}}'
EDGE_ROWS: list[dict[str, Any]] = [
    {"id": 1},  # every value NULL
    {
        "id": 2,
        "i": 2**31 - 1,
        "b": 2**63 - 1,
        "s": 2**15 - 1,
        "bo": True,
        "f": 1e20,
        "d": dt.date(2024, 2, 29),
        "t": dt.datetime(2024, 1, 31, 12, 0, 0, 123456, tzinfo=UTC),
        "x": 'He said "no" \\ back\\slash\nnew\rline\ttab \x01\x1f\x7f é \u2028 😀 𝔘',
        "e": "air_strike",
        "w": "air_strike",
        "jb": {"a": [1, 2.5], "😀": "x\ny"},
    },
    {
        "id": 3,
        "i": -(2**31),
        "b": -(2**63),
        "s": -(2**15),
        "bo": False,
        "f": -0.5,
        "d": dt.date(1, 1, 1),
        "t": dt.datetime(1999, 12, 31, 23, 59, 59, tzinfo=dt.timezone(dt.timedelta(hours=3))),
        "x": "",
        "e": "clash",
        "w": "clash",
        "j": [],
        "jb": "just a string",
    },
    {"id": 4, "f": math.nan, "x": "</script>", "i": 0, "jb": sa.JSON.NULL},
    {"id": 5, "f": math.inf, "x": "\\u0000 is not NUL"},
    {"id": 6, "f": -math.inf, "x": "\b\f"},
    {"id": 7, "f": 5e-324, "x": "'; drop table x; --"},
    {"id": 8, "f": 0.1 + 0.2, "x": "ﬀ \ufeff \U0010fffd"},
]


@pytest.mark.parametrize("db_url", PG, indirect=True)
async def test_every_kind_of_value_parses_as_json_build_object_gave_it(
    engine: AsyncEngine,
) -> None:
    async with engine.begin() as conn:
        await conn.run_sync(md.create_all)
        await _fill(conn, EDGE_ROWS, ["a", None, 'q"uote', "\\", "\n", "😀", "", "x"])
        # A stored JSON value as a client may have written it: spaces, line breaks, escapes.
        await conn.execute(
            sa.text("UPDATE jsonsql_kinds SET j = CAST(:v AS json) WHERE id = 2"),
            {"v": STORED_JSON},
        )
        assert await _compare(conn) == len(EDGE_ROWS)


@pytest.mark.parametrize("db_url", PG, indirect=True)
async def test_any_text_and_number_parses_as_json_build_object_gave_it(
    engine: AsyncEngine,
) -> None:
    async with engine.begin() as conn:
        await conn.run_sync(md.create_all)
    loop = asyncio.get_running_loop()

    @given(
        texts=st.lists(TEXT, min_size=1, max_size=6),
        floats=st.lists(st.floats(), min_size=6, max_size=6),
        ints=st.lists(st.integers(-(2**63), 2**63 - 1), min_size=6, max_size=6),
        words=st.lists(st.none() | TEXT, max_size=8),
    )
    @PROPS
    def run(texts: list[str], floats: list[float], ints: list[int], words: list[str]) -> None:
        rows = [
            {"id": n + 1, "x": x, "e": x, "f": floats[n], "b": ints[n], "j": {x: [x, ints[n]]}}
            for n, x in enumerate(texts)
        ]

        async def example() -> None:
            async with engine.begin() as conn:
                await _fill(conn, rows, words)
                await _compare(conn)

        asyncio.run_coroutine_threadsafe(example(), loop).result(timeout=60)

    await asyncio.to_thread(run)


def test_keys_are_plain_identifiers() -> None:
    for good in ("place_name", "databaseId", "_1"):
        assert is_key(good), good
    for bad in ("", "a'b", 'a"b', "a b", "é", "a\\b", "a:b"):
        assert not is_key(bad), bad
    with pytest.raises(AssertionError):
        NEW.obj(("it's", sa.literal_column("1")))


def test_only_enums_the_database_holds_to_their_values_skip_to_json() -> None:
    assert is_word_enum(tables.incident.c.type.type)
    assert is_word_enum(tables.statement.c.channel.type)
    assert is_word_enum(kinds.c.w.type)
    assert not is_word_enum(kinds.c.e.type)  # no CHECK constraint: any text
    assert not is_word_enum(kinds.c.x.type)
