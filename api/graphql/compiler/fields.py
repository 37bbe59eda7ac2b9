"""How each field of each object type becomes SQL: one handler per (type, field).

A handler gets the compiler, the row it reads (a table alias or the page CTE), the field
node and its coerced arguments, and returns an expression for the field's JSON value.
Nested objects and lists are correlated scalar subqueries over fresh aliases, in the same
order as the DataLoaders of the resolver path (api.query.loaders, api.graphql.batch), so
both paths give the same answer. `Unsupported` makes the whole operation fall back.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from graphql import FieldNode
from sqlalchemy.sql import util as sql_util
from sqlalchemy.sql.elements import ColumnElement

from api.graphql.nodes import NESTED_MAX
from api.query import tables as t
from api.query import where as qw
from api.query.jsonsql import is_word_enum

if TYPE_CHECKING:
    from api.graphql.compiler.build import Build

Row = Any  # a table alias or the page CTE: anything with `.c`
Handler = Callable[["Build", Row, FieldNode, dict[str, Any]], ColumnElement[Any]]


class Unsupported(Exception):
    """The compiler does not cover this; the operation runs through resolvers."""


def lit(text: str) -> ColumnElement[str]:
    return sa.literal(text, sa.Text)


def col(name: str) -> Handler:
    return lambda b, row, node, args: row.c[name]


def enum(name: str) -> Handler:
    """Stored lower-case values; GraphQL enum names are their upper-case forms."""

    def h(b: Build, row: Row, node: FieldNode, args: dict[str, Any]) -> ColumnElement[Any]:
        column = row.c[name]
        upper = sa.func.upper(column)
        # The upper-case form of a plain identifier is one too: JSON needs only quotes.
        return b.j.word(upper) if is_word_enum(column.type) else upper

    return h


def ts(name: str) -> Handler:
    return lambda b, row, node, args: b.j.ts(row.c[name])


def global_id(type_name: str) -> Handler:
    return lambda b, row, node, args: lit(f"{type_name}:").op("||")(sa.cast(row.c.id, sa.Text))


def figures(prefix: str) -> Handler:
    def h(b: Build, row: Row, node: FieldNode, args: dict[str, Any]) -> ColumnElement[Any]:
        return b.leaf_object(
            "Figures",
            node,
            {p: row.c[f"{prefix}_{p}"] for p in ("low", "best", "high")},
        )

    return h


def to_one(type_name: str, table: sa.Table, fk: str) -> Handler:
    """The row of `table` whose id is `row.<fk>` (null when none)."""

    def h(b: Build, row: Row, node: FieldNode, args: dict[str, Any]) -> ColumnElement[Any]:
        a = table.alias()
        return sa.select(b.obj(type_name, node, a)).where(a.c.id == row.c[fk]).scalar_subquery()

    return h


def _array(
    b: Build,
    type_name: str,
    node: FieldNode,
    a: Any,
    source: sa.Select[Any],
    order_by: list[ColumnElement[Any]],
) -> ColumnElement[Any]:
    return b.array(b.obj(type_name, node, a), source, order_by)


def live(table: sa.Table, alias: Any) -> ColumnElement[bool]:
    """The query layer's tombstone rule for `table`, on an alias of it."""
    rule = {"incident": qw.incident_live, "actor": qw.actor_live, "person": qw.person_live}
    clause = rule[table.name]()
    adapted: ColumnElement[bool] = sql_util.ClauseAdapter(alias).traverse(clause)
    return adapted


def _first(args: dict[str, Any]) -> int:
    first = args.get("first")
    if not isinstance(first, int) or not 0 <= first <= NESTED_MAX:
        raise Unsupported("nested first out of range")
    return first


# -- Incident -------------------------------------------------------------------------


def _incident_actors(role: str) -> Handler:
    def h(b: Build, row: Row, node: FieldNode, args: dict[str, Any]) -> ColumnElement[Any]:
        ia, a = t.incident_actor.alias(), t.actor.alias()
        source = (
            sa.select(a.c.id)
            .select_from(ia.join(a, a.c.id == ia.c.actor_id))
            .where(ia.c.incident_id == row.c.id, ia.c.role == role)
        )
        return _array(b, "Actor", node, a, source, [ia.c.role, a.c.id])

    return h


def _attributions(b: Build, row: Row, node: FieldNode, args: dict[str, Any]) -> ColumnElement[Any]:
    ia, a = t.incident_actor.alias(), t.actor.alias()
    source = (
        sa.select(a.c.id)
        .select_from(ia.join(a, a.c.id == ia.c.actor_id))
        .where(ia.c.incident_id == row.c.id)
    )

    def actor(b2: Build, _row: Row, n: FieldNode, _args: dict[str, Any]) -> ColumnElement[Any]:
        return b2.obj("Actor", n, a)

    element = b.obj(
        "Attribution",
        node,
        ia,
        extra={"actor": actor, "role": enum("role"), "basis": enum("basis")},
    )
    return b.array(element, source, [ia.c.role, a.c.id])


