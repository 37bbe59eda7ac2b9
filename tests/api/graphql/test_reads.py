"""Reads through the real app: each incident filter against an independent computation
over the raw rows, a full forward walk without gaps or repeats, statistics buckets, and
a statement count that does not grow with the page size."""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter, defaultdict
from typing import Any

import pytest
import sqlalchemy as sa
from gql_helpers import Api, ReadEnv

from schema.db import make_engine


async def _rows(env: ReadEnv, sql: str) -> list[dict[str, Any]]:
    engine = make_engine(env.settings.database_url)
    try:
        async with engine.connect() as conn:
            return [dict(r._mapping) for r in (await conn.execute(sa.text(sql))).all()]
    finally:
        await engine.dispose()


def _day(v: Any) -> dt.date | None:
    return None if v is None else v if isinstance(v, dt.date) else dt.date.fromisoformat(v)


async def _truth(env: ReadEnv) -> dict[str, Any]:
    incidents = await _rows(env, "SELECT * FROM incident")
    links = await _rows(env, "SELECT incident_id, actor_id, role FROM incident_actor")
    actors = await _rows(env, "SELECT id, name FROM actor")
    aliases = await _rows(env, "SELECT actor_id, alias FROM actor_alias")
    reports = await _rows(env, "SELECT incident_id, document_id FROM report")
    docs = await _rows(env, "SELECT id, title, text FROM document")
    places = await _rows(env, "SELECT id, name FROM place")
    for i in incidents:
        i["date"] = _day(i["date"])
    return {
        "incidents": incidents,
        "links": links,
        "names": {a["id"]: {a["name"].lower()} for a in actors} | {},
        "aliases": aliases,
        "reports": reports,
        "docs": docs,
        "places": {p["name"]: p["id"] for p in places},
    }


def _actor_ids(truth: dict[str, Any], ref: str) -> set[int]:
    ids = {i for i, names in truth["names"].items() if ref.lower() in names}
    return ids | {a["actor_id"] for a in truth["aliases"] if a["alias"].lower() == ref.lower()}


def _with_actor(truth: dict[str, Any], ids: set[int], role: str | None) -> set[int]:
    return {
        link["incident_id"]
        for link in truth["links"]
        if link["actor_id"] in ids and (role is None or link["role"] == role)
    }


CASES: dict[str, tuple[str, Any]] = {
    "dates": ('{dateFrom: "2023-03-01", dateTo: "2023-09-30"}', None),
    "country": ('{country: "Syria"}', None),
    "admin1": ('{admin1: "Nineveh"}', None),
    "near_mosul": ("{near: {lat: 36.335, lon: 43.119, radiusKm: 25}}", None),
    "types": ("{types: [BOMBING, AIR_STRIKE]}", None),
    "perpetrator_alias": ('{perpetrator: "Daesh"}', None),
    "target_name": ('{target: "peshmerga"}', None),
    "actor_name": ('{actor: "PMF"}', None),
    "min_killed": ("{minKilled: 20}", None),
    "min_sources": ("{minSources: 3}", None),
    "review_status": ("{reviewStatus: [DISPUTED]}", None),
    "text": ('{text: "checkpoint"}', None),
    "combined": ('{country: "Iraq", minKilled: 5, types: [BOMBING, SHELLING, CLASH]}', None),
}


def _expected(name: str, truth: dict[str, Any]) -> set[int]:
    inc = truth["incidents"]
    day = dt.date.fromisoformat
    match name:
        case "dates":
            return {
                i["id"]
                for i in inc
                if i["date"] and day("2023-03-01") <= i["date"] <= day("2023-09-30")
            }
        case "country":
            return {i["id"] for i in inc if i["country"] == "Syria"}
        case "admin1":
            return {i["id"] for i in inc if i["admin1"] == "Nineveh"}
        case "near_mosul":

            def km(i: dict[str, Any]) -> float:
                dy = (i["lat"] - 36.335) * 111.195
                dx = (i["lon"] - 43.119) * 111.195 * math.cos(math.radians(36.335))
                return math.hypot(dx, dy)

            return {i["id"] for i in inc if i["lat"] is not None and km(i) <= 25}
        case "types":
            return {i["id"] for i in inc if i["type"] in {"bombing", "air_strike"}}
        case "perpetrator_alias":
            return _with_actor(truth, _actor_ids(truth, "Daesh"), "perpetrator")
        case "target_name":
            return _with_actor(truth, _actor_ids(truth, "peshmerga"), "target")
        case "actor_name":
            return _with_actor(truth, _actor_ids(truth, "PMF"), None)
        case "min_killed":
            return {i["id"] for i in inc if i["killed_best"] is not None and i["killed_best"] >= 20}
        case "min_sources":
            return {i["id"] for i in inc if i["source_count"] >= 3}
        case "review_status":
            return {i["id"] for i in inc if i["review_status"] == "disputed"}
        case "text":
            docs = {
                d["id"] for d in truth["docs"] if "checkpoint" in (d["title"] + d["text"]).lower()
            }
            return {r["incident_id"] for r in truth["reports"] if r["document_id"] in docs}
        case "combined":
            return {
                i["id"]
                for i in inc
                if i["country"] == "Iraq"
                and (i["killed_best"] or 0) >= 5
                and i["type"] in {"bombing", "shelling", "clash"}
            }
    raise AssertionError(name)


