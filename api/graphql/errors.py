"""Expected GraphQL failures and the rule that decides which errors reach clients.

`PublicError` subclasses carry a message meant for users (raised by resolvers, shown
as-is with an `extensions.code`); every other exception is masked by `MaskErrors`, so SQL,
file paths and stack traces never leave the server.
"""

from typing import ClassVar

from graphql import GraphQLError

from api.errors import ApiError


class PublicError(ApiError):
    """An expected failure whose message is safe to show to the client."""

    code: ClassVar[str] = "BAD_REQUEST"

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        # graphql-core copies an original error's `extensions` onto the located error.
        self.extensions: dict[str, object] = {"code": self.code}
        if field is not None:
            self.extensions["field"] = field


class InvalidInput(PublicError):
    code = "INVALID_INPUT"


class NotFound(PublicError):
    code = "NOT_FOUND"


class NotAllowed(PublicError):
    """The caller lacks the scope `needed` (a key with a lower scope)."""

    code = "FORBIDDEN"

    def __init__(self, message: str, *, needed: str) -> None:
        super().__init__(message)
        self.needed = needed
        self.extensions["neededScope"] = needed


class Unauthenticated(NotAllowed):
    """No (valid) API key, and the operation needs one."""

    code = "UNAUTHENTICATED"


class LimitExceeded(PublicError):
    code = "LIMIT_EXCEEDED"


def should_mask(error: GraphQLError) -> bool:
    """Mask everything that is not a deliberate, user-facing failure. Parse and
    validation errors (no original error) describe the client's own query: keep them."""
    original = error.original_error
    if original is None:
        return False
    return not isinstance(original, PublicError | GraphQLError)
