"""Ingest figures for the results, from the ingest engineers' scripts.

`bench/extract_bench.py` (extraction alone, one core) and `bench/ingest_bench.py`
(end to end into PostgreSQL with 1 and 2 workers) are run as `python -m bench.<name>`
(with `--smoke` in smoke runs); each prints a JSON object as the last line of its
standard output. Missing scripts or failures give nulls and a note, never a crash.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench.dataset import REPO_ROOT

SCRIPTS = ("extract_bench", "ingest_bench")
KEYS = ("extract_docs_per_s_one_core", "end_to_end_docs_per_s_1_worker",
        "end_to_end_docs_per_s_2_workers")  # fmt: skip


def last_json(stdout: str) -> dict[str, Any] | None:
    for line in reversed(stdout.strip().splitlines()):
        line = line.strip()
        if line.startswith("{"):
            try:
                data = json.loads(line)
            except json.JSONDecodeError:
                continue
            if isinstance(data, dict):
                return data
    return None


def run(smoke: bool, log: Callable[[str], object] = print, timeout: float = 3600) -> dict[str, Any]:
    figures: dict[str, Any] = dict.fromkeys(KEYS)
    notes: list[str] = []
    for name in SCRIPTS:
        if not (Path(__file__).parent / f"{name}.py").is_file():
            notes.append(f"bench/{name}.py not present")
            continue
        log(f"ingest: python -m bench.{name}{' --smoke' if smoke else ''}")
        argv = [sys.executable, "-m", f"bench.{name}", *(["--smoke"] if smoke else [])]
        try:
            out = subprocess.run(argv, capture_output=True, text=True, cwd=REPO_ROOT,
                                 timeout=timeout, check=False)  # fmt: skip
        except subprocess.TimeoutExpired:
            notes.append(f"bench/{name}.py timed out after {timeout:.0f}s")
            continue
        data = last_json(out.stdout)
        if out.returncode != 0 or data is None:
            notes.append(f"bench/{name}.py failed ({out.returncode}): {out.stderr.strip()[-300:]}")
            continue
        figures.update({k: v for k, v in data.items() if k in KEYS or k not in figures})
    figures["notes"] = notes
    return figures
