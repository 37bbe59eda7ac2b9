"""Sources: file expansion, RSS/Atom feeds served from the test on 127.0.0.1, a folder."""

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from ingest_helpers import ARTICLE_A, ARTICLE_B, rows
from sqlalchemy.ext.asyncio import AsyncEngine

from ingest.sources import FeedPoller, FolderWatcher, SourceError, client, expand, parse_feed


def _rss(base: str) -> bytes:
    items = "".join(
        f"<item><title>Story {i}</title><link>{base}/story/{i}</link>"
        f"<pubDate>Mon, 0{5 + i} Sep 2021 10:00:00 GMT</pubDate></item>"
        for i in (1, 2)
    )
    return (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Test Wire</title>'
        f"<link>{base}</link>{items}</channel></rss>"
    ).encode()


ATOM = b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Atom Wire</title>
<entry><title>One</title><link href="http://example.invalid/a/1"/>
<updated>2023-08-03T12:00:00Z</updated></entry></feed>"""


class _Site(BaseHTTPRequestHandler):
    hits: dict[str, int]

    def do_GET(self) -> None:
        self.hits[self.path] = self.hits.get(self.path, 0) + 1
        address = self.server.server_address
        assert isinstance(address, tuple)
        base = f"http://127.0.0.1:{address[1]}"
        if self.path == "/feed.xml":
            body, ctype = _rss(base), "application/rss+xml"
        elif self.path == "/story/1":
            body, ctype = f"<html><body><p>{ARTICLE_A}</p></body></html>".encode(), "text/html"
        elif self.path == "/story/2":
            body, ctype = ARTICLE_B.encode(), "text/plain; charset=utf-8"
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
def site() -> Iterator[tuple[str, dict[str, int]]]:
    hits: dict[str, int] = {}
    handler = type("Site", (_Site,), {"hits": hits})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", hits
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


async def test_feed_poller_enqueues_new_articles_once(
    engine: AsyncEngine, site: tuple[str, dict[str, int]]
) -> None:
    base, hits = site
    async with client(timeout=5) as http:
        poller = FeedPoller(engine, [f"{base}/feed.xml"], http)
        assert await poller.poll_once() == 2
        assert await poller.poll_once() == 0
        # a new poller (a restarted worker) also knows them: from the job table
        assert await FeedPoller(engine, [f"{base}/feed.xml"], http).poll_once() == 0
    assert hits["/story/1"] == hits["/story/2"] == 1
    assert hits["/feed.xml"] == 3
    jobs = await rows(engine, "SELECT payload, dedupe_key FROM job ORDER BY id")
    payloads = [
        j.payload if isinstance(j.payload, dict) else __import__("json").loads(j.payload)
        for j in jobs
    ]
    assert [p["url"] for p in payloads] == [f"{base}/story/1", f"{base}/story/2"]
    assert payloads[0]["content_type"] == "text/html"
    assert payloads[1]["content_type"] == "text/plain"
    assert payloads[0]["outlet"] == "Test Wire"
    assert payloads[0]["published"] == "2021-09-06"
    assert "Militants stormed" in payloads[0]["text"]


def test_parse_atom() -> None:
    (entry,) = parse_feed(ATOM)
    assert (entry.url, entry.title, entry.published, entry.outlet) == (
        "http://example.invalid/a/1",
        "One",
        "2023-08-03",
        "Atom Wire",
    )


async def test_watcher_picks_up_a_dropped_file_once_complete(
    engine: AsyncEngine, tmp_path: Path
) -> None:
    watcher = FolderWatcher(engine, tmp_path)
    assert await watcher.scan_once() == 0
    (tmp_path / "sub").mkdir()
    dropped = tmp_path / "sub" / "story.txt"
    dropped.write_text(ARTICLE_A)
    (tmp_path / "ignored.pdf").write_bytes(b"%PDF")
    assert await watcher.scan_once() == 0  # seen once: might still be being written
    assert await watcher.scan_once() == 1
    assert await watcher.scan_once() == 0
    (job,) = await rows(engine, "SELECT payload FROM job")
    payload = (
        job.payload if isinstance(job.payload, dict) else __import__("json").loads(job.payload)
    )
    assert payload["source"] == str(dropped)
    assert payload["text"] == ARTICLE_A


def test_expand(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("a")
    (tmp_path / "b.html").write_text("<p>b</p>")
    (tmp_path / "c.bin").write_bytes(b"\0")
    (tmp_path / "d").mkdir()
    (tmp_path / "d" / "e.txt").write_text("e")
    names = [p.name for p in expand([str(tmp_path)])]
    assert names == ["a.txt", "b.html", "e.txt"]
    assert [p.name for p in expand([str(tmp_path / "*.txt"), str(tmp_path / "a.txt")])] == ["a.txt"]
    with pytest.raises(SourceError):
        expand([str(tmp_path / "nothing-*.txt")])
