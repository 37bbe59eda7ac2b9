"""Q6: stream the NDJSON export of every incident; rows/s and the server's peak memory.

The server's resident memory is sampled every 20 ms while the export streams, so a
server that buffers the whole export shows it as a peak proportional to the rows.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass

import httpx

from bench import procs


@dataclass
class ExportResult:
    rows: int
    seconds: float
    rows_per_s: float
    bytes: int
    rss_before_mb: float
    peak_rss_mb: float
    status: int


class RssSampler:
    """Samples a server's process-tree RSS in a thread; `peak` is the maximum seen."""

    def __init__(self, server: procs.Server, every: float = 0.02) -> None:
        self.server, self.every = server, every
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, self.server.rss_bytes())
            self._stop.wait(self.every)

    def __enter__(self) -> RssSampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(5)
        self.peak = max(self.peak, self.server.rss_bytes())


def run(server: procs.Server, path: str, headers: dict[str, str]) -> ExportResult:
    before = server.rss_bytes()
    rows = size = 0
    status = 0
    with RssSampler(server) as sampler:
        t0 = time.perf_counter()
        with httpx.stream("GET", server.base_url + path, headers=headers, timeout=600) as response:
            status = response.status_code
            for line in response.iter_lines():
                if line.strip():
                    rows += 1
                    size += len(line) + 1
        seconds = time.perf_counter() - t0
    return ExportResult(
        rows=rows,
        seconds=seconds,
        rows_per_s=rows / seconds if seconds else 0.0,
        bytes=size,
        rss_before_mb=before / 2**20,
        peak_rss_mb=sampler.peak / 2**20,
        status=status,
    )
