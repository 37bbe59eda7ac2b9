"""GraphQL at /graphql (Strawberry): queries, mutations, subscriptions; GraphiQL on GET.

`routes(settings)` builds the schema once, at application start-up.
"""

from starlette.routing import BaseRoute, Route, WebSocketRoute

from api.graphql.schema import build_schema
from api.graphql.view import GraphQLView
from schema.config import Settings


def routes(settings: Settings) -> list[BaseRoute]:
    """`Settings.extra["graphql_compiler"] = "off"` serves every query through resolvers
    (a switch for operators, and how the tests compare the two paths)."""
    compiled = settings.extra.get("graphql_compiler", "on") != "off"
    view = GraphQLView(build_schema(settings, compiled=compiled), graphql_ide="graphiql")
    return [Route("/graphql", view), WebSocketRoute("/graphql", view)]
