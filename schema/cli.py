"""`sitrep db upgrade`, `sitrep db downgrade REV` and `sitrep db current`.

The database is the one named by DATABASE_URL (schema.config.Settings).
"""

import argparse
import asyncio

from schema import migrate
from schema.config import Settings


def register_db(commands: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    up = commands.add_parser(
        "upgrade",
        help="migrate the database to the latest revision (creates the tables)",
        description="Migrate the database at DATABASE_URL to REVISION (default: head).",
    )
    up.add_argument("revision", nargs="?", default="head", help="target revision (default: head)")
    up.set_defaults(func=_upgrade)

    down = commands.add_parser(
        "downgrade",
        help="migrate the database down to a revision",
        description="Migrate the database at DATABASE_URL down to REVISION "
        "('base' drops every table, '-1' goes one step back).",
    )
    down.add_argument("revision", help="target revision, 'base' or a relative step like -1")
    down.set_defaults(func=_downgrade)

    cur = commands.add_parser(
        "current",
        help="print the database's migration revision",
        description="Print the revision of the database at DATABASE_URL and whether it is head.",
    )
    cur.set_defaults(func=_current)


def _upgrade(args: argparse.Namespace) -> int:
    url = Settings.from_env().database_url
    asyncio.run(migrate.upgrade(url, args.revision))
    print(f"database at {asyncio.run(migrate.current(url))}")
    return 0


def _downgrade(args: argparse.Namespace) -> int:
    url = Settings.from_env().database_url
    asyncio.run(migrate.downgrade(url, args.revision))
    print(f"database at {asyncio.run(migrate.current(url)) or 'base'}")
    return 0


def _current(_args: argparse.Namespace) -> int:
    url = Settings.from_env().database_url
    revision = asyncio.run(migrate.current(url))
    head = migrate.head()
    if revision is None:
        print(f"base (not migrated; head is {head})")
    else:
        print(f"{revision} (head)" if revision == head else f"{revision} (head is {head})")
    return 0
