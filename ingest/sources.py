"""Where documents come from: files, directories and globs; RSS/Atom feeds; a watched folder.

Each source turns what it finds into job payloads and enqueues them; the worker does the
rest. Re-finding something is harmless (the store reports it `unchanged`), but feeds and
folders also skip what they already enqueued, so a poll costs one HEAD-free GET of the
feed and nothing per known article.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import glob
import logging
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import feedparser
import httpx
import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncEngine

from ingest.documents import (
    HTML_TYPES,
    SUFFIXES,
    Submission,
    content_type_of,
    html_title,
    read_file,
    to_payload,
)
from ingest.errors import IngestError
from ingest.queue import JOB, enqueue
from ingest.store import DOCUMENT
from schema.enums import JobState

log = logging.getLogger(__name__)
USER_AGENT = "sitrep-ingest/0.1 (+https://github.com/)"
MAX_ARTICLE_BYTES = 5 * 1024 * 1024


class SourceError(IngestError):
    """A path matches nothing, a feed or article cannot be fetched."""


# -- files ---------------------------------------------------------------------------


def expand(patterns: Iterable[str]) -> list[Path]:
    """Files named by paths, directories (recursively: .txt/.html/...) and globs, in a
    stable order, each once. A pattern that matches nothing is an error."""
    out: dict[Path, None] = {}
    for pattern in patterns:
        path = Path(pattern)
        if path.is_dir():
            found = sorted(
                p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in SUFFIXES
            )
        elif path.is_file():
            found = [path]
        else:
            found = sorted(Path(p) for p in glob.glob(pattern, recursive=True) if Path(p).is_file())
        if not found:
            raise SourceError(f"{pattern}: no such file, directory or matching files")
        out.update(dict.fromkeys(found))
    return list(out)


def submission_of_file(path: Path, **overrides: Any) -> Submission:
    raw = read_file(path)
    content_type = content_type_of(path)
    title = html_title(raw) if content_type in HTML_TYPES else None
    sub = Submission(raw=raw, content_type=content_type, title=title, source=str(path))
    return replace(sub, **{k: v for k, v in overrides.items() if v is not None})


# -- the web -------------------------------------------------------------------------


def client(timeout: float = 20.0) -> httpx.AsyncClient:
    return httpx.AsyncClient(
        timeout=timeout, follow_redirects=True, headers={"User-Agent": USER_AGENT}
    )


async def fetch_article(http: httpx.AsyncClient, url: str) -> tuple[str, str]:
    """(text, content type) of a web page."""
    try:
        resp = await http.get(url)
        resp.raise_for_status()
    except httpx.HTTPError as exc:
        raise SourceError(f"{url}: {exc}") from exc
    if len(resp.content) > MAX_ARTICLE_BYTES:
        raise SourceError(f"{url}: larger than {MAX_ARTICLE_BYTES} bytes")
    content_type = resp.headers.get("content-type", "text/html").split(";")[0].strip().lower()
    if not (content_type.startswith("text/") or content_type in HTML_TYPES):
        raise SourceError(f"{url}: not a text page ({content_type})")
    return resp.text, content_type


async def already_known(engine: AsyncEngine, url: str) -> bool:
    """Stored as a document, or waiting/running/done as a job."""
    async with engine.connect() as conn:
        doc = await conn.execute(sa.select(DOCUMENT.c.id).where(DOCUMENT.c.url == url).limit(1))
        if doc.first() is not None:
            return True
        job = await conn.execute(
            sa.select(JOB.c.id)
            .where(JOB.c.dedupe_key == url_key(url), JOB.c.state != JobState.FAILED)
            .limit(1)
        )
        return job.first() is not None


def url_key(url: str) -> str:
    return ("url:" + url)[:100]


@dataclass(frozen=True)
class FeedEntry:
    url: str
    title: str | None
    published: str | None
    outlet: str | None


def parse_feed(body: bytes) -> list[FeedEntry]:
    """Entries of an RSS or Atom document that link to an article."""
    feed: Any = feedparser.parse(body)
    outlet = feed.feed.get("title") or None
    entries = []
    for e in feed.entries:
        link = e.get("link")
        if not link:
            continue
        stamp = e.get("published_parsed") or e.get("updated_parsed")
        published = dt.date(*stamp[:3]).isoformat() if stamp else None
        entries.append(FeedEntry(link, e.get("title") or None, published, outlet))
    return entries


class FeedPoller:
    """Polls RSS/Atom feeds and enqueues articles it has not seen."""

    def __init__(self, engine: AsyncEngine, urls: list[str], http: httpx.AsyncClient) -> None:
        self.engine = engine
        self.urls = urls
        self.http = http
        self._seen: set[str] = set()

    async def poll_once(self) -> int:
        enqueued = 0
        for feed_url in self.urls:
            try:
                resp = await self.http.get(feed_url)
                resp.raise_for_status()
            except httpx.HTTPError as exc:
                log.warning("feed %s: %s", feed_url, exc)
                continue
            for entry in parse_feed(resp.content):
                if entry.url in self._seen or await already_known(self.engine, entry.url):
                    self._seen.add(entry.url)
                    continue
                try:
                    text, content_type = await fetch_article(self.http, entry.url)
                except SourceError as exc:
                    log.warning("feed %s: %s", feed_url, exc)
                    continue
                sub = Submission(
                    raw=text,
                    content_type=content_type,
                    url=entry.url,
                    outlet=entry.outlet,
                    published=entry.published,
                    title=entry.title,
                    source=feed_url,
                )
                async with self.engine.begin() as conn:
                    await enqueue(conn, to_payload(sub), dedupe_key=url_key(entry.url))
                self._seen.add(entry.url)
                enqueued += 1
        return enqueued


# -- a watched folder ----------------------------------------------------------------


class FolderWatcher:
    """Enqueues files dropped into a directory (recursively) once their size and
    modification time have stayed the same for one poll, so half-written files wait."""

    def __init__(self, engine: AsyncEngine, directory: Path) -> None:
        self.engine = engine
        self.directory = directory
        self._pending: dict[Path, tuple[int, int]] = {}
        self._done: dict[Path, tuple[int, int]] = {}

    def _files(self) -> Iterator[tuple[Path, tuple[int, int]]]:
        for root, _dirs, files in os.walk(self.directory):
            for name in files:
                path = Path(root) / name
                if name.startswith(".") or path.suffix.lower() not in SUFFIXES:
                    continue
                try:
                    st = path.stat()
                except FileNotFoundError:
                    continue
                yield path, (st.st_mtime_ns, st.st_size)

    async def scan_once(self) -> int:
        enqueued = 0
        current = dict(self._files())
        for path, stamp in current.items():
            if self._done.get(path) == stamp:
                continue
            if self._pending.get(path) != stamp:
                self._pending[path] = stamp  # changed since last look: wait one more poll
                continue
            del self._pending[path]
            try:
                sub = submission_of_file(path)
            except (OSError, IngestError) as exc:
                log.warning("watch %s: %s", path, exc)
                self._done[path] = stamp
                continue
            async with self.engine.begin() as conn:
                await enqueue(conn, to_payload(sub), dedupe_key=sub.sha256[:64])
            self._done[path] = stamp
            enqueued += 1
        for gone in set(self._pending) - set(current):
            del self._pending[gone]
        return enqueued


async def every(interval: float, stop: asyncio.Event, action: Any, name: str) -> None:
    """Runs `action()` every `interval` seconds until `stop` is set; errors are logged."""
    while not stop.is_set():
        try:
            await action()
        except Exception:  # a source must not take the worker down
            log.exception("%s failed", name)
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), interval)
