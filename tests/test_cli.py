"""The `sitrep` command line: --help everywhere, exit codes 0/1/2, one-line errors.

Runs the real console script in a subprocess (the way users and containers run it).
"""

import argparse
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from sitrep.cli import build_parser

SITREP = str(Path(sys.executable).parent / "sitrep")


def _commands(
    parser: argparse.ArgumentParser, prefix: tuple[str, ...] = ()
) -> Iterator[tuple[str, ...]]:
    """Every command path of the parser tree: (), ("db",), ("db", "upgrade"), ..."""
    yield prefix
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                yield from _commands(sub, (*prefix, name))


COMMANDS = sorted(set(_commands(build_parser())))


def run(
    *args: str, env: dict[str, str] | None = None, cwd: Path | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [SITREP, *args],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, **(env or {})},
        cwd=cwd,
        check=False,
    )


def test_the_tree_has_the_foundation_commands() -> None:
    assert {("db", "upgrade"), ("db", "downgrade"), ("db", "current"), ("db", "seed")} <= set(
        COMMANDS
    )


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: " ".join(c) or "sitrep")
def test_help_exits_0(command: tuple[str, ...]) -> None:
    """In-process for speed; one subprocess run below proves the console script itself."""
    with pytest.raises(SystemExit) as exc:
        build_parser().parse_args([*command, "--help"])
    assert exc.value.code == 0


def test_console_script_help() -> None:
    result = run("--help")
    assert result.returncode == 0
    assert "db" in result.stdout


@pytest.mark.parametrize(
    "args",
    [(), ("no-such-command",), ("db",), ("db", "downgrade"), ("db", "upgrade", "--bogus")],
    ids=["nothing", "unknown", "db-alone", "downgrade-no-rev", "bad-flag"],
)
def test_usage_errors_exit_2(args: tuple[str, ...]) -> None:
    result = run(*args)
    assert result.returncode == 2, result.stderr
    assert "usage:" in result.stderr


@pytest.mark.parametrize(
    ("command", "url", "expected"),
    [
        ("upgrade", "mysql://u@h/db", "DATABASE_URL scheme 'mysql' is not supported"),
        ("current", "not a url", "DATABASE_URL is not a database URL"),
        (
            "seed",
            "postgresql://postgres@127.0.0.1:1/x",
            "cannot use database postgresql+asyncpg://postgres@127.0.0.1:1/x",
        ),
        ("upgrade", "sqlite:////nonexistent-dir/x.db", "directory /nonexistent-dir does not exist"),
    ],
    ids=["scheme", "not-url", "unreachable", "bad-path"],
)
def test_bad_database_url_is_one_line(command: str, url: str, expected: str) -> None:
    result = run("db", command, env={"DATABASE_URL": url})
    assert result.returncode == 1
    assert result.stderr.count("\n") == 1, result.stderr
    assert result.stderr.startswith("sitrep: error: ")
    assert expected in result.stderr
    assert "Traceback" not in result.stderr


def test_missing_postgres_database_is_one_line(pg_server_url: str) -> None:
    url = pg_server_url.rsplit("/", 1)[0] + "/sitrep_no_such_database"
    result = run("db", "current", env={"DATABASE_URL": url})
    assert result.returncode == 1
    assert result.stderr.count("\n") == 1, result.stderr
    assert 'database "sitrep_no_such_database" does not exist' in result.stderr


def test_upgrade_current_seed_downgrade_cycle(tmp_path: Path) -> None:
    env = {"DATABASE_URL": f"sqlite:///{tmp_path / 'cli.db'}"}
    seed = run("db", "seed", env=env)
    assert seed.returncode == 1
    assert (
        seed.stderr.strip()
        == "sitrep: error: the database has no tables yet: run `sitrep db upgrade`"
    )
    up = run("db", "upgrade", env=env)
    assert up.returncode == 0, up.stderr
    assert "(head)" in run("db", "current", env=env).stdout
    ref = tmp_path / "ref"
    ref.mkdir()
    (ref / "actors.yaml").write_text("- {key: a, name: A, kind: militia}\n")
    seeded = run("db", "seed", "--reference-dir", str(ref), env=env)
    assert seeded.returncode == 0, seeded.stderr
    assert "actor         inserted      1" in seeded.stdout
    again = run("db", "seed", "--reference-dir", str(ref), env=env)
    assert "actor         inserted      0  updated      0  unchanged      1" in again.stdout
    bad_rev = run("db", "downgrade", "zzzz", env=env)
    assert bad_rev.returncode == 1
    assert bad_rev.stderr.count("\n") == 1
    down = run("db", "downgrade", "base", env=env)
    assert down.returncode == 0, down.stderr
    assert down.stdout.strip() == "database at base"


def test_older_migration_is_reported(tmp_path: Path) -> None:
    """A database at an older revision: commands that need head refuse in one line."""
    import sqlite3

    db = tmp_path / "old.db"
    env = {"DATABASE_URL": f"sqlite:///{db}"}
    assert run("db", "upgrade", env=env).returncode == 0
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE alembic_version SET version_num = 'older'")
    result = run("db", "seed", env=env)
    assert result.returncode == 1
    assert result.stderr.strip() == (
        "sitrep: error: the database is at migration older, this sitrep needs "
        f"{_head()}: run `sitrep db upgrade`"
    )


def _head() -> str:
    from schema.migrate import head

    return head()
