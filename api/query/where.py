"""Filters -> one SQLAlchemy Core WHERE clause each: the only implementation of every filter.

Every clause also hides tombstones (rows merged into another or deleted), so a caller
cannot forget to. `dialect` is the SQLAlchemy dialect name ("postgresql" or "sqlite"):
only full-text search differs between the two.
"""

import math

import sqlalchemy as sa
from sqlalchemy.sql.elements import ColumnElement

from api.query import tables as t
from api.query.filters import (
    ActorFilter,
    DocumentFilter,
    IncidentFilter,
    Near,
    OfficialFilter,
    PlaceFilter,
    Ref,
    StatementFilter,
)
from api.query.fts import document_text_matches, statement_text_matches
from schema.enums import ActorRole

KM_PER_DEGREE = 111.195  # mean Earth radius (6371.0 km) * pi / 180


def _and(clauses: list[ColumnElement[bool]]) -> ColumnElement[bool]:
    return sa.and_(sa.true(), *clauses) if clauses else sa.true()


def _ieq(column: sa.ColumnElement[str], value: str) -> ColumnElement[bool]:
    return sa.func.lower(column) == value.lower()


def actor_ids_named(name: str) -> sa.CompoundSelect[tuple[int]]:
    """Ids of the actors whose name or alias equals `name` (case-insensitive)."""
    a, al = t.actor.c, t.actor_alias.c
    by_name = sa.select(a.id).where(_ieq(a.name, name))
    by_alias = sa.select(al.actor_id).where(_ieq(al.alias, name))
    return sa.union(by_name, by_alias)


def _actor_in(column: sa.ColumnElement[int], ref: Ref) -> ColumnElement[bool]:
    if isinstance(ref, int):
        return column == ref
    return column.in_(actor_ids_named(ref))


def _person_in(column: sa.ColumnElement[int], ref: Ref) -> ColumnElement[bool]:
    if isinstance(ref, int):
        return column == ref
    p, pa = t.person.c, t.person_alias.c
    by_name = sa.select(p.id).where(_ieq(p.name, ref))
    by_alias = sa.select(pa.person_id).where(_ieq(pa.alias, ref))
    return column.in_(sa.union(by_name, by_alias))


def near_clause(
    lat: sa.ColumnElement[float], lon: sa.ColumnElement[float], near: Near
) -> ColumnElement[bool]:
    """Within `radius_km` of a point, by the equirectangular approximation (good to well
    under 1% at the scale of a governorate). Plain arithmetic, so it runs unchanged on
    SQLite builds without math functions; the bounding box lets an index on (lat, lon)
    narrow the scan first."""
    dlat = near.radius_km / KM_PER_DEGREE
    coslat = max(math.cos(math.radians(near.lat)), 1e-6)
    dlon = dlat / coslat
    dy = lat - near.lat
    dx = (lon - near.lon) * coslat
    return sa.and_(
        lat.between(near.lat - dlat, near.lat + dlat),
        lon.between(near.lon - dlon, near.lon + dlon),
        dx * dx + dy * dy <= dlat * dlat,
    )


def incident_live() -> ColumnElement[bool]:
    i = t.incident.c
    return sa.and_(i.merged_into_id.is_(None), i.deleted_at.is_(None))


def _incident_has_actor(role: ActorRole | None, ref: Ref) -> ColumnElement[bool]:
    ia = t.incident_actor.c
    conds = [ia.incident_id == t.incident.c.id, _actor_in(ia.actor_id, ref)]
    if role is not None:
        conds.append(ia.role == role.value)
    return sa.exists().where(*conds)


def incident_where(f: IncidentFilter, dialect: str) -> ColumnElement[bool]:
    i = t.incident.c
    c: list[ColumnElement[bool]] = [incident_live()]
    if f.date_from is not None:
        c.append(i.date >= f.date_from)
    if f.date_to is not None:
        c.append(i.date <= f.date_to)
    if f.country is not None:
        c.append(i.country == f.country)
    if f.admin1 is not None:
        c.append(i.admin1 == f.admin1)
    if f.place is not None:
        c.append(i.place_id == f.place)
    if f.near is not None:
        c.append(near_clause(i.lat, i.lon, f.near))
    if f.types:
        c.append(i.type.in_([x.value for x in f.types]))
    if f.perpetrator is not None:
        c.append(_incident_has_actor(ActorRole.PERPETRATOR, f.perpetrator))
    if f.target is not None:
        c.append(_incident_has_actor(ActorRole.TARGET, f.target))
    if f.actor is not None:
        c.append(_incident_has_actor(None, f.actor))
    if f.min_killed is not None:
        c.append(i.killed_best >= f.min_killed)
    if f.min_sources is not None:
        c.append(i.source_count >= f.min_sources)
    if f.text is not None:
        r = t.report.c
        docs = sa.select(t.document.c.id).where(document_text_matches(dialect, f.text))
        c.append(sa.exists().where(r.incident_id == i.id, r.document_id.in_(docs)))
    if f.review_status:
        c.append(i.review_status.in_([x.value for x in f.review_status]))
    if f.updated_since is not None:
        c.append(i.updated_at >= f.updated_since)
    return _and(c)


