"""Errors of the API layer."""


class ApiError(Exception):
    """Base class for expected API failures (the CLI prints them as one line)."""
