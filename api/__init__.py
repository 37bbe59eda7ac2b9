"""HTTP: the Starlette app, REST routes under /api/v1, Strawberry GraphQL at /graphql,
and the one query layer both share."""
