"""The REST resources' fixed shapes, as SQL expressions that build each row's JSON.

`*_item` is the list shape (useful without a second request: an incident carries its
place, figures, source count and actors), `*_detail` adds the nested records. Each
function is built once per dialect and cached: the expressions are immutable, and
building them is the costly part of making a statement in Python.
"""

from functools import cache
from typing import Any

import sqlalchemy as sa
from sqlalchemy.sql.elements import ColumnElement

from api.query import tables as t
from api.query.jsonsql import Json, Pair


def _cols(table: sa.Table, j: Json, names: str) -> list[Pair]:
    """Plain columns by name; *_at timestamps rendered as ISO 8601 UTC text."""
    out: list[Pair] = []
    for name in names.split():
        col = table.c[name]
        out.append((name, j.ts(col) if name.endswith("_at") else col))
    return out


PLACE_BRIEF = "id name admin1 admin2 country country_code lat lon"
PLACE_FULL = (
    "id geonames_id name ascii_name admin1 admin1_code admin2 country country_code lat lon"
    " feature_class feature_code population source"
)


def place_obj(j: Json, names: str = PLACE_BRIEF) -> ColumnElement[Any]:
    return j.obj(*_cols(t.place, j, names))


def _place_of(j: Json, place_id: sa.ColumnElement[int]) -> ColumnElement[Any]:
    return j.one(sa.select(place_obj(j)).where(t.place.c.id == place_id))


def _actor_ref(j: Json, actor_id: sa.ColumnElement[int]) -> ColumnElement[Any]:
    a = t.actor.c
    return j.one(
        sa.select(j.obj(("id", a.id), ("name", a.name), ("kind", a.kind))).where(a.id == actor_id)
    )


def _person_ref(j: Json, person_id: sa.ColumnElement[int]) -> ColumnElement[Any]:
    p = t.person.c
    return j.one(sa.select(j.obj(("id", p.id), ("name", p.name))).where(p.id == person_id))


def _figures(j: Json, prefix: str) -> ColumnElement[Any]:
    i = t.incident.c
    return j.obj(
        ("low", i[f"{prefix}_low"]), ("best", i[f"{prefix}_best"]), ("high", i[f"{prefix}_high"])
    )


def incident_actor_obj(j: Json) -> ColumnElement[Any]:
    """One actor of an incident (from incident_actor joined to actor)."""
    ia, a = t.incident_actor.c, t.actor.c
    return j.obj(
        ("id", a.id), ("name", a.name), ("kind", a.kind), ("role", ia.role), ("basis", ia.basis)
    )


INCIDENT_ACTOR_ORDER = (t.incident_actor.c.role, t.actor.c.id)


def _incident_actors(j: Json) -> ColumnElement[Any]:
    ia = t.incident_actor.c
    source = (
        sa.select(ia.id)
        .select_from(t.incident_actor.join(t.actor, t.actor.c.id == ia.actor_id))
        .where(ia.incident_id == t.incident.c.id)
    )
    return j.array(incident_actor_obj(j), source, INCIDENT_ACTOR_ORDER, t.incident)


def incident_pairs(
    j: Json, place: ColumnElement[Any] | None = None, actors: ColumnElement[Any] | None = None
) -> list[Pair]:
    """An incident's list shape. `place` and `actors` replace the correlated subqueries
    (the export reads both from joins: see `api.query.exports`)."""
    i = t.incident.c
    return [
        ("id", i.id),
        ("date", i.date),
        ("date_precision", i.date_precision),
        ("type", i.type),
        ("place", _place_of(j, i.place_id) if place is None else place),
        ("place_name", i.place_name),
        ("place_precision", i.place_precision),
        ("admin1", i.admin1),
        ("country", i.country),
        ("lat", i.lat),
        ("lon", i.lon),
        ("killed", _figures(j, "killed")),
        ("wounded", _figures(j, "wounded")),
        ("source_count", i.source_count),
        ("salience", i.salience),
        ("review_status", i.review_status),
        ("actors", _incident_actors(j) if actors is None else actors),
        *_cols(t.incident, j, "created_at updated_at"),
    ]


@cache
def incident_item(dialect: str) -> ColumnElement[Any]:
    j = Json(dialect)
    return j.text(j.obj(*incident_pairs(j)))


