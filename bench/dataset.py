"""Generate the benchmark dataset directly in PostgreSQL.

A fresh database is created, migrated with the project's Alembic migrations, seeded
with places (seeds/reference/places.tsv when present, else a synthetic gazetteer of
every Iraqi and Syrian governorate), then filled with COPY (asyncpg
`copy_records_to_table`; the ORM would take an hour). At scale 1: 100,000 incidents
over ten years, 2,000 actors, 5,000 officials with dated roles, 300,000 statements,
150,000 documents with reports (every incident has at least one, some several) and
mentions whose spans really point into the document text.

The data is skewed like real conflict data: actors are drawn from a Zipf-like law (a
handful of actors appear in most incidents), places by governorate "hotness" and
population rank, and dates from a yearly intensity curve plus bursts concentrated in
one governorate for a few days or weeks. Everything derives from one seed, so two runs
at the same scale produce the same rows.
"""

from __future__ import annotations

import asyncio
import bisect
import csv
import datetime as dt
import hashlib
import itertools
import json
import random
import time
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import asyncpg  # type: ignore[import-untyped]

from bench import vocab

REPO_ROOT = Path(__file__).resolve().parent.parent
PLACES_TSV = REPO_ROOT / "seeds" / "reference" / "places.tsv"
DEFAULT_URL = "postgresql://postgres@127.0.0.1:5432/sitrep_bench"
#: Bumped whenever the generator changes, so a reused database is regenerated.
GENERATOR_VERSION = 1
START = dt.date(2015, 1, 1)
DAYS = 3653  # ten years
# Yearly intensity 2015..2024: the war against the Islamic State, then a long tail.
YEAR_INTENSITY = (3.0, 4.0, 3.5, 2.5, 1.5, 1.2, 1.0, 1.0, 0.9, 0.8)
# Governorates that carry most incidents, most active first (matched by substring, so
# GeoNames spellings like "Muhafazat Ninawa" still rank).
HOT = ("baghdad", "nin", "anbar", "aleppo", "idlib", "deir", "diyala", "salah", "kirkuk",
       "raqqa", "hasakah", "daraa", "homs", "hama", "rif", "babil", "basra")  # fmt: skip


@dataclass(frozen=True)
class Counts:
    """Target row counts for one scale."""

    incidents: int
    actors: int
    persons: int
    statements: int
    documents: int

    @classmethod
    def at(cls, scale: float) -> Counts:
        # Floors keep tiny smoke datasets meaningful (enough actors to skew, enough
        # documents to carry the statements).
        return cls(
            incidents=max(200, round(100_000 * scale)),
            actors=max(60, round(2_000 * scale**0.5)),
            persons=max(80, round(5_000 * scale**0.5)),
            statements=max(400, round(300_000 * scale)),
            documents=max(300, round(150_000 * scale)),
        )


@dataclass
class DatasetInfo:
    url: str
    scale: float
    seed: int
    seconds: float
    places_source: str
    rows: dict[str, int] = field(default_factory=dict)
    reused: bool = False


def zipf_cum(n: int, s: float) -> list[float]:
    """Cumulative weights of a Zipf law over ranks 1..n (for `random.choices`)."""
    return list(itertools.accumulate(1.0 / (k**s) for k in range(1, n + 1)))


def admin_url(url: str) -> tuple[str, str]:
    """(URL of the `postgres` maintenance database on the same server, database name)."""
    base, _, name = url.rpartition("/")
    name = name.split("?", 1)[0]
    if not name:
        raise ValueError(f"no database name in {url!r}")
    return f"{base}/postgres", name


def plain_url(url: str) -> str:
    """asyncpg and node want postgresql://, SQLAlchemy users may pass +asyncpg."""
    scheme, sep, rest = url.partition("://")
    return "postgresql" + sep + rest if scheme.startswith("postgres") else url


async def recreate_database(url: str) -> None:
    admin, name = admin_url(plain_url(url))
    conn = await asyncpg.connect(admin)
    try:
        await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await conn.execute(f'CREATE DATABASE "{name}"')
    finally:
        await conn.close()


async def drop_database(url: str) -> None:
    admin, name = admin_url(plain_url(url))
    conn = await asyncpg.connect(admin)
    try:
        await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await conn.close()