@pytest.mark.parametrize("name", sorted(CASES))
async def test_incident_filter(read_api: Api, read_env: ReadEnv, name: str) -> None:
    truth = await _truth(read_env)
    expected = _expected(name, truth)
    assert expected, f"the test data has no incident for {name}"
    assert len(expected) < len(truth["incidents"]), f"{name} does not filter anything"
    data = await read_api.data(
        f"{{ incidents(filter: {CASES[name][0]}, first: 500) {{ totalCount nodes {{ databaseId }} }} }}"
    )
    got = [n["databaseId"] for n in data["incidents"]["nodes"]]
    assert len(got) == len(set(got))
    assert set(got) == expected
    assert data["incidents"]["totalCount"] == len(expected)


async def _walk(api: Api, order: str, size: int) -> list[int]:
    seen: list[int] = []
    after = None
    for _ in range(100):
        data = await api.data(
            f"""query($after: String, $first: Int!) {{
                incidents(first: $first, after: $after, orderBy: {order}) {{
                  pageInfo {{ hasNextPage hasPreviousPage endCursor }}
                  edges {{ cursor node {{ databaseId }} }}
                }}
            }}""",
            {"after": after, "first": size},
        )
        page = data["incidents"]
        assert page["pageInfo"]["hasPreviousPage"] is (after is not None)
        seen += [e["node"]["databaseId"] for e in page["edges"]]
        if page["edges"]:
            assert page["pageInfo"]["endCursor"] == page["edges"][-1]["cursor"]
        if not page["pageInfo"]["hasNextPage"]:
            return seen
        after = page["pageInfo"]["endCursor"]
    raise AssertionError("the walk did not end")


@pytest.mark.parametrize("order", ["DATE_DESC", "ID_ASC"])
async def test_forward_walk_has_no_gap_or_repeat(
    read_api: Api, read_resolver_api: Api, read_env: ReadEnv, order: str
) -> None:
    live = await _rows(
        read_env,
        "SELECT id, date FROM incident WHERE merged_into_id IS NULL AND deleted_at IS NULL",
    )
    walked = await _walk(read_api, order, 7)
    assert len(walked) == len(set(walked)), "a row was repeated"
    assert sorted(walked) == sorted(r["id"] for r in live), "a row was skipped"
    if order == "ID_ASC":
        assert walked == sorted(walked)
    else:
        # Newest first, undated rows first (NULLS FIRST), id breaks ties.
        dates = {r["id"]: _day(r["date"]) for r in live}
        keys = [(dates[i] is None, dates[i] or dt.date.min, i) for i in walked]
        assert keys == sorted(keys, reverse=True)
    assert await _walk(read_resolver_api, order, 7) == walked


PAGE_QUERY = """query($n: Int!) {
  incidents(first: $n) {
    totalCount
    edges { node { databaseId place { name } perpetrators { name aliases } targets { name }
      reports { document { title } } statements { speaker { name } } } }
  }
}"""


CONTROL = ("BEGIN", "COMMIT", "ROLLBACK", "SET", "RESET", "SELECT PG_ADVISORY_UNLOCK_ALL")


