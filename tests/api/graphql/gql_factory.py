"""Deterministic test data for the GraphQL tests, inserted through the schema's tables.

`populate(engine, incidents=N)` writes places, actors (with aliases and a parent),
officials with dated roles, documents, incidents with perpetrators/targets, reports,
statements linked to incidents, mentions and a job; every value varies with a seeded
RNG so filters have something to tell apart. Returns the ids it made.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from schema import models as m
from schema.enums import (
    ActorKind,
    ActorRole,
    AttributionBasis,
    Channel,
    DatePrecision,
    EntityType,
    IncidentType,
    ReviewStatus,
    StatementKind,
)
from schema.models.base import utcnow


def table(model: Any) -> sa.Table:
    return model.__table__  # type: ignore[no-any-return]


PLACES = [
    # name, admin1, country, code, lat, lon
    ("Mosul", "Nineveh", "Iraq", "IQ", 36.335, 43.11889),
    ("Kirkuk", "Kirkuk", "Iraq", "IQ", 35.46806, 44.39222),
    ("Tikrit", "Salah ad Din", "Iraq", "IQ", 34.61581, 43.67861),
    ("Baqubah", "Diyala", "Iraq", "IQ", 33.74659, 44.64366),
    ("Erbil", "Erbil", "Iraq", "IQ", 36.19257, 44.01062),
    ("Deir ez-Zor", "Deir ez-Zor", "Syria", "SY", 35.33588, 40.14084),
]

ACTORS = [
    # name, kind, country, aliases
    ("Islamic State", ActorKind.NON_STATE_ARMED_GROUP, None, ["ISIS", "Daesh"]),
    ("Popular Mobilization Forces", ActorKind.MILITIA, "Iraq", ["PMF", "Hashd al-Shaabi"]),
    ("Iraqi Army", ActorKind.STATE_FORCE, "Iraq", []),
    ("Peshmerga", ActorKind.STATE_FORCE, "Iraq", ["Kurdish forces"]),
    ("civilians", ActorKind.CIVILIANS, None, []),
    ("Kataib Hezbollah", ActorKind.MILITIA, "Iraq", ["KH"]),
]

PEOPLE = [
    # name, aliases
    ("Yahya Rasool", ["Yehia Rasool"]),
    ("Rakan al-Jabouri", []),
    ("Mustafa al-Kadhimi", ["Mustafa Kadhimi"]),
    ("Mohammed Shia al-Sudani", ["al-Sudani"]),
]

WORDS = [
    "checkpoint",
    "convoy",
    "market",
    "village",
    "pipeline",
    "patrol",
    "mosque",
    "bridge",
    "oilfield",
    "border",
]


@dataclass
class Made:
    places: list[int] = field(default_factory=list)
    actors: list[int] = field(default_factory=list)
    people: list[int] = field(default_factory=list)
    roles: list[int] = field(default_factory=list)
    documents: list[int] = field(default_factory=list)
    incidents: list[int] = field(default_factory=list)
    reports: list[int] = field(default_factory=list)
    statements: list[int] = field(default_factory=list)
    jobs: list[int] = field(default_factory=list)


async def _insert(conn: AsyncConnection, model: Any, **values: Any) -> int:
    now = utcnow()
    values.setdefault("created_at", now)
    values.setdefault("updated_at", now)
    t = table(model)
    return int((await conn.execute(sa.insert(t).values(**values).returning(t.c.id))).scalar_one())


async def populate(engine: AsyncEngine, incidents: int = 30, seed: int = 7) -> Made:
    rng = random.Random(seed)
    made = Made()
    async with engine.begin() as conn:
        for i, (name, admin1, country, code, lat, lon) in enumerate(PLACES):
            made.places.append(
                await _insert(
                    conn,
                    m.Place,
                    geonames_id=1000 + i,
                    name=name,
                    ascii_name=name,
                    admin1=admin1,
                    country=country,
                    country_code=code,
                    lat=lat,
                    lon=lon,
                    feature_code="PPLA",
                    population=100_000 * (i + 1),
                )
            )
        for actor_name, kind, actor_country, aliases in ACTORS:
            aid = await _insert(
                conn,
                m.Actor,
                name=actor_name,
                normalized=actor_name.lower(),
                kind=kind,
                country=actor_country,
            )
            made.actors.append(aid)
            for alias in aliases:
                await _insert(
                    conn, m.ActorAlias, actor_id=aid, alias=alias, normalized=alias.lower()
                )
        # Kataib Hezbollah is part of the PMF.
        await conn.execute(
            sa.update(table(m.Actor))
            .where(table(m.Actor).c.id == made.actors[5])
            .values(parent_id=made.actors[1])
        )
        for name, aliases in PEOPLE:
            pid = await _insert(
                conn, m.Person, name=name, normalized=name.lower(), skeleton=name.lower()
            )
            made.people.append(pid)
            for alias in aliases:
                await _insert(
                    conn, m.PersonAlias, person_id=pid, alias=alias, normalized=alias.lower()
                )
        role_specs = [
            (0, "military spokesman", 2, dt.date(2019, 1, 1), None),
            (1, "governor of Kirkuk", None, dt.date(2019, 6, 1), dt.date(2023, 3, 1)),
            (2, "prime minister", None, dt.date(2020, 5, 7), dt.date(2022, 10, 27)),
            (3, "prime minister", None, dt.date(2022, 10, 27), None),
            (3, "governor of Maysan", None, dt.date(2009, 1, 1), dt.date(2010, 1, 1)),
            (0, "spokesman", 1, None, dt.date(2018, 12, 31)),
        ]
        for person, title, org, start, end in role_specs:
            made.roles.append(
                await _insert(
                    conn,
                    m.Role,
                    person_id=made.people[person],
                    title=title,
                    organisation_id=None if org is None else made.actors[org],
                    start_date=start,
                    end_date=end,
                )
            )
        n_docs = max(4, incidents // 4)
        for d in range(n_docs):
            word = WORDS[d % len(WORDS)]
            text = (
                f"Attack on a {word} near {PLACES[d % len(PLACES)][0]}. "
                f"Officials said {d + 2} people were killed in the {word} attack. "
                f'"We will respond," the spokesman said. Document number {d}.'
            )
            made.documents.append(
                await _insert(
                    conn,
                    m.Document,
                    sha256=f"{d:064x}",
                    url=f"https://news.example/{d}",
                    outlet=["Outlet A", "Outlet B", "Rudaw"][d % 3],
                    title=f"{word.title()} attack",
                    published=dt.date(2023, 1, 1) + dt.timedelta(days=d * 9),
                    published_precision=DatePrecision.DAY,
                    raw_text=text,
                    text=text,
                    language="en",
                )
            )
        types = list(IncidentType)
        statuses = list(ReviewStatus)
        for n in range(incidents):
            place_i = None if n % 7 == 3 else rng.randrange(len(PLACES))
            date = (
                None if n % 11 == 5 else dt.date(2023, 1, 1) + dt.timedelta(days=rng.randrange(400))
            )
            killed = None if n % 9 == 4 else rng.randrange(0, 40)
            kwargs: dict[str, Any] = {}
            if place_i is not None:
                name, admin1, country, _code, lat, lon = PLACES[place_i]
                kwargs = {
                    "place_id": made.places[place_i],
                    "place_name": name,
                    "admin1": admin1,
                    "country": country,
                    "lat": lat + rng.uniform(-0.05, 0.05),
                    "lon": lon + rng.uniform(-0.05, 0.05),
                    "place_precision": "exact",
                }
            iid = await _insert(
                conn,
                m.Incident,
                date=date,
                date_precision=None if date is None else DatePrecision.DAY,
                type=types[n % len(types)],
                killed_low=None if killed is None else max(0, killed - 2),
                killed_best=killed,
                killed_high=None if killed is None else killed + 3,
                wounded_best=rng.randrange(0, 20) if n % 2 else None,
                source_count=1 + n % 3,
                review_status=statuses[n % len(statuses)],
                curated_fields=[],
                **kwargs,
            )
            made.incidents.append(iid)
            if n % 5 != 2:
                await _insert(
                    conn,
                    m.IncidentActor,
                    incident_id=iid,
                    actor_id=made.actors[[0, 1, 5][n % 3]],
                    role=ActorRole.PERPETRATOR,
                    basis=list(AttributionBasis)[n % 3],
                )
            if n % 4 == 0:
                await _insert(
                    conn,
                    m.IncidentActor,
                    incident_id=iid,
                    actor_id=made.actors[[2, 3, 4][n % 3]],
                    role=ActorRole.TARGET,
                    basis=AttributionBasis.ATTRIBUTED,
                )
            for k in range(1 + n % 3):
                doc = made.documents[(n + k) % n_docs]
                made.reports.append(
                    await _insert(
                        conn,
                        m.Report,
                        incident_id=iid,
                        document_id=doc,
                        date=date,
                        date_precision=None if date is None else DatePrecision.DAY,
                        type=types[n % len(types)],
                        killed=killed,
                        span_start=10 * k,
                        span_end=10 * k + 25,
                        evidence=f"evidence {n}.{k}",
                        spans={"killed": [10 * k, 10 * k + 5]},
                    )
                )
        for s in range(max(6, incidents // 2)):
            person = s % (len(PEOPLE) + 1)
            sid = await _insert(
                conn,
                m.Statement,
                document_id=made.documents[s % n_docs],
                speaker_person_id=None if person == len(PEOPLE) else made.people[person],
                speaker_actor_id=made.actors[s % 3] if person == len(PEOPLE) or s % 2 else None,
                speaker_role_id=made.roles[person] if person < len(PEOPLE) and s % 3 else None,
                kind=list(StatementKind)[s % 2],
                text=f"We condemn the attack on the {WORDS[s % len(WORDS)]} number {s}.",
                date=None if s % 6 == 1 else dt.date(2023, 2, 1) + dt.timedelta(days=s * 5),
                channel=list(Channel)[s % len(Channel)] if s % 4 else None,
                span_start=5,
                span_end=40,
            )
            made.statements.append(sid)
            await conn.execute(
                sa.insert(table(m.StatementIncident)).values(
                    statement_id=sid,
                    incident_id=made.incidents[s % len(made.incidents)],
                    created_at=utcnow(),
                    updated_at=utcnow(),
                )
            )
        for d, doc in enumerate(made.documents):
            await _insert(
                conn,
                m.Mention,
                document_id=doc,
                entity_type=EntityType.PLACE,
                place_id=made.places[d % len(PLACES)],
                span_start=15,
                span_end=20,
                text="place",
            )
            await _insert(
                conn,
                m.Mention,
                document_id=doc,
                entity_type=EntityType.ACTOR,
                actor_id=made.actors[d % len(ACTORS)],
                span_start=0,
                span_end=6,
                text="actor",
            )
            if d % 2:
                await _insert(
                    conn,
                    m.Mention,
                    document_id=doc,
                    entity_type=EntityType.PERSON,
                    person_id=made.people[d % len(PEOPLE)],
                    span_start=30,
                    span_end=36,
                    text="person",
                )
        made.jobs.append(
            await _insert(
                conn,
                m.Job,
                kind="ingest_document",
                payload={"text": "x"},
                dedupe_key="k",
                document_id=made.documents[0],
                state="done",
            )
        )
    return made
