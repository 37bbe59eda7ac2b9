"""Turn a run into tables (printed), `bench/results/latest.json` (the issue's shape, for
scripts comparing releases), `latest-details.json` (everything) and `latest.md`.

Per (scenario, API), figures are medians over the rounds. In latest.json `sitrep_rps`
is requests/s except for Q6, where it is rows/s of the export (its `p99_ms` is the
duration of the whole export).
"""

from __future__ import annotations

import dataclasses
import statistics
from pathlib import Path
from typing import Any

import orjson

from bench import explain as explain_mod
from bench.runner import Outcome, Run

RESULTS = Path(__file__).resolve().parent / "results"


def _med(xs: list[float]) -> float | None:
    return statistics.median(xs) if xs else None


def _r(x: float | None, nd: int = 1) -> float | None:
    return None if x is None else round(x, nd)


def summary(o: Outcome) -> dict[str, Any]:
    return {
        "rps": _r(_med([r.rps for r in o.runs])),
        "p50_ms": _r(_med([r.p50_ms for r in o.runs]), 2),
        "p95_ms": _r(_med([r.p95_ms for r in o.runs]), 2),
        "p99_ms": _r(_med([r.p99_ms for r in o.runs]), 2),
        "rss_mb": _r(max((r.rss_bytes for r in o.runs), default=0) / 2**20),
        "errors": sum(r.errors for r in o.runs),
        "sql_per_request": _r(o.sql_data, 2),
        "sql_control_per_request": _r(o.sql_control, 2),
        "rows_per_request": _r(o.rows_per_request),
        "rows_match_floor": o.rows_match,
        "error": o.error,
        "single_client_p50_ms": _r(o.single.p50_ms, 2) if o.single else None,
        "single_client_p95_ms": _r(o.single.p95_ms, 2) if o.single else None,
        "runs": [r.as_dict() for r in o.runs],
    }


def latest(run: Run) -> dict[str, Any]:
    by = {(o.scenario, o.api): o for o in run.outcomes}
    scenarios: list[dict[str, Any]] = []
    for name in sorted({o.scenario for o in run.outcomes}):
        for api in ("graphql", "rest"):
            o = by.get((name, api))
            if o is None:
                continue
            s = summary(o)
            peer = (
                by.get((name, "peer")) if api == "graphql" or name in ("Q1", "Q2", "Q5") else None
            )
            ps = summary(peer) if peer is not None and peer.runs else None
            ratio = (s["rps"] / ps["rps"]) if ps and s["rps"] and ps["rps"] else None
            scenarios.append({
                "name": name, "api": api, "sitrep_rps": s["rps"],
                "peer_rps": ps["rps"] if ps else None, "ratio": _r(ratio, 2),
                "p99_ms": s["p99_ms"], "peer_p99_ms": ps["p99_ms"] if ps else None,
                "sql_per_request": s["sql_per_request"],
            })  # fmt: skip
    plain = [e for e in run.export if e.encoding == "identity"]
    if plain:  # the target is about the uncompressed stream; gzip is in the details
        best = max(plain, key=lambda e: e.rows_per_s)
        scenarios.append({
            "name": "Q6", "api": "rest", "sitrep_rps": _r(_med([e.rows_per_s for e in plain])),
            "peer_rps": None, "ratio": None, "p99_ms": _r(best.seconds * 1000),
            "peer_p99_ms": None, "sql_per_request": _r(run.export_sql, 2),
        })  # fmt: skip
    for api, figures in (run.mixed.get("apis") or {}).items():
        scenarios.append({
            "name": "Q7", "api": api, "sitrep_rps": _r(figures["rps"]), "peer_rps": None,
            "ratio": None, "p99_ms": _r(figures["p99_ms"], 2), "peer_p99_ms": None,
            "sql_per_request": None,
        })  # fmt: skip
    return {
        "scale": run.config.scale,
        "rounds": run.config.rounds,
        "scenarios": scenarios,
        "ingest": {
            "extract_docs_per_s_one_core": run.ingest.get("extract_docs_per_s_one_core"),
            "end_to_end_docs_per_s_2_workers": run.ingest.get("end_to_end_docs_per_s_2_workers"),
        },
    }


def details(run: Run) -> dict[str, Any]:
    cfg = dataclasses.asdict(dataclasses.replace(run.config, log=None))
    cfg["only"] = sorted(cfg["only"]) if cfg["only"] else None
    return {
        "started": run.started,
        "config": cfg,
        "machine": run.machine,
        "dataset": run.dataset,
        "peer": run.peer,
        "scenarios": [
            {"name": o.scenario, "api": o.api, "server": o.server, **summary(o),
             "sql_texts": o.sql_texts}
            for o in run.outcomes
        ],
        "export": [dataclasses.asdict(e) for e in run.export],
        "export_sql_statements": run.export_sql,
        "export_error": run.export_error,
        "mixed": run.mixed,
        "ingest": run.ingest,
        "explain": run.explain,
        "sitrep_explain": run.sitrep_explain,
        "seq_scans_on_hot_paths": explain_mod.seq_scans({**run.explain, **run.sitrep_explain}),
        "growth": run.growth,
        "notes": run.notes,
    }  # fmt: skip


def _fmt(x: Any) -> str:
    if x is None:
        return "n/a"
    if isinstance(x, float):
        return f"{x:,.1f}" if abs(x) >= 10 else f"{x:.2f}"
    return str(x)


