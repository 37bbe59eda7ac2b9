"""The commands end to end, as a user runs them: `sitrep ingest`, `worker`, `reprocess`."""

import asyncio
import contextlib
import io
import os
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from ingest_helpers import ARTICLE_B, row_counts, rows
from sqlalchemy.ext.asyncio import AsyncEngine

from ingest.commands.ingest import ingest_files
from ingest.commands.reprocess import reprocess_all
from ingest.sources import expand, submission_of_file
from ingest.worker import Extractor
from schema.config import Settings

REPO = Path(__file__).resolve().parents[2]
SEEDS = REPO / "seeds" / "articles"


def sitrep(url: str, *args: str, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "sitrep", *args],
        env={**os.environ, "DATABASE_URL": url},
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def spawn(url: str, *args: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "sitrep", *args],
        env={**os.environ, "DATABASE_URL": url},
        cwd=REPO,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


async def _ingest(url: str, extractor: Extractor, *paths: str) -> tuple[int, str]:
    """`sitrep ingest PATHS` in this process (the session's extractor saves its start-up)."""
    subs = [submission_of_file(p) for p in expand(paths)]
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = await ingest_files(Settings(database_url=url), subs, extractor, io.StringIO())
    return code, out.getvalue()


async def test_seeds_ingested_twice_give_identical_counts(
    seeded_db_url: str, seeded_engine: AsyncEngine, extractor: Extractor
) -> None:
    n = len(list(SEEDS.glob("*.txt")))
    code, out = await _ingest(seeded_db_url, extractor, str(SEEDS))
    assert code == 0, out
    stored = sum(int(out.split(f"{k} ")[1].split(",")[0]) for k in ("inserted", "merged"))
    assert stored == n, out
    counts = await row_counts(seeded_engine)
    assert counts["document"] == n
    assert counts["incident"] > 0
    code, out = await _ingest(seeded_db_url, extractor, str(SEEDS / "*.txt"))
    assert code == 0, out
    assert f"unchanged {n}" in out
    assert await row_counts(seeded_engine) == counts
    jobs = await rows(seeded_engine, "SELECT state, count(*) AS n FROM job GROUP BY state")
    assert {(j.state, j.n) for j in jobs} == {("done", 2 * n)}


@pytest.mark.parametrize("seeded_db_url", ["sqlite"], indirect=True)
async def test_failures_are_reported_and_exit_1(
    seeded_db_url: str, seeded_engine: AsyncEngine, tmp_path: Path
) -> None:
    (tmp_path / "empty.txt").write_text("   \n")
    (tmp_path / "story.html").write_text(f"<html><body><p>{ARTICLE_B}</p></body></html>")
    result = sitrep(
        seeded_db_url, "ingest", str(tmp_path), "--outlet", "Outlet B", "--published", "2021-09-06"
    )
    assert result.returncode == 1
    assert "failed 1" in result.stdout
    assert "empty.txt: empty document" in result.stdout
    (doc,) = await rows(seeded_engine, "SELECT outlet, published, content_type FROM document")
    assert (doc.outlet, str(doc.published), doc.content_type) == (
        "Outlet B",
        "2021-09-06",
        "text/html",
    )


