"""Errors of the schema layer (configuration, database reachability, migrations).

`sitrep.cli` prints any SchemaError as one line on stderr and exits 1.
"""


class SchemaError(Exception):
    """Base class: the CLI prints the message as one line and exits 1."""


class DatabaseUnavailable(SchemaError):
    """The database cannot be reached or opened (bad host, missing database, bad path)."""


class MigrationsBehind(SchemaError):
    """The database is not at the head migration; `sitrep db upgrade` fixes it."""


class MigrationError(SchemaError):
    """A migration command could not run (unknown revision, ambiguous target...)."""
