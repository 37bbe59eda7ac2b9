"""The benchmark run, phase by phase.

1. dataset: generate (or reuse) the database at the chosen scale;
2. check + count: each server is started once behind the SQL-count proxy (one worker);
   every request of every scenario is sent once and checked (HTTP 200, no GraphQL
   errors, the same row ids as the raw-SQL floor), then statements per request counted;
3. load: all servers started directly; rounds interleave the servers scenario by
   scenario (sitrep GraphQL, sitrep REST, PostGraphile, floor, then again), with the
   servers' RSS sampled during each run;
4. Q6 export, Q7 mixed load with ingestion, ingest figures, EXPLAIN of the hot paths,
   optional growth runs at other scales.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import os
import platform
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import httpx
import orjson

from bench import dataset, explain, export, ingest_figures, load, mixed, params, peer, procs
from bench import scenarios as sc
from bench.servers import DEFAULT_WORKERS, STARTERS, Launch
from bench.sqlcount import Params, SqlCountProxy


@dataclass
class Config:
    url: str = dataset.DEFAULT_URL
    scale: float = 1.0
    rounds: int = 3
    duration: float = 10.0
    connections: int = 16
    workers: int = DEFAULT_WORKERS
    only: frozenset[str] | None = None
    skip_peer: bool = False
    skip_ingest: bool = False
    smoke: bool = False
    growth: bool = False
    reuse: bool = False
    seed: int = 7
    log: Any = print


@dataclass
class Outcome:
    """Everything measured for one (scenario, API) pair."""

    scenario: str
    api: str
    server: str
    error: str | None = None
    rows_per_request: float | None = None
    rows_match: bool | None = None
    sql_data: float | None = None
    sql_control: float | None = None
    sql_texts: list[str] = field(default_factory=list)
    sql_samples: list[tuple[str, Params]] = field(default_factory=list)
    runs: list[load.LoadResult] = field(default_factory=list)
    #: one client, one request at a time: the latency a single user sees
    single: load.LoadResult | None = None


@dataclass
class Run:
    config: Config
    started: str
    machine: dict[str, Any]
    dataset: dict[str, Any] = field(default_factory=dict)
    outcomes: list[Outcome] = field(default_factory=list)
    export: list[export.ExportResult] = field(default_factory=list)
    export_sql: float | None = None
    export_error: str | None = None
    mixed: dict[str, Any] = field(default_factory=dict)
    ingest: dict[str, Any] = field(default_factory=dict)
    explain: dict[str, str] = field(default_factory=dict)
    sitrep_explain: dict[str, str] = field(default_factory=dict)
    growth: list[dict[str, Any]] = field(default_factory=list)
    peer: dict[str, Any] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


def machine() -> dict[str, Any]:

    cpu = ""
    with contextlib.suppress(OSError):
        for line in open("/proc/cpuinfo").read().splitlines():  # noqa: SIM115
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    mem = 0
    with contextlib.suppress(OSError):
        mem = int(open("/proc/meminfo").read().split()[1]) // 1024  # noqa: SIM115
    return {"cpu": cpu, "cores": os.cpu_count(), "memory_mb": mem,
            "load_average_at_start": list(os.getloadavg()),
            "python": platform.python_version(), "kernel": platform.release(),
            "load_driver": load.driver_name()}  # fmt: skip


def run(cfg: Config) -> Run:
    result = Run(cfg, dt.datetime.now(dt.UTC).isoformat(timespec="seconds"), machine())
    log = cfg.log
    log(f"dataset: scale {cfg.scale:g} at {cfg.url}")
    info = asyncio.run(dataset.generate(cfg.url, cfg.scale, cfg.seed, reuse=cfg.reuse))
    result.dataset = {"seconds": round(info.seconds, 1), "rows": info.rows,
                      "places": info.places_source, "reused": info.reused}  # fmt: skip
    log(f"dataset: {'reused' if info.reused else f'generated in {info.seconds:.1f}s'}: {info.rows}")
    dsn = dataset.plain_url(cfg.url)
    p = asyncio.run(params.choose(dsn))
    variants = [v for v in sc.variants(p) if cfg.only is None or v.scenario in cfg.only]
    servers_needed = {v.server for v in variants}
    if "peer" in servers_needed:
        reason = "skipped (--skip-peer)" if cfg.skip_peer else peer.ensure_installed()
        if reason is None:
            asyncio.run(peer.prepare_database(dsn))
            result.peer = {"name": "PostGraphile", "version": peer.version(),
                           "preset": "postgraphile/presets/amber"}  # fmt: skip
        else:
            result.peer = {"name": "PostGraphile", "unavailable": reason}
            result.notes.append(f"PostGraphile not measured: {reason}")
            variants = [v for v in variants if v.server != "peer"]
    want_export = cfg.only is None or "Q6" in cfg.only
    outcomes = {(v.scenario, v.api): Outcome(v.scenario, v.api, v.server) for v in variants}
    result.outcomes = list(outcomes.values())

    # -- 2. check + count, 3. load ---------------------------------------------------------
    checked: dict[str, procs.Server] = {}
    try:
        with SqlCountProxy("127.0.0.1", _port_of(dsn)) as proxy:
            checked = _check_phase(cfg, variants, outcomes, proxy, dsn, want_export, result)
            if cfg.smoke:  # figures do not matter: time the proxied servers, save restarts
                _load_phase(cfg, variants, outcomes, checked, dsn, want_export, result)
    finally:
        for server in checked.values():
            procs.stop(server)
    if not cfg.smoke:
        ok = [v for v in variants if not outcomes[(v.scenario, v.api)].error]
        names = {v.server for v in ok} | ({"sitrep"} if want_export else set())
        with _servers(names, Launch(dsn, cfg.workers), result) as running:
            _load_phase(cfg, variants, outcomes, running, dsn, want_export, result)

    # -- 4. the rest ------------------------------------------------------------------------
    result.explain = asyncio.run(explain.hot_paths(dsn, p))
    sitrep_sql = {
        f"sitrep {o.scenario} {o.api} #{k}": sample
        for o in result.outcomes
        if o.server == "sitrep" and o.scenario in ("Q1", "Q2", "Q3", "Q4", "Q5") and not o.error
        for k, sample in enumerate(o.sql_samples, start=1)
    }
    result.sitrep_explain = asyncio.run(explain.captured(dsn, sitrep_sql))
    if cfg.skip_ingest:
        result.ingest = {"notes": ["skipped (--skip-ingest)"]}
    else:
        result.ingest = ingest_figures.run(cfg.smoke, log)
    if cfg.growth:
        result.growth = growth(cfg)
    result.machine["load_average_at_end"] = list(os.getloadavg())
    return result


def _check_phase(
    cfg: Config,
    variants: list[sc.Variant],
    outcomes: dict[tuple[str, str], Outcome],
    proxy: SqlCountProxy,
    dsn: str,
    want_export: bool,
    result: Run,
) -> dict[str, procs.Server]:
    """Start each server behind the proxy, check its answers, count its statements.
    Returns the servers still running (smoke runs keep them for the load phase)."""
    reference: dict[tuple[str, int], list[Any] | None] = {}
    kept: dict[str, procs.Server] = {}
    proxied = _with_port(dsn, proxy.port)
    order = [s for s in ("floor", "sitrep", "peer") if s in {v.server for v in variants}]
    if want_export and "sitrep" not in order:
        order.append("sitrep")
    for server_name in order:
        cfg.log(f"check: {server_name} (behind the SQL-count proxy)")
        try:
            server = STARTERS[server_name](Launch(proxied, workers=1))
        except procs.StartError as exc:
            for v in variants:
                if v.server == server_name:
                    outcomes[(v.scenario, v.api)].error = f"server did not start: {exc}"
            if server_name == "sitrep":
                result.export_error = f"server did not start: {exc}"
            continue
        kept[server_name] = server
        for v in variants:
            if v.server == server_name:
                _check_and_count(server, v, outcomes[(v.scenario, v.api)], proxy, reference)
        if server_name == "sitrep" and want_export:
            proxy.reset()
            try:
                res = export.run(server, sc.EXPORT_PATH, dict(sc.EXPORT_HEADERS))
                result.export_sql = proxy.reset().data
                if res.status != 200:
                    result.export_error = f"HTTP {res.status}"
            except httpx.HTTPError as exc:
                result.export_error = f"{type(exc).__name__}: {exc}"
        if not cfg.smoke:
            procs.stop(kept.pop(server_name))
    for o in outcomes.values():
        if o.error:
            cfg.log(f"  {o.scenario} {o.api}: not timed: {o.error[:300]}")
    return kept


def _load_phase(
    cfg: Config,
    variants: list[sc.Variant],
    outcomes: dict[tuple[str, str], Outcome],
    running: dict[str, procs.Server],
    dsn: str,
    want_export: bool,
    result: Run,
) -> None:
    """Interleaved rounds: each scenario's servers one after the other, round after round."""
    log = cfg.log
    timed = [v for v in variants if not outcomes[(v.scenario, v.api)].error and v.server in running]
    if timed and not cfg.smoke:
        log(f"warm-up: {len(timed)} variants")
        for v in timed:
            load.run(
                running[v.server].base_url, v.requests, min(2.0, cfg.duration), cfg.connections
            )
    for rnd in range(1, cfg.rounds + 1):
        for scenario in sorted({v.scenario for v in timed}):
            for v in (v for v in timed if v.scenario == scenario):
                server = running[v.server]
                with export.RssSampler(server, every=0.25) as rss:
                    res = load.run(server.base_url, v.requests, cfg.duration, cfg.connections)
                res.rss_bytes = rss.peak
                outcomes[(v.scenario, v.api)].runs.append(res)
                log(f"round {rnd} {v.scenario} {v.api:8} {res.rps:9.1f} req/s"
                    f"  p99 {res.p99_ms:8.1f} ms  errors {res.errors}")  # fmt: skip
        if want_export and "sitrep" in running and not result.export_error:
            for encoding in sc.EXPORT_ENCODINGS:
                res6 = export.run(
                    running["sitrep"], sc.EXPORT_PATH, dict(sc.EXPORT_HEADERS), encoding
                )
                result.export.append(res6)
                log(f"round {rnd} Q6 export {encoding:8} {res6.rows} rows"
                    f" {res6.rows_per_s:9.0f} rows/s  peak RSS {res6.peak_rss_mb:.0f} MB")  # fmt: skip
    # Latency targets (Q3/Q4 p95 < 100 ms) are about one user's wait, not about a queue
    # of 16 clients on 2 cores: measure every variant once more with a single client.
    for v in (v for v in timed if not cfg.smoke or v.scenario == "Q3"):  # smoke: keep it short
        res1 = load.run(running[v.server].base_url, v.requests, min(cfg.duration, 5.0), 1)
        outcomes[(v.scenario, v.api)].single = res1
        log(f"1 client {v.scenario} {v.api:8} p50 {res1.p50_ms:7.1f} ms  p95 {res1.p95_ms:7.1f} ms")
    if (cfg.only is None or "Q7" in cfg.only) and "sitrep" in running:
        log("Q7: mixed load while a worker ingests")
        result.mixed = mixed.run(running["sitrep"], dsn,
                                 [v for v in timed if v.server == "sitrep"], cfg)  # fmt: skip


