"""Errors raised by the query layer when a request's parameters cannot be turned into SQL.

REST maps them to 400 problem+json naming the parameter; GraphQL to a typed error.
"""

from api.errors import ApiError


class QueryError(ApiError):
    """A filter value, cursor or grouping is unusable; `param` names the input at fault."""

    def __init__(self, param: str, message: str) -> None:
        super().__init__(f"{param}: {message}")
        self.param = param
        self.message = message


class InvalidCursor(QueryError):
    def __init__(self, param: str = "cursor") -> None:
        super().__init__(param, "not a cursor issued by this server (or for another listing)")
