"""The schema extension that answers covered read operations with compiled SQL.

Before graphql-core executes anything, a query operation on PostgreSQL is compiled
(`build.Build`) into one statement per root field; each returns its finished JSON, which
goes into the response untouched (orjson.Fragment). Plans are kept in small LRUs keyed
by the query text, the operation name and the variables' signature (`binding`): the
variables that feed bind parameters only by their class, so one plan serves every
governorate, date range or incident id. A plan holds each statement as driver SQL with
its positional arguments (constants, or taken from the variables), run straight through
asyncpg on the read engine's autocommit connection.

Limits ran before (validation, cost); read permission is checked the same way the
resolvers check it, and whatever is not covered (mutations, subscriptions, SQLite,
unusual selections, anything that would be an error) is left to the resolvers.
"""

from __future__ import annotations

import logging
from collections import OrderedDict
from collections.abc import AsyncIterator, Callable, Hashable, Mapping
from dataclasses import dataclass
from typing import Any

import orjson
import sqlalchemy as sa
from graphql import (
    ExecutionResult,
    FragmentDefinitionNode,
    GraphQLSchema,
    OperationDefinitionNode,
    OperationType,
    get_operation_ast,
)
from graphql.execution.values import VariableValues, get_variable_values
from sqlalchemy.engine import Dialect
from sqlalchemy.ext.asyncio import AsyncConnection
from strawberry.extensions import SchemaExtension

from api.graphql.compiler import binding as b
from api.graphql.compiler.build import Build
from api.graphql.compiler.fields import Unsupported
from api.graphql.context import Context
from api.graphql.errors import PublicError
from api.query import prepared
from api.query.snapshots import SnapshotCache
from schema.config import Settings

PLAN_CACHE_SIZE = 256
# Operations with more variable leaves than this are not analysed for binding (each
# candidate costs one more build on a cache miss).
MAX_CANDIDATES = 16
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Root:
    """One root field of a plan: a constant (`__typename`), or a statement as driver SQL
    with its arguments, or (no positional form) a SQLAlchemy statement."""

    key: str
    constant: str | None = None
    sql: str | None = None
    args: tuple[b.Arg, ...] = ()
    stmt: sa.Select[Any] | None = None


Plan = list[Root]


@dataclass(frozen=True)
class Operation:
    """A query text's operation and fragments, found once."""

    op: OperationDefinitionNode | None
    fragments: dict[str, FragmentDefinitionNode]


class _Lru:
    def __init__(self, size: int) -> None:
        self.size = size
        self.items: OrderedDict[Hashable, Any] = OrderedDict()

    def get(self, key: Hashable) -> tuple[bool, Any]:
        if key in self.items:
            self.items.move_to_end(key)
            return True, self.items[key]
        return False, None

    def put(self, key: Hashable, value: Any) -> None:
        self.items[key] = value
        if len(self.items) > self.size:
            self.items.popitem(last=False)


class PlanCache:
    """Operations, binding analyses and plans. `compiled`/`fallbacks` count which path
    answered (for tests and metrics), `builds` how many plans were built."""

    def __init__(self, size: int = PLAN_CACHE_SIZE) -> None:
        self.operations = _Lru(size)
        self.bindings = _Lru(size)
        self.plans = _Lru(size)
        self.compiled = 0
        self.fallbacks = 0
        self.builds = 0


Built = list[tuple[str, sa.Select[Any] | None, str | None]]


def _build(
    schema: Any, operation: Operation, variables: VariableValues, max_page_size: int
) -> Built | None:
    """One statement per root field (None: the resolvers answer)."""
    assert operation.op is not None
    gql_schema: GraphQLSchema = schema._schema
    build = Build(gql_schema, schema, operation.fragments, variables, max_page_size)
    out: Built = []
    try:
        for key, node in build.collect("Query", operation.op.selection_set):
            if node.name.value == "__typename":
                out.append((key, None, "Query"))
            else:
                out.append((key, build.root(node), None))
    except (Unsupported, PublicError):
        return None
    except Exception:
        # A compiler bug must not fail a request that the resolvers can answer.
        log.exception("GraphQL compiler failed; answering with resolvers")
        return None
    return out


def _same_value(x: Any, y: Any) -> bool:
    return type(x) is type(y) and x == y


def _bound_positions(
    a: Built, other: Built, var_a: Any, var_b: Any
) -> dict[tuple[int, int], b.Derive] | None:
    """Parameters (root index, bind index) that follow the perturbed variable, and how;
    None when the two builds differ in any other way."""
    if len(a) != len(other):
        return None
    out: dict[tuple[int, int], b.Derive] = {}
    for r, ((key_a, stmt_a, const_a), (key_b, stmt_b, const_b)) in enumerate(
        zip(a, other, strict=True)
    ):
        if key_a != key_b or const_a != const_b or (stmt_a is None) != (stmt_b is None):
            return None
        if stmt_a is None or stmt_b is None:
            continue
        ck_a, ck_b = stmt_a._generate_cache_key(), stmt_b._generate_cache_key()
        if ck_a is None or ck_b is None or ck_a.key != ck_b.key:
            return None
        for i, (pa, pb) in enumerate(zip(ck_a.bindparams, ck_b.bindparams, strict=True)):
            va, vb = pa.effective_value, pb.effective_value
            if _same_value(va, vb):
                continue
            derive = b.derivation(var_a, var_b, va, vb)
            if derive is None:
                return None
            out[(r, i)] = derive
    return out