def _reports(b: Build, row: Row, node: FieldNode, args: dict[str, Any]) -> ColumnElement[Any]:
    r = t.report.alias()
    return _array(
        b, "Report", node, r, sa.select(r.c.id).where(r.c.incident_id == row.c.id), [r.c.id]
    )


def _incident_statements(
    b: Build, row: Row, node: FieldNode, args: dict[str, Any]
) -> ColumnElement[Any]:
    si, s = t.statement_incident.alias(), t.statement.alias()
    source = (
        sa.select(s.c.id)
        .select_from(si.join(s, s.c.id == si.c.statement_id))
        .where(si.c.incident_id == row.c.id)
    )
    return _array(b, "Statement", node, s, source, [s.c.date, s.c.id])


# -- Actor ----------------------------------------------------------------------------


def _aliases(table: sa.Table, owner: str) -> Handler:
    def h(b: Build, row: Row, node: FieldNode, args: dict[str, Any]) -> ColumnElement[Any]:
        al = table.alias()
        source = sa.select(al.c.id).where(al.c[owner] == row.c.id)
        return b.array(al.c.alias, source, [al.c.alias])

    return h


def _officials(b: Build, row: Row, node: FieldNode, args: dict[str, Any]) -> ColumnElement[Any]:
    p, r = t.person.alias(), t.role.alias()
    people = sa.select(r.c.person_id).where(r.c.organisation_id == row.c.id).correlate(row)
    return _array(b, "Official", node, p, sa.select(p.c.id).where(p.c.id.in_(people)), [p.c.id])


def _actor_incidents(
    b: Build, row: Row, node: FieldNode, args: dict[str, Any]
) -> ColumnElement[Any]:
    first = _first(args)
    i, i2, ia = t.incident.alias(), t.incident.alias(), t.incident_actor.alias()
    # Subqueries two levels below `row` must name it: SQLAlchemy only auto-correlates
    # to the immediately enclosing SELECT.
    linked = sa.select(ia.c.incident_id).where(ia.c.actor_id == row.c.id).correlate(row)
    newest = (
        sa.select(i2.c.id)
        .where(i2.c.id.in_(linked), live(t.incident, i2))
        .order_by(i2.c.id.desc())
        .limit(first)
        .correlate(row)
    )
    return _array(
        b, "Incident", node, i, sa.select(i.c.id).where(i.c.id.in_(newest)), [i.c.id.desc()]
    )


# -- Official and Role ----------------------------------------------------------------


def _role_order(r: Any) -> list[ColumnElement[Any]]:
    return [r.c.start_date.asc().nulls_first(), r.c.id]


def _roles(b: Build, row: Row, node: FieldNode, args: dict[str, Any]) -> ColumnElement[Any]:
    r = t.role.alias()
    return _array(
        b, "Role", node, r, sa.select(r.c.id).where(r.c.person_id == row.c.id), _role_order(r)
    )


def _role_on(b: Build, row: Row, node: FieldNode, args: dict[str, Any]) -> ColumnElement[Any]:
    day = args.get("date")
    if not isinstance(day, dt.date):
        raise Unsupported("roleOn without a date")
    r = t.role.alias()
    valid = sql_util.ClauseAdapter(r).traverse(qw.role_valid_on(sa.literal(day, sa.Date)))
    source = sa.select(r.c.id).where(r.c.person_id == row.c.id, valid)
    return _array(b, "Role", node, r, source, _role_order(r))


def _official_statements(
    b: Build, row: Row, node: FieldNode, args: dict[str, Any]
) -> ColumnElement[Any]:
    first = _first(args)
    s, s2 = t.statement.alias(), t.statement.alias()
    newest = (
        sa.select(s2.c.id)
        .where(s2.c.speaker_person_id == row.c.id)
        .order_by(s2.c.id.desc())
        .limit(first)
        .correlate(row)
    )
    return _array(
        b, "Statement", node, s, sa.select(s.c.id).where(s.c.id.in_(newest)), [s.c.id.desc()]
    )


# -- Statement ------------------------------------------------------------------------


def _statement_incidents(
    b: Build, row: Row, node: FieldNode, args: dict[str, Any]
) -> ColumnElement[Any]:
    si, i = t.statement_incident.alias(), t.incident.alias()
    source = (
        sa.select(i.c.id)
        .select_from(si.join(i, i.c.id == si.c.incident_id))
        .where(si.c.statement_id == row.c.id)
    )
    return _array(b, "Incident", node, i, source, [i.c.id])


# -- Document -------------------------------------------------------------------------


def _document_incidents(
    b: Build, row: Row, node: FieldNode, args: dict[str, Any]
) -> ColumnElement[Any]:
    r, i = t.report.alias(), t.incident.alias()
    reported = sa.select(r.c.incident_id).where(r.c.document_id == row.c.id).correlate(row)
    source = sa.select(i.c.id).where(i.c.id.in_(reported), live(t.incident, i))
    return _array(b, "Incident", node, i, source, [i.c.date.desc().nulls_first(), i.c.id.desc()])


