"""GraphQL at /graphql (Strawberry)."""

from starlette.routing import BaseRoute

from schema.config import Settings


def routes(settings: Settings) -> list[BaseRoute]:
    return []