def _plan(
    built: Built,
    dialect: Dialect,
    positions: Mapping[tuple[int, int], tuple[b.Path, b.Derive]],
) -> Plan:
    plan: Plan = []
    for r, (key, stmt, constant) in enumerate(built):
        if stmt is None:
            plan.append(Root(key, constant=constant))
            continue
        ck = stmt._generate_cache_key()
        compiled = None if ck is None else prepared.compile_positional(stmt, dialect, ck.bindparams)
        if ck is None or compiled is None:
            plan.append(Root(key, stmt=stmt))
            continue
        args = []
        constants = compiled.args(ck.bindparams)
        for k, slot in enumerate(compiled.slots):
            bound = positions.get((r, slot))
            if bound is None:
                args.append(b.Arg(value=constants[k]))
            else:
                process = compiled.processors[k]
                args.append(b.Arg(path=bound[0], derive=b.then(bound[1], process)))
        plan.append(Root(key, sql=compiled.sql, args=tuple(args)))
    return plan


def analyse(
    schema: Any,
    operation: Operation,
    variables: VariableValues,
    dialect: Dialect,
    max_page_size: int,
) -> tuple[Plan | None, frozenset[b.Path]]:
    """The plan for `variables` and the variable leaves it takes as parameters."""
    built = _build(schema, operation, variables, max_page_size)
    if built is None:
        return None, frozenset()
    values = variables.coerced
    candidates = [(p, v) for p, v in b.leaves(values) if b.candidate(v)]
    positions: dict[tuple[int, int], tuple[b.Path, b.Derive]] = {}
    bound: set[b.Path] = set()
    if len(candidates) <= MAX_CANDIDATES:
        for path, value in candidates:
            other_value = b.perturb(value, max_page_size)
            if other_value is None:
                continue
            perturbed = variables._replace(coerced=b.replace_at(values, path, other_value))
            other = _build(schema, operation, perturbed, max_page_size)
            found = None if other is None else _bound_positions(built, other, value, other_value)
            if found is None:
                continue
            bound.add(path)
            positions.update({pos: (path, derive) for pos, derive in found.items()})
    plan = _plan(built, dialect, positions)
    if any(root.stmt is not None for root in plan):
        bound.clear()  # a statement kept as SQLAlchemy carries this request's values
    return plan, frozenset(bound)


async def _run(
    conn: AsyncConnection, plan: Plan, variables: Mapping[str, Any], snapshots: SnapshotCache
) -> dict[str, Any]:
    data: dict[str, Any] = {}
    drv = None
    for root in plan:
        if root.sql is not None:
            if drv is None:
                drv = await prepared.driver(conn)
            # Slow roots (stats over all the data) are reused while nothing changes.
            text = await snapshots.fetchval(drv, root.sql, b.args_of(root.args, variables))
        elif root.stmt is not None:
            text = (await conn.execute(root.stmt)).scalar_one()
        else:
            data[root.key] = root.constant
            continue
        data[root.key] = None if text is None else orjson.Fragment(text)
    return data


def compiler_extension(settings: Settings) -> Callable[[], SchemaExtension]:
    """A factory for the per-request extension; the plan cache is shared by them all."""
    cache = PlanCache()
    snapshots = SnapshotCache()
    max_page_size = settings.max_page_size

    def operation(ec: Any) -> Operation:
        key = (ec.query, ec.operation_name)
        hit, found = cache.operations.get(key)
        if hit:
            return found  # type: ignore[no-any-return]
        document = ec.graphql_document
        op = get_operation_ast(document, ec.operation_name)
        if op is not None and op.operation is not OperationType.QUERY:
            op = None
        fragments = {
            d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
        }
        found = Operation(op, fragments)
        cache.operations.put(key, found)
        return found

    def plan_for(ec: Any, dialect: Dialect) -> tuple[Plan | None, Mapping[str, Any]]:
        op = operation(ec)
        if op.op is None:
            return None, {}
        schema = ec.schema
        coerced = get_variable_values(
            schema._schema, op.op.variable_definitions or (), ec.variables or {}
        )
        if isinstance(coerced, list):
            return None, {}  # variable errors: let graphql-core report them
        variables = coerced.coerced
        qkey = (ec.query, ec.operation_name)
        shape = b.Shape.of(variables, max_page_size)
        known, bound = cache.bindings.get((qkey, shape.key))
        if known:
            sig = b.signature(variables, bound, max_page_size)
            hit, plan = cache.plans.get((qkey, sig))
            if hit:
                return plan, variables
        cache.builds += 1
        plan, found = analyse(schema, op, coerced, dialect, max_page_size)
        if not known:
            cache.bindings.put((qkey, shape.key), found)
            bound = found
        if bound <= found:  # else this plan holds a value the key abstracts: use it once
            cache.plans.put((qkey, b.signature(variables, bound, max_page_size)), plan)
        return plan, variables

    class Compiler(SchemaExtension):
        plans = cache

        async def on_execute(self) -> AsyncIterator[None]:
            ec = self.execution_context
            ctx = ec.context
            if not ec.result and isinstance(ctx, Context) and self._eligible(ctx):
                plan, variables = plan_for(ec, ctx.engine.dialect)
                if plan is None:
                    cache.fallbacks += 1
                else:
                    data = await ctx.read(lambda conn: _run(conn, plan, variables, snapshots))
                    ec.result = ExecutionResult(data=data)
                    cache.compiled += 1
            yield

        @staticmethod
        def _eligible(ctx: Context) -> bool:
            if ctx.engine.dialect.name != "postgresql":
                return False
            try:
                ctx.require_read()
            except PublicError:
                return False  # the resolvers report it
            return True

    return Compiler
