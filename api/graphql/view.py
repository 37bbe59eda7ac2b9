"""The ASGI endpoint: Strawberry's view with our context, API keys and orjson."""

from typing import Any

import orjson
from starlette.requests import Request
from starlette.responses import Response
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL

from api.auth import principal_of
from api.graphql.context import Context
from api.problems import Problem


class GraphQLView(GraphQL[Context, None]):
    """GraphQL over HTTP (GraphiQL on GET from a browser) and graphql-transport-ws."""

    async def get_context(
        self, request: Request | WebSocket, response: Response | WebSocket
    ) -> Context:
        state = request.app.state
        ctx = Context(
            settings=state.settings,
            engine=state.engine,
            read_engine=state.read_engine,
            hub=state.hub,
        )
        try:
            ctx.principal = await principal_of(request)
        except Problem:
            ctx.bad_key = True
        return ctx

    def encode_json(self, data: object) -> str:
        # Text, not bytes: graphql-transport-ws messages must be WebSocket text frames.
        return orjson.dumps(data).decode()

    def decode_json(self, data: str | bytes) -> Any:
        return orjson.loads(data)
