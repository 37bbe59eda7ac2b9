"""Test data for the REST tests, inserted through the schema's tables (Core), each record
in its own transaction with its change-feed rows (schema.events.record), as the ingest
worker writes them.

`build_world(engine)` makes a small, fully known dataset (`World` holds the ids);
`add_incidents(engine, n, ...)` adds many generated incidents for paging tests.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from schema import events
from schema import models as m
from schema.enums import ChangeOp, EntityType
from schema.models.base import utcnow


def table(model: Any) -> sa.Table:
    return model.__table__  # type: ignore[no-any-return]


async def _insert(
    conn: AsyncConnection, model: Any, values: dict[str, Any], entity: EntityType | None
) -> int:
    now = utcnow()
    row = {"created_at": now, "updated_at": now, **values}
    t = table(model)
    new_id = int((await conn.execute(sa.insert(t).values(**row).returning(t.c.id))).scalar_one())
    if entity is not None:
        await events.record(conn, [(entity, new_id, ChangeOp.CREATED, None)])
    return new_id


async def _link(conn: AsyncConnection, model: Any, values: dict[str, Any]) -> None:
    now = utcnow()
    await conn.execute(sa.insert(table(model)).values(created_at=now, updated_at=now, **values))


class Factory:
    def __init__(self, engine: AsyncEngine) -> None:
        self.engine = engine
        self.serial = 0

    async def place(
        self,
        name: str,
        admin1: str,
        lat: float,
        lon: float,
        country: str = "Iraq",
        code: str = "IQ",
        aliases: Sequence[str] = (),
    ) -> int:
        async with self.engine.begin() as conn:
            pid = await _insert(
                conn,
                m.Place,
                {
                    "name": name,
                    "ascii_name": name,
                    "admin1": admin1,
                    "country": country,
                    "country_code": code,
                    "lat": lat,
                    "lon": lon,
                    "feature_class": "P",
                    "feature_code": "PPL",
                    "population": 1000,
                    "source": "curated",
                },
                EntityType.PLACE,
            )
            for a in aliases:
                await _link(
                    conn, m.PlaceAlias, {"place_id": pid, "alias": a, "normalized": a.lower()}
                )
        return pid

    async def actor(
        self,
        name: str,
        kind: str = "non_state_armed_group",
        aliases: Sequence[str] = (),
        parent_id: int | None = None,
        country: str | None = "Iraq",
    ) -> int:
        async with self.engine.begin() as conn:
            aid = await _insert(
                conn,
                m.Actor,
                {
                    "name": name,
                    "normalized": name.lower(),
                    "kind": kind,
                    "parent_id": parent_id,
                    "country": country,
                },
                EntityType.ACTOR,
            )
            for a in aliases:
                await _link(
                    conn, m.ActorAlias, {"actor_id": aid, "alias": a, "normalized": a.lower()}
                )
        return aid

    async def person(self, name: str, aliases: Sequence[str] = ()) -> int:
        async with self.engine.begin() as conn:
            pid = await _insert(
                conn,
                m.Person,
                {"name": name, "normalized": name.lower(), "skeleton": name.lower()},
                EntityType.PERSON,
            )
            for a in aliases:
                await _link(
                    conn, m.PersonAlias, {"person_id": pid, "alias": a, "normalized": a.lower()}
                )
        return pid

    async def role(
        self,
        person_id: int,
        title: str,
        organisation_id: int | None,
        start: dt.date | None,
        end: dt.date | None,
    ) -> int:
        async with self.engine.begin() as conn:
            return await _insert(
                conn,
                m.Role,
                {
                    "person_id": person_id,
                    "title": title,
                    "organisation_id": organisation_id,
                    "start_date": start,
                    "end_date": end,
                },
                EntityType.ROLE,
            )

    async def document(
        self,
        text: str,
        title: str | None = None,
        outlet: str | None = "Outlet",
        published: dt.date | None = None,
    ) -> int:
        self.serial += 1
        async with self.engine.begin() as conn:
            return await _insert(
                conn,
                m.Document,
                {
                    "sha256": hashlib.sha256(f"{self.serial}:{text}".encode()).hexdigest(),
                    "url": f"https://news.example/{self.serial}",
                    "outlet": outlet,
                    "title": title,
                    "published": published,
                    "raw_text": text,
                    "text": text,
                    "extractor_version": 1,
                },
                EntityType.DOCUMENT,
            )

    async def incident(
        self,
        *,
        date: dt.date | None,
        type: str = "bombing",
        place_id: int | None = None,
        admin1: str | None = None,
        lat: float | None = None,
        lon: float | None = None,
        killed: int | None = None,
        wounded: int | None = None,
        actors: Sequence[tuple[int, str, str]] = (),
        document_id: int | None = None,
        evidence: tuple[int, int] = (0, 4),
        sources: int = 1,
        review_status: str = "unreviewed",
    ) -> int:
        async with self.engine.begin() as conn:
            iid = await _insert(
                conn,
                m.Incident,
                {
                    "date": date,
                    "date_precision": "day" if date else None,
                    "type": type,
                    "place_id": place_id,
                    "admin1": admin1,
                    "country": "Iraq",
                    "lat": lat,
                    "lon": lon,
                    "killed_low": killed,
                    "killed_best": killed,
                    "killed_high": killed,
                    "wounded_low": wounded,
                    "wounded_best": wounded,
                    "wounded_high": wounded,
                    "source_count": sources,
                    "review_status": review_status,
                    "curated_fields": [],
                },
                EntityType.INCIDENT,
            )
            for actor_id, role, basis in actors:
                await _link(
                    conn,
                    m.IncidentActor,
                    {"incident_id": iid, "actor_id": actor_id, "role": role, "basis": basis},
                )
            if document_id is not None:
                text = (
                    await conn.execute(
                        sa.select(table(m.Document).c.text).where(
                            table(m.Document).c.id == document_id
                        )
                    )
                ).scalar_one()
                await _insert(
                    conn,
                    m.Report,
                    {
                        "incident_id": iid,
                        "document_id": document_id,
                        "date": date,
                        "type": type,
                        "killed": killed,
                        "wounded": wounded,
                        "span_start": evidence[0],
                        "span_end": evidence[1],
                        "evidence": text[evidence[0] : evidence[1]],
                        "spans": {"killed": list(evidence)},
                    },
                    EntityType.REPORT,
                )
        return iid

    async def statement(
        self,
        document_id: int,
        text: str,
        *,
        person_id: int | None = None,
        actor_id: int | None = None,
        role_id: int | None = None,
        kind: str = "direct",
        date: dt.date | None = None,
        channel: str | None = "statement",
        incident_ids: Sequence[int] = (),
    ) -> int:
        async with self.engine.begin() as conn:
            sid = await _insert(
                conn,
                m.Statement,
                {
                    "document_id": document_id,
                    "speaker_person_id": person_id,
                    "speaker_actor_id": actor_id,
                    "speaker_role_id": role_id,
                    "kind": kind,
                    "text": text,
                    "date": date,
                    "channel": channel,
                    "span_start": 0,
                    "span_end": len(text),
                },
                EntityType.STATEMENT,
            )
            for iid in incident_ids:
                await _link(conn, m.StatementIncident, {"statement_id": sid, "incident_id": iid})
        return sid

    async def merge_incident(self, source: int, into: int) -> None:
        async with self.engine.begin() as conn:
            t = table(m.Incident)
            await conn.execute(
                sa.update(t)
                .where(t.c.id == source)
                .values(merged_into_id=into, updated_at=utcnow())
            )
            await events.record(conn, [(EntityType.INCIDENT, source, ChangeOp.MERGED, into)])

    async def delete_statement(self, sid: int) -> None:
        async with self.engine.begin() as conn:
            si, s = table(m.StatementIncident), table(m.Statement)
            await conn.execute(sa.delete(si).where(si.c.statement_id == sid))
            await conn.execute(sa.delete(s).where(s.c.id == sid))
            await events.record(conn, [(EntityType.STATEMENT, sid, ChangeOp.DELETED, None)])

    async def update_incident(self, iid: int, **values: Any) -> None:
        async with self.engine.begin() as conn:
            t = table(m.Incident)
            await conn.execute(
                sa.update(t).where(t.c.id == iid).values(updated_at=utcnow(), **values)
            )
            await events.record(conn, [(EntityType.INCIDENT, iid, ChangeOp.UPDATED, None)])


@dataclass
class World:
    places: dict[str, int] = field(default_factory=dict)
    actors: dict[str, int] = field(default_factory=dict)
    persons: dict[str, int] = field(default_factory=dict)
    roles: dict[str, int] = field(default_factory=dict)
    documents: list[int] = field(default_factory=list)
    incidents: dict[str, int] = field(default_factory=dict)
    statements: dict[str, int] = field(default_factory=dict)


DOC_A = (
    "Car bomb kills 12 in Mosul market. A car bomb exploded in a crowded market in Mosul on "
    "Monday, killing 12 people and wounding 30, police said. Islamic State claimed the attack."
)
DOC_B = (
    "Clashes near Kirkuk. Federal police clashed with militants south-west of Kirkuk; three "
    "officers were killed. Governor Rakan al-Jabouri condemned the ambush on Telegram."
)
DOC_C = (
    "Drone strike in Erbil. A drone struck a base near Erbil airport, no casualties were "
    "reported. The prime minister ordered an investigation."
)


async def build_world(engine: AsyncEngine) -> World:
    """The known dataset: 3 places in 3 governorates, 4 actors, 2 officials with dated
    roles, 3 documents, 6 incidents (one merged away), 3 statements."""
    f = Factory(engine)
    w = World()
    w.places["mosul"] = await f.place("Mosul", "Nineveh", 36.335, 43.119, aliases=["Al-Mawsil"])
    w.places["kirkuk"] = await f.place("Kirkuk", "Kirkuk", 35.468, 44.392)
    w.places["erbil"] = await f.place("Erbil", "Erbil", 36.191, 44.009, aliases=["Hawler"])
    w.actors["isis"] = await f.actor("Islamic State", aliases=["ISIS", "Daesh"])
    w.actors["police"] = await f.actor("Federal Police", kind="state_force")
    w.actors["civilians"] = await f.actor("Civilians", kind="civilians")
    w.actors["ministry"] = await f.actor("Ministry of Interior", kind="government")
    w.persons["jabouri"] = await f.person("Rakan al-Jabouri", aliases=["Rakan Saeed al-Jabouri"])
    w.persons["pm"] = await f.person("Mohammed Shia al-Sudani")
    w.roles["jabouri_gov"] = await f.role(
        w.persons["jabouri"], "Governor of Kirkuk", None, dt.date(2020, 1, 1), None
    )
    w.roles["pm_minister"] = await f.role(
        w.persons["pm"],
        "Minister of Labour",
        w.actors["ministry"],
        dt.date(2014, 1, 1),
        dt.date(2018, 12, 31),
    )
    w.roles["pm_pm"] = await f.role(
        w.persons["pm"], "Prime Minister", w.actors["ministry"], dt.date(2022, 10, 27), None
    )
    a = await f.document(DOC_A, "Car bomb kills 12 in Mosul market", "Reuters", dt.date(2023, 3, 6))
    b = await f.document(DOC_B, "Clashes near Kirkuk", "AP", dt.date(2023, 5, 2))
    c = await f.document(DOC_C, "Drone strike in Erbil", "Rudaw", dt.date(2023, 5, 20))
    w.documents = [a, b, c]
    isis, police, civ = w.actors["isis"], w.actors["police"], w.actors["civilians"]
    w.incidents["mosul_bomb"] = await f.incident(
        date=dt.date(2023, 3, 6),
        type="bombing",
        place_id=w.places["mosul"],
        admin1="Nineveh",
        lat=36.335,
        lon=43.119,
        killed=12,
        wounded=30,
        document_id=a,
        evidence=(0, 32),
        actors=[(isis, "perpetrator", "claimed"), (civ, "target", "attributed")],
        sources=2,
    )
    w.incidents["kirkuk_clash"] = await f.incident(
        date=dt.date(2023, 5, 1),
        type="clash",
        place_id=w.places["kirkuk"],
        admin1="Kirkuk",
        lat=35.40,
        lon=44.30,
        killed=3,
        document_id=b,
        evidence=(0, 20),
        actors=[(police, "target", "attributed"), (isis, "perpetrator", "suspected")],
    )
    w.incidents["erbil_drone"] = await f.incident(
        date=dt.date(2023, 5, 19),
        type="air_strike",
        place_id=w.places["erbil"],
        admin1="Erbil",
        lat=36.23,
        lon=43.96,
        killed=0,
        document_id=c,
        evidence=(0, 22),
        review_status="reviewed",
    )
    w.incidents["mosul_old"] = await f.incident(
        date=dt.date(2021, 8, 15),
        type="armed_assault",
        place_id=w.places["mosul"],
        admin1="Nineveh",
        lat=36.33,
        lon=43.12,
        killed=2,
        wounded=1,
        actors=[(isis, "perpetrator", "attributed")],
    )
    w.incidents["undated"] = await f.incident(date=None, type="kidnapping", admin1="Kirkuk")
    w.incidents["dup"] = await f.incident(
        date=dt.date(2023, 3, 6),
        type="bombing",
        place_id=w.places["mosul"],
        admin1="Nineveh",
        killed=10,
    )
    await f.merge_incident(w.incidents["dup"], w.incidents["mosul_bomb"])
    w.statements["jabouri"] = await f.statement(
        b,
        "We will hunt down those responsible for the ambush",
        person_id=w.persons["jabouri"],
        role_id=w.roles["jabouri_gov"],
        date=dt.date(2023, 5, 2),
        channel="telegram",
        incident_ids=[w.incidents["kirkuk_clash"]],
    )
    w.statements["pm"] = await f.statement(
        c,
        "An investigation into the drone attack has been ordered",
        person_id=w.persons["pm"],
        role_id=w.roles["pm_pm"],
        kind="indirect",
        date=dt.date(2023, 5, 20),
        incident_ids=[w.incidents["erbil_drone"]],
    )
    w.statements["isis"] = await f.statement(
        a,
        "Soldiers of the caliphate struck the market",
        actor_id=isis,
        date=dt.date(2023, 3, 7),
        channel="telegram",
        incident_ids=[w.incidents["mosul_bomb"]],
    )
    return w


async def add_incidents(
    engine: AsyncEngine, n: int, start: dt.date = dt.date(2020, 1, 1), actor_id: int | None = None
) -> list[int]:
    """`n` incidents in one transaction (dates cycle over a year, several per day)."""
    ids: list[int] = []
    types = ["bombing", "clash", "shelling", "air_strike"]
    govs = [("Nineveh", 36.3, 43.1), ("Kirkuk", 35.4, 44.3), ("Anbar", 33.4, 43.3)]
    async with engine.begin() as conn:
        changes = []
        for k in range(n):
            gov, lat, lon = govs[k % 3]
            iid = await _insert(
                conn,
                m.Incident,
                {
                    "date": start + dt.timedelta(days=(k * 7) % 365),
                    "date_precision": "day",
                    "type": types[k % 4],
                    "admin1": gov,
                    "country": "Iraq",
                    "lat": lat,
                    "lon": lon,
                    "killed_best": k % 9,
                    "source_count": 1 + k % 3,
                    "curated_fields": [],
                },
                None,
            )
            if actor_id is not None:
                await _link(
                    conn,
                    m.IncidentActor,
                    {
                        "incident_id": iid,
                        "actor_id": actor_id,
                        "role": "perpetrator",
                        "basis": "claimed",
                    },
                )
            ids.append(iid)
            changes.append((EntityType.INCIDENT, iid, ChangeOp.CREATED, None))
        await events.record(conn, changes)
    return ids