def _marker(scale: float, seed: int) -> str:
    return f"sitrep-bench generator={GENERATOR_VERSION} scale={scale:g} seed={seed}"


async def existing_marker(url: str) -> str | None:
    """The comment a finished generation left on the database, if it exists."""
    admin, name = admin_url(plain_url(url))
    conn = await asyncpg.connect(admin)
    try:
        row = await conn.fetchrow(
            "SELECT shobj_description(oid, 'pg_database') AS c FROM pg_database WHERE datname = $1",
            name,
        )
    finally:
        await conn.close()
    return None if row is None else row["c"]


async def generate(
    url: str = DEFAULT_URL, scale: float = 1.0, seed: int = 7, reuse: bool = False
) -> DatasetInfo:
    """Create, migrate and fill the database at `url`; returns what was made and how long."""
    url = plain_url(url)
    started = time.perf_counter()
    if reuse and await existing_marker(url) == _marker(scale, seed):
        rows = await table_counts(url)
        return DatasetInfo(url, scale, seed, 0.0, "reused", rows, reused=True)
    await recreate_database(url)
    from schema import migrate  # local: keeps `python -m bench --help` light

    await migrate.upgrade(url)
    gen = _Generator(Counts.at(scale), random.Random(seed))
    conn = await asyncpg.connect(url)
    try:
        places_source = gen.places(PLACES_TSV)
        tables = gen.build()
        for table, (columns, records) in tables.items():
            await conn.copy_records_to_table(table, records=records, columns=columns)
        for table in tables:
            if "id" in tables[table][0]:
                await conn.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'),"
                    f" (SELECT coalesce(max(id), 0) + 1 FROM {table}), false)"
                )
        # VACUUM too: sets the visibility map (index-only scans) and leaves autovacuum
        # nothing to do on the fresh tables while the timed runs go on
        await conn.execute("VACUUM (ANALYZE)")
        _, name = admin_url(url)
        await conn.execute(f"COMMENT ON DATABASE \"{name}\" IS '{_marker(scale, seed)}'")
    finally:
        await conn.close()
    rows = {table: len(records) for table, (_, records) in tables.items()}
    return DatasetInfo(url, scale, seed, time.perf_counter() - started, places_source, rows)


async def table_counts(url: str) -> dict[str, int]:
    conn = await asyncpg.connect(plain_url(url))
    try:
        names = ["place", "actor", "person", "role", "incident", "incident_actor", "document",
                 "report", "statement", "statement_incident", "mention"]  # fmt: skip
        return {n: int(await conn.fetchval(f"SELECT count(*) FROM {n}")) for n in names}
    finally:
        await conn.close()


Record = tuple[Any, ...]
Table = tuple[list[str], list[Record]]

TS = ["created_at", "updated_at"]


def _ts(day: dt.date) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, 12, tzinfo=dt.UTC)


