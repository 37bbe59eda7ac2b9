"""Keyset pagination: a full walk sees every row exactly once, even while rows are added
between pages, and `next` is both in the body and in the Link header."""

from __future__ import annotations

import datetime as dt
import re

import httpx
from rest_factory import World, add_incidents
from rest_helpers import assert_problem
from sqlalchemy.ext.asyncio import AsyncEngine


def _next_from_link(r: httpx.Response) -> str | None:
    link = r.headers.get("link")
    if link is None:
        return None
    m = re.fullmatch(r'<([^>]+)>; rel="next"', link)
    assert m, link
    return str(httpx.URL(m.group(1)).params["cursor"])


async def test_walk_has_no_gap_or_repeat_while_rows_are_added(
    client: httpx.AsyncClient, engine: AsyncEngine, world: World
) -> None:
    before = await add_incidents(engine, 120)
    seen: list[int] = []
    added: list[int] = []
    cursor: str | None = None
    pages = 0
    while True:
        url = "/api/v1/incidents?limit=17&admin1=Nineveh" + (f"&cursor={cursor}" if cursor else "")
        r = await client.get(url)
        assert r.status_code == 200, r.text
        body = r.json()
        seen += [x["id"] for x in body["items"]]
        assert body["next"] == _next_from_link(r)
        cursor = body["next"]
        pages += 1
        # New rows on both sides of the cursor: newer (already passed) and older (to come).
        if pages <= 2 and cursor is not None:
            added += await add_incidents(engine, 2, start=dt.date(2030, 1, 1))
            added += await add_incidents(engine, 2, start=dt.date(2001, 1, 1))
        if cursor is None:
            break
        assert pages < 100
    assert len(seen) == len(set(seen)), "a row was repeated"
    expected_old = {i for k, i in enumerate(before) if k % 3 == 0}
    expected_old |= {world.incidents["mosul_bomb"], world.incidents["mosul_old"]}
    assert expected_old <= set(seen), "a row present from the start was skipped"
    # Rows added later behind the cursor (2001) are reached; ones ahead of it (2030) are not.
    late_old = [i for k, i in enumerate(added) if (k // 2) % 2 == 1 and k % 2 == 0]
    assert set(late_old) - set(seen) == set()
    late_new = [i for k, i in enumerate(added) if (k // 2) % 2 == 0 and k % 2 == 0]
    assert late_old
    assert late_new
    assert not set(late_new) & set(seen)


async def test_order_is_total_and_limits_are_enforced(
    client: httpx.AsyncClient, engine: AsyncEngine, world: World
) -> None:
    await add_incidents(engine, 30)
    r = await client.get("/api/v1/incidents?limit=500")
    got = r.json()["items"]
    keys = [(x["date"] or "9999", x["id"]) for x in got]
    assert keys == sorted(keys, reverse=True)
    assert r.json()["next"] is None
    assert "link" not in r.headers
    assert len((await client.get("/api/v1/incidents")).json()["items"]) == 35  # default 50
    assert_problem(await client.get("/api/v1/incidents?limit=501"), 400)
    assert_problem(await client.get("/api/v1/incidents?limit=0"), 400)
    # A cursor of another listing is refused, not misread.
    actors = (await client.get("/api/v1/actors?limit=1")).json()
    body = assert_problem(await client.get(f"/api/v1/incidents?cursor={actors['next']}"), 400)
    assert body["param"] == "cursor"


async def test_every_collection_pages_to_the_end(client: httpx.AsyncClient, world: World) -> None:
    for path, total in [
        ("actors", 4),
        ("officials", 2),
        ("statements", 3),
        ("documents", 3),
        ("places", 3),
    ]:
        seen: list[int] = []
        url: str | None = f"/api/v1/{path}?limit=1"
        while url:
            r = await client.get(url)
            seen += [x["id"] for x in r.json()["items"]]
            nxt = r.json()["next"]
            url = f"/api/v1/{path}?limit=1&cursor={nxt}" if nxt else None
        assert len(seen) == total == len(set(seen)), path
        assert seen == sorted(seen), path