def _document_statements(
    b: Build, row: Row, node: FieldNode, args: dict[str, Any]
) -> ColumnElement[Any]:
    s = t.statement.alias()
    source = sa.select(s.c.id).where(s.c.document_id == row.c.id)
    return _array(b, "Statement", node, s, source, [s.c.date, s.c.id])


def _mentions(b: Build, row: Row, node: FieldNode, args: dict[str, Any]) -> ColumnElement[Any]:
    m = t.mention.alias()
    source = sa.select(m.c.id).where(m.c.document_id == row.c.id)
    return _array(b, "Mention", node, m, source, [m.c.span_start, m.c.id])


def _cols(names: str) -> dict[str, Handler]:
    """GraphQL camelCase name -> plain column handler, from snake_case column names."""
    out: dict[str, Handler] = {}
    for name in names.split():
        head, *rest = name.split("_")
        out[head + "".join(p.title() for p in rest)] = col(name)
    return out


def _node(type_name: str) -> dict[str, Handler]:
    return {"id": global_id(type_name), "databaseId": col("id")}


FIELDS: dict[str, dict[str, Handler]] = {
    "Place": {
        **_node("Place"),
        **_cols(
            "geonames_id name admin1 admin2 country_code country lat lon feature_code population"
        ),
    },
    "Actor": {
        **_node("Actor"),
        **_cols("registry_key name country"),
        "kind": enum("kind"),
        "createdAt": ts("created_at"),
        "updatedAt": ts("updated_at"),
        "parent": to_one("Actor", t.actor, "parent_id"),
        "aliases": _aliases(t.actor_alias, "actor_id"),
        "officials": _officials,
        "incidents": _actor_incidents,
    },
    "Role": {
        **_cols("title start_date end_date source"),
        "organisation": to_one("Actor", t.actor, "organisation_id"),
        "person": to_one("Official", t.person, "person_id"),
    },
    "Official": {
        **_node("Official"),
        **_cols("registry_key name"),
        "createdAt": ts("created_at"),
        "updatedAt": ts("updated_at"),
        "aliases": _aliases(t.person_alias, "person_id"),
        "roles": _roles,
        "roleOn": _role_on,
        "statements": _official_statements,
    },
    "Incident": {
        **_node("Incident"),
        **_cols("date place_name admin1 country lat lon source_count"),
        "datePrecision": enum("date_precision"),
        "type": enum("type"),
        "placePrecision": enum("place_precision"),
        "killed": figures("killed"),
        "wounded": figures("wounded"),
        "salience": enum("salience"),
        "reviewStatus": enum("review_status"),
        "curatedFields": lambda b, row, node, args: b.j.or_empty(row.c.curated_fields),
        "createdAt": ts("created_at"),
        "updatedAt": ts("updated_at"),
        "place": to_one("Place", t.place, "place_id"),
        "perpetrators": _incident_actors("perpetrator"),
        "targets": _incident_actors("target"),
        "attributions": _attributions,
        "reports": _reports,
        "statements": _incident_statements,
    },
    "Report": {
        **_node("Report"),
        **_cols("date killed wounded span_start span_end evidence"),
        "datePrecision": enum("date_precision"),
        "type": enum("type"),
        "salience": enum("salience"),
        "document": to_one("Document", t.document, "document_id"),
        "incident": to_one("Incident", t.incident, "incident_id"),
        "place": to_one("Place", t.place, "place_id"),
    },
    "Statement": {
        **_node("Statement"),
        **_cols("text date span_start span_end"),
        "kind": enum("kind"),
        "channel": enum("channel"),
        "createdAt": ts("created_at"),
        "speaker": to_one("Official", t.person, "speaker_person_id"),
        "organisation": to_one("Actor", t.actor, "speaker_actor_id"),
        "speakerRole": to_one("Role", t.role, "speaker_role_id"),
        "document": to_one("Document", t.document, "document_id"),
        "incidents": _statement_incidents,
    },
    "Mention": {
        **_cols("span_start span_end text"),
        "entityType": enum("entity_type"),
        "actor": to_one("Actor", t.actor, "actor_id"),
        "official": to_one("Official", t.person, "person_id"),
        "place": to_one("Place", t.place, "place_id"),
    },
    "Document": {
        **_node("Document"),
        **_cols("url outlet title published language text"),
        "publishedPrecision": enum("published_precision"),
        "ingestedAt": ts("ingested_at"),
        "incidents": _document_incidents,
        "statements": _document_statements,
        "mentions": _mentions,
    },
    "Job": {
        **_node("Job"),
        **_cols("kind attempts max_attempts last_error"),
        "state": enum("state"),
        "createdAt": ts("created_at"),
        "startedAt": ts("started_at"),
        "finishedAt": ts("finished_at"),
        "document": to_one("Document", t.document, "document_id"),
    },
}

# The table behind each type reachable by `node(id:)`.
NODE_TABLES: dict[str, sa.Table] = {
    "Incident": t.incident,
    "Actor": t.actor,
    "Official": t.person,
    "Statement": t.statement,
    "Document": t.document,
    "Report": t.report,
    "Place": t.place,
    "Job": t.job,
}
