"""Q6: stream the NDJSON export of every incident; rows/s and the server's peak memory.

The server's resident memory is sampled every 20 ms while the export streams, so a
server that buffers the whole export shows it as a peak proportional to the rows.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass

import httpx
import orjson

from bench import procs


@dataclass
class ExportResult:
    encoding: str  # the Accept-Encoding asked for
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


TAIL_BYTES = 1 << 16  # longer than any exported line


def _check_line(line: bytes) -> None:
    """An exported line is one JSON object with an id (a broken stream fails here)."""
    if "id" not in orjson.loads(line):
        raise ValueError(f"not an exported row: {line[:200]!r}")


def run(
    server: procs.Server, path: str, headers: dict[str, str], encoding: str = "identity"
) -> ExportResult:
    headers = {**headers, "Accept-Encoding": encoding}
    before = server.rss_bytes()
    rows = size = 0
    status = 0
    head = tail = b""
    with RssSampler(server) as sampler:
        t0 = time.perf_counter()
        with httpx.stream("GET", server.base_url + path, headers=headers, timeout=600) as response:
            status = response.status_code
            # Counting newlines in the (decompressed) chunks: decoding and splitting
            # lines in Python (httpx's iter_lines) costs about as much as the server's
            # work, and the client would then be measured. The first and last lines are
            # parsed.
            for chunk in response.iter_bytes():
                rows += chunk.count(b"\n")
                size += len(chunk)
                if b"\n" not in head:
                    head += chunk
                tail = (tail + chunk)[-TAIL_BYTES:]
        seconds = time.perf_counter() - t0
    _check_line(head.partition(b"\n")[0])
    _check_line(tail.rstrip(b"\n").rpartition(b"\n")[2])
    return ExportResult(
        encoding=encoding,
        rows=rows,
        seconds=seconds,
        rows_per_s=rows / seconds if seconds else 0.0,
        bytes=size,
        rss_before_mb=before / 2**20,
        peak_rss_mb=sampler.peak / 2**20,
        status=status,
    )