def _check_and_count(
    server: procs.Server,
    v: sc.Variant,
    out: Outcome,
    proxy: SqlCountProxy,
    reference: dict[tuple[str, int], list[Any] | None],
) -> None:
    rows_seen: list[int] = []
    mismatches = 0
    with httpx.Client(base_url=server.base_url, timeout=120) as client:
        for i, req in enumerate(v.requests):
            r = client.request(req.method, req.path, content=req.body, headers=dict(req.headers))
            try:
                doc = orjson.loads(r.content)
            except orjson.JSONDecodeError:
                doc = None
            if r.status_code != 200:
                out.error = f"HTTP {r.status_code}: {r.text[:300]}"
                return
            if isinstance(doc, dict) and doc.get("errors"):
                out.error = f"GraphQL errors: {orjson.dumps(doc['errors'])[:300].decode()}"
                return
            rows = v.rows(doc)
            if rows is None:
                out.error = f"unexpected answer shape: {r.text[:300]}"
                return
            rows_seen.append(len(rows))
            if v.server == "floor":
                reference[(v.scenario, i)] = rows
            else:
                ref = reference.get((v.scenario, i))
                if ref is not None and (sorted(map(str, ref)) != sorted(map(str, rows))):
                    mismatches += 1
        out.rows_per_request = sum(rows_seen) / len(rows_seen)
        if (
            any((v.scenario, i) in reference for i in range(len(v.requests)))
            and v.server != "floor"
        ):
            out.rows_match = mismatches == 0
        # count: the first pass warmed caches and prepared statements; count a second pass
        n = max(len(v.requests), 5)
        proxy.reset()
        for i in range(n):
            req = v.requests[i % len(v.requests)]
            client.request(req.method, req.path, content=req.body, headers=dict(req.headers))
        tally = proxy.reset()
    out.sql_data = tally.data / n
    out.sql_control = tally.control / n
    out.sql_texts = [t for t, _ in tally.texts.most_common(8)]
    out.sql_samples = [(t, tally.samples[t]) for t, _ in tally.texts.most_common(4)]


