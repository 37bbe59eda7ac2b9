"""`sitrep serve --workers N`: N processes, each with its own SO_REUSEPORT socket, over real
HTTP; a dead worker is replaced; SIGTERM stops everything with status 0; a port held by
another program is a one-line error."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

SITREP = str(Path(sys.executable).parent / "sitrep")
pytestmark = pytest.mark.skipif(not hasattr(socket, "SO_REUSEPORT"), reason="no SO_REUSEPORT")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _get(url: str) -> int:
    with urllib.request.urlopen(url, timeout=5) as r:
        return int(r.status)


def _children(pid: int) -> set[int]:
    """The live worker processes of the server `pid` (not multiprocessing's resource
    tracker, not reaped zombies)."""
    out = subprocess.run(
        ["ps", "-ww", "-o", "pid=,stat=,args=", "--ppid", str(pid)], capture_output=True, text=True
    )
    workers = set()
    for line in out.stdout.splitlines():
        child, stat, args = line.split(None, 2)
        if "spawn_main" in args and not stat.startswith("Z"):
            workers.add(int(child))
    return workers


def _exited(pid: int) -> bool:
    """Gone, or a zombie waiting for whoever adopted it to reap it."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return True
    return stat.rpartition(")")[2].split()[0] == "Z"


def _wait(predicate: object, seconds: float = 60) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if predicate():  # type: ignore[operator]
                return True
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.2)
    return False


@contextmanager
def _serving(tmp_path: Path, port: int, workers: int) -> Iterator[subprocess.Popen[bytes]]:
    env = {**os.environ, "DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'x.db'}"}
    log = (tmp_path / "serve.log").open("wb")
    argv = [SITREP, "serve", "--port", str(port), "--workers", str(workers)]
    proc = subprocess.Popen(argv, env=env, stdout=log, stderr=log)
    try:
        yield proc
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(10)
        log.close()


def test_workers_share_the_port_are_replaced_and_stop_on_sigterm(tmp_path: Path) -> None:
    port = _free_port()
    url = f"http://127.0.0.1:{port}/healthz"
    with _serving(tmp_path, port, 2) as proc:
        assert _wait(lambda: _get(url) == 200), (tmp_path / "serve.log").read_text()
        assert _wait(lambda: len(_children(proc.pid)) >= 2)
        workers = _children(proc.pid)
        # Many fresh connections are all answered, whichever socket the kernel picks.
        assert all(_get(url) == 200 for _ in range(40))
        victim = min(workers)
        os.kill(victim, signal.SIGKILL)
        assert _wait(lambda: victim not in _children(proc.pid) and len(_children(proc.pid)) >= 2)
        assert all(_get(url) == 200 for _ in range(20))
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(40) == 0
    log = (tmp_path / "serve.log").read_text()
    assert "exited with status -9" in log


def test_a_port_in_use_is_a_one_line_error(tmp_path: Path) -> None:
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        port = holder.getsockname()[1]
        with _serving(tmp_path, port, 2) as proc:
            assert proc.wait(30) != 0
    lines = (tmp_path / "serve.log").read_text().strip().splitlines()
    assert len(lines) == 1, lines
    assert f"cannot listen on 127.0.0.1:{port}" in lines[0]


def test_workers_do_not_outlive_a_killed_supervisor(tmp_path: Path) -> None:
    port = _free_port()
    with _serving(tmp_path, port, 2) as proc:
        assert _wait(lambda: len(_children(proc.pid)) >= 2)
        workers = _children(proc.pid)
        proc.kill()
        proc.wait(10)

        def gone() -> bool:
            return all(_exited(pid) for pid in workers)

        assert _wait(gone, 30), "orphaned workers still running"


def test_a_second_server_on_the_same_port_is_refused(tmp_path: Path) -> None:
    """Its workers' SO_REUSEPORT sockets must not let another server share the port."""
    port = _free_port()
    first, second = tmp_path / "first", tmp_path / "second"
    first.mkdir()
    second.mkdir()
    with _serving(first, port, 2) as proc:
        assert _wait(lambda: _get(f"http://127.0.0.1:{port}/healthz") == 200)
        with _serving(second, port, 2) as other:
            assert other.wait(30) != 0
        assert proc.poll() is None
    assert "cannot listen on" in (second / "serve.log").read_text()
