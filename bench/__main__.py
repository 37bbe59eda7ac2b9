"""`python -m bench`: generate the dataset, run every scenario, write the results.

    python -m bench --scale 1 --rounds 3            # what `make bench` runs
    python -m bench --scale 0.1 --only Q1,Q2 --skip-peer --duration 5
    python -m bench --smoke                         # scale 0.01, one short round

The database is BENCH_POSTGRES_URL (default postgresql://postgres@127.0.0.1:5432/sitrep_bench);
it is dropped and recreated unless --reuse finds one generated at the same scale.
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from bench import dataset, report, runner, servers

SCENARIOS = ("Q1", "Q2", "Q3", "Q4", "Q5", "Q6", "Q7")


def parse(argv: Sequence[str] | None = None) -> tuple[runner.Config, Path]:
    ap = argparse.ArgumentParser(prog="python -m bench", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)  # fmt: skip
    ap.add_argument("--scale", type=float, default=float(os.environ.get("SCALE") or 1),
                    help="dataset size; 1 = 100,000 incidents (default: $SCALE or 1)")  # fmt: skip
    ap.add_argument("--rounds", type=int, default=int(os.environ.get("ROUNDS") or 3),
                    help="interleaved rounds per server (default: $ROUNDS or 3)")  # fmt: skip
    ap.add_argument("--duration", type=float, default=10.0, help="seconds per timed run")
    ap.add_argument("--connections", type=int, default=16, help="concurrent connections")
    ap.add_argument("--workers", type=int, default=servers.DEFAULT_WORKERS,
                    help="uvicorn workers for sitrep and the floor (default: 2, one per core)")  # fmt: skip
    ap.add_argument("--only", help="comma-separated scenarios, e.g. Q1,Q2")
    ap.add_argument("--skip-peer", action="store_true", help="do not install/run PostGraphile")
    ap.add_argument("--smoke", action="store_true",
                    help="scale 0.01, one round of 1s, peer skipped: proves the harness works")  # fmt: skip
    ap.add_argument("--growth", action="store_true", help="also run Q1-Q3 at scales 0.1, 1, 3")
    ap.add_argument("--reuse", action="store_true",
                    help="keep an existing database generated at the same scale and seed")  # fmt: skip
    ap.add_argument(
        "--skip-ingest",
        action="store_true",
        help="do not run bench/extract_bench.py and bench/ingest_bench.py",
    )
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument(
        "--out",
        type=Path,
        default=report.RESULTS,
        help="directory for latest.json, latest-details.json, latest.md",
    )
    ap.add_argument("--url", default=os.environ.get("BENCH_POSTGRES_URL") or dataset.DEFAULT_URL)
    a = ap.parse_args(argv)
    only = None
    if a.only:
        only = frozenset(x.strip().upper() for x in a.only.split(",") if x.strip())
        unknown = only - set(SCENARIOS)
        if unknown:
            ap.error(
                f"unknown scenario(s) {', '.join(sorted(unknown))}; choose from {', '.join(SCENARIOS)}"
            )
    if a.scale <= 0 or a.rounds < 1 or a.duration <= 0:
        ap.error("--scale and --duration must be positive, --rounds at least 1")
    cfg = runner.Config(url=a.url, scale=a.scale, rounds=a.rounds, duration=a.duration,
                        connections=a.connections, workers=a.workers, only=only,
                        skip_peer=a.skip_peer, skip_ingest=a.skip_ingest, growth=a.growth, reuse=a.reuse, seed=a.seed)  # fmt: skip
    if a.smoke:
        cfg.scale, cfg.rounds, cfg.duration, cfg.smoke = 0.01, 1, 1.0, True
        cfg.connections = min(cfg.connections, 4)
        cfg.skip_peer = cfg.skip_peer or not _peer_present()
    return cfg, a.out


def _peer_present() -> bool:
    from bench import peer

    return peer.NODE.is_file() and peer.CLI.is_file()


def _terminate(_signum: int, _frame: object) -> None:
    raise SystemExit(143)  # unwinds the `finally` blocks that stop the servers


def main(argv: Sequence[str] | None = None) -> int:
    signal.signal(signal.SIGTERM, _terminate)
    cfg, out = parse(argv)
    t0 = time.perf_counter()
    cfg.log = lambda msg: print(f"[{time.perf_counter() - t0:6.1f}s] {msg}", flush=True)
    result = runner.run(cfg)
    paths = report.write(result, out)
    print()
    print(report.markdown(result).split("## EXPLAIN", 1)[0])
    print(f"results: {paths['latest']}, {paths['details']}, {paths['markdown']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
