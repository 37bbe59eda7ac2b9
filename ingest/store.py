"""Stores one extracted document in the caller's transaction: all of it or nothing.

`store` inserts the document (or finds it already there: same normalised-text hash or
same URL -> `unchanged`, also when two submissions race: the insert is `ON CONFLICT DO
NOTHING` on the unique columns, so the loser of a race waits for the winner's commit
and then sees its row), then everything derived from it: mentions, the actors, persons
and roles it introduces, incidents (new, or merged into known ones), reports,
incident-actor links, statements and their incident links, and one change row per
entity touched. `reprocess` replaces a stored document's derived rows the same way.

On PostgreSQL, concurrent workers could both decide "unknown actor, create it" or "no
incident on that day, create one". Each transaction therefore takes advisory locks (held
to commit) on the days its incidents fall on (in the statement that looks its names
up) and then on the names it did not find, which it looks up again under the lock (see
`lock_for`). Names found take no lock, so documents naming the same known actors store
in parallel; only documents that share a day, or introduce the same new name, wait for
each other. Extraction runs before the transaction, so only the short store step is
serialised.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Literal

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncConnection

from ingest.changes import ChangeLog
from ingest.documents import Submission
from ingest.errors import ExtractionError
from ingest.extract.model import ActorRef, Extraction, OfficialMention, PlaceMatch, Span
from ingest.extract.model import Incident as XIncident
from ingest.merge import (
    INCIDENT,
    INCIDENT_ACTOR,
    REPORT,
    STATEMENT_INCIDENT,
    Candidate,
    find_match,
    match_prior,
    merge_incidents,
    recompute,
)
from ingest.resolve import MENTION, Reference, Resolver, normalise, skeleton
from schema.enums import (
    ActorKind,
    ActorRole,
    Channel,
    DatePrecision,
    EntityType,
    PlacePrecision,
    ReviewStatus,
)
from schema.models import Document, Statement
from schema.models.base import utcnow

DOCUMENT: sa.Table = Document.__table__  # type: ignore[attr-defined]
STATEMENT: sa.Table = Statement.__table__  # type: ignore[attr-defined]

Status = Literal["inserted", "merged", "unchanged"]
_PRECISION_RANK = {
    PlacePrecision.EXACT: 5,
    PlacePrecision.NEAR: 4,
    PlacePrecision.DISTRICT: 3,
    PlacePrecision.ADMIN1: 2,
    PlacePrecision.COUNTRY: 1,
}
_PLACE_FIELDS = ("place_id", "place_name", "place_precision", "admin1", "country", "lat", "lon")


@dataclass
class Stored:
    """What storing one document did (the job's `result`)."""

    status: Status
    document_id: int
    created_incidents: list[int] = field(default_factory=list)
    merged_incidents: list[int] = field(default_factory=list)
    statements: int = 0

    def as_result(self) -> dict[str, Any]:
        return {
            "status": self.status,
            "document_id": self.document_id,
            "created_incidents": self.created_incidents,
            "merged_incidents": self.merged_incidents,
            "statements": self.statements,
        }


def parse_published(value: str | None) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        raise ExtractionError(f"published date is not an ISO date: {value!r}") from None


async def existing_document(conn: AsyncConnection, sha256: str, url: str | None) -> int | None:
    """The stored document with this text hash or URL, if any."""
    cond = DOCUMENT.c.sha256 == sha256
    if url:
        cond = sa.or_(cond, DOCUMENT.c.url == url)
    found = (
        await conn.execute(sa.select(DOCUMENT.c.id).where(cond).order_by(DOCUMENT.c.id).limit(1))
    ).scalar_one_or_none()
    return int(found) if found is not None else None


def _insert(conn: AsyncConnection) -> Any:
    return postgresql.insert if conn.dialect.name == "postgresql" else sqlite.insert


async def store(
    conn: AsyncConnection,
    sub: Submission,
    extraction: Extraction,
    reference: Reference | None = None,
    then: Callable[[Stored], Awaitable[None]] | None = None,
) -> Stored:
    """Stores `sub` (already extracted) in the caller's transaction. `reference` is the
    worker process's cache of rows that never change (see `Reference`). `then` (the
    worker marking its job done) runs in the transaction before the change rows are
    written: those take the change-feed lock, held to commit, so the less that follows
    them, the less other workers' commits wait."""
    sha = sub.sha256
    published = parse_published(sub.published) or extraction.meta.published
    now = utcnow()
    stmt = (
        _insert(conn)(DOCUMENT)
        .values(
            sha256=sha,
            url=sub.url,
            outlet=(sub.outlet or extraction.meta.outlet or None),
            title=(sub.title or extraction.meta.title or None),
            published=published,
            published_precision=DatePrecision.DAY if published else None,
            raw_text=sub.raw,
            text=extraction.text,
            content_type=sub.content_type,
            language="en",
            extractor_version=extraction.extractor_version,
            ingested_at=now,
        )
        .on_conflict_do_nothing()
        .returning(DOCUMENT.c.id)
    )
    doc_id = (await conn.execute(stmt)).scalar_one_or_none()
    if doc_id is None:
        found = await existing_document(conn, sha, sub.url)
        if found is None:  # the conflicting row was deleted meanwhile: let the job retry
            raise RuntimeError("document conflict without a stored document")
        unchanged = Stored("unchanged", found)
        if then is not None:
            await then(unchanged)
        return unchanged
    changes = ChangeLog()
    changes.created(EntityType.DOCUMENT, int(doc_id))
    d = _Deriver(conn, int(doc_id), extraction, published, changes, reference=reference)
    await d.lookup()
    await lock_for(conn, extraction, d.resolver)
    stored = await d.derive()
    if then is not None:
        await then(stored)
    await changes.flush(conn)
    return stored


async def reprocess(
    conn: AsyncConnection,
    document_id: int,
    extraction: Extraction,
    reference: Reference | None = None,
) -> Stored:
    """Replaces a stored document's derived rows with those of a new extraction. Incidents
    it alone reported disappear unless a curator touched them; curated fields survive."""
    changes = ChangeLog()
    doc = (
        await conn.execute(
            sa.select(DOCUMENT.c.id, DOCUMENT.c.published)
            .where(DOCUMENT.c.id == document_id)
            .with_for_update()
        )
    ).first()
    if doc is None:
        raise ExtractionError(f"document {document_id} does not exist")
    published = doc.published or extraction.meta.published
    d = _Deriver(conn, document_id, extraction, published, changes, reference=reference)
    await d.lookup()
    await lock_for(conn, extraction, d.resolver)
    old_incidents = list(
        dict.fromkeys(
            int(i)
            for i in (
                await conn.execute(
                    sa.select(REPORT.c.incident_id)
                    .where(REPORT.c.document_id == document_id)
                    .order_by(REPORT.c.id)
                )
            ).scalars()
        )
    )
    for table, entity in ((REPORT, EntityType.REPORT), (STATEMENT, EntityType.STATEMENT)):
        ids = (
            await conn.execute(
                sa.delete(table).where(table.c.document_id == document_id).returning(table.c.id)
            )
        ).scalars()
        for i in ids:
            changes.deleted(entity, int(i))
    await conn.execute(sa.delete(MENTION).where(MENTION.c.document_id == document_id))
    await conn.execute(
        sa.update(DOCUMENT)
        .where(DOCUMENT.c.id == document_id)
        .values(text=extraction.text, extractor_version=extraction.extractor_version)
    )
    changes.updated(EntityType.DOCUMENT, document_id)
    d.prior = list(old_incidents)
    stored = await d.derive()
    kept = set(stored.created_incidents) | set(stored.merged_incidents)
    for incident_id in sorted(set(old_incidents) - kept):
        await _after_report_loss(conn, int(incident_id), changes)
    await changes.flush(conn)
    return stored


async def _after_report_loss(conn: AsyncConnection, incident_id: int, changes: ChangeLog) -> None:
    remaining = (
        await conn.execute(sa.select(sa.func.count()).where(REPORT.c.incident_id == incident_id))
    ).scalar_one()
    row = (
        await conn.execute(
            sa.select(INCIDENT.c.curated_fields, INCIDENT.c.review_status).where(
                INCIDENT.c.id == incident_id
            )
        )
    ).one()
    curated = bool(row.curated_fields) or row.review_status != ReviewStatus.UNREVIEWED
    if remaining == 0 and not curated:
        await conn.execute(
            sa.update(INCIDENT).where(INCIDENT.c.id == incident_id).values(deleted_at=utcnow())
        )
        changes.deleted(EntityType.INCIDENT, incident_id)
    else:
        await recompute(conn, incident_id, changes)


# -- locking -------------------------------------------------------------------------


def lock_key(*parts: object) -> int:
    """The advisory-lock key of a name or day (a signed 64-bit hash)."""
    digest = hashlib.blake2b("\x1f".join(map(str, parts)).encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


@dataclass
class _Unsettled:
    """Names this transaction may have to create rows for (looked up and not found)."""

    actor_keys: list[str] = field(default_factory=list)
    actor_names: list[str] = field(default_factory=list)
    officials: list[OfficialMention] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.actor_keys or self.actor_names or self.officials)


def day_keys(extraction: Extraction) -> list[int]:
    """Advisory-lock keys of the days next to the incidents' (an incident may be created
    on, or merged into one on, any of them), sorted."""
    keys = {
        lock_key("day", (i.date + dt.timedelta(days=d)).toordinal())
        for i in extraction.incidents
        if i.date is not None
        for d in (-1, 0, 1)
    }
    return sorted(keys)


def _plan(extraction: Extraction, resolver: Resolver | None) -> tuple[list[int], _Unsettled]:
    """Advisory-lock keys of the names that may be created. With a resolver that has
    looked the names up, a name it found is left out: an existing row is used, nothing
    is created, so there is nothing to serialise (the registry's actors, named in most
    articles, would otherwise make every transaction wait for the others)."""
    keys: set[int] = set()
    todo = _Unsettled()

    def named(name: str) -> None:
        if resolver is None or not resolver.name_known(name):
            keys.add(lock_key("actor", normalise(name)))
            todo.actor_names.append(name)

    def person(m: OfficialMention) -> None:
        if resolver is None or not resolver.person_settled(m):
            names = [m.name, *m.names]
            keys.update(lock_key("person", normalise(n)) for n in names)
            keys.update(lock_key("skeleton", skeleton(n)) for n in names)
            todo.officials.append(m)

    for a in extraction.actors:
        if resolver is None or not resolver.actor_known(a):
            keys.update(lock_key("actor", normalise(n)) for n in [a.name, *a.names])
            todo.actor_names.extend([a.name, *a.names])
            if a.key:
                todo.actor_keys.append(a.key)
    for i in extraction.incidents:
        for ref in [*i.perpetrators, *i.targets]:
            named(ref.name)
    for o in extraction.officials:
        person(o)
        if o.affiliation:
            named(o.affiliation)
    for s in extraction.statements:
        if s.speaker_type == "person":
            person(OfficialMention(s.speaker))
        else:
            named(s.speaker)
    return sorted(keys), todo


def lock_keys(extraction: Extraction, resolver: Resolver | None = None) -> list[int]:
    """Advisory-lock keys for everything this extraction may create or merge into."""
    return sorted({*day_keys(extraction), *_plan(extraction, resolver)[0]})


async def _lock(conn: AsyncConnection, keys: list[int]) -> None:
    if keys:
        # unnest() yields the sorted array in order, so locks are taken in key order.
        await conn.execute(
            sa.text(
                "SELECT count(pg_advisory_xact_lock(k)) FROM unnest(CAST(:keys AS bigint[])) AS k"
            ),
            {"keys": keys},
        )


async def lock_for(
    conn: AsyncConnection, extraction: Extraction, resolver: Resolver | None = None
) -> None:
    """Takes the transaction's advisory locks (PostgreSQL) so that concurrent workers
    cannot both create one name, or both create or merge one incident.

    Without a resolver: every key, in one statement in key order. With a resolver whose
    `preload` took the day locks (`Deriver.lookup`): the locks of the names it did not
    find, in a second statement, and those names are looked up again, now that no other
    transaction can create them until this one commits (the one that held the lock may
    just have). Every transaction takes all its day locks before any name lock, each
    group in key order, so no two can wait for each other in a cycle."""
    if conn.dialect.name != "postgresql":
        return  # SQLite: the transaction already holds the database's single write lock
    if resolver is None:
        await _lock(conn, lock_keys(extraction))
        return
    keys, todo = _plan(extraction, resolver)
    await _lock(conn, keys)
    if todo:
        resolver.forget(todo.actor_keys, todo.actor_names, todo.officials)
        await resolver.preload(todo.actor_keys, todo.actor_names, todo.officials)


# -- derived records -----------------------------------------------------------------


def _place_precision(inc: XIncident) -> PlacePrecision | None:
    if inc.place is not None:
        code = inc.place.feature_code or ""
        if inc.place.relation:
            return PlacePrecision.NEAR
        if code == "ADM1":
            return PlacePrecision.ADMIN1
        if code.startswith("ADM"):
            return PlacePrecision.DISTRICT
        return PlacePrecision.EXACT
    if inc.admin1:
        return PlacePrecision.ADMIN1
    if inc.country:
        return PlacePrecision.COUNTRY
    return None


def _spans(inc: XIncident) -> dict[str, Any]:
    spans: dict[str, Any] = {"evidence": [list(s) for s in inc.evidence_spans]}
    named: dict[str, Span | None] = {
        "date": inc.date_span,
        "killed": inc.killed_span,
        "wounded": inc.wounded_span,
        "place": inc.place.span if inc.place else None,
    }
    spans.update({k: list(v) for k, v in named.items() if v is not None})
    return spans


# The SQL type of each column written by `_NEW_INCIDENT_PG` (parameters are cast: in an
# INSERT ... SELECT, PostgreSQL would not infer them from the target columns).
_INCIDENT_COLUMNS = {
    "date": "date",
    "date_precision": "text",
    "place_id": "integer",
    "place_name": "text",
    "place_precision": "text",
    "admin1": "text",
    "country": "text",
    "lat": "double precision",
    "lon": "double precision",
    "type": "text",
    "salience": "text",
    "killed_low": "integer",
    "killed_best": "integer",
    "killed_high": "integer",
    "wounded_low": "integer",
    "wounded_best": "integer",
    "wounded_high": "integer",
}
_REPORT_COLUMNS = {
    "document_id": "integer",
    "date": "date",
    "date_precision": "text",
    "place_id": "integer",
    "type": "text",
    "killed": "integer",
    "wounded": "integer",
    "salience": "text",
    "span_start": "integer",
    "span_end": "integer",
    "evidence": "text",
}


def _casts(prefix: str, columns: dict[str, str]) -> str:
    return ", ".join(f"CAST(:{prefix}_{k} AS {t})" for k, t in columns.items())


# Only the constant column lists above are interpolated; every value is a parameter.
_NEW_INCIDENT_PG = sa.text(
    f"""
    WITH i AS (
        INSERT INTO incident (created_at, updated_at, source_count, review_status,
                              curated_fields, {", ".join(_INCIDENT_COLUMNS)})
        VALUES (CAST(:now AS timestamptz), CAST(:now AS timestamptz), 1,
                {ReviewStatus.UNREVIEWED.value!r},
                CAST('[]' AS json), {_casts("i", _INCIDENT_COLUMNS)})
        RETURNING id
    ), links AS (
        INSERT INTO incident_actor (created_at, updated_at, incident_id, actor_id, role, basis)
        SELECT CAST(:now AS timestamptz), CAST(:now AS timestamptz), i.id, u.actor_id,
               u.role, u.basis
        FROM i, unnest(CAST(:actors AS integer[]), CAST(:roles AS text[]),
                       CAST(:bases AS text[])) AS u(actor_id, role, basis)
    ), r AS (
        INSERT INTO report (created_at, updated_at, incident_id, spans,
                            {", ".join(_REPORT_COLUMNS)})
        SELECT CAST(:now AS timestamptz), CAST(:now AS timestamptz), i.id,
               CAST(:r_spans AS json), {_casts("r", _REPORT_COLUMNS)}
        FROM i
        RETURNING id
    )
    SELECT i.id, r.id AS report_id FROM i, r
    """  # noqa: S608
)


_STATEMENT_COLUMNS = {
    "document_id": "integer",
    "speaker_person_id": "integer",
    "speaker_actor_id": "integer",
    "speaker_role_id": "integer",
    "kind": "text",
    "text": "text",
    "date": "date",
    "channel": "text",
    "span_start": "integer",
    "span_end": "integer",
}
_NEW_STATEMENT_PG = sa.text(
    f"""
    WITH s AS (
        INSERT INTO statement (created_at, updated_at, {", ".join(_STATEMENT_COLUMNS)})
        VALUES (CAST(:now AS timestamptz), CAST(:now AS timestamptz),
                {_casts("s", _STATEMENT_COLUMNS)})
        RETURNING id
    ), links AS (
        INSERT INTO statement_incident (created_at, updated_at, statement_id, incident_id)
        SELECT CAST(:now AS timestamptz), CAST(:now AS timestamptz), s.id, u.incident_id
        FROM s, unnest(CAST(:incidents AS integer[])) AS u(incident_id)
    )
    SELECT s.id FROM s
    """  # noqa: S608
)


def _plain(value: Any) -> Any:
    """A parameter for a text statement: enum members as their values."""
    return str(value) if isinstance(value, StrEnum) else value


def _distinct_links(
    refs: Sequence[tuple[ActorRole, int, str]],
) -> list[tuple[ActorRole, int, str]]:
    """One link per (role, actor): the first basis given wins."""
    seen: set[tuple[str, int]] = set()
    out = []
    for role, actor_id, basis in refs:
        if (str(role), actor_id) not in seen:
            seen.add((str(role), actor_id))
            out.append((role, actor_id, basis))
    return out


class _Deriver:
    def __init__(
        self,
        conn: AsyncConnection,
        document_id: int,
        extraction: Extraction,
        published: dt.date | None,
        changes: ChangeLog,
        prior: list[int] | None = None,
        reference: Reference | None = None,
    ) -> None:
        self.prior = list(prior or [])
        self.conn = conn
        self.document_id = document_id
        self.x = extraction
        self.published = published
        self.changes = changes
        self.resolver = Resolver(conn, changes, extraction.text, reference)
        self.actor_ids: dict[str, int] = {}
        self.officials: dict[str, tuple[int, OfficialMention]] = {}

    async def lookup(self) -> None:
        """Looks up every name and place of the extraction: one query for the names, which
        also takes the day locks (and one for places not in the process's cache)."""
        r = self.resolver
        x = self.x
        refs = [ref.name for i in x.incidents for ref in [*i.perpetrators, *i.targets]]
        speakers = [s.speaker for s in x.statements if s.speaker_type != "person"]
        affiliations = [o.affiliation for o in x.officials if o.affiliation]
        await r.preload(
            [a.key for a in x.actors if a.key],
            [n for a in x.actors for n in [a.name, *a.names]] + refs + speakers + affiliations,
            [
                *x.officials,
                *(OfficialMention(s.speaker) for s in x.statements if s.speaker_type == "person"),
            ],
            lock_days=day_keys(x),
        )
        await r.preload_places([*x.places, *(i.place for i in x.incidents)])

    async def derive(self) -> Stored:
        """Everything derived from the document (after `lookup` and the locks)."""
        await self.entities()
        incident_ids: list[int] = []
        created: list[int] = []
        merged: list[int] = []
        for inc in self.x.incidents:
            incident_id, was_merged = await self.incident(inc)
            incident_ids.append(incident_id)
            (merged if was_merged else created).append(incident_id)
        n_statements = await self.statements(incident_ids)
        await self.resolver.flush_mentions(self.document_id)
        status: Status = "merged" if merged else "inserted"
        return Stored(status, self.document_id, created, merged, n_statements)

    async def entities(self) -> None:
        r = self.resolver
        for a in self.x.actors:
            actor_id = await r.actor(a)
            self.actor_ids[a.name] = actor_id
            for span in a.spans:
                r.mention(EntityType.ACTOR, actor_id, span)
        for o in self.x.officials:
            person_id, _ = await r.person(o, self.published)
            self.officials[o.name] = (person_id, o)
            for span in o.spans:
                r.mention(EntityType.PERSON, person_id, span)
        for p in self.x.places:
            place_id = await r.place(p)
            if place_id is not None:
                r.mention(EntityType.PLACE, place_id, p.span)

    async def _ref(self, ref: ActorRef, kind: ActorKind) -> int:
        if ref.name in self.actor_ids:
            return self.actor_ids[ref.name]
        return await self.resolver.actor_named(ref.name, kind)

    async def incident(self, inc: XIncident) -> tuple[int, bool]:
        """Stores one extracted incident; (incident id, merged into a known one)."""
        place_row = await self.resolver.place_row(inc.place)
        place_id, admin2 = place_row if place_row else (None, None)
        perps = [(await self._ref(p, ActorKind.OTHER), p.basis) for p in inc.perpetrators]
        targets = [(await self._ref(t, ActorKind.CIVILIANS), t.basis) for t in inc.targets]
        place: PlaceMatch | None = inc.place
        admin1 = inc.admin1 or (place.admin1 if place else None)
        fields: dict[str, Any] = {
            "date": inc.date,
            "date_precision": inc.date_precision,
            "place_id": place_id,
            "place_name": place.name[:300] if place else None,
            "place_precision": _place_precision(inc),
            "admin1": admin1,
            "country": inc.country or (place.country if place else None),
            "lat": place.lat if place else None,
            "lon": place.lon if place else None,
        }
        candidate = Candidate(
            inc.date,
            inc.type,
            place_id,
            admin1,
            frozenset(p for p, _ in perps),
            self.document_id,
            admin2,
        )
        match = await match_prior(self.conn, candidate, self.prior)
        duplicates: list[int] = []
        if match is not None:
            self.prior.remove(match)  # each earlier incident is taken once
        else:
            match, duplicates = await find_match(self.conn, candidate)
        refs = [(ActorRole.PERPETRATOR, a, b) for a, b in perps] + [
            (ActorRole.TARGET, a, b) for a, b in targets
        ]
        report: dict[str, Any] = {
            "document_id": self.document_id,
            "date": inc.date,
            "date_precision": inc.date_precision,
            "place_id": place_id,
            "type": inc.type,
            "killed": inc.killed,
            "wounded": inc.wounded,
            "salience": inc.salience,
            "span_start": inc.span[0],
            "span_end": inc.span[1],
            "evidence": self.x.text[inc.span[0] : inc.span[1]],
            "spans": _spans(inc),
        }
        if match is None:
            # One report: its figures are low, best and high; no recompute needed.
            figures = {
                f"{name}_{level}": value
                for name, value in (("killed", inc.killed), ("wounded", inc.wounded))
                for level in ("low", "best", "high")
            }
            incident = {
                "type": inc.type,
                "salience": inc.salience,
                "source_count": 1,
                **fields,
                **figures,
            }
            incident_id, report_id = await self._new_incident(incident, report, refs)
            self.changes.created(EntityType.INCIDENT, incident_id)
            self.changes.created(EntityType.REPORT, report_id)
            return incident_id, False
        incident_id = match
        await self._refine(incident_id, fields)
        await self._links(incident_id, refs, False)
        report_id = (
            await self.conn.execute(
                sa.insert(REPORT).values(incident_id=incident_id, **report).returning(REPORT.c.id)
            )
        ).scalar_one()
        self.changes.created(EntityType.REPORT, int(report_id))
        for dup in duplicates:
            await merge_incidents(self.conn, incident_id, dup, self.changes)
        await recompute(self.conn, incident_id, self.changes)
        return incident_id, True

    async def _new_incident(
        self,
        incident: dict[str, Any],
        report: dict[str, Any],
        refs: Sequence[tuple[ActorRole, int, str]],
    ) -> tuple[int, int]:
        """Inserts a new incident, its actor links and its report: (incident id, report
        id). On PostgreSQL in one statement (data-modifying CTEs): one round trip, not 3."""
        links = _distinct_links(refs)
        if self.conn.dialect.name == "postgresql":
            now = utcnow()
            row = (
                await self.conn.execute(
                    _NEW_INCIDENT_PG,
                    {
                        **{f"i_{k}": _plain(incident.get(k)) for k in _INCIDENT_COLUMNS},
                        **{f"r_{k}": _plain(report.get(k)) for k in _REPORT_COLUMNS},
                        "r_spans": json.dumps(report["spans"]),
                        "now": now,
                        "actors": [a for _, a, _ in links],
                        "roles": [str(role) for role, _, _ in links],
                        "bases": [str(basis) for _, _, basis in links],
                    },
                )
            ).one()
            return int(row.id), int(row.report_id)
        incident_id = int(
            (
                await self.conn.execute(
                    sa.insert(INCIDENT).values(**incident).returning(INCIDENT.c.id)
                )
            ).scalar_one()
        )
        await self._insert_links(incident_id, links)
        report_id = (
            await self.conn.execute(
                sa.insert(REPORT).values(incident_id=incident_id, **report).returning(REPORT.c.id)
            )
        ).scalar_one()
        return incident_id, int(report_id)

    async def _insert_links(
        self, incident_id: int, links: Sequence[tuple[ActorRole, int, str]]
    ) -> None:
        if links:
            await self.conn.execute(
                sa.insert(INCIDENT_ACTOR),
                [
                    {"incident_id": incident_id, "actor_id": a, "role": role, "basis": basis}
                    for role, a, basis in links
                ],
            )

    async def _refine(self, incident_id: int, new: dict[str, Any]) -> None:
        """Fills what a known incident lacks, and takes a more precise location, except
        where a curator set the value."""
        row = (
            await self.conn.execute(sa.select(INCIDENT).where(INCIDENT.c.id == incident_id))
        ).one()
        curated = set(row.curated_fields or [])
        values: dict[str, Any] = {}
        for name in ("date", "date_precision"):
            if getattr(row, name) is None and new[name] is not None and name not in curated:
                values[name] = new[name]
        old_rank = _PRECISION_RANK.get(row.place_precision, 0)
        new_rank = _PRECISION_RANK.get(new["place_precision"], 0)
        if new_rank > old_rank and not curated & {*_PLACE_FIELDS, "place"}:
            values.update({k: new[k] for k in _PLACE_FIELDS})
        if values:
            await self.conn.execute(
                sa.update(INCIDENT).where(INCIDENT.c.id == incident_id).values(**values)
            )
            self.changes.updated(EntityType.INCIDENT, incident_id)

    async def _links(
        self, incident_id: int, refs: Sequence[tuple[ActorRole, int, str]], new: bool
    ) -> None:
        """Links actors to a known incident (one insert), skipping links it already has."""
        if not refs:
            return
        have: set[tuple[str, int]] = set()
        if not new:
            have.update(
                (str(role), int(actor_id))
                for role, actor_id in await self.conn.execute(
                    sa.select(INCIDENT_ACTOR.c.role, INCIDENT_ACTOR.c.actor_id).where(
                        INCIDENT_ACTOR.c.incident_id == incident_id
                    )
                )
            )
        links = [link for link in _distinct_links(refs) if (str(link[0]), link[1]) not in have]
        if links:
            await self._insert_links(incident_id, links)
            if not new:
                self.changes.updated(EntityType.INCIDENT, incident_id)

    async def statements(self, incident_ids: list[int]) -> int:
        n = 0
        for s in self.x.statements:
            person_id: int | None = None
            actor_id: int | None = None
            role_id: int | None = None
            date = s.date or self.published
            if s.speaker_type == "person":
                if s.speaker in self.officials:
                    person_id, mention = self.officials[s.speaker]
                else:
                    mention = OfficialMention(name=s.speaker)
                    person_id, _ = await self.resolver.person(mention, date)
                role_id = await self.resolver.role_on(person_id, date, mention.title)
            elif s.speaker in self.actor_ids:
                actor_id = self.actor_ids[s.speaker]
            else:
                actor_id = await self.resolver.actor_named(s.speaker)
            channel = None
            if s.channel:
                known = s.channel in Channel._value2member_map_
                channel = Channel(s.channel) if known else Channel.OTHER
            values = {
                "document_id": self.document_id,
                "speaker_person_id": person_id,
                "speaker_actor_id": actor_id,
                "speaker_role_id": role_id,
                "kind": s.kind,
                "text": s.quote,
                "date": date,
                "channel": channel,
                "span_start": s.span[0],
                "span_end": s.span[1],
            }
            insert = sa.insert(STATEMENT).values(**values).returning(STATEMENT.c.id)
            linked = sorted({incident_ids[i] for i in s.incidents if 0 <= i < len(incident_ids)})
            pg = self.conn.dialect.name == "postgresql"
            if linked and pg:  # the statement and its links in one round trip
                params = {f"s_{k}": _plain(v) for k, v in values.items()}
                stmt: Any = _NEW_STATEMENT_PG.bindparams(now=utcnow(), incidents=linked, **params)
            else:
                stmt = insert
            statement_id = int((await self.conn.execute(stmt)).scalar_one())
            self.changes.created(EntityType.STATEMENT, statement_id)
            if linked and not pg:
                await self.conn.execute(
                    sa.insert(STATEMENT_INCIDENT),
                    [{"statement_id": statement_id, "incident_id": i} for i in linked],
                )
            n += 1
        return n
