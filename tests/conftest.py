"""Shared fixtures: fresh, migrated databases on SQLite and PostgreSQL for every test.

Fixtures (use them; don't build engines or databases by hand):

``db_url`` (function, parametrized ``sqlite`` / ``postgres``)
    URL of a fresh database migrated to head, private to the test. Any test that uses it
    (or ``engine``) runs twice, once per backend; the ``postgres`` run carries the
    ``postgres`` marker (``pytest -m "not postgres"`` runs SQLite only).
``engine``
    An ``AsyncEngine`` (schema.db.make_engine) on ``db_url``; disposed after the test.
``seeded_db_url`` / ``seeded_engine``
    The same, with the reference data of ``seeds/reference`` loaded (places, aliases,
    governorates, and whichever of actors.yaml / officials.yaml exist).
``empty_db_url``
    A fresh database with no tables at all (for migration and readiness tests).
``databases``
    The session's ``Databases`` factory, for tests that need several databases or a
    particular backend: ``await databases.create("sqlite" | "postgres", "empty" |
    "migrated" | "seeded")`` returns a URL; it is dropped at session end.
``pg_server_url``
    The PostgreSQL server URL from ``TEST_POSTGRES_URL`` (default
    ``postgresql+asyncpg://postgres@127.0.0.1:5432/postgres``). If the server cannot be
    reached, PostgreSQL tests are skipped with one loud line in the summary; under
    ``CI=true`` they fail instead.

How it is fast: each kind of database is built once per session as a template (migrated,
then optionally seeded) and each test gets a copy: ``CREATE DATABASE t TEMPLATE tmpl`` on
PostgreSQL, a file copy on SQLite. Throwaway databases are named ``sitrep_test_<pid>_...``,
so several test runs can share one server; all of them are dropped at session end.
"""

import os
import shutil
import sys
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Literal

# pytest puts tests/ on sys.path (this conftest's directory). With the editable install's
# import finder, tests/ingest and tests/api would then shadow the real packages as
# namespace packages; the repository root must come first.
_REPO = str(Path(__file__).resolve().parent.parent)
if sys.path[0] != _REPO:
    sys.path.insert(0, _REPO)

import psycopg  # noqa: E402
import pytest  # noqa: E402
from psycopg import sql  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402
from sqlalchemy.ext.asyncio import AsyncEngine  # noqa: E402

from ingest.seed import seed_reference  # noqa: E402
from schema import migrate  # noqa: E402
from schema.db import make_engine  # noqa: E402

DEFAULT_TEST_POSTGRES_URL = "postgresql+asyncpg://postgres@127.0.0.1:5432/postgres"
REPO = Path(__file__).resolve().parent.parent
REFERENCE_DIR = REPO / "seeds" / "reference"

Backend = Literal["sqlite", "postgres"]
Kind = Literal["empty", "migrated", "seeded"]
BACKENDS = [
    pytest.param("sqlite", id="sqlite"),
    pytest.param("postgres", id="postgres", marks=pytest.mark.postgres),
]

_pg_unreachable: list[str] = []  # the reason, recorded once for the terminal summary


def _libpq(url: str) -> str:
    """SQLAlchemy URL -> libpq conninfo URL (psycopg, for CREATE/DROP DATABASE)."""
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


