"""How each server under test is launched: sitrep, the raw-SQL floor and PostGraphile.

sitrep and the floor run under uvicorn with the same worker count. Two workers for two
cores: the load generator and PostgreSQL need CPU too, so more processes only add
context switches and memory, and one process would leave a core idle while the other
serialises JSON. (`--workers` overrides it.)
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from dataclasses import dataclass

from bench import peer, procs
from bench.dataset import REPO_ROOT

DEFAULT_WORKERS = 2


@dataclass(frozen=True)
class Launch:
    dsn: str  # postgresql://... (may point at the SQL-count proxy)
    workers: int = DEFAULT_WORKERS


def sitrep_command(port: int, workers: int) -> list[str]:
    """`sitrep serve` when it exists, else uvicorn on the app factory (same app)."""
    exe = shutil.which("sitrep") or str(REPO_ROOT / ".venv" / "bin" / "sitrep")
    try:
        helptext = subprocess.run(
            [exe, "serve", "--help"], capture_output=True, text=True, timeout=30, check=False
        ).stdout
    except OSError:
        helptext = ""
    if "--workers" in helptext:
        argv = [exe, "serve", "--port", str(port), "--workers", str(workers)]
        if "--host" in helptext:
            argv[2:2] = ["--host", "127.0.0.1"]
        if "--log-level" in helptext:  # no per-request access log: it is not what we measure
            argv += ["--log-level", "warning"]
        return argv
    return [sys.executable, "-m", "uvicorn", "api.app:create_app", "--factory",
            "--host", "127.0.0.1", "--port", str(port), "--workers", str(workers),
            "--no-access-log", "--log-level", "warning"]  # fmt: skip


def start_sitrep(launch: Launch) -> procs.Server:
    port = procs.free_port()
    url = "postgresql+asyncpg://" + launch.dsn.partition("://")[2]
    return procs.start(
        "sitrep",
        sitrep_command(port, launch.workers),
        port=port,
        probe="/healthz",
        env={
            "DATABASE_URL": url,
            # one client address sends every request: the per-address limit would
            # turn the benchmark into a 429 benchmark
            "SITREP_RATE_LIMIT_PER_MINUTE": str(10**9),
            "SITREP_LOG_LEVEL": "warning",
        },
        cwd=REPO_ROOT,
    )


def start_floor(launch: Launch) -> procs.Server:
    port = procs.free_port()
    return procs.start(
        "floor",
        [
            sys.executable,
            "-m",
            "uvicorn",
            "bench.floor:create_app",
            "--factory",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--workers",
            str(launch.workers),
            "--no-access-log",
            "--log-level",
            "warning",
        ],
        port=port,
        probe="/healthz",
        env={"BENCH_FLOOR_DSN": launch.dsn},
        cwd=REPO_ROOT,
    )


def start_peer(launch: Launch) -> procs.Server:
    return peer.start(launch.dsn, procs.free_port())


STARTERS = {"sitrep": start_sitrep, "floor": start_floor, "peer": start_peer}
