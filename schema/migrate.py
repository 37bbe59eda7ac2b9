"""Run Alembic migrations programmatically: `upgrade`, `downgrade`, `current`, `head`.

Used by `sitrep db ...`, by /readyz (schema.health) and by the test fixtures. All
database functions are coroutines: they open an async engine on `url`, hand its
connection to Alembic inside `run_sync` and dispose of the engine afterwards.

Full-text search objects
------------------------
The initial migration adds, by hand, full-text objects the models cannot express.
Query them by these names (the API's search filters do):

PostgreSQL (GIN expression indexes; the query must repeat the indexed expression):

* ``ix_statement_text_fts`` on ``to_tsvector('english', statement.text)``::

      WHERE to_tsvector('english', text) @@ websearch_to_tsquery('english', :q)

* ``ix_document_text_fts`` on
  ``to_tsvector('english', coalesce(document.title, '') || ' ' || document.text)``::

      WHERE to_tsvector('english', coalesce(title, '') || ' ' || text)
            @@ websearch_to_tsquery('english', :q)

SQLite (FTS5 external-content tables kept in sync by insert/update/delete triggers;
their rowid is the source row's id):

* ``statement_fts(text)``, content ``statement``, rowid = ``statement.id``::

      SELECT rowid FROM statement_fts WHERE statement_fts MATCH :q

* ``document_fts(title, text)``, content ``document``, rowid = ``document.id``::

      SELECT rowid FROM document_fts WHERE document_fts MATCH :q  -- or {title}: ...

Both use the ``unicode61 remove_diacritics 2`` tokenizer. ``MATCH`` takes FTS5 query
syntax: quote user input (``'"' || replace(:q, '"', '""') || '"'``) unless you mean it.
"""

from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any, Literal

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.util import CommandError
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from schema.config import normalise_url
from schema.errors import DatabaseUnavailable, MigrationError, MigrationsBehind

#: Names of the hand-written full-text objects (hidden from autogenerate comparison).
FTS_INDEXES = frozenset({"ix_statement_text_fts", "ix_document_text_fts"})
#: FTS5 creates shadow tables named `<table>_data`, `_idx`, `_docsize`, `_config`.
FTS_TABLE_PREFIXES = ("statement_fts", "document_fts")

_REPO_ROOT = Path(__file__).resolve().parent.parent


def include_name(name: str | None, type_: str, _parents: Mapping[str, str | None]) -> bool:
    """Autogenerate filter: hide the hand-written full-text objects (see the module doc),
    which the models do not declare, so comparison does not propose dropping them."""
    if name is None:
        return True
    if type_ == "table":
        return not name.startswith(FTS_TABLE_PREFIXES)
    if type_ == "index":
        return name not in FTS_INDEXES
    return True


def _script_location() -> Path:
    """The `alembic/` directory: next to the source tree (editable install, clone) or
    in the working directory (the container image copies it to /app)."""
    for candidate in (_REPO_ROOT / "alembic", Path.cwd() / "alembic"):
        if (candidate / "env.py").is_file():
            return candidate
    raise DatabaseUnavailable(
        "migration scripts not found: expected an alembic/ directory next to the source tree"
    )


def alembic_config(url: str | None = None, connection: Connection | None = None) -> Config:
    """An Alembic Config that needs no ini file; env.py reads `url`/`connection`."""
    ini = _REPO_ROOT / "alembic.ini"
    cfg = Config(str(ini)) if ini.is_file() else Config()
    cfg.set_main_option("script_location", str(_script_location()))
    cfg.attributes["skip_logging"] = True
    if url is not None:
        cfg.attributes["url"] = url
    if connection is not None:
        cfg.attributes["connection"] = connection
    return cfg


@cache
def head() -> str:
    """The head revision of the migration scripts (read once per process)."""
    revision = ScriptDirectory.from_config(alembic_config()).get_current_head()
    if revision is None:
        raise DatabaseUnavailable("no migration scripts found")
    return revision


