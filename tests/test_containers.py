"""The container set-up: docker-compose.yml is valid Compose, and every command the
containers run is a real `sitrep` command that this test runs too.

No Docker engine is needed: the compose file is validated against the Compose
specification's JSON schema (bundled by check-jsonschema), and each container command is
parsed by the real CLI parser and then executed here the way the container would run it
(migrate job through `sh -c`, the API until /readyz answers 200, the worker until it is
stopped with SIGTERM).
"""

import json
import os
import shlex
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import AsyncIterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
import yaml

from schema import migrate
from sitrep.cli import build_parser

if TYPE_CHECKING:  # not imported at run time: "conftest" is ambiguous as a module name
    from conftest import Databases

REPO = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
COMPOSE = yaml.safe_load((REPO / "docker-compose.yml").read_text())


def _split_shell(command: str) -> list[list[str]]:
    """`a && b` -> [[a...], [b...]] (the only shell form the containers use)."""
    return [shlex.split(part) for part in command.split("&&")]


def _service_commands() -> dict[str, list[list[str]]]:
    out: dict[str, list[list[str]]] = {}
    for name, service in COMPOSE["services"].items():
        command = service.get("command")
        if command is None:
            continue
        if isinstance(command, str):
            command = shlex.split(command)
        if command[:2] == ["sh", "-c"]:
            out[name] = _split_shell(command[2])
        else:
            out[name] = [command]
    return out


def _dockerfile_commands() -> list[list[str]]:
    """The exec-form CMD/ENTRYPOINT lines of the Dockerfile."""
    commands = []
    for line in (REPO / "Dockerfile").read_text().splitlines():
        for instruction in ("CMD ", "ENTRYPOINT "):
            if line.startswith(instruction):
                commands.append(json.loads(line.removeprefix(instruction)))
    return commands


SERVICE_COMMANDS = _service_commands()
ALL_COMMANDS = [c for cs in SERVICE_COMMANDS.values() for c in cs] + _dockerfile_commands()


def test_compose_file_is_valid_compose() -> None:
    result = subprocess.run(
        [
            sys.executable,
            str(BIN / "check-jsonschema"),
            "--builtin-schema",
            "vendor.compose-spec",
            str(REPO / "docker-compose.yml"),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_compose_has_the_expected_services() -> None:
    services = COMPOSE["services"]
    assert set(services) == {"postgres", "migrate", "api", "worker"}
    assert services["api"]["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
    assert services["migrate"]["depends_on"]["postgres"]["condition"] == "service_healthy"
    assert "/readyz" in " ".join(services["api"]["healthcheck"]["test"])
    # The worker scales (`--scale worker=N`): no fixed name, no host ports.
    assert "container_name" not in services["worker"]
    assert "ports" not in services["worker"]


@pytest.mark.parametrize("argv", ALL_COMMANDS, ids=" ".join)
def test_container_commands_parse(argv: list[str]) -> None:
    assert argv[0] == "sitrep"
    args = build_parser().parse_args(argv[1:])  # SystemExit(2) on anything unknown
    assert callable(args.func)


# The containers run on PostgreSQL (the compose file's database), so these tests do too.
@pytest.fixture
async def pg_empty(pg_server_url: str, databases: "Databases") -> AsyncIterator[str]:
    url = await databases.create("postgres", "empty")
    yield url
    databases.drop(url)


@pytest.fixture
async def pg_migrated(pg_server_url: str, databases: "Databases") -> AsyncIterator[str]:
    url = await databases.create("postgres", "migrated")
    yield url
    databases.drop(url)


def _env(database_url: str) -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": database_url,
        "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}",
    }


@pytest.mark.postgres
def test_migrate_job_runs(pg_empty: str) -> None:
    """The migrate service's exact shell command on a fresh, empty database."""
    command = COMPOSE["services"]["migrate"]["command"]
    result = subprocess.run(
        command,
        env=_env(pg_empty),
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "place " in result.stdout  # the seed report


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _with_port(argv: list[str], port: int) -> list[str]:
    """The container's argv with the port (and bind address) made safe for a shared host."""
    out = list(argv)
    out[out.index("--port") + 1] = str(port)
    out[out.index("--host") + 1] = "127.0.0.1"
    return out


def _stop(proc: "subprocess.Popen[bytes]") -> int:
    proc.send_signal(signal.SIGTERM)
    try:
        return proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=10)
        raise


def _start(argv: list[str], database_url: str, log: Path) -> "subprocess.Popen[bytes]":
    with log.open("wb") as out:  # the child keeps its own copy of the descriptor
        return subprocess.Popen(argv, env=_env(database_url), cwd=REPO, stdout=out, stderr=out)


@pytest.mark.postgres
def test_api_command_serves_readyz(pg_migrated: str, tmp_path: Path) -> None:
    port = _free_port()
    log = tmp_path / "api.log"
    with _start(_with_port(SERVICE_COMMANDS["api"][0], port), pg_migrated, log) as proc:
        try:
            deadline, status, body = time.monotonic() + 60, 0, ""
            while time.monotonic() < deadline and proc.poll() is None:
                try:
                    url = f"http://127.0.0.1:{port}/readyz"
                    with urllib.request.urlopen(url, timeout=2) as r:
                        status, body = r.status, r.read().decode()
                    break
                except (urllib.error.URLError, ConnectionError, TimeoutError):
                    time.sleep(0.3)
        finally:
            code = _stop(proc)
    output = log.read_text(errors="replace")
    assert status == 200, f"no 200 from /readyz (exit {code}):\n{output}"
    assert migrate.head() in body
    assert code == 0, output


@pytest.mark.postgres
def test_worker_command_runs_until_stopped(pg_migrated: str, tmp_path: Path) -> None:
    log = tmp_path / "worker.log"
    with _start(SERVICE_COMMANDS["worker"][0], pg_migrated, log) as proc:
        try:
            # SIGTERM before the worker has installed its handlers would just kill it:
            # wait for its start-up line (bounded), then check it keeps running.
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline and proc.poll() is None:
                if "started" in log.read_text(errors="replace"):
                    break
                time.sleep(0.2)
            time.sleep(1)
            alive = proc.poll() is None
        finally:
            code = _stop(proc) if proc.poll() is None else proc.returncode
    output = log.read_text(errors="replace")
    assert alive, f"the worker exited early ({code}):\n{output}"
    assert code == 0, output