def statement_where(f: StatementFilter, dialect: str) -> ColumnElement[bool]:
    s = t.statement.c
    c: list[ColumnElement[bool]] = []
    if f.speaker is not None:
        c.append(_person_in(s.speaker_person_id, f.speaker))
    if f.organisation is not None:
        r = t.role.c
        roles = sa.select(r.id).where(_actor_in(r.organisation_id, f.organisation))
        c.append(
            sa.or_(_actor_in(s.speaker_actor_id, f.organisation), s.speaker_role_id.in_(roles))
        )
    if f.incident is not None:
        si = t.statement_incident.c
        c.append(sa.exists().where(si.statement_id == s.id, si.incident_id == f.incident))
    if f.document is not None:
        c.append(s.document_id == f.document)
    if f.date_from is not None:
        c.append(s.date >= f.date_from)
    if f.date_to is not None:
        c.append(s.date <= f.date_to)
    if f.kind is not None:
        c.append(s.kind == f.kind.value)
    if f.channel is not None:
        c.append(s.channel == f.channel.value)
    if f.text is not None:
        c.append(statement_text_matches(dialect, f.text))
    if f.updated_since is not None:
        c.append(s.updated_at >= f.updated_since)
    return _and(c)


def actor_live() -> ColumnElement[bool]:
    a = t.actor.c
    return sa.and_(a.merged_into_id.is_(None), a.deleted_at.is_(None))


def actor_where(f: ActorFilter, dialect: str) -> ColumnElement[bool]:
    a = t.actor.c
    c: list[ColumnElement[bool]] = [actor_live()]
    if f.name is not None:
        al = t.actor_alias.c
        c.append(
            sa.or_(
                a.name.icontains(f.name, autoescape=True),
                sa.exists().where(al.actor_id == a.id, al.alias.icontains(f.name, autoescape=True)),
            )
        )
    if f.kind is not None:
        c.append(a.kind == f.kind.value)
    if f.country is not None:
        c.append(_ieq(a.country, f.country))
    if f.parent is not None:
        c.append(a.parent_id == f.parent)
    if f.updated_since is not None:
        c.append(a.updated_at >= f.updated_since)
    return _and(c)


def person_live() -> ColumnElement[bool]:
    p = t.person.c
    return sa.and_(p.merged_into_id.is_(None), p.deleted_at.is_(None))


def role_valid_on(day: object) -> ColumnElement[bool]:
    r = t.role.c
    return sa.and_(
        sa.or_(r.start_date.is_(None), r.start_date <= day),
        sa.or_(r.end_date.is_(None), r.end_date >= day),
    )


def official_where(f: OfficialFilter, dialect: str) -> ColumnElement[bool]:
    p = t.person.c
    c: list[ColumnElement[bool]] = [person_live()]
    if f.name is not None:
        pa = t.person_alias.c
        c.append(
            sa.or_(
                p.name.icontains(f.name, autoescape=True),
                sa.exists().where(
                    pa.person_id == p.id, pa.alias.icontains(f.name, autoescape=True)
                ),
            )
        )
    # organisation, title and date all constrain the same role: "minister of X on D".
    r = t.role.c
    rc: list[ColumnElement[bool]] = []
    if f.organisation is not None:
        rc.append(_actor_in(r.organisation_id, f.organisation))
    if f.title is not None:
        rc.append(r.title.icontains(f.title, autoescape=True))
    if f.on is not None:
        rc.append(role_valid_on(f.on))
    if rc:
        c.append(sa.exists().where(r.person_id == p.id, *rc))
    if f.updated_since is not None:
        c.append(p.updated_at >= f.updated_since)
    return _and(c)


def document_live() -> ColumnElement[bool]:
    return t.document.c.deleted_at.is_(None)


def document_where(f: DocumentFilter, dialect: str) -> ColumnElement[bool]:
    d = t.document.c
    c: list[ColumnElement[bool]] = [document_live()]
    if f.outlet is not None:
        c.append(_ieq(d.outlet, f.outlet))
    if f.published_from is not None:
        c.append(d.published >= f.published_from)
    if f.published_to is not None:
        c.append(d.published <= f.published_to)
    if f.url is not None:
        c.append(d.url == f.url)
    if f.text is not None:
        c.append(document_text_matches(dialect, f.text))
    if f.updated_since is not None:
        c.append(d.updated_at >= f.updated_since)
    return _and(c)


def place_where(f: PlaceFilter, dialect: str) -> ColumnElement[bool]:
    p = t.place.c
    c: list[ColumnElement[bool]] = []
    if f.name is not None:
        pa = t.place_alias.c
        c.append(
            sa.or_(
                p.name.icontains(f.name, autoescape=True),
                p.ascii_name.icontains(f.name, autoescape=True),
                sa.exists().where(pa.place_id == p.id, pa.alias.icontains(f.name, autoescape=True)),
            )
        )
    if f.admin1 is not None:
        c.append(p.admin1 == f.admin1)
    if f.country is not None:
        c.append(sa.or_(_ieq(p.country, f.country), _ieq(p.country_code, f.country)))
    if f.feature_code is not None:
        c.append(p.feature_code == f.feature_code)
    if f.near is not None:
        c.append(near_clause(p.lat, p.lon, f.near))
    return _and(c)
