"""Hand-built extractions and small database helpers for the ingest tests.

The articles here are written for these tests: two outlets' accounts of one attack.
Spans are found in the text, so every span points at what it claims to.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncEngine

from ingest.documents import Submission
from ingest.extract.model import (
    ActorMention,
    ActorRef,
    Extraction,
    Incident,
    Meta,
    OfficialMention,
    PlaceMatch,
    Span,
    Statement,
)

KIRKUK = 94787  # GeoNames id of Kirkuk city (in seeds/reference/places.tsv)
TIKRIT = 90150
BAIJI = 97783

TABLES = (
    "document",
    "mention",
    "actor",
    "actor_alias",
    "person",
    "person_alias",
    "role",
    "incident",
    "incident_actor",
    "report",
    "statement",
    "statement_incident",
    "change",
)


def span(text: str, needle: str) -> Span:
    start = text.index(needle)
    return (start, start + len(needle))


ARTICLE_A = """Gunmen kill 13 police officers near Kirkuk

KIRKUK, Sept 5 (Outlet A) - Militants stormed a federal police checkpoint near Kirkuk
overnight, killing 13 officers and wounding five, two security sources said on Sunday.
Islamic State claimed the attack in a statement on Telegram.
"We will hunt down those responsible," said Kirkuk governor Rakan al-Jabouri.
"""

ARTICLE_B = """Death toll rises after assault on Kirkuk police post

(Outlet B) - The number of federal police officers killed in Saturday night's assault on
a checkpoint outside Kirkuk has risen to 15, with seven others hurt, an interior
ministry official said on Monday. Islamic State fighters carried out the raid.
"""


def kirkuk() -> PlaceMatch:
    return PlaceMatch(
        name="Kirkuk",
        surface="Kirkuk",
        span=(0, 0),
        geonames_id=KIRKUK,
        admin1="Kirkuk",
        country="Iraq",
        lat=35.46806,
        lon=44.39222,
    )


def place_in(text: str, name: str, geonames_id: int, admin1: str) -> PlaceMatch:
    return PlaceMatch(
        name=name,
        surface=name,
        span=span(text, name),
        geonames_id=geonames_id,
        admin1=admin1,
        country="Iraq",
    )


def extraction_a(text: str = ARTICLE_A) -> Extraction:
    place = place_in(text, "Kirkuk", KIRKUK, "Kirkuk")
    isis = ActorMention(
        name="Islamic State",
        kind="non_state_armed_group",
        names=["Islamic State"],
        spans=[span(text, "Islamic State")],
    )
    police = ActorMention(
        name="Federal Police",
        kind="state_force",
        names=["federal police"],
        spans=[span(text, "federal police")],
    )
    governor = OfficialMention(
        name="Rakan al-Jabouri",
        names=["Rakan al-Jabouri"],
        spans=[span(text, "Rakan al-Jabouri")],
        title="Governor of Kirkuk",
        affiliation="Kirkuk Provincial Council",
    )
    sentence = span(text, "Militants stormed")[0], span(text, "on Sunday.")[1]
    incident = Incident(
        type="armed_assault",
        span=sentence,
        date=dt.date(2021, 9, 5),
        date_precision="day",
        place=place,
        admin1="Kirkuk",
        country="Iraq",
        perpetrators=[ActorRef("Islamic State", "claimed", span(text, "Islamic State"))],
        targets=[ActorRef("Federal Police")],
        killed=13,
        wounded=5,
        killed_span=span(text, "13"),
        wounded_span=span(text, "five"),
        evidence_spans=[sentence],
    )
    quote = "We will hunt down those responsible,"
    statement = Statement(
        speaker="Rakan al-Jabouri",
        speaker_type="person",
        kind="direct",
        quote=quote,
        quote_span=span(text, quote),
        span=span(text, '"We will hunt down those responsible," said Kirkuk governor'),
        date=dt.date(2021, 9, 5),
        channel="statement",
        incidents=[0],
    )
    return Extraction(
        text=text,
        meta=Meta(title=text.splitlines()[0], outlet="Outlet A", published=dt.date(2021, 9, 5)),
        incidents=[incident],
        actors=[isis, police],
        officials=[governor],
        statements=[statement],
        places=[place],
    )


def extraction_b(
    text: str = ARTICLE_B, place: tuple[str, int, str] = ("Kirkuk", KIRKUK, "Kirkuk")
) -> Extraction:
    """Outlet B's account; `place` = (name in the text, GeoNames id, governorate)."""
    place_match = place_in(text, *place)
    isis = ActorMention(
        name="Islamic State",
        kind="non_state_armed_group",
        names=["Islamic State"],
        spans=[span(text, "Islamic State")],
    )
    sentence = span(text, "The number of")[0], span(text, "on Monday.")[1]
    incident = Incident(
        type="facility_attack",
        span=sentence,
        date=dt.date(2021, 9, 4),
        date_precision="day",
        place=place_match,
        admin1=place[2],
        country="Iraq",
        perpetrators=[ActorRef("Islamic State", "attributed")],
        targets=[ActorRef("Federal Police")],
        killed=15,
        wounded=7,
        killed_span=span(text, "15"),
        wounded_span=span(text, "seven"),
        evidence_spans=[sentence],
    )
    return Extraction(
        text=text,
        meta=Meta(title=text.splitlines()[0], outlet="Outlet B", published=dt.date(2021, 9, 6)),
        incidents=[incident],
        actors=[isis],
        places=[place_match],
    )


def submission(text: str, **kw: Any) -> Submission:
    return Submission(raw=text, **kw)


async def row_counts(engine: AsyncEngine) -> dict[str, int]:
    async with engine.connect() as conn:
        return {
            t: int((await conn.execute(sa.text(f'SELECT count(*) FROM "{t}"'))).scalar_one())
            for t in TABLES
        }


async def rows(engine: AsyncEngine, sql: str, **params: Any) -> list[Any]:
    async with engine.connect() as conn:
        return list(await conn.execute(sa.text(sql), params))
