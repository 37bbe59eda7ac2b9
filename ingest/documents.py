"""What a submitted document is before extraction: its normalised text and identity.

The identity of a document is the SHA-256 of its *normalised* text, computed from the raw
submission alone (never from extractor output), so it stays stable when the extractor
changes and `sitrep reprocess` rewrites `document.text`. Normalisation turns HTML into
text, and removes differences that do not change what an article says: Unicode
composition, line endings, trailing spaces, runs of blank lines.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property
from html.parser import HTMLParser
from pathlib import Path

from ingest.errors import ExtractionError

HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
TEXT_SUFFIXES = {".txt": "text/plain", ".text": "text/plain", ".md": "text/plain"}
HTML_SUFFIXES = {".html": "text/html", ".htm": "text/html", ".xhtml": "application/xhtml+xml"}
SUFFIXES = {**TEXT_SUFFIXES, **HTML_SUFFIXES}

_BLOCK = frozenset(
    [
        "address",
        "article",
        "aside",
        "blockquote",
        "br",
        "dd",
        "div",
        "dl",
        "dt",
        "figcaption",
        "figure",
        "footer",
        "form",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "header",
        "hr",
        "li",
        "main",
        "nav",
        "ol",
        "p",
        "pre",
        "section",
        "table",
        "td",
        "th",
        "tr",
        "ul",
        "title",
    ]
)
_SKIP = frozenset({"script", "style", "noscript", "template", "svg", "head"})
_SPACES = re.compile(r"[ \t\f\v\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
_BLANKS = re.compile(r"\n{3,}")
_ZERO_WIDTH = re.compile(r"[\u200b\u200c\u200d\u2060\ufeff]")


class _TextOfHtml(HTMLParser):
    """Visible text of an HTML page, one block element per paragraph."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0
        self.title: str | None = None
        self._in_title = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "title":
            self._in_title = True
        if tag in _SKIP:
            self._skip += 1
        elif tag in _BLOCK:
            self.parts.append("\n\n")

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self._in_title = False
        if tag in _SKIP:
            self._skip = max(0, self._skip - 1)
        elif tag in _BLOCK:
            self.parts.append("\n\n")

    def handle_data(self, data: str) -> None:
        if self._in_title and self.title is None and data.strip():
            self.title = " ".join(data.split())
        if not self._skip:
            # Inside HTML, newlines in the source are just spaces.
            self.parts.append(data.replace("\n", " "))


def html_to_text(html: str) -> str:
    parser = _TextOfHtml()
    parser.feed(html)
    parser.close()
    return "".join(parser.parts)


def html_title(html: str) -> str | None:
    parser = _TextOfHtml()
    parser.feed(html)
    parser.close()
    return parser.title


def normalise(raw: str, content_type: str = "text/plain") -> str:
    """The canonical text of a submission: the input of the document hash."""
    text = html_to_text(raw) if content_type in HTML_TYPES else raw
    text = unicodedata.normalize("NFC", text)
    text = _ZERO_WIDTH.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))
    lines = [_SPACES.sub(" ", line).strip() for line in text.split("\n")]
    return _BLANKS.sub("\n\n", "\n".join(lines)).strip()


def sha256_of(normalised: str) -> str:
    return hashlib.sha256(normalised.encode("utf-8")).hexdigest()


def content_type_of(path: Path) -> str:
    return SUFFIXES.get(path.suffix.lower(), "text/plain")


@dataclass(frozen=True)
class Submission:
    """One document as submitted: raw text plus what the submitter told us about it."""

    raw: str
    content_type: str = "text/plain"
    url: str | None = None
    outlet: str | None = None
    published: str | None = None  # ISO date; the extractor's date is used when absent
    title: str | None = None
    source: str | None = None  # file path or feed URL, for messages only

    # Cached: the worker needs both several times per document (HTML parsing is not free).
    @cached_property
    def normalised(self) -> str:
        return normalise(self.raw, self.content_type)

    @cached_property
    def sha256(self) -> str:
        return sha256_of(self.normalised)


def read_file(path: Path) -> str:
    """A file's text (UTF-8, or Latin-1 as a last resort); binary files are refused."""
    data = path.read_bytes()
    if b"\x00" in data[:4096]:
        raise ExtractionError(f"{path}: binary file, not text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def to_payload(sub: Submission) -> dict[str, str]:
    """The `job.payload` of an ingest job (the API writes the same keys; see README)."""
    payload = {
        "text": sub.raw,
        "content_type": sub.content_type,
        "url": sub.url,
        "outlet": sub.outlet,
        "published": sub.published,
        "title": sub.title,
        "source": sub.source,
    }
    return {k: v for k, v in payload.items() if v is not None}


def from_payload(payload: Mapping[str, object]) -> Submission:
    """Reads a job payload, whoever wrote it; unknown keys are ignored, wrong types refused."""

    def get(key: str) -> str | None:
        value = payload.get(key)
        if value is None or value == "":
            return None
        if not isinstance(value, str):
            raise ExtractionError(f"job payload field {key!r} must be a string")
        return value

    return Submission(
        raw=get("text") or "",
        content_type=(get("content_type") or "text/plain").split(";")[0].strip().lower(),
        url=get("url"),
        outlet=get("outlet"),
        published=get("published"),
        title=get("title"),
        source=get("source"),
    )