class _Generator:
    """Builds every table in memory as COPY records; ids are assigned here."""

    def __init__(self, counts: Counts, rng: random.Random) -> None:
        self.n = counts
        self.rng = rng
        self.place_rows: list[Record] = []
        self.place_columns: list[str] = []
        # per governorate: (place ids, cumulative weights); place id -> (name, admin1, country, lat, lon)
        self.by_admin1: dict[str, tuple[list[int], list[float]]] = {}
        self.place_info: dict[int, tuple[str, str, str, float, float]] = {}

    # -- places ---------------------------------------------------------------------
    def places(self, tsv: Path) -> str:
        rows = _read_places(tsv) if tsv.is_file() else []
        source = str(tsv.relative_to(REPO_ROOT)) if rows else "synthetic (places.tsv absent)"
        if not rows:
            rows = self._synthetic_places()
        cols = ["id", "geonames_id", "name", "ascii_name", "admin1", "admin1_code", "admin2",
                "country_code", "country", "lat", "lon", "feature_class", "feature_code",
                "population", "source"]  # fmt: skip
        self.place_columns = [*cols, *TS]
        now = _ts(START)
        grouped: dict[str, list[tuple[int, int]]] = defaultdict(list)
        for pid, row in enumerate(rows, start=1):
            self.place_rows.append((pid, *(row.get(c) for c in cols[1:]), now, now))
            if row.get("admin1") and row.get("lat") is not None:
                grouped[row["admin1"]].append((int(row.get("population") or 0), pid))
                self.place_info[pid] = (
                    row["name"],
                    row["admin1"],
                    row["country"],
                    row["lat"],
                    row["lon"],
                )
        for admin1, members in grouped.items():
            members.sort(reverse=True)
            ids = [pid for _, pid in members]
            self.by_admin1[admin1] = (ids, zipf_cum(len(ids), 1.0))
        return source

    def _synthetic_places(self) -> list[dict[str, Any]]:
        rows: list[dict[str, Any]] = []
        for code, country, admin1, lat, lon in vocab.GOVERNORATES:
            towns = [admin1] + [
                f"{self.rng.choice(vocab.TOWN_PREFIXES)} {self.rng.choice(vocab.TOWN_STEMS)}"
                for _ in range(14)
            ]
            for rank, name in enumerate(dict.fromkeys(towns)):
                rows.append({
                    "name": name, "ascii_name": name, "admin1": admin1, "country_code": code,
                    "country": country, "population": int(900_000 / (rank + 1) ** 1.3),
                    "lat": round(lat + self.rng.uniform(-0.6, 0.6), 5),
                    "lon": round(lon + self.rng.uniform(-0.6, 0.6), 5),
                    "feature_class": "P", "feature_code": "PPLA" if rank == 0 else "PPL",
                    "source": "curated",
                })  # fmt: skip
        return rows

    # -- everything else ------------------------------------------------------------
    def build(self) -> dict[str, Table]:
        rng, n = self.rng, self.n
        tables: dict[str, Table] = {"place": (self.place_columns, self.place_rows)}
        actors, actor_names, perp_order, perp_cum, target_order, target_cum = self._actors()
        tables["actor"], tables["actor_alias"] = actors
        persons, roles_of = self._persons(len(actor_names))
        tables["person"], tables["person_alias"], tables["role"] = persons

        # Incidents: governorate by hotness, date from the intensity curve or a burst.
        admin1s = sorted(self.by_admin1, key=_hotness)
        gov_cum = zipf_cum(len(admin1s), 0.9)
        day_cum = list(itertools.accumulate(
            YEAR_INTENSITY[min(d // 366, 9)] for d in range(DAYS)
        ))  # fmt: skip
        bursts = [
            (rng.randrange(DAYS), rng.randint(2, 20),
             rng.choices(admin1s, cum_weights=gov_cum)[0])
            for _ in range(60)
        ]  # fmt: skip
        burst_cum = zipf_cum(len(bursts), 0.8)
        type_names = [t for t, _ in vocab.INCIDENT_TYPES]
        type_cum = list(itertools.accumulate(w for _, w in vocab.INCIDENT_TYPES))

        inc_cols = ["id", "date", "date_precision", "place_id", "place_name", "place_precision",
                    "admin1", "country", "lat", "lon", "type", "killed_low", "killed_best",
                    "killed_high", "wounded_low", "wounded_best", "wounded_high", "source_count",
                    "salience", "review_status", "curated_fields", *TS]  # fmt: skip
        ia_cols = ["id", "incident_id", "actor_id", "role", "basis", *TS]
        incidents: list[Record] = []
        inc_actors: list[Record] = []
        # incident id -> (date, place id, type, killed, wounded, perp ids, target ids)
        facts: list[tuple[dt.date, int, str, int, int, list[int], list[int]]] = []
        for iid in range(1, n.incidents + 1):
            if rng.random() < 0.35:
                center, width, admin1 = rng.choices(bursts, cum_weights=burst_cum)[0]
                day_no = min(DAYS - 1, max(0, center + int(rng.gauss(0, width))))
            else:
                admin1 = rng.choices(admin1s, cum_weights=gov_cum)[0]
                day_no = bisect.bisect(day_cum, rng.random() * day_cum[-1])
            day = START + dt.timedelta(days=min(day_no, DAYS - 1))
            ids, cum = self.by_admin1[admin1]
            pid = rng.choices(ids, cum_weights=cum)[0]
            pname, padmin1, country, lat, lon = self.place_info[pid]
            itype = rng.choices(type_names, cum_weights=type_cum)[0]
            killed = int(rng.expovariate(1 / 3)) * (10 if rng.random() < 0.03 else 1)
            wounded = int(killed * rng.uniform(0.5, 2.5)) + rng.randint(0, 3)
            perps = _distinct(rng, perp_order, perp_cum, rng.choices((0, 1, 2), (5, 85, 10))[0])
            targets = _distinct(rng, target_order, target_cum,
                                rng.choices((0, 1, 2), (15, 70, 15))[0])  # fmt: skip
            targets = [t for t in targets if t not in perps]
            for role, members in (("perpetrator", perps), ("target", targets)):
                for aid in members:
                    basis = rng.choices(("claimed", "attributed", "suspected"), (2, 6, 2))[0]
                    inc_actors.append((len(inc_actors) + 1, iid, aid, role, basis,
                                       _ts(day), _ts(day)))  # fmt: skip
            precision = "admin1" if rng.random() < 0.08 else "exact"
            review = rng.choices(("unreviewed", "reviewed", "disputed"), (80, 18, 2))[0]
            incidents.append([
                iid, day, "day", pid, pname, precision, padmin1, country, lat, lon, itype,
                max(0, killed - rng.randint(0, 2)), killed, killed + rng.randint(0, 3),
                max(0, wounded - rng.randint(0, 3)), wounded, wounded + rng.randint(0, 5),
                0, "main", review, "[]", _ts(day), _ts(day),
            ])  # type: ignore[arg-type]  # fmt: skip
            facts.append((day, pid, itype, killed, wounded, perps, targets))

        # Reports: 1..6 sources per incident; report documents are sometimes shared
        # (round-up articles) so the document total hits its target.
        n_sources = rng.choices((1, 2, 3, 4, 5, 6), (60, 22, 9, 5, 3, 1), k=n.incidents)
        total_reports = sum(n_sources)
        report_docs_target = max(1, int(n.documents * 0.8))
        share = max(0.0, 1.0 - report_docs_target / total_reports)
        order = sorted(range(n.incidents), key=lambda i: facts[i][0])
        doc_incidents: list[list[int]] = []  # per document: incident indexes (0-based)
        for idx in order:
            for _ in range(n_sources[idx]):
                cur = doc_incidents[-1] if doc_incidents else None
                if (cur is not None and idx not in cur and len(cur) < 4
                        and rng.random() < share
                        and (facts[idx][0] - facts[cur[0]][0]).days <= 3):  # fmt: skip
                    cur.append(idx)
                else:
                    doc_incidents.append([idx])
        rng.shuffle(doc_incidents)  # document ids should not follow incident dates exactly
        statement_only = max(0, n.documents - len(doc_incidents))
        doc_incidents.extend([] for _ in range(statement_only))

        # Statements are spread over documents; speakers skewed (a few spokesmen speak a lot).
        n_docs = len(doc_incidents)
        statements_of: list[int] = [0] * n_docs
        for d in rng.choices(range(n_docs), k=n.statements):
            statements_of[d] += 1
        person_cum = zipf_cum(len(roles_of), 1.1)
        outlet_cum = zipf_cum(len(vocab.OUTLETS), 0.9)
        chan_names = [c for c, _ in vocab.CHANNELS]
        chan_cum = list(itertools.accumulate(w for _, w in vocab.CHANNELS))

        doc_cols = ["id", "sha256", "url", "outlet", "title", "published", "published_precision",
                    "raw_text", "text", "content_type", "language", "extractor_version",
                    "ingested_at", *TS]  # fmt: skip
        rep_cols = ["id", "incident_id", "document_id", "date", "date_precision", "place_id",
                    "type", "killed", "wounded", "salience", "span_start", "span_end",
                    "evidence", "spans", *TS]  # fmt: skip
        st_cols = ["id", "document_id", "speaker_person_id", "speaker_actor_id",
                   "speaker_role_id", "kind", "text", "date", "channel", "span_start",
                   "span_end", *TS]  # fmt: skip
        si_cols = ["statement_id", "incident_id", *TS]
        men_cols = ["id", "document_id", "entity_type", "actor_id", "person_id", "place_id",
                    "span_start", "span_end", "text", *TS]  # fmt: skip
        documents: list[Record] = []
        reports: list[Record] = []
        statements: list[Record] = []
        stmt_inc: list[Record] = []
        mentions: list[Record] = []
        source_count = [0] * n.incidents
        for doc_no, members in enumerate(doc_incidents):
            did = doc_no + 1
            if members:
                published = max(facts[i][0] for i in members) + dt.timedelta(
                    days=rng.choice((0, 0, 0, 1, 1, 2))
                )
            else:
                published = START + dt.timedelta(
                    days=bisect.bisect(day_cum, rng.random() * day_cum[-1]) % DAYS
                )
            buf = _Text()
            add = buf.add
            stamp = _ts(published)
            for idx in members:
                day, pid, itype, killed, wounded, perps, targets = facts[idx]
                pname, padmin1, *_ = self.place_info[pid]
                k = max(0, killed + rng.randint(-1, 1))
                w = max(0, wounded + rng.randint(-2, 2))
                perp = actor_names[perps[0] - 1] if perps else "Unidentified gunmen"
                target = actor_names[targets[0] - 1] if targets else "a security post"
                s0, _ = add("")
                ps, pe = add(perp)
                add(f" {vocab.VERBS[itype]} {target} in ")
                ls, le = add(pname)
                _, s1 = add(f", {padmin1}, on {day:%d %B %Y}, killing {k} people and wounding {w}.")
                add(" ")
                evidence = buf.text()[s0:s1]
                reports.append((len(reports) + 1, idx + 1, did, day, "day", pid, itype, k, w,
                                "main", s0, s1, evidence,
                                json.dumps({"place": [ls, le]}), stamp, stamp))  # fmt: skip
                source_count[idx] += 1
                if perps:
                    mentions.append((len(mentions) + 1, did, "actor", perps[0], None, None,
                                     ps, pe, perp, stamp, stamp))  # fmt: skip
                mentions.append((len(mentions) + 1, did, "place", None, None, pid, ls, le,
                                 pname, stamp, stamp))  # fmt: skip
            for _ in range(statements_of[doc_no]):
                quote = (f"{rng.choice(vocab.QUOTE_OPENERS)} {rng.choice(vocab.QUOTE_OBJECTS)} "
                         f"{rng.choice(vocab.QUOTE_CLOSERS)}")  # fmt: skip
                sid = len(statements) + 1
                add('"')
                qs, qe = add(quote)
                if rng.random() < 0.8:
                    person = rng.choices(range(1, len(roles_of) + 1), cum_weights=person_cum)[0]
                    role_id, title, name = _role_on(roles_of[person - 1], published)
                    add(f'," said {title} ')
                    ns, ne = add(name)
                    add(". ")
                    speaker: tuple[int | None, int | None, int | None] = (person, None, role_id)
                    mentions.append((len(mentions) + 1, did, "person", None, person, None,
                                     ns, ne, name, stamp, stamp))  # fmt: skip
                else:
                    actor = rng.choices(perp_order, cum_weights=perp_cum)[0]
                    add(f'," the {actor_names[actor - 1]} said in a statement. ')
                    speaker = (None, actor, None)
                kind = "direct" if rng.random() < 0.7 else "indirect"
                channel = rng.choices(chan_names, cum_weights=chan_cum)[0]
                statements.append((sid, did, *speaker, kind, quote, published, channel, qs, qe,
                                   stamp, stamp))  # fmt: skip
                if members and rng.random() < 0.6:
                    stmt_inc.append((sid, members[0] + 1, stamp, stamp))
            text = buf.text().rstrip() or "No details were given."
            outlet, domain = rng.choices(vocab.OUTLETS, cum_weights=outlet_cum)[0]
            if members:
                f = facts[members[0]]
                title = f"{f[3]} killed in {f[2].replace('_', ' ')} in {self.place_info[f[1]][0]}"
            else:
                title = f"Officials comment on security, {published:%d %B %Y}"
            documents.append((
                did, hashlib.sha256(f"{did}\n{text}".encode()).hexdigest(),
                f"https://{domain}/{published.year}/{did}", outlet, title, published, "day",
                text, text, "text/plain", "en", 1, stamp, stamp, stamp,
            ))  # fmt: skip
        for row in incidents:
            row[17] = source_count[row[0] - 1]  # type: ignore[index]
        tables["incident"] = (inc_cols, [tuple(r) for r in incidents])
        tables["incident_actor"] = (ia_cols, inc_actors)
        tables["document"] = (doc_cols, documents)
        tables["report"] = (rep_cols, reports)
        tables["statement"] = (st_cols, statements)
        tables["statement_incident"] = (si_cols, stmt_inc)
        tables["mention"] = (men_cols, mentions)
        return tables

    def _actors(
        self,
    ) -> tuple[tuple[Table, Table], list[str], list[int], list[float], list[int], list[float]]:
        rng, n = self.rng, self.n.actors
        names: list[str] = [name for name, _ in vocab.ACTOR_CORE][:n]
        kinds: list[str] = [kind for _, kind in vocab.ACTOR_CORE][:n]
        seen = set(names)
        kind_names = [k for k, _ in vocab.ACTOR_KINDS]
        kind_cum = list(itertools.accumulate(w for _, w in vocab.ACTOR_KINDS))
        regions = [g[2] for g in vocab.GOVERNORATES]
        while len(names) < n:
            name = (f"{rng.choice(vocab.ACTOR_ADJ)} {rng.choice(regions)} "
                    f"{rng.choice(vocab.ACTOR_NOUN)}")  # fmt: skip
            if name in seen:
                name = f"{name} {len(names)}"
            seen.add(name)
            names.append(name)
            kinds.append(rng.choices(kind_names, cum_weights=kind_cum)[0])
        now = _ts(START)
        cols = ["id", "name", "normalized", "kind", "country", *TS]
        rows = [
            (i + 1, name, name.lower(), kind, rng.choice(("Iraq", "Syria", None)), now, now)
            for i, (name, kind) in enumerate(zip(names, kinds, strict=True))
        ]
        alias_cols = ["id", "actor_id", "alias", "normalized", *TS]
        aliases: list[Record] = []
        for i, name in enumerate(names[: max(10, n // 10)]):
            acronym = "".join(w[0] for w in name.split() if w[0].isalpha()).upper()
            aliases.append((len(aliases) + 1, i + 1, acronym, acronym.lower(), now, now))
        # Perpetrators: the non-civilian actors in a random order, Zipf-weighted (the
        # Islamic State first); targets: civilians first, then everyone else.
        perp_ids = [i + 1 for i, k in enumerate(kinds) if k != "civilians"]
        rest = perp_ids[1:]
        rng.shuffle(rest)
        perp_order = perp_ids[:1] + rest
        civilians = [i + 1 for i, k in enumerate(kinds) if k == "civilians"]
        others = [i + 1 for i, k in enumerate(kinds) if k != "civilians"]
        rng.shuffle(others)
        target_order = civilians[:1] + others + civilians[1:]
        return (
            ((cols, rows), (alias_cols, aliases)),
            names,
            perp_order,
            zipf_cum(len(perp_order), 1.3),
            target_order,
            zipf_cum(len(target_order), 1.2),
        )

    def _persons(
        self, n_actors: int
    ) -> tuple[
        tuple[Table, Table, Table], list[list[tuple[int, str, str, dt.date, dt.date | None]]]
    ]:
        rng = self.rng
        now = _ts(START)
        p_cols = ["id", "name", "normalized", "skeleton", *TS]
        a_cols = ["id", "person_id", "alias", "normalized", *TS]
        r_cols = ["id", "person_id", "title", "organisation_id", "start_date", "end_date",
                  "source", *TS]  # fmt: skip
        persons: list[Record] = []
        aliases: list[Record] = []
        roles: list[Record] = []
        roles_of: list[list[tuple[int, str, str, dt.date, dt.date | None]]] = []
        seen: set[str] = set()
        for pid in range(1, self.n.persons + 1):
            name = f"{rng.choice(vocab.GIVEN)} {rng.choice(vocab.GIVEN)} {rng.choice(vocab.FAMILY)}"
            if name in seen:
                name = f"{name} {pid}"
            seen.add(name)
            skeleton = "".join(c for c in name.lower() if c.isalpha() and c not in "aeiou")
            persons.append((pid, name, name.lower(), skeleton, now, now))
            family = name.split()[-1]
            aliases.append((pid, pid, family, family.lower(), now, now))
            start = dt.date(rng.randint(2005, 2019), rng.randint(1, 12), 1)
            mine: list[tuple[int, str, str, dt.date, dt.date | None]] = []
            for k in range(rng.choices((1, 2, 3), (50, 35, 15))[0]):
                end: dt.date | None = start + dt.timedelta(days=rng.randint(200, 2000))
                if end is not None and (
                    end > dt.date(2025, 6, 1) or (k > 0 and rng.random() < 0.3)
                ):
                    end = None
                title = rng.choice(vocab.TITLES)
                org = rng.randint(1, n_actors)
                rid = len(roles) + 1
                roles.append((rid, pid, title, org, start, end, "registry", now, now))
                mine.append((rid, title, name, start, end))
                if end is None:
                    break
                start = end + dt.timedelta(days=1)
            roles_of.append(mine)
        return ((p_cols, persons), (a_cols, aliases), (r_cols, roles)), roles_of


class _Text:
    """A document being written: appends text and returns each piece's span."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.pos = 0

    def add(self, piece: str) -> tuple[int, int]:
        start = self.pos
        self.parts.append(piece)
        self.pos += len(piece)
        return start, self.pos

    def text(self) -> str:
        return "".join(self.parts)


def _distinct(rng: random.Random, ids: Sequence[int], cum: list[float], k: int) -> list[int]:
    """Up to k distinct ids drawn from `ids` with cumulative weights `cum`."""
    out: list[int] = []
    for _ in range(k * 3):
        if len(out) == k:
            break
        pick = ids[bisect.bisect(cum, rng.random() * cum[-1])]
        if pick not in out:
            out.append(pick)
    return out


def _role_on(
    roles: list[tuple[int, str, str, dt.date, dt.date | None]], day: dt.date
) -> tuple[int, str, str]:
    """The role valid on `day` (else the latest one): (role id, title, person name)."""
    for rid, title, name, start, end in roles:
        if start <= day and (end is None or day <= end):
            return rid, title, name
    rid, title, name, _, _ = roles[-1]
    return rid, title, name


def _hotness(admin1: str) -> tuple[int, str]:
    low = admin1.lower()
    for rank, key in enumerate(HOT):
        if key in low:
            return rank, admin1
    return len(HOT), admin1


_PLACE_INT = {"geonames_id", "population"}
_PLACE_FLOAT = {"lat", "lon"}
_PLACE_COLS = {"geonames_id", "name", "ascii_name", "admin1", "admin1_code", "admin2",
               "country_code", "country", "lat", "lon", "feature_class", "feature_code",
               "population", "source"}  # fmt: skip
_COUNTRY = {"IQ": "Iraq", "SY": "Syria"}


def _read_places(path: Path) -> list[dict[str, Any]]:
    """Rows of places.tsv mapped onto the place table's columns (unknown columns ignored)."""
    out: list[dict[str, Any]] = []
    seen_geonames: set[int] = set()
    with path.open(encoding="utf-8", newline="") as fh:
        for raw in csv.DictReader(fh, delimiter="\t"):
            row: dict[str, Any] = {}
            for key, value in raw.items():
                if key is None or key not in _PLACE_COLS or value in (None, ""):
                    continue
                try:
                    row[key] = (int(value) if key in _PLACE_INT
                                else float(value) if key in _PLACE_FLOAT else value)  # fmt: skip
                except ValueError:
                    continue
            if not row.get("name") or not row.get("country_code"):
                continue
            gid = row.get("geonames_id")
            if gid is not None:
                if gid in seen_geonames:
                    continue
                seen_geonames.add(gid)
            row.setdefault("ascii_name", row["name"])
            row.setdefault("country", _COUNTRY.get(row["country_code"], row["country_code"]))
            row.setdefault("population", 0)
            row.setdefault("source", "geonames")
            out.append(row)
    return out


def main() -> None:  # pragma: no cover - convenience for `python -m bench.dataset`
    info = asyncio.run(generate(scale=0.01))
    print(info)


if __name__ == "__main__":  # pragma: no cover
    main()
