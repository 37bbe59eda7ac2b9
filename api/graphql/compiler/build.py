"""Compile a validated query operation into one SQL statement per root field.

`Build` walks the selection set with the GraphQL schema at hand (arguments are coerced
by graphql-core, fragments and the `Node` interface are expanded) and asks the handlers
of `fields` for each field's expression. Connections page with the query layer's filter
(`api.query.where`) and keyset orders (`api.graphql.listings`). Anything unusual raises
`Unsupported` and the operation runs through the resolvers instead: directives, merged
duplicate keys, out-of-range arguments, bad ids or cursors (the resolvers then report the
error in their own words).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import sqlalchemy as sa
from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLObjectType,
    GraphQLSchema,
    InlineFragmentNode,
    SelectionSetNode,
    get_argument_values,
)
from graphql.execution.values import VariableValues
from sqlalchemy.sql.elements import ColumnElement
from strawberry.types.arguments import convert_argument

from api.graphql import inputs
from api.graphql.compiler.fields import FIELDS, NODE_TABLES, Handler, Row, Unsupported
from api.graphql.errors import PublicError
from api.graphql.ids import decode_id
from api.graphql.listings import LISTINGS, Listing
from api.graphql.pagination import Order
from api.query import stats as qs
from api.query import tables as t
from api.query.errors import QueryError
from api.query.jsonsql import Json, is_key, json_text

FILTER_INPUTS: dict[str, type[Any]] = {
    "incidents": inputs.IncidentFilter,
    "statements": inputs.StatementFilter,
    "actors": inputs.ActorFilter,
    "officials": inputs.OfficialFilter,
    "documents": inputs.DocumentFilter,
    "places": inputs.PlaceFilter,
}
NODE_TYPE_OF_LISTING = {
    "incidents": "Incident",
    "statements": "Statement",
    "actors": "Actor",
    "officials": "Official",
    "documents": "Document",
    "places": "Place",
}


def _const(text: str) -> ColumnElement[str]:
    """A string constant from our code, as a typed SQL literal (to_json cannot take an
    untyped one)."""
    assert "'" not in text
    return sa.literal_column(f"'{text}'::text")


def _bool(value: bool) -> ColumnElement[bool]:
    return sa.literal_column("true" if value else "false")


class Build:
    """One compilation: a schema, the operation's fragments and coerced variables."""

    def __init__(
        self,
        schema: GraphQLSchema,
        strawberry_schema: Any,
        fragments: Mapping[str, FragmentDefinitionNode],
        variables: VariableValues,
        max_page_size: int,
    ) -> None:
        self.schema = schema
        self.strawberry_schema = strawberry_schema
        self.fragments = fragments
        self.variables = variables
        self.max_page_size = max_page_size
        self.j: Json = Json("postgresql")

    # -- selections -----------------------------------------------------------------

    def _applies(self, condition: str | None, type_name: str) -> bool:
        if condition is None or condition == type_name:
            return True
        t = self.schema.get_type(type_name)
        return isinstance(t, GraphQLObjectType) and any(i.name == condition for i in t.interfaces)

    def collect(self, type_name: str, sel: SelectionSetNode | None) -> list[tuple[str, FieldNode]]:
        """(response key, field) in response order, fragments expanded."""
        out: list[tuple[str, FieldNode]] = []
        self._collect(type_name, sel, out, set())
        keys: dict[str, FieldNode] = {}
        for key, node in out:
            if key in keys:
                # The same key twice is merged by GraphQL; only identical leaves are safe.
                prev = keys[key]
                if node.selection_set or prev.selection_set or node.name.value != prev.name.value:
                    raise Unsupported("merged fields")
                if node.arguments or prev.arguments:
                    raise Unsupported("merged fields with arguments")
            keys[key] = node
        seen: set[str] = set()
        unique = []
        for key, node in out:
            if key not in seen:
                seen.add(key)
                unique.append((key, node))
        return unique

    def _collect(
        self,
        type_name: str,
        sel: SelectionSetNode | None,
        out: list[tuple[str, FieldNode]],
        visited: set[str],
    ) -> None:
        if sel is None:
            return
        for node in sel.selections:
            if node.directives:
                raise Unsupported("directives")
            if isinstance(node, FieldNode):
                out.append(((node.alias or node.name).value, node))
            elif isinstance(node, InlineFragmentNode):
                cond = node.type_condition.name.value if node.type_condition else None
                if self._applies(cond, type_name):
                    self._collect(type_name, node.selection_set, out, visited)
            elif isinstance(node, FragmentSpreadNode):
                name = node.name.value
                frag = self.fragments.get(name)
                if frag is None or name in visited:
                    raise Unsupported("fragment")
                if self._applies(frag.type_condition.name.value, type_name):
                    self._collect(type_name, frag.selection_set, out, visited | {name})

    def array(
        self,
        element: ColumnElement[Any],
        source: sa.Select[Any],
        order_by: list[ColumnElement[Any]],
    ) -> ColumnElement[Any]:
        """`[element for each row of source, in order]`, `[]` when there is none.
        `source` gives the rows (FROM/WHERE); it correlates to the enclosing row.
        (An aggregate without GROUP BY gives one row even over no rows: never NULL.)"""
        agg = self.j.agg(element, order_by)
        return json_text(source.with_only_columns(agg).scalar_subquery())

    def args(self, type_name: str, node: FieldNode) -> dict[str, Any]:
        t = self.schema.get_type(type_name)
        assert isinstance(t, GraphQLObjectType)
        return get_argument_values(t.fields[node.name.value], node, self.variables)

    # -- objects ----------------------------------------------------------------------

    def obj(
        self,
        type_name: str,
        node: FieldNode,
        row: Row,
        extra: Mapping[str, Handler] | None = None,
    ) -> ColumnElement[Any]:
        """The JSON object of `node`'s selection on `row` of type `type_name`."""
        handlers = {**FIELDS.get(type_name, {}), **(extra or {})}
        pairs: list[tuple[str, ColumnElement[Any]]] = []
        for key, child in self.collect(type_name, node.selection_set):
            name = child.name.value
            if name == "__typename":
                pairs.append((key, _const(type_name)))
                continue
            handler = handlers.get(name)
            if handler is None:
                raise Unsupported(f"{type_name}.{name}")
            args = (
                self.args(type_name, child)
                if child.arguments or self._has_args(type_name, name)
                else {}
            )
            pairs.append((key, handler(self, row, child, args)))
        return self._object(pairs)

    def _has_args(self, type_name: str, field: str) -> bool:
        t = self.schema.get_type(type_name)
        return isinstance(t, GraphQLObjectType) and bool(t.fields[field].args)

    def leaf_object(
        self, type_name: str, node: FieldNode, values: Mapping[str, ColumnElement[Any]]
    ) -> ColumnElement[Any]:
        """An object of plain values (Figures, PageInfo) from a name -> expression map."""
        pairs: list[tuple[str, ColumnElement[Any]]] = []
        for key, child in self.collect(type_name, node.selection_set):
            name = child.name.value
            if name == "__typename":
                pairs.append((key, _const(type_name)))
            elif name in values:
                pairs.append((key, values[name]))
            else:
                raise Unsupported(f"{type_name}.{name}")
        return self._object(pairs)

    def _object(self, pairs: list[tuple[str, ColumnElement[Any]]]) -> ColumnElement[Any]:
        for key, _ in pairs:
            if not is_key(key):  # aliases are written into the SQL as literals
                raise Unsupported("key")
        return self.j.obj(*pairs)

    # -- root fields ------------------------------------------------------------------

    def root(self, node: FieldNode) -> sa.Select[Any]:
        """One statement returning the field's JSON as text (one row, one column)."""
        name = node.name.value
        if name in LISTINGS:
            return sa.select(self.j.text(self.connection(name, node)))
        if name == "node":
            return self.node(node)
        if name == "incidentStats":
            return sa.select(self.j.text(self.stats(node)))
        raise Unsupported(f"Query.{name}")

    def _filter(self, name: str, raw: Any) -> Any:
        cls = FILTER_INPUTS[name]
        if raw is None:
            return cls().to_filter()
        s = self.strawberry_schema
        value = convert_argument(raw, cls, s.schema_converter.scalar_registry, s.config)
        try:
            return value.to_filter()  # type: ignore[attr-defined]
        except PublicError:
            raise Unsupported("invalid filter") from None

    def connection(self, name: str, node: FieldNode) -> ColumnElement[Any]:
        listing: Listing = LISTINGS[name]
        args = self.args("Query", node)
        first = args.get("first")
        if not isinstance(first, int) or not 0 <= first <= self.max_page_size:
            raise Unsupported("first out of range")
        order = listing.order(args.get("orderBy"))
        after = args.get("after")
        try:
            after_clause = None if after is None else order.after(after)
        except PublicError:
            raise Unsupported("bad cursor") from None
        where = listing.where(self._filter(name, args.get("filter")), "postgresql")
        base = listing.table
        rn = sa.func.row_number().over(order_by=order.order_by()).label("_rn")
        page_q = sa.select(base, rn).where(where)
        if after_clause is not None:
            page_q = page_q.where(after_clause)
        # `first` stays one parameter (LIMIT $n + 1), so the plan can bind it.
        limit = sa.literal(first, sa.Integer) + 1
        page = page_q.order_by(*order.order_by()).limit(limit).cte()
        node_type = NODE_TYPE_OF_LISTING[name]
        cursor = self._cursor(order, page)
        in_page = sa.select(page.c.id).where(page.c._rn <= first)

        def edges(b: Build, row: Row, n: FieldNode, a: dict[str, Any]) -> ColumnElement[Any]:
            element = b.obj(
                f"{node_type}Edge",
                n,
                page,
                extra={
                    "cursor": lambda *_: cursor,
                    "node": lambda b2, r2, n2, a2: b2.obj(node_type, n2, page),
                },
            )
            return b.array(element, in_page, [page.c._rn])

        def nodes(b: Build, row: Row, n: FieldNode, a: dict[str, Any]) -> ColumnElement[Any]:
            return b.array(b.obj(node_type, n, page), in_page, [page.c._rn])

        def page_info(b: Build, row: Row, n: FieldNode, a: dict[str, Any]) -> ColumnElement[Any]:
            count = sa.select(sa.func.count()).select_from(page).scalar_subquery()
            at = sa.select(cursor).select_from(page)
            return b.leaf_object(
                "PageInfo",
                n,
                {
                    "hasNextPage": count > first,
                    "hasPreviousPage": _bool(after is not None),
                    "startCursor": at.where(page.c._rn == 1, page.c._rn <= first).scalar_subquery(),
                    "endCursor": at.where(page.c._rn <= first)
                    .order_by(page.c._rn.desc())
                    .limit(1)
                    .scalar_subquery(),
                },
            )

        def total(b: Build, row: Row, n: FieldNode, a: dict[str, Any]) -> ColumnElement[Any]:
            return sa.select(sa.func.count()).select_from(base).where(where).scalar_subquery()

        return self.obj(
            f"{node_type}Connection",
            node,
            page,
            extra={"edges": edges, "nodes": nodes, "pageInfo": page_info, "totalCount": total},
        )

    def stats(self, node: FieldNode) -> ColumnElement[Any]:
        """`incidentStats`: the query layer's statement, its buckets aggregated to JSON in
        the order the resolvers return them."""
        args = self.args("Query", node)
        groups = [g.value for g in args.get("groupBy") or ()]
        if not groups:
            raise Unsupported("no groupBy")  # the resolvers report it
        try:
            stmt, names = qs.stats_select(
                "postgresql", self._filter("incidents", args.get("filter")), groups, "groupBy"
            )
        except QueryError:
            raise Unsupported("invalid groupBy") from None
        buckets = stmt.subquery("buckets")
        none = sa.cast(sa.null(), sa.Text)

        def key(name: str, value: Callable[[ColumnElement[Any]], Any] = lambda c: c) -> Any:
            column = buckets.c[name] if name in names else None
            return lambda *_: none if column is None else value(column)

        def figures(prefix: str) -> Any:
            return lambda b, row, n, a: b.leaf_object(
                "Figures", n, {p: buckets.c[f"{prefix}_{p}"] for p in ("low", "best", "high")}
            )

        def perpetrator(b: Build, row: Any, n: FieldNode, a: dict[str, Any]) -> Any:
            if "perpetrator_id" not in names:
                return none
            actor = t.actor.alias()
            obj = b.obj("Actor", n, actor)
            return sa.select(obj).where(actor.c.id == buckets.c.perpetrator_id).scalar_subquery()

        handlers = {
            "day": key("day"),
            "week": key("week"),
            "month": key("month"),
            "year": key("year", lambda c: sa.cast(c, sa.Integer)),
            "admin1": key("admin1"),
            "type": key("type", sa.func.upper),
            "incidents": lambda *_: buckets.c.incidents,
            "killed": figures("killed"),
            "wounded": figures("wounded"),
            "perpetrator": perpetrator,
        }
        element = self.obj("StatsBucket", node, buckets, extra=handlers)
        order = [buckets.c[n].asc().nulls_last() for n in names]
        agg = self.j.agg(element, order)
        return json_text(sa.select(agg).select_from(buckets).scalar_subquery())

    def _cursor(self, order: Order, page: Any) -> ColumnElement[str]:
        """The GraphQL cursor of a page row, as `Order.cursor_of` writes it."""
        if order.dated:
            day = sa.func.coalesce(
                sa.func.to_char(page.c.date, sa.literal_column("'YYYY-MM-DD'")),
                sa.literal_column("''"),
            )
            return day.op("||")(sa.literal_column("':'")).op("||")(sa.cast(page.c.id, sa.Text))
        return sa.cast(page.c.id, sa.Text)

    def node(self, node: FieldNode) -> sa.Select[Any]:
        args = self.args("Query", node)
        try:
            type_name, pk = decode_id(str(args["id"]))
        except PublicError:
            raise Unsupported("bad id") from None
        table = NODE_TABLES.get(type_name)
        if table is None:
            raise Unsupported("unknown type")
        a = table.alias()
        obj = sa.select(self.obj(type_name, node, a)).where(a.c.id == pk).scalar_subquery()
        return sa.select(self.j.text(obj))
