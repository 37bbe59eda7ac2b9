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
from typing import Any

import sqlalchemy as sa
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


def normalise(name: str) -> str:
    """The form stored in every `normalized` column (the seeder's `fold`)."""
    return seed_fold(name)[:300]


def skeleton(name: str) -> str:
    """Transliteration-insensitive key ("Mustafa al-Kadhimi" == "Mustafa Al Kazimi")."""
    return fold.name_key(name)[:300]


def _clip(text: str, span: Span) -> str:
    return text[span[0] : span[1]][:500]


class Resolver:
    def __init__(self, conn: AsyncConnection, changes: ChangeLog, text: str) -> None:
        self.conn = conn
        self.changes = changes
        self.text = text
        self._actors: dict[str, int] = {}
        self._places: dict[int, int | None] = {}
        self._mentions: list[dict[str, Any]] = []

    # -- actors -----------------------------------------------------------------

    async def _live(self, table: sa.Table, actor_id: int) -> int:
        """Follows `merged_into_id` to the row that survives a merge."""
        for _ in range(20):
            into = (
                await self.conn.execute(
                    sa.select(table.c.merged_into_id).where(table.c.id == actor_id)
                )
            ).scalar_one_or_none()
            if into is None:
                return actor_id
            actor_id = int(into)
        return actor_id

    async def _actor_by_names(self, names: Iterable[str]) -> int | None:
        keys = sorted({n for n in (normalise(x) for x in names) if n})
        if not keys:
            return None
        direct = sa.select(ACTOR.c.id, sa.literal(0).label("rank")).where(
            ACTOR.c.normalized.in_(keys)
        )
        alias = (
            sa.select(ACTOR.c.id, sa.literal(1).label("rank"))
            .join(ACTOR_ALIAS, ACTOR_ALIAS.c.actor_id == ACTOR.c.id)
            .where(ACTOR_ALIAS.c.normalized.in_(keys))
        )
        both = sa.union_all(direct, alias).subquery()
        row = (
            await self.conn.execute(
                sa.select(both.c.id)
                .join(ACTOR, ACTOR.c.id == both.c.id)
                .where(ACTOR.c.deleted_at.is_(None))
                # A registry entry beats one discovered in text; a name beats an alias.
                .order_by(ACTOR.c.registry_key.is_(None), both.c.rank, both.c.id)
                .limit(1)
            )
        ).first()
        return await self._live(ACTOR, int(row.id)) if row else None

    async def actor(self, m: ActorMention) -> int:
        """The actor row for a mention, created (with its aliases) when unknown."""
        cache_key = m.key or normalise(m.name)
        if cache_key in self._actors:
            return self._actors[cache_key]
        actor_id: int | None = None
        if m.key:
            found = (
                await self.conn.execute(sa.select(ACTOR.c.id).where(ACTOR.c.registry_key == m.key))
            ).scalar_one_or_none()
            actor_id = await self._live(ACTOR, int(found)) if found is not None else None
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
        return actor_id

    # -- officials ----------------------------------------------------------------

    async def _person_by_names(self, names: Iterable[str]) -> int | None:
        keys = sorted({n for n in (normalise(x) for x in names) if n})
        if not keys:
            return None
        alias_hit = sa.select(PERSON_ALIAS.c.person_id).where(PERSON_ALIAS.c.normalized.in_(keys))
        row = (
            await self.conn.execute(
                sa.select(PERSON.c.id)
                .where(
                    PERSON.c.deleted_at.is_(None),
                    sa.or_(PERSON.c.normalized.in_(keys), PERSON.c.id.in_(alias_hit)),
                )
                .order_by(PERSON.c.registry_key.is_(None), PERSON.c.id)
                .limit(1)
            )
        ).first()
        return await self._live(PERSON, int(row.id)) if row else None

    async def _person_by_skeleton(self, names: Iterable[str]) -> int | None:
        # Only multi-word names: one word ("Ali") is too common to identify anyone.
        keys = sorted({k for k in (skeleton(x) for x in names) if " " in k})
        if not keys:
            return None
        ids = {
            int(i)
            for i in (
                await self.conn.execute(
                    sa.select(PERSON.c.id).where(
                        PERSON.c.skeleton.in_(keys), PERSON.c.deleted_at.is_(None)
                    )
                )
            ).scalars()
        }
        return await self._live(PERSON, ids.pop()) if len(ids) == 1 else None

    async def _roles_on(
        self, title: str, on: dt.date | None, organisation_id: int | None
    ) -> list[tuple[int, int]]:
        """(person_id, role_id) of roles with this title held on `on`."""
        stmt = sa.select(ROLE.c.person_id, ROLE.c.id, ROLE.c.title).where(
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
        stmt = sa.select(ROLE.c.id, ROLE.c.title).where(ROLE.c.person_id == person_id)
        if on is not None:
            stmt = stmt.where(
                sa.or_(ROLE.c.start_date.is_(None), ROLE.c.start_date <= on),
                sa.or_(ROLE.c.end_date.is_(None), ROLE.c.end_date >= on),
            )
        rows = list(await self.conn.execute(stmt.order_by(ROLE.c.start_date.desc(), ROLE.c.id)))
        if not rows:
            return None
        wanted = normalise(title) if title else None
        for r in rows:
            if wanted and normalise(r.title) == wanted:
                return int(r.id)
        return int(rows[0].id)

    async def person(self, m: OfficialMention, on: dt.date | None) -> tuple[int, int | None]:
        """(person_id, role_id on `on`) for an official, created when unknown."""
        names = [m.name, *m.names]
        person_id: int | None = None
        if m.key:
            found = (
                await self.conn.execute(
                    sa.select(PERSON.c.id).where(PERSON.c.registry_key == m.key)
                )
            ).scalar_one_or_none()
            person_id = await self._live(PERSON, int(found)) if found is not None else None
        org_id = await self.actor_named(m.affiliation, "government") if m.affiliation else None
        if person_id is None and m.title and _is_bare_title(m.name, m.title, m.affiliation):
            holders = {p for p, _ in await self._roles_on(m.title, on, org_id)}
            if len(holders) == 1:
                person_id = holders.pop()
        if person_id is None:
            person_id = await self._person_by_names(names)
        if person_id is None:
            person_id = await self._person_by_skeleton(names)
        if person_id is None:
            person_id = await self._create_person(m.name, names)
        if m.title and not await self._has_title(person_id, m.title):
            await self._create_role(person_id, m.title, org_id)
        return person_id, await self.role_on(person_id, on, m.title)

    async def _has_title(self, person_id: int, title: str) -> bool:
        titles = (
            await self.conn.execute(sa.select(ROLE.c.title).where(ROLE.c.person_id == person_id))
        ).scalars()
        return normalise(title) in {normalise(t) for t in titles}

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
        aliases = _aliases(name, names)
        if aliases:
            await self.conn.execute(
                sa.insert(PERSON_ALIAS),
                [{"person_id": person_id, "alias": a, "normalized": n} for n, a in aliases.items()],
            )
        return person_id

    async def _create_role(self, person_id: int, title: str, org_id: int | None) -> int:
        role_id = int(
            (
                await self.conn.execute(
                    sa.insert(ROLE)
                    .values(
                        person_id=person_id,
                        title=title[:300],
                        organisation_id=org_id,
                        source="extracted",
                    )
                    .returning(ROLE.c.id)
                )
            ).scalar_one()
        )
        self.changes.created(EntityType.ROLE, role_id)
        return role_id

    # -- places -------------------------------------------------------------------

    async def place(self, p: PlaceMatch | None) -> int | None:
        if p is None or p.geonames_id is None:
            return None
        if p.geonames_id not in self._places:
            found = (
                await self.conn.execute(
                    sa.select(PLACE.c.id).where(PLACE.c.geonames_id == p.geonames_id)
                )
            ).scalar_one_or_none()
            self._places[p.geonames_id] = int(found) if found is not None else None
        return self._places[p.geonames_id]

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
