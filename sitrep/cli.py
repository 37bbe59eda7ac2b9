"""`sitrep`: one argparse tree; each package registers its own sub-commands.

Exit codes: 0 success, 1 failure (one clear line on stderr), 2 usage error (argparse).
"""

import argparse
import sys
from collections.abc import Sequence

import api.cli
import ingest.cli
import schema.cli
from api.errors import ApiError
from ingest.errors import IngestError
from schema.config import ConfigError
from schema.errors import SchemaError

EXPECTED_ERRORS = (ConfigError, SchemaError, IngestError, ApiError)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="sitrep",
        description="Structured data on armed-conflict and security incidents, from the news.",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    db = commands.add_parser("db", help="database migrations and seed data")
    db_commands = db.add_subparsers(dest="db_command", required=True, metavar="COMMAND")
    schema.cli.register_db(db_commands)
    ingest.cli.register_db(db_commands)
    ingest.cli.register(commands)
    api.cli.register(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        code: int = args.func(args)
    except EXPECTED_ERRORS as exc:
        print(f"sitrep: error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    return code