def _document_ref(j: Json, document_id: sa.ColumnElement[int]) -> ColumnElement[Any]:
    d = t.document.c
    return j.one(
        sa.select(
            j.obj(
                ("id", d.id),
                ("title", d.title),
                ("url", d.url),
                ("outlet", d.outlet),
                ("published", d.published),
            )
        ).where(d.id == document_id)
    )


def _role_obj(j: Json, role_id: sa.ColumnElement[int]) -> ColumnElement[Any]:
    r = t.role.c
    return j.one(
        sa.select(
            j.obj(
                ("id", r.id),
                ("title", r.title),
                ("organisation", _actor_ref(j, r.organisation_id)),
                ("start_date", r.start_date),
                ("end_date", r.end_date),
            )
        ).where(r.id == role_id)
    )


def _statement_pairs(j: Json) -> list[Pair]:
    s, si = t.statement.c, t.statement_incident.c
    incident_ids = j.array(
        si.incident_id,
        sa.select(si.incident_id).where(si.statement_id == s.id),
        [si.incident_id],
        t.statement,
        scalar=True,
    )
    return [
        ("id", s.id),
        ("text", s.text),
        ("kind", s.kind),
        ("date", s.date),
        ("channel", s.channel),
        ("person", _person_ref(j, s.speaker_person_id)),
        ("organisation", _actor_ref(j, s.speaker_actor_id)),
        ("role", _role_obj(j, s.speaker_role_id)),
        ("document_id", s.document_id),
        ("span_start", s.span_start),
        ("span_end", s.span_end),
        ("incident_ids", incident_ids),
        *_cols(t.statement, j, "created_at updated_at"),
    ]


@cache
def statement_item(dialect: str) -> ColumnElement[Any]:
    j = Json(dialect)
    return j.text(j.obj(*_statement_pairs(j)))


def _statements_where(j: Json, where: ColumnElement[bool], outer: sa.Table) -> ColumnElement[Any]:
    s = t.statement.c
    return j.array(j.obj(*_statement_pairs(j)), sa.select(s.id).where(where), [s.date, s.id], outer)


@cache
def incident_detail(dialect: str) -> ColumnElement[Any]:
    j = Json(dialect)
    i, r, si = t.incident.c, t.report.c, t.statement_incident.c
    report = j.obj(
        ("id", r.id),
        ("document", _document_ref(j, r.document_id)),
        ("date", r.date),
        ("date_precision", r.date_precision),
        ("type", r.type),
        ("killed", r.killed),
        ("wounded", r.wounded),
        ("salience", r.salience),
        ("span_start", r.span_start),
        ("span_end", r.span_end),
        ("evidence", r.evidence),
        ("spans", j.embed(r.spans)),
    )
    reports = j.array(report, sa.select(r.id).where(r.incident_id == i.id), [r.id], t.incident)
    statements = _statements_where(
        j,
        t.statement.c.id.in_(
            sa.select(si.statement_id).where(si.incident_id == i.id).correlate(t.incident)
        ),
        t.incident,
    )
    return j.text(
        j.obj(
            *incident_pairs(j),
            ("curated_fields", j.embed(i.curated_fields)),
            ("reports", reports),
            ("statements", statements),
        )
    )


def _actor_pairs(j: Json) -> list[Pair]:
    a, al = t.actor.c, t.actor_alias.c
    aliases = j.array(
        al.alias, sa.select(al.id).where(al.actor_id == a.id), [al.alias], t.actor, scalar=True
    )
    return [
        *_cols(t.actor, j, "id registry_key name kind country parent_id"),
        ("aliases", aliases),
        *_cols(t.actor, j, "created_at updated_at"),
    ]


@cache
def actor_item(dialect: str) -> ColumnElement[Any]:
    j = Json(dialect)
    return j.text(j.obj(*_actor_pairs(j)))