@contextlib.contextmanager
def _servers(names: set[str], launch: Launch, result: Run) -> Iterator[dict[str, procs.Server]]:
    running: dict[str, procs.Server] = {}
    try:
        for name in sorted(names):
            try:
                running[name] = STARTERS[name](launch)
            except procs.StartError as exc:
                result.notes.append(f"{name} did not start for the load phase: {exc}")
        yield running
    finally:
        for server in running.values():
            procs.stop(server)


def growth(cfg: Config) -> list[dict[str, Any]]:
    """Q1-Q3 at scales 0.1, 1 and 3: one short round each, in separate databases."""
    out: list[dict[str, Any]] = []
    for scale in (0.1, 1.0, 3.0):
        url = (
            cfg.url
            if scale == cfg.scale
            else cfg.url.rsplit("/", 1)[0] + f"/sitrep_bench_growth_{str(scale).replace('.', '_')}"
        )
        sub = Config(url=url, scale=scale, rounds=1, duration=cfg.duration,
                     connections=cfg.connections, workers=cfg.workers,
                     only=frozenset({"Q1", "Q2", "Q3"}), skip_peer=True, skip_ingest=True, reuse=True,
                     seed=cfg.seed, log=cfg.log)  # fmt: skip
        cfg.log(f"growth: scale {scale:g}")
        r = run(sub)
        out.append({
            "scale": scale,
            "rows": r.dataset.get("rows", {}),
            "scenarios": [
                {"name": o.scenario, "api": o.api, "rps": _median([x.rps for x in o.runs]),
                 "p95_ms": _median([x.p95_ms for x in o.runs]),
                 "p99_ms": _median([x.p99_ms for x in o.runs]), "error": o.error}
                for o in r.outcomes
            ],
            "explain": {**r.sitrep_explain, **r.explain},
            "seq_scans": explain.seq_scans({**r.sitrep_explain, **r.explain}),
        })  # fmt: skip
    return out


def _median(xs: list[float]) -> float | None:
    if not xs:
        return None
    s = sorted(xs)
    mid = len(s) // 2
    return s[mid] if len(s) % 2 else (s[mid - 1] + s[mid]) / 2


def _port_of(dsn: str) -> int:
    host = dsn.partition("://")[2].split("/", 1)[0].rsplit("@", 1)[-1]
    return int(host.rsplit(":", 1)[1]) if ":" in host else 5432


def _with_port(dsn: str, port: int) -> str:
    scheme, _, rest = dsn.partition("://")
    hostpart, slash, tail = rest.partition("/")
    creds, at, _host = hostpart.rpartition("@")
    return f"{scheme}://{creds}{at}127.0.0.1:{port}{slash}{tail}"


def elapsed(t0: float) -> str:
    return f"{time.perf_counter() - t0:.0f}s"