@pytest.mark.parametrize("seeded_db_url", ["sqlite"], indirect=True)
async def test_usage_errors(seeded_db_url: str, tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("a")
    (tmp_path / "b.txt").write_text("b")
    several = sitrep(seeded_db_url, "ingest", str(tmp_path), "--url", "https://x.example/1")
    assert several.returncode == 1
    assert "--url" in several.stderr
    missing = sitrep(seeded_db_url, "ingest", str(tmp_path / "nothing*.txt"))
    assert missing.returncode == 1
    assert "no such file" in missing.stderr
    bad_date = sitrep(seeded_db_url, "ingest", str(tmp_path), "--published", "05/09/2021")
    assert bad_date.returncode == 2


@pytest.mark.parametrize("seeded_db_url", ["sqlite"], indirect=True)
async def test_enqueue_only_then_worker_once(
    seeded_db_url: str, seeded_engine: AsyncEngine
) -> None:
    queued = sitrep(seeded_db_url, "ingest", "--enqueue-only", str(SEEDS))
    assert queued.returncode == 0, queued.stderr
    assert (await row_counts(seeded_engine))["document"] == 0
    worked = sitrep(seeded_db_url, "worker", "--once")
    assert worked.returncode == 0, worked.stderr
    assert (await row_counts(seeded_engine))["document"] == len(list(SEEDS.glob("*.txt")))


async def test_reprocess_keeps_counts_and_curated_fields(
    seeded_db_url: str, seeded_engine: AsyncEngine, extractor: Extractor
) -> None:
    assert (await _ingest(seeded_db_url, extractor, str(SEEDS)))[0] == 0
    before = await row_counts(seeded_engine)
    (inc,) = await rows(seeded_engine, "SELECT id FROM incident ORDER BY id LIMIT 1")
    async with seeded_engine.begin() as conn:
        from sqlalchemy import text

        await conn.execute(
            text(
                "UPDATE incident SET killed_low = 40, killed_best = 40, killed_high = 40,"
                " curated_fields = :c WHERE id = :i"
            ),
            {"c": '["killed"]', "i": inc.id},
        )
    assert await reprocess_all(seeded_engine, extractor, below=1000) == 5
    after = await row_counts(seeded_engine)
    for table in ("document", "incident", "report", "statement", "mention", "person", "actor"):
        assert after[table] == before[table], table
    (kept,) = await rows(
        seeded_engine, "SELECT killed_best, deleted_at FROM incident WHERE id = :i", i=inc.id
    )
    assert (kept.killed_best, kept.deleted_at) == (40, None)
    assert await reprocess_all(seeded_engine, extractor, below=0) == 0


@pytest.mark.parametrize("seeded_db_url", ["sqlite"], indirect=True)
async def test_reprocess_command(seeded_db_url: str, seeded_engine: AsyncEngine) -> None:
    assert sitrep(seeded_db_url, "ingest", str(SEEDS / "000_*.txt")).returncode == 0
    result = sitrep(seeded_db_url, "reprocess", "--all")
    assert result.returncode == 0, result.stderr
    assert "reprocessed 1 document(s)" in result.stdout
    (doc,) = await rows(seeded_engine, "SELECT extractor_version FROM document")
    assert doc.extractor_version >= 1


@pytest.mark.parametrize("seeded_db_url", ["sqlite"], indirect=True)
async def test_worker_watches_a_folder_and_stops_on_sigterm(
    seeded_db_url: str, seeded_engine: AsyncEngine, tmp_path: Path
) -> None:
    proc = spawn(seeded_db_url, "worker", "--watch", str(tmp_path), "--poll-interval=0.2")
    try:
        await asyncio.sleep(0.5)
        (tmp_path / "dropped.txt").write_text(ARTICLE_B)
        for _ in range(600):
            if (await row_counts(seeded_engine))["document"] == 1:
                break
            await asyncio.sleep(0.1)
        assert (await row_counts(seeded_engine))["document"] == 1
        proc.send_signal(signal.SIGTERM)
        _, err = proc.communicate(timeout=30)
        assert proc.returncode == 0, err.decode()[-2000:]
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()


class _Feed(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        address = self.server.server_address
        assert isinstance(address, tuple)
        base = f"http://127.0.0.1:{address[1]}"
        if self.path == "/rss":
            body = (
                '<?xml version="1.0"?><rss version="2.0"><channel><title>Local Wire</title>'
                f"<item><title>Toll rises</title><link>{base}/a/1</link>"
                "<pubDate>Mon, 06 Sep 2021 09:00:00 GMT</pubDate></item></channel></rss>"
            ).encode()
            ctype = "application/rss+xml"
        elif self.path == "/a/1":
            body = f"<html><body><article><p>{ARTICLE_B}</p></article></body></html>".encode()
            ctype = "text/html; charset=utf-8"
        else:
            self.send_error(404)
            return
        self.send_response(200)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def feed_server() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Feed)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


@pytest.mark.parametrize(
    "seeded_db_url", [pytest.param("postgres", marks=pytest.mark.postgres)], indirect=True
)
async def test_worker_polls_a_feed(
    seeded_db_url: str, seeded_engine: AsyncEngine, feed_server: str
) -> None:
    for _ in range(2):  # the second poll finds nothing new
        result = sitrep(seeded_db_url, "worker", "--once", "--feed", f"{feed_server}/rss")
        assert result.returncode == 0, result.stderr
    (doc,) = await rows(seeded_engine, "SELECT url, outlet, published, title FROM document")
    assert doc.url == f"{feed_server}/a/1"
    assert doc.outlet == "Local Wire"
    assert str(doc.published) == "2021-09-06"
    assert doc.title == "Toll rises"
    assert len(await rows(seeded_engine, "SELECT id FROM job")) == 1