@cache
def actor_detail(dialect: str) -> ColumnElement[Any]:
    j = Json(dialect)
    a, r, ia = t.actor.c, t.role.c, t.incident_actor.c
    official = j.obj(
        ("role_id", r.id),
        ("person", _person_ref(j, r.person_id)),
        ("title", r.title),
        ("start_date", r.start_date),
        ("end_date", r.end_date),
    )
    officials = j.array(
        official, sa.select(r.id).where(r.organisation_id == a.id), [r.start_date, r.id], t.actor
    )

    def count(role: str) -> ColumnElement[Any]:
        return (
            sa.select(sa.func.count())
            .select_from(t.incident_actor)
            .where(ia.actor_id == a.id, ia.role == role)
            .scalar_subquery()
        )

    return j.text(
        j.obj(
            *_actor_pairs(j),
            ("parent", _actor_ref(j, a.parent_id)),
            ("officials", officials),
            ("incidents_as_perpetrator", count("perpetrator")),
            ("incidents_as_target", count("target")),
        )
    )


def _roles_of_person(j: Json) -> ColumnElement[Any]:
    r = t.role.c
    role = j.obj(
        ("id", r.id),
        ("title", r.title),
        ("organisation", _actor_ref(j, r.organisation_id)),
        ("start_date", r.start_date),
        ("end_date", r.end_date),
        ("source", r.source),
    )
    # Roles over time: oldest first, undated ones first.
    return j.array(
        role,
        sa.select(r.id).where(r.person_id == t.person.c.id),
        [r.start_date.asc().nulls_first(), r.id],
        t.person,
    )


def _official_pairs(j: Json) -> list[Pair]:
    p, pa = t.person.c, t.person_alias.c
    aliases = j.array(
        pa.alias, sa.select(pa.id).where(pa.person_id == p.id), [pa.alias], t.person, scalar=True
    )
    return [
        *_cols(t.person, j, "id registry_key name"),
        ("aliases", aliases),
        ("roles", _roles_of_person(j)),
        *_cols(t.person, j, "created_at updated_at"),
    ]


@cache
def official_item(dialect: str) -> ColumnElement[Any]:
    j = Json(dialect)
    return j.text(j.obj(*_official_pairs(j)))


@cache
def official_detail(dialect: str) -> ColumnElement[Any]:
    j = Json(dialect)
    s = t.statement.c
    count = (
        sa.select(sa.func.count())
        .select_from(t.statement)
        .where(s.speaker_person_id == t.person.c.id)
        .scalar_subquery()
    )
    return j.text(j.obj(*_official_pairs(j), ("statement_count", count)))


DOCUMENT_COLS = (
    "id title url outlet published published_precision content_type language"
    " extractor_version ingested_at created_at updated_at"
)


def _document_pairs(j: Json) -> list[Pair]:
    d = t.document.c
    return [*_cols(t.document, j, DOCUMENT_COLS), ("length", sa.func.length(d.text))]


@cache
def document_item(dialect: str) -> ColumnElement[Any]:
    j = Json(dialect)
    return j.text(j.obj(*_document_pairs(j)))


@cache
def document_detail(dialect: str) -> ColumnElement[Any]:
    j = Json(dialect)
    d, r, m = t.document.c, t.report.c, t.mention.c
    report = j.obj(
        ("id", r.id),
        ("incident_id", r.incident_id),
        ("date", r.date),
        ("type", r.type),
        ("killed", r.killed),
        ("wounded", r.wounded),
        ("salience", r.salience),
        ("span_start", r.span_start),
        ("span_end", r.span_end),
        ("evidence", r.evidence),
        ("spans", j.embed(r.spans)),
    )
    reports = j.array(
        report, sa.select(r.id).where(r.document_id == d.id), [r.span_start, r.id], t.document
    )
    mention = j.obj(
        ("id", m.id),
        ("entity_type", m.entity_type),
        ("entity_id", sa.func.coalesce(m.actor_id, m.person_id, m.place_id)),
        ("span_start", m.span_start),
        ("span_end", m.span_end),
        ("text", m.text),
    )
    mentions = j.array(
        mention, sa.select(m.id).where(m.document_id == d.id), [m.span_start, m.id], t.document
    )
    statements = _statements_where(j, t.statement.c.document_id == d.id, t.document)
    return j.text(
        j.obj(
            *_document_pairs(j),
            ("text", d.text),
            ("reports", reports),
            ("statements", statements),
            ("mentions", mentions),
        )
    )


@cache
def place_item(dialect: str) -> ColumnElement[Any]:
    j = Json(dialect)
    return j.text(place_obj(j, PLACE_FULL))
