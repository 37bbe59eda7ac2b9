"""The schema extension that answers covered read operations with compiled SQL.

Before graphql-core executes anything, a query operation on PostgreSQL is compiled
(`build.Build`) into one statement per root field; each returns its finished JSON, which
goes into the response untouched (orjson.Fragment). Compiled statements are kept in a
small LRU keyed by the parsed document, operation name and variables, so a repeated
request skips compilation. Limits ran before (validation, cost); read permission is
checked the same way the resolvers check it, and whatever is not covered (mutations,
subscriptions, SQLite, statistics, unusual selections, anything that would be an error)
is left to the resolvers.
"""

from __future__ import annotations

import logging
from collections import OrderedDict
from collections.abc import AsyncIterator, Callable
from typing import Any

import orjson
import sqlalchemy as sa
from graphql import (
    ExecutionResult,
    FragmentDefinitionNode,
    OperationType,
    get_operation_ast,
)
from graphql.execution.values import get_variable_values
from sqlalchemy.ext.asyncio import AsyncConnection
from strawberry.extensions import SchemaExtension

from api.graphql.compiler.build import Build
from api.graphql.compiler.fields import Unsupported
from api.graphql.context import Context
from api.graphql.errors import PublicError
from schema.config import Settings

PLAN_CACHE_SIZE = 256
log = logging.getLogger(__name__)

# (response key, statement or None for a constant, constant value)
Plan = list[tuple[str, sa.Select[Any] | None, str | None]]


class PlanCache:
    """Compiled plans by (document, operation name, variables). Misses are counted so
    the tests can tell which path answered."""

    def __init__(self, size: int = PLAN_CACHE_SIZE) -> None:
        self.size = size
        self.plans: OrderedDict[tuple[Any, ...], Plan | None] = OrderedDict()
        self.compiled = 0  # operations answered by the compiler (for tests and metrics)
        self.fallbacks = 0

    def get(self, key: tuple[Any, ...]) -> tuple[bool, Plan | None]:
        if key in self.plans:
            self.plans.move_to_end(key)
            return True, self.plans[key]
        return False, None

    def put(self, key: tuple[Any, ...], plan: Plan | None) -> None:
        self.plans[key] = plan
        if len(self.plans) > self.size:
            self.plans.popitem(last=False)


def _plan(ec: Any, max_page_size: int) -> Plan | None:
    document = ec.graphql_document
    op = get_operation_ast(document, ec.operation_name)
    if op is None or op.operation is not OperationType.QUERY:
        return None
    schema = ec.schema._schema
    variables = get_variable_values(schema, op.variable_definitions or (), ec.variables or {})
    if isinstance(variables, list):
        return None  # variable errors: let graphql-core report them
    fragments = {
        d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
    }
    build = Build(schema, ec.schema, fragments, variables, max_page_size)
    plan: Plan = []
    try:
        for key, node in build.collect("Query", op.selection_set):
            if node.name.value == "__typename":
                plan.append((key, None, "Query"))
            else:
                plan.append((key, build.root(node), None))
    except (Unsupported, PublicError):
        return None
    except Exception:
        # A compiler bug must not fail a request that the resolvers can answer.
        log.exception("GraphQL compiler failed; answering with resolvers")
        return None
    return plan


async def _run(conn: AsyncConnection, plan: Plan) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for key, stmt, constant in plan:
        if stmt is None:
            data[key] = constant
            continue
        text = (await conn.execute(stmt)).scalar_one()
        data[key] = None if text is None else orjson.Fragment(text)
    return data


def compiler_extension(settings: Settings) -> Callable[[], SchemaExtension]:
    """A factory for the per-request extension; the plan cache is shared by them all."""
    cache = PlanCache()

    class Compiler(SchemaExtension):
        plans = cache

        async def on_execute(self) -> AsyncIterator[None]:
            ec = self.execution_context
            ctx = ec.context
            if not ec.result and isinstance(ctx, Context) and self._eligible(ctx):
                key = (
                    ec.graphql_document,
                    ec.operation_name,
                    orjson.dumps(ec.variables or {}, option=orjson.OPT_SORT_KEYS),
                )
                hit, plan = cache.get(key)
                if not hit:
                    plan = _plan(ec, settings.max_page_size)
                    cache.put(key, plan)
                if plan is None:
                    cache.fallbacks += 1
                else:
                    data = await ctx.run(lambda conn: _run(conn, plan))
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
