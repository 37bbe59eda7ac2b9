"""End to end over real HTTP and WebSockets: uvicorn on 127.0.0.1 (a free port) driven
by an independent GraphQL client library (`gql`), including a subscription that
receives an incident stored while it listens."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import AsyncIterator
from typing import Any

import pytest
import sqlalchemy as sa
import uvicorn
from gql import Client, gql
from gql.transport.httpx import HTTPXAsyncTransport
from gql.transport.websockets import WebsocketsTransport
from gql_factory import Made
from sqlalchemy.ext.asyncio import AsyncEngine

from api.app import create_app
from schema import events
from schema import models as m
from schema.config import Settings
from schema.enums import ChangeOp, EntityType, IncidentType
from schema.models.base import utcnow


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
async def server(settings: Settings, made: Made) -> AsyncIterator[str]:
    """uvicorn serving the app; yields its base URL and stops it afterwards."""
    port = _free_port()
    config = uvicorn.Config(
        create_app(settings), host="127.0.0.1", port=port, log_level="warning", lifespan="on"
    )
    srv = uvicorn.Server(config)
    task = asyncio.create_task(srv.serve())
    for _ in range(200):
        if srv.started:
            break
        await asyncio.sleep(0.02)
    assert srv.started, "uvicorn did not start"
    try:
        yield f"127.0.0.1:{port}"
    finally:
        srv.should_exit = True
        await asyncio.wait_for(task, 10)


async def test_query_over_http(server: str, made: Made) -> None:
    transport = HTTPXAsyncTransport(url=f"http://{server}/graphql")
    async with Client(transport=transport, fetch_schema_from_transport=True) as session:
        request = gql(
            """query($n: Int!) { incidents(first: $n, orderBy: ID_ASC) {
                totalCount nodes { id databaseId place { name } perpetrators { name } } } }"""
        )
        request.variable_values = {"n": 5}
        result: dict[str, Any] = await session.execute(request)
    page = result["incidents"]
    assert page["totalCount"] == len(made.incidents)
    assert [n["databaseId"] for n in page["nodes"]] == made.incidents[:5]
    assert page["nodes"][0]["id"] == f"Incident:{made.incidents[0]}"


async def test_graphiql_on_get(server: str) -> None:
    import httpx

    async with httpx.AsyncClient() as client:
        response = await client.get(f"http://{server}/graphql", headers={"Accept": "text/html"})
    assert response.status_code == 200
    assert "graphiql" in response.text.lower()


async def _store_incident(engine: AsyncEngine, country: str, place_name: str) -> int:
    """What the ingest worker does for a new incident: the row and its change, one
    transaction (the change announces it: NOTIFY on PostgreSQL, polling on SQLite)."""
    table = m.Incident.__table__  # type: ignore[attr-defined]
    now = utcnow()
    async with engine.begin() as conn:
        new_id = (
            await conn.execute(
                sa.insert(table)
                .values(
                    type=IncidentType.BOMBING,
                    country=country,
                    place_name=place_name,
                    killed_best=4,
                    curated_fields=[],
                    created_at=now,
                    updated_at=now,
                )
                .returning(table.c.id)
            )
        ).scalar_one()
        await events.record(conn, [(EntityType.INCIDENT, new_id, ChangeOp.CREATED, None)])
    return int(new_id)


async def test_subscription_receives_a_new_incident(server: str, engine: AsyncEngine) -> None:
    transport = WebsocketsTransport(
        url=f"ws://{server}/graphql",
        subprotocols=[WebsocketsTransport.GRAPHQLWS_SUBPROTOCOL],
    )
    subscription = gql(
        """subscription { incidentCreated(filter: {country: "Iraq"}) {
            id databaseId type placeName killed { best } } }"""
    )
    received: list[dict[str, Any]] = []
    async with Client(transport=transport) as session:

        async def listen() -> None:
            async for item in session.subscribe(subscription):
                received.append(item["incidentCreated"])
                return

        task = asyncio.create_task(listen())
        await asyncio.sleep(1.0)  # let the server start listening before the writes
        skipped = await _store_incident(engine, "Syria", "Raqqa")  # filtered out
        wanted = await _store_incident(engine, "Iraq", "Fallujah")
        await asyncio.wait_for(task, 15)
    assert received == [
        {
            "id": f"Incident:{wanted}",
            "databaseId": wanted,
            "type": "BOMBING",
            "placeName": "Fallujah",
            "killed": {"best": 4},
        }
    ]
    assert skipped != wanted
