"""EXPLAIN (ANALYZE, BUFFERS) of the hot-path statements, for the results.

The statements are the raw-SQL floor's (bench/floor.py), which use the same tables,
filters and orderings as sitrep's query layer; the plans show whether PostgreSQL
answers them from indexes. Q3 aggregates every incident, so a sequential scan there is
the right plan, not a missing index.
"""

from __future__ import annotations

import datetime as dt
import re
import struct
from typing import Any

import asyncpg  # type: ignore[import-untyped]

from bench import floor
from bench.params import Params as ScenarioParams
from bench.sqlcount import Params


def _args(p: ScenarioParams) -> dict[str, tuple[Any, ...]]:
    gov, d0, d1 = p.q1[0]
    iid = p.q2[0] if p.q2 else 1
    return {
        "Q1 page": (gov, d0, d1, 50),
        "Q1 actors": (list(range(iid, iid + 50)),),
        "Q2 incident": (iid,),
        "Q2 reports": (iid,),
        "Q2 statements": (iid,),
        "Q3 stats": (),
        "Q4 search": (p.q4[0], 50),
    }


async def hot_paths(dsn: str, p: ScenarioParams) -> dict[str, str]:
    conn = await asyncpg.connect(dsn)
    out: dict[str, str] = {}
    try:
        for name, args in _args(p).items():
            rows = await conn.fetch(
                "EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) " + floor.HOT_PATHS[name], *args
            )
            out[name] = "\n".join(r[0] for r in rows)
    finally:
        await conn.close()
    return out


_SEQ = re.compile(r"Seq Scan on (\w+).*?rows=(\d+) loops=(\d+)")


def seq_scans(plans: dict[str, str], min_rows: int = 5000) -> list[str]:
    """Hot paths whose plan reads a big table whole (small lookup tables, like 2,000
    actors hashed once, are cheaper scanned; Q3 aggregates everything: expected)."""
    out = []
    for name, plan in plans.items():
        if "Q3" in name:
            continue
        for table, rows, loops in _SEQ.findall(plan):
            if int(rows) * int(loops) >= min_rows:
                out.append(f"{name} ({table})")
                break
    return out


# -- the statements sitrep really sent (captured by the SQL-count proxy) ----------------
_EPOCH = dt.date(2000, 1, 1)
_INT = {"int2": "!h", "int4": "!i", "int8": "!q", "oid": "!I", "float4": "!f", "float8": "!d"}
_TEXT = {"text", "varchar", "bpchar", "name", "json", "unknown", "citext"}


def _scalar(type_name: str, raw: bytes) -> str | None:
    """PostgreSQL's binary format of one value, as text (None: not decodable here)."""
    if type_name in _INT:
        return str(struct.unpack(_INT[type_name], raw)[0])
    if type_name in _TEXT:
        return raw.decode()
    if type_name == "jsonb":
        return raw[1:].decode()
    if type_name == "bool":
        return "true" if raw == b"\x01" else "false"
    if type_name == "date":
        return (_EPOCH + dt.timedelta(days=struct.unpack("!i", raw)[0])).isoformat()
    if type_name in ("timestamp", "timestamptz"):
        micros = struct.unpack("!q", raw)[0]
        stamp = dt.datetime(2000, 1, 1) + dt.timedelta(microseconds=micros)
        return stamp.isoformat() + ("+00" if type_name == "timestamptz" else "")
    return None


def _array(elem: str, raw: bytes) -> str | None:
    ndim, _flags, _oid = struct.unpack("!iiI", raw[:12])
    if ndim == 0:
        return "{}"
    if ndim != 1:
        return None
    size, _lbound = struct.unpack("!ii", raw[12:20])
    pos, items = 20, []
    for _ in range(size):
        (length,) = struct.unpack("!i", raw[pos : pos + 4])
        pos += 4
        if length < 0:
            items.append("NULL")
            continue
        value = _scalar(elem, raw[pos : pos + length])
        pos += length
        if value is None:
            return None
        items.append('"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"')
    return "{" + ",".join(items) + "}"


def literal(type_name: str, fmt: int, raw: bytes | None) -> str | None:
    """An SQL literal for one captured parameter, or None when it cannot be decoded."""
    if raw is None:
        return "NULL"
    if fmt == 0:
        text: str | None = raw.decode()
    elif type_name.endswith("[]"):  # asyncpg's name for array types
        text = _array(type_name[:-2], raw)
    elif type_name.startswith("_"):  # PostgreSQL's
        text = _array(type_name[1:], raw)
    else:
        text = _scalar(type_name, raw)
    return None if text is None else "'" + text.replace("'", "''") + "'"


async def captured(dsn: str, statements: dict[str, tuple[str, Params]]) -> dict[str, str]:
    """EXPLAIN (ANALYZE, BUFFERS) each captured statement with its captured parameters."""
    conn = await asyncpg.connect(dsn)
    out: dict[str, str] = {}
    try:
        for k, (name, (sql, params)) in enumerate(statements.items()):
            try:
                types = [t.name for t in (await conn.prepare(sql)).get_parameters()]
                lits = [literal(t, f, raw) for t, (f, raw) in zip(types, params, strict=True)]
                if any(x is None for x in lits):
                    out[name] = f"(parameters not decodable: {types})\n{sql}"
                    continue
                await conn.execute(f"PREPARE bench_explain_{k} AS {sql}")
                args = f"({', '.join(str(x) for x in lits)})" if lits else ""
                rows = await conn.fetch(
                    f"EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) EXECUTE bench_explain_{k}{args}"
                )
                await conn.execute(f"DEALLOCATE bench_explain_{k}")
                out[name] = "\n".join(r[0] for r in rows)
            except (asyncpg.PostgresError, ValueError, struct.error) as exc:
                out[name] = f"(EXPLAIN failed: {type(exc).__name__}: {exc})"
    finally:
        await conn.close()
    return out
