"""Errors of the schema layer (configuration, database reachability, migrations)."""


class SchemaError(Exception):
    """Base class: the CLI prints the message as one line and exits 1."""


class DatabaseUnavailable(SchemaError):
    pass


class MigrationsBehind(SchemaError):
    pass
