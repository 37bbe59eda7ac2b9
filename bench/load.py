"""Drive a server with HTTP load for a bounded time and summarise the latencies.

`wrk` (Debian package) is used when present: a generated Lua script cycles through the
scenario's requests and prints the summary as JSON from its `done` hook. Without wrk a
bounded asyncio + httpx loop does the same job (slower, so figures are lower for every
server alike; the results record which driver ran).
"""

from __future__ import annotations

import asyncio
import json
import shutil
import subprocess
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

import httpx


@dataclass(frozen=True)
class Request:
    method: str
    path: str
    body: bytes | None = None
    headers: tuple[tuple[str, str], ...] = ()


@dataclass
class LoadResult:
    driver: str
    requests: int
    seconds: float
    rps: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    errors: int
    rss_bytes: int = 0
    extra: dict[str, float] = field(default_factory=dict)

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


def driver_name() -> str:
    return "wrk" if shutil.which("wrk") else "httpx"


def run(base_url: str, requests: list[Request], duration: float, connections: int) -> LoadResult:
    if not requests:
        raise ValueError("no requests to send")
    if shutil.which("wrk"):
        return _run_wrk(base_url, requests, duration, connections)
    return asyncio.run(_run_httpx(base_url, requests, duration, connections))


def _lua_string(value: str) -> str:
    level = 0
    while f"]{'=' * level}]" in value:
        level += 1
    eq = "=" * level
    return f"[{eq}[{value}]{eq}]"


_DONE = """
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'BENCHJSON {"requests":%d,"duration_us":%d,"errors":%d,"p50":%d,"p95":%d,"p99":%d}\\n',
    summary.requests, summary.duration,
    e.connect + e.read + e.write + e.status + e.timeout,
    latency:percentile(50), latency:percentile(95), latency:percentile(99)))
end
"""


def wrk_script(requests: list[Request]) -> str:
    lines = ["local reqs = {}", "local i = 0", "init = function(args)"]
    for n, req in enumerate(requests, start=1):
        headers = ", ".join(f"[ {_lua_string(k)} ] = {_lua_string(v)}" for k, v in req.headers)
        body = "nil" if req.body is None else _lua_string(req.body.decode())
        lines.append(
            f"  reqs[{n}] = wrk.format({_lua_string(req.method)}, {_lua_string(req.path)},"
            f" {{{headers}}}, {body})"
        )
    lines += [
        "end",
        "request = function()",
        "  i = i % #reqs + 1",
        "  return reqs[i]",
        "end",
        _DONE,
    ]
    return "\n".join(lines)


def _run_wrk(
    base_url: str, requests: list[Request], duration: float, connections: int
) -> LoadResult:
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as fh:
        fh.write(wrk_script(requests))
        script = Path(fh.name)
    try:
        out = subprocess.run(
            [
                "wrk",
                "-t1",
                f"-c{connections}",
                f"-d{max(1, round(duration))}s",
                "--timeout",
                "30s",
                "-s",
                str(script),
                base_url,
            ],
            capture_output=True,
            text=True,
            timeout=duration + 60,
            check=False,
        )
    finally:
        script.unlink(missing_ok=True)
    for line in out.stdout.splitlines():
        if line.startswith("BENCHJSON "):
            data = json.loads(line.removeprefix("BENCHJSON "))
            seconds = data["duration_us"] / 1e6
            return LoadResult(
                driver="wrk",
                requests=data["requests"],
                seconds=seconds,
                rps=data["requests"] / seconds if seconds else 0.0,
                p50_ms=data["p50"] / 1000,
                p95_ms=data["p95"] / 1000,
                p99_ms=data["p99"] / 1000,
                errors=data["errors"],
            )
    raise RuntimeError(f"wrk gave no summary: {out.stdout[-500:]} {out.stderr[-500:]}")


async def _run_httpx(
    base_url: str, requests: list[Request], duration: float, connections: int
) -> LoadResult:
    latencies: list[float] = []
    errors = 0
    deadline = time.perf_counter() + duration
    limits = httpx.Limits(max_connections=connections)

    async def worker(offset: int, client: httpx.AsyncClient) -> None:
        nonlocal errors
        i = offset
        while time.perf_counter() < deadline:
            req = requests[i % len(requests)]
            i += 1
            t0 = time.perf_counter()
            try:
                r = await client.request(
                    req.method, req.path, content=req.body, headers=dict(req.headers)
                )
                await r.aread()
                if r.status_code >= 400:
                    errors += 1
            except httpx.HTTPError:
                errors += 1
            latencies.append(time.perf_counter() - t0)

    started = time.perf_counter()
    async with httpx.AsyncClient(base_url=base_url, limits=limits, timeout=30) as client:
        await asyncio.gather(*(worker(k, client) for k in range(connections)))
    seconds = time.perf_counter() - started
    latencies.sort()

    def pct(p: float) -> float:
        return latencies[min(len(latencies) - 1, int(p / 100 * len(latencies)))] * 1000

    return LoadResult(
        driver="httpx",
        requests=len(latencies),
        seconds=seconds,
        rps=len(latencies) / seconds,
        p50_ms=pct(50),
        p95_ms=pct(95),
        p99_ms=pct(99),
        errors=errors,
    )
