"""Ingest figures for the results, from the ingest engineers' scripts.

`bench/extract_bench.py` (extraction alone, one core) and `bench/ingest_bench.py`
(end to end into PostgreSQL with 1 and 2 workers) are run as `python -m bench.<name>`
(with `--smoke`, or fewer `--docs`, in smoke runs); each prints a JSON object as the
last line of its standard output (extract_bench.py's prose "N documents/s ... on one
core" is read too). Missing scripts or failures give nulls and a note, never a crash.
"""

from __future__ import annotations

import json
import re
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


_EXTRACT_TEXT = re.compile(r"([\d.]+) documents/s\b.*\bone core")


def from_text(stdout: str) -> dict[str, Any] | None:
    """extract_bench.py prints prose: '412.5 documents/s, ... on one core (...)'."""
    match = _EXTRACT_TEXT.search(stdout)
    return None if match is None else {"extract_docs_per_s_one_core": float(match.group(1))}


def _smoke_args(argv: list[str]) -> list[str]:
    """A quick variant of the script: --smoke if it has one, else fewer documents."""
    helptext = subprocess.run([*argv, "--help"], capture_output=True, text=True, cwd=REPO_ROOT,
                              timeout=120, check=False).stdout  # fmt: skip
    if "--smoke" in helptext:
        return ["--smoke"]
    if "--docs" in helptext:
        return ["--docs", "50"]
    return []


def run(smoke: bool, log: Callable[[str], object] = print, timeout: float = 3600) -> dict[str, Any]:
    figures: dict[str, Any] = dict.fromkeys(KEYS)
    notes: list[str] = []
    for name in SCRIPTS:
        if not (Path(__file__).parent / f"{name}.py").is_file():
            notes.append(f"bench/{name}.py not present")
            continue
        argv = [sys.executable, "-m", f"bench.{name}"]
        if smoke:
            argv += _smoke_args(argv)
        log(f"ingest: {' '.join(argv[1:])}")
        try:
            out = subprocess.run(argv, capture_output=True, text=True, cwd=REPO_ROOT,
                                 timeout=timeout, check=False)  # fmt: skip
        except subprocess.TimeoutExpired:
            notes.append(f"bench/{name}.py timed out after {timeout:.0f}s")
            continue
        data = last_json(out.stdout) or from_text(out.stdout)
        if out.returncode != 0 or data is None:
            notes.append(f"bench/{name}.py failed ({out.returncode}): {out.stderr.strip()[-300:]}")
            continue
        figures.update({k: v for k, v in data.items() if k in KEYS or k not in figures})
    figures["notes"] = notes
    return figures
