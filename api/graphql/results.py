"""Typed failures returned by mutations (unions in the schema), never stack traces."""

import strawberry

from api.graphql.errors import NotAllowed, NotFound, PublicError


@strawberry.interface(description="An expected failure, returned as data.")
class UserError:
    message: str


@strawberry.type(description="The record named does not exist (or was merged away).")
class NotFoundError(UserError):
    pass


@strawberry.type(description="The caller's API key lacks the scope this needs (or there is none).")
class NotAllowedError(UserError):
    needed_scope: str | None


@strawberry.type(description="An argument is unusable; `field` names it.")
class InvalidInputError(UserError):
    field: str | None


def as_result(error: PublicError) -> NotFoundError | NotAllowedError | InvalidInputError:
    """The typed form of an expected failure."""
    if isinstance(error, NotFound):
        return NotFoundError(message=error.message)
    if isinstance(error, NotAllowed):
        return NotAllowedError(message=error.message, needed_scope=error.needed)
    return InvalidInputError(message=error.message, field=error.field)