class Databases:
    """Creates throwaway databases from per-session templates; drops them at the end."""

    def __init__(self, workdir: Path, pg_url: str | None) -> None:
        self.workdir = workdir
        self.pg_url = pg_url
        self.prefix = f"sitrep_test_{os.getpid()}_{uuid.uuid4().hex[:6]}"
        self._templates: dict[tuple[Backend, Kind], str] = {}
        self._pg_databases: list[str] = []
        self._count = 0

    # -- naming
    def _name(self, label: str) -> str:
        self._count += 1
        return f"{self.prefix}_{label}_{self._count}"

    def _pg_admin(self) -> psycopg.Connection[tuple[object, ...]]:
        assert self.pg_url is not None
        return psycopg.connect(_libpq(self.pg_url), autocommit=True, connect_timeout=5)

    def _pg_create(self, name: str, template: str | None = None) -> str:
        assert self.pg_url is not None
        with self._pg_admin() as conn:
            if template is None:
                conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
            else:
                conn.execute(
                    sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(
                        sql.Identifier(name), sql.Identifier(template)
                    )
                )
        self._pg_databases.append(name)
        return make_url(self.pg_url).set(database=name).render_as_string(hide_password=False)

    def drop(self, url: str) -> None:
        """Drop one database now (PostgreSQL) or delete its files (SQLite)."""
        u = make_url(url)
        if u.get_backend_name() == "sqlite":
            for suffix in ("", "-wal", "-shm"):
                Path(f"{u.database}{suffix}").unlink(missing_ok=True)
            return
        with self._pg_admin() as conn:
            conn.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
                    sql.Identifier(u.database or "")
                )
            )
        if u.database in self._pg_databases:
            self._pg_databases.remove(u.database)

    def close(self) -> None:
        if self.pg_url is None or not self._pg_databases:
            return
        with self._pg_admin() as conn:
            for name in self._pg_databases:
                conn.execute(
                    sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
                )
        self._pg_databases.clear()

    # -- templates
    async def _template(self, backend: Backend, kind: Kind) -> str:
        key = (backend, kind)
        if key not in self._templates:
            if backend == "sqlite":
                url = f"sqlite+aiosqlite:///{self.workdir / f'template_{kind}.db'}"
            else:
                url = self._pg_create(self._name(f"tmpl_{kind}"))
            if kind in ("migrated", "seeded"):
                await migrate.upgrade(url)
            if kind == "seeded":
                engine = make_engine(url)
                try:
                    await seed_reference(engine, REFERENCE_DIR)
                finally:
                    await engine.dispose()
            self._templates[key] = url
        return self._templates[key]

    async def create(self, backend: Backend, kind: Kind = "migrated") -> str:
        """A new database of `kind` on `backend`; returns its SQLAlchemy URL."""
        if backend == "sqlite":
            path = self.workdir / f"{self._name(kind)}.db"
            if kind != "empty":
                template = make_url(await self._template(backend, kind)).database
                assert template is not None
                shutil.copyfile(template, path)
            return f"sqlite+aiosqlite:///{path}"
        if self.pg_url is None:
            pytest.skip("PostgreSQL is not reachable")
        if kind == "empty":
            return self._pg_create(self._name(kind))
        template = make_url(await self._template(backend, kind)).database
        assert template is not None
        return self._pg_create(self._name(kind), template=template)


# ----------------------------------------------------------------------------- server


def _pg_reachable(url: str) -> str | None:
    """None if we can connect, else the reason."""
    try:
        with psycopg.connect(_libpq(url), connect_timeout=3) as conn:
            conn.execute("SELECT 1")
    except (psycopg.Error, OSError, ValueError) as exc:
        return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return None


@pytest.fixture(scope="session")
def pg_server_url() -> str:
    url = os.environ.get("TEST_POSTGRES_URL") or DEFAULT_TEST_POSTGRES_URL
    reason = _pg_reachable(url)
    if reason is not None:
        message = f"PostgreSQL at {make_url(url).render_as_string()} unreachable: {reason}"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"{message} (CI=true: PostgreSQL tests must run)")
        if not _pg_unreachable:
            _pg_unreachable.append(message)
        pytest.skip(message)
    return url


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if _pg_unreachable:
        terminalreporter.write_line(
            f"!!! POSTGRESQL TESTS SKIPPED: {_pg_unreachable[0]} !!!", red=True, bold=True
        )


# -------------------------------------------------------------------------- databases


@pytest.fixture(scope="session")
def databases(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Databases]:
    url = os.environ.get("TEST_POSTGRES_URL") or DEFAULT_TEST_POSTGRES_URL
    reachable = _pg_reachable(url) is None
    dbs = Databases(tmp_path_factory.mktemp("databases"), url if reachable else None)
    yield dbs
    dbs.close()


async def _fresh(request: pytest.FixtureRequest, databases: Databases, kind: Kind) -> str:
    backend: Backend = request.param
    if backend == "postgres":
        request.getfixturevalue("pg_server_url")  # skips (or fails under CI) when down
    return await databases.create(backend, kind)


@pytest.fixture(params=BACKENDS)
async def db_url(request: pytest.FixtureRequest, databases: Databases) -> AsyncIterator[str]:
    url = await _fresh(request, databases, "migrated")
    yield url
    databases.drop(url)


@pytest.fixture(params=BACKENDS)
async def seeded_db_url(request: pytest.FixtureRequest, databases: Databases) -> AsyncIterator[str]:
    url = await _fresh(request, databases, "seeded")
    yield url
    databases.drop(url)


@pytest.fixture(params=BACKENDS)
async def empty_db_url(request: pytest.FixtureRequest, databases: Databases) -> AsyncIterator[str]:
    url = await _fresh(request, databases, "empty")
    yield url
    databases.drop(url)


@pytest.fixture
async def engine(db_url: str) -> AsyncIterator[AsyncEngine]:
    eng = make_engine(db_url)
    yield eng
    await eng.dispose()


@pytest.fixture
async def seeded_engine(seeded_db_url: str) -> AsyncIterator[AsyncEngine]:
    eng = make_engine(seeded_db_url)
    yield eng
    await eng.dispose()
