"""`sitrep serve`: uvicorn on the app factory; with several workers, one listening socket
per worker.

With uvicorn's own `--workers`, every worker accepts from one shared socket, and the one
that wakes first takes a whole burst of connections. Measured with 16 keep-alive clients
(bench Q1 REST) over 2 workers: splits of 15/1 and 16/0 (one core idle), 410-846 req/s
over 7 runs. Here each worker binds the port itself with SO_REUSEPORT and the kernel
spreads new connections over the sockets by address hash: splits of 7/9, 6/10, 10/6,
5/11 and 930-970 req/s over 4 runs. The supervisor restarts a worker that dies and stops
them all on SIGTERM or SIGINT.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import signal
import socket
import threading
import time
from multiprocessing.process import BaseProcess
from types import FrameType

from api.errors import ApiError

APP = "api.app:create_app"
STOP_TIMEOUT = 30.0  # seconds a worker gets to finish its requests after SIGTERM
QUICK_EXIT = 10.0  # a worker that dies sooner than this after starting counts as failing
MAX_QUICK_EXITS = 3  # ... and this many such deaths in a row stop the server

log = logging.getLogger("sitrep.serve")


def run(host: str, port: int, workers: int, log_level: str) -> int:
    """Serve until stopped; the exit status."""
    import uvicorn  # imported here: only `serve` needs it

    if workers < 1:
        raise ApiError("--workers must be at least 1")
    if workers == 1 or not hasattr(socket, "SO_REUSEPORT"):
        uvicorn.run(
            APP,
            factory=True,
            host=host,
            port=port,
            workers=workers,
            log_level=log_level,
            proxy_headers=False,
        )
        return 0
    # Without SO_REUSEPORT, so that a port in use fails here in one line even when its
    # holder also uses SO_REUSEPORT (another sitrep left running would otherwise quietly
    # share the port with this one).
    bind(host, port, reuse_port=False).close()
    return Supervisor(host, port, workers, log_level).run()


def bind(host: str, port: int, reuse_port: bool = True) -> socket.socket:
    """A socket bound to (host, port), with SO_REUSEPORT unless told otherwise, not yet
    listening."""
    try:
        family, kind, proto, _, address = socket.getaddrinfo(
            host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE
        )[0]
        sock = socket.socket(family, kind, proto)
    except OSError as exc:
        raise ApiError(f"cannot listen on {host}:{port}: {exc}") from None
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        if reuse_port:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
        sock.bind(address)
    except OSError as exc:
        sock.close()
        raise ApiError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None
    return sock


def _worker(supervisor: int, host: str, port: int, log_level: str) -> None:
    """One worker process: its own socket, one uvicorn server (which handles SIGTERM and
    SIGINT by finishing the requests in flight)."""
    import uvicorn

    threading.Thread(target=_orphan_watch, args=(supervisor,), daemon=True).start()
    sock = bind(host, port)
    config = uvicorn.Config(APP, factory=True, log_level=log_level, proxy_headers=False)
    uvicorn.Server(config).run(sockets=[sock])


def _orphan_watch(parent: int) -> None:
    """Stop this worker (gracefully) when the supervisor is gone, e.g. killed with
    SIGKILL: an orphan would keep serving on the port. (`parent` comes from the
    supervisor: read here, it could already be the adopting process.)"""
    while os.getppid() == parent:
        time.sleep(1.0)
    os.kill(os.getpid(), signal.SIGTERM)


class Supervisor:
    def __init__(self, host: str, port: int, workers: int, log_level: str) -> None:
        self.args = (host, port, log_level)
        self.count = workers
        self.context = multiprocessing.get_context("spawn")  # no state shared with the parent
        self.stopping = threading.Event()

    def _start(self) -> tuple[BaseProcess, float]:
        proc = self.context.Process(
            target=_worker, args=(os.getpid(), *self.args), name="sitrep-api-worker"
        )
        proc.start()
        return proc, time.monotonic()

    def _stop(self, signum: int, frame: FrameType | None) -> None:
        self.stopping.set()

    def run(self) -> int:
        for signum in (signal.SIGTERM, signal.SIGINT):
            signal.signal(signum, self._stop)
        procs = [self._start() for _ in range(self.count)]
        quick_exits, status = 0, 0
        while not self.stopping.wait(0.5):
            for k, (proc, started) in enumerate(procs):
                if proc.is_alive():
                    continue
                quick = time.monotonic() - started < QUICK_EXIT
                quick_exits = quick_exits + 1 if quick else 0
                log.warning("worker %s exited with status %s", proc.pid, proc.exitcode)
                if quick_exits >= MAX_QUICK_EXITS:
                    log.error("workers keep failing at start; stopping")
                    self.stopping.set()
                    status = 1
                    break
                procs[k] = self._start()
        for proc, _ in procs:
            if proc.is_alive():
                proc.terminate()  # SIGTERM: uvicorn finishes the requests in flight
        deadline = time.monotonic() + STOP_TIMEOUT
        for proc, _ in procs:
            proc.join(max(0.0, deadline - time.monotonic()))
            if proc.is_alive():
                proc.kill()
                proc.join()
        return status
