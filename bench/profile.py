"""Where does a sitrep request spend its time? py-spy on a server under load.

    python -m bench.profile Q1 graphql [--seconds 10] [--reuse-db]

Starts sitrep with one worker on the benchmark database (generated at scale 1 unless
one exists), drives the scenario with the load generator, samples the server with
`py-spy record --format raw` (py-spy must be installed: `pip install py-spy`), and
prints the functions with the most samples, by own time and by total time, plus the
share of time per top-level package. Needs ptrace permission on the server process.
"""

from __future__ import annotations

import argparse
import asyncio
import shutil
import subprocess
import sys
import tempfile
import threading
from collections import Counter
from pathlib import Path

from bench import dataset, load, params, procs
from bench import scenarios as sc
from bench.servers import Launch, start_sitrep


def summarise(raw: str, top: int = 25) -> str:
    """Collapsed stacks ('frame;frame;frame count' lines) -> a readable summary."""
    own: Counter[str] = Counter()
    total: Counter[str] = Counter()
    package: Counter[str] = Counter()
    samples = 0
    for line in raw.splitlines():
        stack, _, count = line.rpartition(" ")
        if not stack or not count.isdigit():
            continue
        n = int(count)
        samples += n
        frames = stack.split(";")
        own[frames[-1]] += n
        for f in set(frames):
            total[f] += n
        package[_package(frames[-1])] += n
    if not samples:
        return "no samples (is ptrace allowed?)"
    out = [f"{samples} samples", "", "own time:"]
    out += [f"  {100 * n / samples:5.1f}%  {f}" for f, n in own.most_common(top)]
    out += ["", "total time (including callees):"]
    out += [f"  {100 * n / samples:5.1f}%  {f}" for f, n in total.most_common(top)]
    out += ["", "own time by package:"]
    out += [f"  {100 * n / samples:5.1f}%  {p}" for p, n in package.most_common(15)]
    return "\n".join(out)


def _package(frame: str) -> str:
    # py-spy frames look like "function (path/to/module.py:123)"
    _, _, where = frame.rpartition("(")
    path = where.split(":", 1)[0]
    if "site-packages/" in path:
        return path.split("site-packages/", 1)[1].split("/", 1)[0]
    parts = Path(path).parts
    for root in ("api", "schema", "ingest", "bench"):
        if root in parts:
            return root
    return "python" if path.endswith(".py") else path or "?"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.profile", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)  # fmt: skip
    ap.add_argument("scenario", choices=["Q1", "Q2", "Q3", "Q4", "Q5"])
    ap.add_argument("api", choices=["graphql", "rest"])
    ap.add_argument("--seconds", type=float, default=10)
    ap.add_argument("--connections", type=int, default=8)
    ap.add_argument("--scale", type=float, default=1.0)
    ap.add_argument("--url", default=dataset.DEFAULT_URL)
    a = ap.parse_args(argv)
    spy = shutil.which("py-spy") or str(Path(sys.executable).parent / "py-spy")
    if not Path(spy).exists():
        print("py-spy is not installed (pip install py-spy)", file=sys.stderr)
        return 1
    asyncio.run(dataset.generate(a.url, a.scale, reuse=True))
    dsn = dataset.plain_url(a.url)
    p = asyncio.run(params.choose(dsn))
    variant = next(v for v in sc.variants(p) if v.scenario == a.scenario and v.api == a.api)
    server = start_sitrep(Launch(dsn, workers=1))
    try:
        load.run(server.base_url, variant.requests, 2, a.connections)  # warm-up
        with tempfile.TemporaryDirectory() as tmp:
            out = Path(tmp) / "profile.txt"
            driver = threading.Thread(
                target=load.run,
                args=(server.base_url, variant.requests, a.seconds + 2, a.connections),
            )
            driver.start()
            subprocess.run(
                [
                    spy,
                    "record",
                    "--pid",
                    str(server.proc.pid),
                    "--subprocesses",
                    "--duration",
                    str(int(a.seconds)),
                    "--rate",
                    "200",
                    "--format",
                    "raw",
                    "--output",
                    str(out),
                    "--nonblocking",
                ],
                capture_output=True,
                check=False,
                timeout=a.seconds + 60,
            )
            driver.join()
            raw = out.read_text() if out.exists() else ""
    finally:
        procs.stop(server)
    print(f"{a.scenario} {a.api}: {variant.requests[0].method} {variant.requests[0].path}")
    print(summarise(raw))
    return 0


if __name__ == "__main__":
    sys.exit(main())