async def _statements(api: Api, n: int) -> tuple[int, int]:
    """Data statements sent for one request, counted where every path meets: the
    driver (asyncpg's query logger: the compiled path bypasses SQLAlchemy's execution
    events) or, on SQLite, SQLAlchemy's cursor events."""
    queries: list[str] = []
    engine = api.app.state.engine.sync_engine
    pg = engine.dialect.name == "postgresql"

    def cursor(_conn: object, _cursor: object, statement: str, *_args: object) -> None:
        queries.append(statement)

    def logged(query: Any) -> None:
        queries.append(query.query)

    drivers: list[Any] = []

    def checkout(dbapi_conn: Any, *_args: object) -> None:
        driver = dbapi_conn.driver_connection
        if all(d is not driver for d in drivers):
            driver.add_query_logger(logged)
            drivers.append(driver)

    event, hook = ("checkout", checkout) if pg else ("before_cursor_execute", cursor)
    target = engine.pool if pg else engine
    sa.event.listen(target, event, hook)
    try:
        data = await api.data(PAGE_QUERY, {"n": n})
    finally:
        sa.event.remove(target, event, hook)
        for driver in drivers:
            driver.remove_query_logger(logged)
    data_statements = [q for q in queries if not q.lstrip().upper().startswith(CONTROL)]
    return len(data_statements), len(data["incidents"]["edges"])


async def test_statement_count_does_not_grow_with_page_size(
    read_api: Api, read_resolver_api: Api
) -> None:
    small, rows_small = await _statements(read_resolver_api, 5)
    large, rows_large = await _statements(read_resolver_api, 100)
    assert (rows_small, rows_large) == (5, 60)
    assert small == large
    assert small <= 12  # page, count, and one batch per relation
    compiled_small, _ = await _statements(read_api, 5)
    compiled_large, _ = await _statements(read_api, 100)
    assert compiled_small == compiled_large
    if read_api.app.state.engine.dialect.name == "postgresql":
        assert compiled_large == 1  # one statement for the one root field


STATS = """query($g: [StatsGroup!]!, $f: IncidentFilter) {
  incidentStats(groupBy: $g, filter: $f) {
    day week month year admin1 type perpetrator { databaseId name }
    incidents killed { low best high } wounded { best }
  }
}"""


@pytest.mark.parametrize(
    "groups", [["MONTH"], ["ADMIN1", "TYPE"], ["PERPETRATOR"], ["YEAR", "WEEK", "DAY"]]
)
async def test_stats_buckets(read_api: Api, read_env: ReadEnv, groups: list[str]) -> None:
    truth = await _truth(read_env)
    live = [i for i in truth["incidents"] if i["merged_into_id"] is None]
    perps: dict[int, list[int | None]] = defaultdict(list)
    for link in truth["links"]:
        if link["role"] == "perpetrator":
            perps[link["incident_id"]].append(link["actor_id"])

    def keys(i: dict[str, Any]) -> list[tuple[Any, ...]]:
        d: dt.date | None = i["date"]
        parts: dict[str, Any] = {
            "DAY": d.isoformat() if d else None,
            "WEEK": (d - dt.timedelta(days=d.weekday())).isoformat() if d else None,
            "MONTH": d.strftime("%Y-%m") if d else None,
            "YEAR": d.year if d else None,
            "ADMIN1": i["admin1"],
            "TYPE": i["type"].upper(),
        }
        if "PERPETRATOR" in groups:
            return [(p,) for p in (perps.get(i["id"]) or [None])]
        return [tuple(parts[g] for g in groups)]

    counts: Counter[tuple[Any, ...]] = Counter()
    killed: Counter[tuple[Any, ...]] = Counter()
    for i in live:
        for k in keys(i):
            counts[k] += 1
            killed[k] += i["killed_best"] or 0
    data = await read_api.data(STATS, {"g": groups})
    got_counts: Counter[tuple[Any, ...]] = Counter()
    got_killed: Counter[tuple[Any, ...]] = Counter()
    field = {
        "DAY": "day",
        "WEEK": "week",
        "MONTH": "month",
        "YEAR": "year",
        "ADMIN1": "admin1",
        "TYPE": "type",
    }
    for b in data["incidentStats"]:
        if "PERPETRATOR" in groups:
            bucket: tuple[Any, ...] = (
                b["perpetrator"]["databaseId"] if b["perpetrator"] else None,
            )
        else:
            bucket = tuple(b[field[g]] for g in groups)
        assert bucket not in got_counts, f"bucket {bucket} twice"
        got_counts[bucket] = b["incidents"]
        got_killed[bucket] = b["killed"]["best"]
    assert got_counts == counts
    assert got_killed == killed
    assert sum(got_counts.values()) >= len(live)
