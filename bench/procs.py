"""Start, probe and stop the servers under test; measure their memory.

Every server runs in its own process group so stopping it also stops its children
(uvicorn's worker processes, node). Output goes to a log file under bench/results/logs
so a failed start can be diagnosed.
"""

from __future__ import annotations

import contextlib
import ctypes
import functools
import os
import signal
import socket
import subprocess
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import httpx

RESULTS = Path(__file__).resolve().parent / "results"


class StartError(RuntimeError):
    """A server did not come up; the message carries the tail of its log."""


@dataclass
class Server:
    name: str
    proc: subprocess.Popen[bytes]
    port: int
    log: Path

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def rss_bytes(self) -> int:
        return tree_rss(self.proc.pid)


@functools.cache
def _prctl() -> Callable[..., int] | None:
    with contextlib.suppress(OSError, AttributeError):
        fn: Callable[..., int] = ctypes.CDLL("libc.so.6", use_errno=True).prctl
        return fn
    return None


def _die_with_parent() -> Callable[[], None] | None:
    """A pre-exec hook giving the child SIGTERM when the harness dies, even by SIGKILL
    (a timed-out run must not leave servers behind); Linux only. libc is loaded here, in
    the parent, so the hook itself only makes one C call (safe alongside threads)."""
    prctl = _prctl()
    if prctl is None:
        return None
    term = int(signal.SIGTERM)

    def hook() -> None:
        prctl(1, term)  # PR_SET_PDEATHSIG

    return hook


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def start(
    name: str,
    argv: Sequence[str],
    port: int,
    probe: str,
    env: Mapping[str, str] | None = None,
    cwd: Path | None = None,
    timeout: float = 60.0,
    probe_body: bytes | None = None,
) -> Server:
    """Launch `argv` and wait until GET (or POST `probe_body` to) `probe` answers < 500."""
    logs = RESULTS / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    log = logs / f"{name}.log"
    with log.open("wb") as fh:
        proc = subprocess.Popen(
            list(argv),
            stdout=fh,
            stderr=subprocess.STDOUT,
            env={**os.environ, **(env or {})},
            cwd=cwd,
            start_new_session=True,
            preexec_fn=_die_with_parent(),
        )
    server = Server(name, proc, port, log)
    deadline = time.monotonic() + timeout
    last = ""
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise StartError(f"{name} exited with {proc.returncode}: {tail(log)}")
        try:
            if probe_body is None:
                r = httpx.get(server.base_url + probe, timeout=2)
            else:
                r = httpx.post(
                    server.base_url + probe,
                    content=probe_body,
                    headers={"content-type": "application/json"},
                    timeout=5,
                )
            if r.status_code < 500:
                return server
            last = f"HTTP {r.status_code}"
        except httpx.HTTPError as exc:
            last = type(exc).__name__
        time.sleep(0.2)
    stop(server)
    raise StartError(
        f"{name} did not answer on {probe} within {timeout:.0f}s ({last}): {tail(log)}"
    )


def stop(server: Server, grace: float = 10.0) -> None:
    """SIGTERM the server's process group, SIGKILL it if it lingers."""
    if server.proc.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(server.proc.pid, signal.SIGTERM)
        try:
            server.proc.wait(grace)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(server.proc.pid, signal.SIGKILL)
            server.proc.wait(5)


def tail(path: Path, n: int = 1500) -> str:
    try:
        return path.read_text(errors="replace")[-n:]
    except OSError:
        return ""


def _children() -> dict[int, list[int]]:
    kids: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        # the command name may contain spaces; fields after the last ')' are fixed
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        kids.setdefault(ppid, []).append(int(entry))
    return kids


def tree_rss(pid: int) -> int:
    """Resident memory of `pid` and all its descendants, in bytes (0 if gone)."""
    kids = _children()
    total = 0
    stack = [pid]
    while stack:
        p = stack.pop()
        stack.extend(kids.get(p, []))
        with contextlib.suppress(OSError):
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1]) * 1024
                    break
    return total


def start_background(
    name: str, argv: Sequence[str], env: Mapping[str, str] | None = None
) -> Server:
    """A process with no HTTP port (the ingest worker), logged like the servers."""
    logs = RESULTS / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    log = logs / f"{name}.log"
    with log.open("wb") as fh:
        proc = subprocess.Popen(list(argv), stdout=fh, stderr=subprocess.STDOUT,
                                env={**os.environ, **(env or {})}, start_new_session=True,
                                preexec_fn=_die_with_parent())  # fmt: skip
    return Server(name, proc, 0, log)
