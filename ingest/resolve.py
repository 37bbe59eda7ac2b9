"""Entity resolution: the extractor's names -> rows of actor, person, role and place.

Actors resolve by registry key, then by normalised name or alias; officials by registry
key, normalised name or alias, the transliteration skeleton (only when it points at one
person), and, for a bare title ("the Iraqi prime minister"), by the role held on the
document's date. What is not known is created with its aliases (officials also get a
Role from the extracted title and affiliation, `source="extracted"`). Places resolve by
GeoNames id. Every recognition becomes a `mention` row with its span.

One `Resolver` lives for one storing transaction; it caches what it looked up.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql
from sqlalchemy.ext.asyncio import AsyncConnection

from ingest.changes import ChangeLog
from ingest.extract import fold
from ingest.extract.model import ActorMention, OfficialMention, PlaceMatch, Span
from ingest.seed import fold as seed_fold
from schema.enums import ActorKind, EntityType
from schema.models import Actor, ActorAlias, Mention, Person, PersonAlias, Place, Role

ACTOR: sa.Table = Actor.__table__  # type: ignore[attr-defined]
ACTOR_ALIAS: sa.Table = ActorAlias.__table__  # type: ignore[attr-defined]
PERSON: sa.Table = Person.__table__  # type: ignore[attr-defined]
PERSON_ALIAS: sa.Table = PersonAlias.__table__  # type: ignore[attr-defined]
ROLE: sa.Table = Role.__table__  # type: ignore[attr-defined]
PLACE: sa.Table = Place.__table__  # type: ignore[attr-defined]
MENTION: sa.Table = Mention.__table__  # type: ignore[attr-defined]

# Words that qualify a title without naming anyone ("the Iraqi prime minister").
_TITLE_WORDS = frozenset(
    [
        "the",
        "a",
        "an",
        "iraqi",
        "iraq",
        "syrian",
        "syria",
        "kurdish",
        "kurdistan",
        "region",
        "regional",
        "federal",
        "us",
        "american",
        "turkish",
        "iranian",
        "caretaker",
        "former",
        "acting",
        "then",
        "current",
        "deputy",
    ]
)


# Memoised: a document's names are normalised several times (lock keys, look-ups,
# aliases), and the same few hundred names recur across documents.
@lru_cache(maxsize=16384)
def normalise(name: str) -> str:
    """The form stored in every `normalized` column (the seeder's `fold`)."""
    return seed_fold(name)[:300]


@lru_cache(maxsize=16384)
def skeleton(name: str) -> str:
    """Transliteration-insensitive key ("Mustafa al-Kadhimi" == "Mustafa Al Kazimi")."""
    return fold.name_key(name)[:300]


def _clip(text: str, span: Span) -> str:
    return text[span[0] : span[1]][:500]


@dataclass(frozen=True)
class _Hit:
    """A row found for a name: ranks order the candidates (lower is better)."""

    registry_rank: int  # 0 for a registry entry, 1 for one discovered in text
    rank: int  # 0 name, 1 alias
    id: int
    merged_into_id: int | None


@dataclass(frozen=True)
class _Role:
    id: int
    title: str
    start_date: dt.date | None
    end_date: dt.date | None


class Reference:
    """What a worker process keeps between documents: rows that ingest never changes.

    Only places (the gazetteer, by GeoNames id -> (place id, admin2)): the seeder writes
    them, nothing else edits or deletes them, so a row found once stays right. Actors,
    people and roles are not kept: other workers create them and curators merge and
    rename them, so each storing transaction looks them up (one query for all its names).
    A place not found is not remembered as missing: the next document asks again."""

    def __init__(self) -> None:
        self.places: dict[int, tuple[int, str | None]] = {}


def _null(type_: Any) -> Any:
    return sa.cast(sa.null(), type_)


_LOOKUP: dict[str, sa.Executable] = {}  # built once per dialect, at first use


def _any(column: Any, name: str, pg: bool, type_: Any = sa.String) -> Any:
    """`column IN (:name...)`: `= ANY(:name)` with one array parameter on PostgreSQL (one
    statement text whatever the number of names, so it is compiled and prepared once)."""
    if pg:
        return column == sa.any_(sa.bindparam(name, type_=postgresql.ARRAY(type_)))
    return column.in_(sa.bindparam(name, expanding=True))


def _lookup(dialect: str) -> sa.Executable:
    """One query for actors and people by registry key (`a_keys`, `p_keys`), normalised
    name or alias (`a_norms`, `p_norms`) and skeleton (`p_skels`), with the roles of the
    people found. Rows: (kind, match, id, registry_key, merged_into_id, skeleton,
    role_id, start_date, end_date); `match` is the normalised name or alias matched (the
    title, for a role). On PostgreSQL it also takes the transaction's advisory locks on
    `days` (see `ingest.store.lock_for`), saving a round trip."""
    if dialect in _LOOKUP:
        return _LOOKUP[dialect]
    pg = dialect == "postgresql"
    no_role = (
        _null(sa.Integer).label("role_id"),
        _null(sa.Date).label("start_date"),
        _null(sa.Date).label("end_date"),
    )
    actor_live = ACTOR.c.deleted_at.is_(None)
    person_live = PERSON.c.deleted_at.is_(None)

    def head(kind: str, match: Any, table: sa.Table, skel: Any) -> tuple[Any, ...]:
        return (
            sa.literal_column(f"'{kind}'", sa.String).label("kind"),
            sa.cast(match, sa.String).label("match"),
            sa.cast(table.c.id, sa.Integer).label("id"),
            table.c.registry_key.label("registry_key"),
            table.c.merged_into_id.label("merged_into_id"),
            sa.cast(skel, sa.String).label("skeleton"),
        )

    by_alias = sa.and_(person_live, _any(PERSON_ALIAS.c.normalized, "p_norms", pg))
    alias_join = PERSON_ALIAS.join(PERSON, PERSON.c.id == PERSON_ALIAS.c.person_id)
    by_person = sa.and_(
        person_live,
        sa.or_(
            _any(PERSON.c.registry_key, "p_keys", pg),
            _any(PERSON.c.normalized, "p_norms", pg),
            _any(PERSON.c.skeleton, "p_skels", pg),
        ),
    )
    found = sa.union(
        sa.select(PERSON.c.id).where(by_person),
        sa.select(PERSON.c.id).select_from(alias_join).where(by_alias),
    )
    parts: list[Any] = [
        sa.select(*head("actor", ACTOR.c.normalized, ACTOR, sa.null()), *no_role).where(
            actor_live,
            sa.or_(
                _any(ACTOR.c.registry_key, "a_keys", pg), _any(ACTOR.c.normalized, "a_norms", pg)
            ),
        ),
        sa.select(*head("actor_alias", ACTOR_ALIAS.c.normalized, ACTOR, sa.null()), *no_role)
        .select_from(ACTOR_ALIAS.join(ACTOR, ACTOR.c.id == ACTOR_ALIAS.c.actor_id))
        .where(actor_live, _any(ACTOR_ALIAS.c.normalized, "a_norms", pg)),
        sa.select(*head("person", PERSON.c.normalized, PERSON, PERSON.c.skeleton), *no_role).where(
            by_person
        ),
        sa.select(*head("person_alias", PERSON_ALIAS.c.normalized, PERSON, sa.null()), *no_role)
        .select_from(alias_join)
        .where(by_alias),
        sa.select(
            sa.literal_column("'role'", sa.String).label("kind"),
            ROLE.c.title.label("match"),
            ROLE.c.person_id.label("id"),
            _null(sa.String).label("registry_key"),
            _null(sa.Integer).label("merged_into_id"),
            _null(sa.String).label("skeleton"),
            ROLE.c.id.label("role_id"),
            ROLE.c.start_date.label("start_date"),
            ROLE.c.end_date.label("end_date"),
        ).where(ROLE.c.person_id.in_(found)),
    ]
    if pg:
        days = (
            sa.func.unnest(sa.bindparam("days", type_=postgresql.ARRAY(sa.BigInteger)))
            .table_valued("k")
            .render_derived()
        )
        parts.insert(
            0,
            sa.select(
                sa.literal_column("'lock'", sa.String).label("kind"),
                _null(sa.String).label("match"),
                sa.cast(sa.func.count(sa.func.pg_advisory_xact_lock(days.c.k)), sa.Integer).label(
                    "id"
                ),
                _null(sa.String).label("registry_key"),
                _null(sa.Integer).label("merged_into_id"),
                _null(sa.String).label("skeleton"),
                *no_role,
            ).select_from(days),
        )
    _LOOKUP[dialect] = sa.union_all(*parts)
    return _LOOKUP[dialect]


class Resolver:
    def __init__(
        self,
        conn: AsyncConnection,
        changes: ChangeLog,
        text: str,
        reference: Reference | None = None,
    ) -> None:
        self.conn = conn
        self.reference = reference or Reference()
        self.changes = changes
        self.text = text
        self._actors: dict[str, int] = {}
        self._places: dict[int, tuple[int, str | None] | None] = {}
        self._mentions: list[dict[str, Any]] = []
        # Batched look-ups: what each registry key / normalised name resolved to.
        self._actor_keys: dict[str, _Hit] = {}
        self._actor_names: dict[str, list[_Hit]] = {}
        self._person_keys: dict[str, _Hit] = {}
        self._person_names: dict[str, list[_Hit]] = {}
        self._person_skeletons: dict[str, set[int]] = {}
        self._roles: dict[int, list[Any]] = {}

    async def _live(self, table: sa.Table, hit: _Hit) -> int:
        """Follows `merged_into_id` to the row that survives a merge."""
        row_id, into = hit.id, hit.merged_into_id
        for _ in range(20):
            if into is None:
                return row_id
            row_id = int(into)
            into = (
                await self.conn.execute(
                    sa.select(table.c.merged_into_id).where(table.c.id == row_id)
                )
            ).scalar_one_or_none()
        return row_id

    # -- actors -----------------------------------------------------------------

    async def preload_actors(self, keys: Iterable[str], names: Iterable[str]) -> None:
        """Looks up registry keys and names not looked up yet (one query)."""
        await self.preload(keys, names, ())

    async def preload(
        self,
        actor_keys: Iterable[str],
        actor_names: Iterable[str],
        officials: Iterable[OfficialMention],
        lock_days: Iterable[int] = (),
    ) -> None:
        """Looks up, in one query, every actor key and name and every official (key,
        names, skeletons) not looked up yet, with the roles of the people found: one
        storing transaction resolves dozens of names; a round trip each would dominate
        its time. On PostgreSQL the same query takes the advisory locks `lock_days`."""
        a_keys = sorted({k for k in actor_keys if k} - set(self._actor_keys))
        a_norms = sorted({n for n in map(normalise, actor_names) if n} - set(self._actor_names))
        p_keys: set[str] = set()
        p_names: set[str] = set()
        for o in officials:
            if o.key:
                p_keys.add(o.key)
            p_names.update([o.name, *o.names])
        pk = sorted(p_keys - set(self._person_keys))
        pn = sorted({n for n in map(normalise, p_names) if n} - set(self._person_names))
        ps = sorted({k for k in map(skeleton, p_names) if " " in k} - set(self._person_skeletons))
        dialect = self.conn.dialect.name
        days = list(lock_days) if dialect == "postgresql" else []
        if not (a_keys or a_norms or pk or pn or ps or days):
            return
        for norm in a_norms:
            self._actor_names[norm] = []
        for norm in pn:
            self._person_names[norm] = []
        for skel in ps:
            self._person_skeletons[skel] = set()
        people: dict[int, list[Any]] = {}
        params: dict[str, list[Any]] = {
            "a_keys": a_keys,
            "a_norms": a_norms,
            "p_keys": pk,
            "p_norms": pn,
            "p_skels": ps,
        }
        if dialect == "postgresql":
            params["days"] = days
        for r in await self.conn.execute(_lookup(dialect), params):
            if r.kind == "lock":
                continue
            if r.kind == "role":
                people.setdefault(int(r.id), []).append(
                    _Role(int(r.role_id), r.match, r.start_date, r.end_date)
                )
                continue
            hit = _Hit(int(r.registry_key is None), int(r.kind.endswith("alias")), int(r.id),
                       r.merged_into_id)  # fmt: skip
            if r.kind == "actor":
                if r.registry_key is not None and r.registry_key in a_keys:
                    self._actor_keys[r.registry_key] = hit
                if r.match in self._actor_names and r.match in a_norms:
                    self._actor_names[r.match].append(hit)
            elif r.kind == "actor_alias":
                self._actor_names[r.match].append(hit)
            else:
                people.setdefault(int(r.id), [])
                if r.kind == "person_alias":
                    self._person_names[r.match].append(hit)
                    continue
                if r.registry_key is not None and r.registry_key in pk:
                    self._person_keys[r.registry_key] = hit
                if r.match in pn:
                    self._person_names[r.match].append(hit)
                if r.skeleton in ps and r.merged_into_id is None:
                    self._person_skeletons[r.skeleton].add(int(r.id))
        for person_id, roles in people.items():
            self._roles.setdefault(person_id, roles)

    def forget(
        self,
        actor_keys: Iterable[str],
        actor_names: Iterable[str],
        officials: Iterable[OfficialMention],
    ) -> None:
        """Drops what was looked up for these names, so the next `preload` reads them
        again (after taking the locks that make a miss authoritative)."""
        for k in actor_keys:
            self._actor_keys.pop(k, None)
        for n in actor_names:
            self._actor_names.pop(normalise(n), None)
        for o in officials:
            names = [o.name, *o.names]
            if o.key:
                hit = self._person_keys.pop(o.key, None)
                if hit is not None:
                    self._roles.pop(hit.id, None)
            for norm in map(normalise, names):
                for hit in self._person_names.pop(norm, []):
                    self._roles.pop(hit.id, None)
            for skel in map(skeleton, names):
                for person_id in self._person_skeletons.pop(skel, set()):
                    self._roles.pop(person_id, None)

    # -- what this document may create ------------------------------------------------

    def actor_known(self, m: ActorMention) -> bool:
        """True when `actor(m)` will find a row (after `preload`), so creates nothing."""
        if m.key and m.key in self._actor_keys:
            return True
        return any(self._actor_names.get(normalise(n)) for n in [m.name, *m.names])

    def name_known(self, name: str) -> bool:
        return bool(self._actor_names.get(normalise(name)))

    def person_settled(self, m: OfficialMention) -> bool:
        """True when `person(m)` will find the person (unmerged, no bare-title look-up)
        and, when `m` has a title, a role with that title: it creates nothing."""
        names = [m.name, *m.names]
        hit: _Hit | None = None
        if m.key and m.key in self._person_keys:
            hit = self._person_keys[m.key]
        elif m.title and _is_bare_title(m.name, m.title, m.affiliation):
            return False  # resolved by the roles held on a date: not predicted here
        else:
            hits = [h for n in {normalise(x) for x in names} for h in self._person_names.get(n, [])]
            if hits:
                hit = min(hits, key=lambda h: (h.registry_rank, h.id))
            else:
                person_id = self._person_by_skeleton(names)
                hit = _Hit(1, 0, person_id, None) if person_id is not None else None
        if hit is None or hit.merged_into_id is not None or hit.id not in self._roles:
            return False
        if not m.title:
            return True
        wanted = normalise(m.title)
        return any(normalise(r.title) == wanted for r in self._roles[hit.id])

    async def _actor_by_names(self, names: Iterable[str]) -> int | None:
        names = list(names)
        await self.preload_actors((), names)
        hits = [h for n in {normalise(x) for x in names} for h in self._actor_names.get(n, [])]
        if not hits:
            return None
        best = min(hits, key=lambda h: (h.registry_rank, h.rank, h.id))
        return await self._live(ACTOR, best)

    async def actor(self, m: ActorMention) -> int:
        """The actor row for a mention, created (with its aliases) when unknown."""
        cache_key = m.key or normalise(m.name)
        if cache_key in self._actors:
            return self._actors[cache_key]
        actor_id: int | None = None
        if m.key:
            await self.preload_actors([m.key], [m.name, *m.names])
            hit = self._actor_keys.get(m.key)
            actor_id = await self._live(ACTOR, hit) if hit is not None else None
        if actor_id is None:
            actor_id = await self._actor_by_names([m.name, *m.names])
        if actor_id is None:
            actor_id = await self._create_actor(m.name, m.kind, m.country, m.names)
        self._actors[cache_key] = actor_id
        self._actors.setdefault(normalise(m.name), actor_id)
        return actor_id

    async def actor_named(self, name: str, kind: str = "other") -> int:
        """An actor referred to by name only (an incident's perpetrator/target category,
        a statement speaker, an official's affiliation)."""
        key = normalise(name)
        if key in self._actors:
            return self._actors[key]
        actor_id = await self._actor_by_names([name])
        if actor_id is None:
            actor_id = await self._create_actor(name, kind, None, [])
        self._actors[key] = actor_id
        return actor_id

    async def _create_actor(
        self, name: str, kind: str, country: str | None, names: Iterable[str]
    ) -> int:
        kind = kind if kind in ActorKind._value2member_map_ else ActorKind.OTHER
        actor_id = int(
            (
                await self.conn.execute(
                    sa.insert(ACTOR)
                    .values(
                        name=name[:300],
                        normalized=normalise(name),
                        kind=ActorKind(kind),
                        country=country,
                    )
                    .returning(ACTOR.c.id)
                )
            ).scalar_one()
        )
        self.changes.created(EntityType.ACTOR, actor_id)
        aliases = _aliases(name, names)
        if aliases:
            await self.conn.execute(
                sa.insert(ACTOR_ALIAS),
                [{"actor_id": actor_id, "alias": a, "normalized": n} for n, a in aliases.items()],
            )
        for norm in aliases:  # later names of this document find it without a query
            self._actor_names.setdefault(norm, []).append(_Hit(1, 0, actor_id, None))
        return actor_id

    # -- officials ----------------------------------------------------------------

    async def preload_people(self, officials: Iterable[OfficialMention]) -> None:
        await self.preload((), (), officials)

    async def _person_by_names(self, names: list[str]) -> int | None:
        hits = [h for n in {normalise(x) for x in names} for h in self._person_names.get(n, [])]
        if not hits:
            return None
        return await self._live(PERSON, min(hits, key=lambda h: (h.registry_rank, h.id)))

    def _person_by_skeleton(self, names: list[str]) -> int | None:
        # Only multi-word names: one word ("Ali") is too common to identify anyone.
        ids = {i for k in map(skeleton, names) for i in self._person_skeletons.get(k, set())}
        return ids.pop() if len(ids) == 1 else None

    async def _roles_of(self, person_id: int) -> list[Any]:
        if person_id not in self._roles:
            self._roles[person_id] = [
                _Role(int(r.id), r.title, r.start_date, r.end_date)
                for r in await self.conn.execute(
                    sa.select(ROLE.c.id, ROLE.c.title, ROLE.c.start_date, ROLE.c.end_date).where(
                        ROLE.c.person_id == person_id
                    )
                )
            ]
        return self._roles[person_id]

    async def _roles_on(
        self, title: str, on: dt.date | None, organisation_id: int | None
    ) -> list[tuple[int, int]]:
        """(person_id, role_id) of roles with this title held on `on`."""
        stmt = sa.select(ROLE.c.person_id, ROLE.c.id).where(
            sa.func.lower(ROLE.c.title) == title.lower()
        )
        if on is not None:
            stmt = stmt.where(
                sa.or_(ROLE.c.start_date.is_(None), ROLE.c.start_date <= on),
                sa.or_(ROLE.c.end_date.is_(None), ROLE.c.end_date >= on),
            )
        if organisation_id is not None:
            stmt = stmt.where(ROLE.c.organisation_id == organisation_id)
        return [(int(r.person_id), int(r.id)) for r in await self.conn.execute(stmt)]

    async def role_on(self, person_id: int, on: dt.date | None, title: str | None) -> int | None:
        """The person's role valid on `on` (the one with this title when several are)."""
        rows = [
            r
            for r in await self._roles_of(person_id)
            if on is None
            or (
                (r.start_date is None or r.start_date <= on)
                and (r.end_date is None or r.end_date >= on)
            )
        ]
        if not rows:
            return None
        rows.sort(key=lambda r: (-(r.start_date or dt.date.min).toordinal(), r.id))
        wanted = normalise(title) if title else None
        for r in rows:
            if wanted and normalise(r.title) == wanted:
                return int(r.id)
        return int(rows[0].id)

    async def person(self, m: OfficialMention, on: dt.date | None) -> tuple[int, int | None]:
        """(person_id, role_id on `on`) for an official, created when unknown."""
        names = [m.name, *m.names]
        await self.preload_people([m])
        person_id: int | None = None
        if m.key and m.key in self._person_keys:
            person_id = await self._live(PERSON, self._person_keys[m.key])
        org_id = await self.actor_named(m.affiliation, "government") if m.affiliation else None
        if person_id is None and m.title and _is_bare_title(m.name, m.title, m.affiliation):
            holders = {p for p, _ in await self._roles_on(m.title, on, org_id)}
            if len(holders) == 1:
                person_id = holders.pop()
        if person_id is None:
            person_id = await self._person_by_names(names)
        if person_id is None:
            person_id = self._person_by_skeleton(names)
        if person_id is None:
            person_id = await self._create_person(m.name, names)
        if m.title and not await self._has_title(person_id, m.title):
            await self._create_role(person_id, m.title, org_id)
        return person_id, await self.role_on(person_id, on, m.title)

    async def _has_title(self, person_id: int, title: str) -> bool:
        wanted = normalise(title)
        return any(normalise(r.title) == wanted for r in await self._roles_of(person_id))

    async def _create_person(self, name: str, names: Iterable[str]) -> int:
        person_id = int(
            (
                await self.conn.execute(
                    sa.insert(PERSON)
                    .values(name=name[:300], normalized=normalise(name), skeleton=skeleton(name))
                    .returning(PERSON.c.id)
                )
            ).scalar_one()
        )
        self.changes.created(EntityType.PERSON, person_id)
        self._roles[person_id] = []
        aliases = _aliases(name, names)
        if aliases:
            await self.conn.execute(
                sa.insert(PERSON_ALIAS),
                [{"person_id": person_id, "alias": a, "normalized": n} for n, a in aliases.items()],
            )
        for norm in aliases:
            self._person_names.setdefault(norm, []).append(_Hit(1, 0, person_id, None))
        return person_id

    async def _create_role(self, person_id: int, title: str, org_id: int | None) -> int:
        row = (
            await self.conn.execute(
                sa.insert(ROLE)
                .values(
                    person_id=person_id,
                    title=title[:300],
                    organisation_id=org_id,
                    source="extracted",
                )
                .returning(ROLE.c.id, ROLE.c.title, ROLE.c.start_date, ROLE.c.end_date)
            )
        ).one()
        self.changes.created(EntityType.ROLE, int(row.id))
        (await self._roles_of(person_id)).append(
            _Role(int(row.id), row.title, row.start_date, row.end_date)
        )
        return int(row.id)

    # -- places -------------------------------------------------------------------

    async def preload_places(self, places: Iterable[PlaceMatch | None]) -> None:
        ids = sorted(
            {p.geonames_id for p in places if p and p.geonames_id is not None} - set(self._places)
        )
        missing = []
        for i in ids:
            self._places[i] = self.reference.places.get(i)
            if self._places[i] is None:
                missing.append(i)
        if not missing:
            return
        rows = await self.conn.execute(
            sa.select(PLACE.c.id, PLACE.c.geonames_id, PLACE.c.admin2).where(
                PLACE.c.geonames_id.in_(missing)
            )
        )
        for r in rows:
            row = (int(r.id), r.admin2)
            self._places[int(r.geonames_id)] = row
            self.reference.places[int(r.geonames_id)] = row

    async def place_row(self, p: PlaceMatch | None) -> tuple[int, str | None] | None:
        """(place id, admin2) of a recognised place, None when not in the gazetteer."""
        if p is None or p.geonames_id is None:
            return None
        await self.preload_places([p])
        return self._places[p.geonames_id]

    async def place(self, p: PlaceMatch | None) -> int | None:
        row = await self.place_row(p)
        return row[0] if row else None

    # -- mentions -----------------------------------------------------------------

    def mention(self, entity: EntityType, entity_id: int, span: Span) -> None:
        column = {
            EntityType.ACTOR: "actor_id",
            EntityType.PERSON: "person_id",
            EntityType.PLACE: "place_id",
        }[entity]
        self._mentions.append(
            {
                "entity_type": entity,
                "actor_id": None,
                "person_id": None,
                "place_id": None,
                column: entity_id,
                "span_start": span[0],
                "span_end": span[1],
                "text": _clip(self.text, span),
            }
        )

    async def flush_mentions(self, document_id: int) -> int:
        rows = [{**m, "document_id": document_id} for m in self._mentions]
        if rows:
            await self.conn.execute(sa.insert(MENTION), rows)
        self._mentions.clear()
        return len(rows)


def _aliases(name: str, names: Iterable[str]) -> dict[str, str]:
    """Distinct surface forms by normalised form (the canonical name included)."""
    out: dict[str, str] = {}
    for alias in [name, *names]:
        key = normalise(alias)
        if key and key not in out:
            out[key] = alias[:300]
    return out


def _is_bare_title(name: str, title: str, affiliation: str | None) -> bool:
    """True when `name` names no one: only the title's words and qualifiers."""
    allowed = set(fold.words(title)) | set(fold.words(affiliation or "")) | _TITLE_WORDS
    words = fold.words(name)
    return not words or set(words) <= allowed