def redact(url: str) -> str:
    """The URL with any password replaced, for error messages."""
    scheme, sep, rest = url.partition("://")
    if not sep or "@" not in rest:
        return url
    creds, _, host = rest.rpartition("@")
    user = creds.split(":", 1)[0]
    return f"{scheme}://{user}:***@{host}" if ":" in creds else url


def describe_connect_error(url: str, exc: BaseException) -> str:
    """One line naming the database and the reason it could not be used."""
    reason = str(getattr(exc, "orig", None) or exc).strip().splitlines()
    text = reason[0] if reason else type(exc).__name__
    return f"cannot use database {redact(url)}: {text}"


async def connect(engine: AsyncEngine) -> AsyncConnection:
    """Open a connection, turning any failure to connect (refused, unknown host, missing
    database, bad credentials, unopenable file) into DatabaseUnavailable."""
    _check_sqlite_path(engine)
    try:
        return await engine.connect()
    except Exception as exc:
        raise DatabaseUnavailable(
            describe_connect_error(engine.url.render_as_string(hide_password=True), exc)
        ) from exc


def _check_sqlite_path(engine: AsyncEngine) -> None:
    """Fail before aiosqlite tries: its worker thread reports a failed open on an
    event loop that may be closed by then, printing a stray traceback at exit."""
    database = engine.url.database
    if engine.dialect.name != "sqlite" or not database or database == ":memory:":
        return
    if database.startswith("file:"):
        return
    parent = Path(database).expanduser().resolve().parent
    if not parent.is_dir():
        raise DatabaseUnavailable(
            f"cannot use database {engine.url.render_as_string(hide_password=True)}: "
            f"directory {parent} does not exist"
        )


async def _run(url: str, action: Any) -> Any:
    """Open an engine on `url` and run `action(sync_connection)` in one transaction."""
    from schema.db import make_engine  # local: keeps this module's import light

    engine = make_engine(normalise_url(url))
    try:
        conn = await connect(engine)
        try:
            result = await conn.run_sync(action)
            await conn.commit()
            return result
        except CommandError as exc:  # unknown revision, ambiguous target...
            raise MigrationError(f"migration failed: {exc}") from exc
        finally:
            await conn.close()
    finally:
        await engine.dispose()


async def upgrade(url: str, revision: str = "head") -> None:
    """Bring the database at `url` up to `revision`."""

    def action(conn: Connection) -> None:
        command.upgrade(alembic_config(url, conn), revision)

    await _run(url, action)


async def downgrade(url: str, revision: str) -> None:
    """Take the database at `url` down to `revision` ("base" removes every table)."""

    def action(conn: Connection) -> None:
        command.downgrade(alembic_config(url, conn), revision)

    await _run(url, action)


def _current(conn: Connection) -> str | None:
    return MigrationContext.configure(conn).get_current_revision()


async def current(url: str) -> str | None:
    """The database's revision, or None when it was never migrated."""
    result: str | None = await _run(url, _current)
    return result


async def current_on(conn: AsyncConnection) -> str | None:
    """The revision of the database behind an open connection."""
    return await conn.run_sync(_current)


Status = Literal["head", "behind", "empty"]


async def status(engine: AsyncEngine) -> tuple[Status, str | None]:
    """Whether the database behind `engine` is at head, behind, or never migrated."""
    conn = await connect(engine)
    try:
        rev = await current_on(conn)
    finally:
        await conn.close()
    if rev is None:
        return "empty", None
    return ("head" if rev == head() else "behind"), rev


async def require_head(engine: AsyncEngine) -> None:
    """Raise MigrationsBehind (one clear line) unless the database is at head; for
    commands that write data (seed, ingest, worker)."""
    state, rev = await status(engine)
    if state == "empty":
        raise MigrationsBehind("the database has no tables yet: run `sitrep db upgrade`")
    if state == "behind":
        raise MigrationsBehind(
            f"the database is at migration {rev}, this sitrep needs {head()}: "
            "run `sitrep db upgrade`"
        )
