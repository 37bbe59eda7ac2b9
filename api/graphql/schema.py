"""`build_schema(settings)`: the Strawberry schema with its limits, caches, error masking
and the compiled fast path. Built once at start-up."""

import strawberry
from strawberry.extensions import MaskErrors, ParserCache, ValidationCache
from strawberry.schema.config import StrawberryConfig

from api.graphql.errors import should_mask
from api.graphql.limits import LimitRules
from api.graphql.mutations import Mutation
from api.graphql.nodes import NODE_TYPES
from api.graphql.queries import Query
from api.graphql.scalars import SCALAR_MAP
from api.graphql.subscriptions import Subscription
from schema.config import Settings

CACHE_SIZE = 512


def build_schema(settings: Settings, *, compiled: bool = True) -> strawberry.Schema:
    """`compiled=False` leaves out the compiler (the tests run both paths)."""
    limits = LimitRules.from_settings(settings)
    extensions: list[object] = [
        lambda: ParserCache(maxsize=CACHE_SIZE),
        limits.guard,
        lambda: ValidationCache(maxsize=CACHE_SIZE),
        lambda: MaskErrors(should_mask_error=should_mask),
    ]
    if compiled:
        from api.graphql.compiler.extension import compiler_extension

        extensions.append(compiler_extension(settings))
    return strawberry.Schema(
        query=Query,
        mutation=Mutation,
        subscription=Subscription,
        types=list(NODE_TYPES.values()),
        extensions=extensions,  # type: ignore[arg-type]
        config=StrawberryConfig(scalar_map=SCALAR_MAP),
    )


def sdl(settings: Settings | None = None) -> str:
    """The schema in SDL, as checked in at `schema.graphql`."""
    return build_schema(settings or Settings(), compiled=False).as_str() + "\n"