def markdown(run: Run) -> str:
    from bench.scenarios import DESCRIPTIONS

    d = details(run)
    lines = [
        f"# sitrep benchmark, {run.started}",
        "",
        f"Scale {run.config.scale:g}, {run.config.rounds} round(s) of {run.config.duration:g}s"
        f" per server, {run.config.connections} connections, {run.config.workers} uvicorn"
        f" workers; machine: {run.machine.get('cpu')} ({run.machine.get('cores')} cores),"
        f" load driver {run.machine.get('load_driver')}; load average at start"
        f" {run.machine.get('load_average_at_start')}, at end {run.machine.get('load_average_at_end')}"
        " (other work on the machine adds noise).",
        f"Dataset: {d['dataset'].get('rows')} ({'reused' if d['dataset'].get('reused') else 'generated in ' + str(d['dataset'].get('seconds')) + ' s'}).",
        f"Peer: {run.peer or 'not used'}.",
        "",
    ]
    by: dict[str, list[dict[str, Any]]] = {}
    for s in d["scenarios"]:
        by.setdefault(s["name"], []).append(s)
    for name, rows in sorted(by.items()):
        lines += [f"## {name}: {DESCRIPTIONS.get(name, '')}", "",
                  "| API | req/s | p50 ms | p95 ms | p99 ms | 1 client p50/p95 ms | SQL/req | rows/req | same rows as floor | RSS MB | vs peer |",
                  "|---|---|---|---|---|---|---|---|---|---|---|"]  # fmt: skip
        peer = next((r for r in rows if r["api"] == "peer"), None)
        for r in rows:
            ratio = (r["rps"] / peer["rps"]) if peer and peer["rps"] and r["rps"] else None
            label = {"peer": "PostGraphile", "floor": "raw SQL floor"}.get(
                r["api"], f"sitrep {r['api']}"
            )
            vs = "" if r["api"] == "peer" else _fmt(ratio)
            lines.append(
                f"| {label} | {_fmt(r['rps'])} | {_fmt(r['p50_ms'])} | {_fmt(r['p95_ms'])} |"
                f" {_fmt(r['p99_ms'])} | {_fmt(r['single_client_p50_ms'])} / {_fmt(r['single_client_p95_ms'])} |"
                f" {_fmt(r['sql_per_request'])} | {_fmt(r['rows_per_request'])} |"
                f" {_fmt(r['rows_match_floor'])} | {_fmt(r['rss_mb'])} | {vs} |"
            )
            if r["error"]:
                lines.append(f"|  | not timed: {r['error'][:200].replace('|', '/')} ||||||||||")
        lines.append("")
    if run.export or run.export_error:
        lines += ["## Q6: NDJSON export", ""]
        if run.export_error:
            lines.append(f"Not measured: {run.export_error[:300]}")
        for e in run.export:
            lines.append(f"- {e.encoding}: {e.rows} rows ({e.bytes / 1e6:.1f} MB) in {e.seconds:.2f}s"
                         f" = {e.rows_per_s:,.0f} rows/s;"
                         f" RSS {e.rss_before_mb:.0f} MB before, peak {e.peak_rss_mb:.0f} MB")  # fmt: skip
        lines.append("")
    if run.mixed:
        lines += ["## Q7: mixed reads while ingesting", "", "```", orjson.dumps(
            {k: v for k, v in run.mixed.items() if k != "apis"}).decode(), "```"]  # fmt: skip
        for api, f in (run.mixed.get("apis") or {}).items():
            lines.append(f"- {api}: {f['rps']:.1f} req/s, p99 {f['p99_ms']:.1f} ms")
        lines.append("")
    lines += ["## Ingest", "", "```", orjson.dumps(run.ingest).decode(), "```", ""]
    if run.explain or run.sitrep_explain:
        seq = explain_mod.seq_scans({**run.explain, **run.sitrep_explain})
        lines += [
            "## EXPLAIN (ANALYZE, BUFFERS) of the hot paths",
            "",
            f"Sequential scans outside Q3: {', '.join(seq) if seq else 'none'}.",
            "",
        ]
        for name, plan in {**run.sitrep_explain, **run.explain}.items():
            lines += [f"### {name}", "", "```", plan, "```", ""]
    for g in run.growth:
        lines += [f"## Growth: scale {g['scale']:g}", "", "| scenario | API | req/s | p95 ms | p99 ms |",
                  "|---|---|---|---|---|"]  # fmt: skip
        for s in g["scenarios"]:
            lines.append(
                f"| {s['name']} | {s['api']} | {_fmt(s['rps'])} | {_fmt(s['p95_ms'])} | {_fmt(s['p99_ms'])} |"
            )
        lines.append("")
    if run.notes:
        lines += ["## Notes", "", *[f"- {n}" for n in run.notes], ""]
    return "\n".join(lines)


def write(run: Run, out_dir: Path = RESULTS) -> dict[str, Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = {
        "latest": out_dir / "latest.json",
        "details": out_dir / "latest-details.json",
        "markdown": out_dir / "latest.md",
    }
    opts = orjson.OPT_INDENT_2 | orjson.OPT_NON_STR_KEYS
    paths["latest"].write_bytes(orjson.dumps(latest(run), option=opts))
    paths["details"].write_bytes(orjson.dumps(details(run), option=opts, default=str))
    paths["markdown"].write_text(markdown(run))
    return paths
