"""Page boilerplate removal: raw page (plain text or HTML) -> the article's own text.

Plain text is wrapped into logical lines (hard-wrapped paragraphs joined), each line is
classified (prose, headline, navigation, share counters, subscription prompts, comment
policy, related-article lists, ad scripts, date/byline chrome) and the article is what
is kept: the title as the first paragraph, then the prose paragraphs separated by blank
lines. Photo captions are article text (they often date or place the event) and are
kept, but their spans are reported so that later stages can weigh them lower.

HTML goes through trafilatura first (main-content extraction), then through the same
line classifier. Every span of the extraction indexes into `Cleaned.text`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ingest.errors import ExtractionError
from ingest.extract.model import Span

MAX_CHARS = 2_000_000  # a news page is far smaller; beyond this the input is not an article

_SPACE = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
_INVISIBLE = re.compile(r"[\u200b-\u200d\u2060\ufeff\u00ad]")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# Crawler prefix seen on archived pages: " date 2023-08-03 <rest of the line>".
_DATE_PREFIX = re.compile(r"^\s*date\s+(\d{4}-\d{2}-\d{2})\b\s*")
_TERMINAL = (".", "!", "?", '"', "”", "'", "’", ":", ")")
_WORD = re.compile(r"[^\W\d_][\w'’-]*")

# Whole-line chrome: navigation, share counters, prompts. Anchored, so cheap and exact.
_CHROME = re.compile(
    r"""^(?:
        (?:home|news|world|top|logo|menu|search|print|share|tweet|email|comments?|required
          |advertisement|sponsored|breaking\ news|accessibility\ links|skip\ to\ (?:main\ )?content
          |previous\ (?:article|post|story)|next\ (?:article|post|story)|other\ news|more\ news
          |related(?:\ (?:posts|stories|articles|news|content|coverage|topics))?|read\ (?:more|also|next)
          |see\ also|recommended|most\ (?:read|popular|viewed)|trending|latest(?:\ news)?|total
          |listen(?:\ to(?:\ this\ article)?)?|watch|video|photos?|gallery|subscribe|sign\ (?:in|up)
          |log\ ?in|register|follow\ us|download(?:\ the\ app)?|close|x)\W*
      | \d+\W*(?:shares?|comments?|views?|likes?)?
      | \d+\s+min(?:ute)?s?\ read
      | (?:share|post)\ (?:on|to)\ \w+(?:\s+(?:share|post)\ (?:on|to)\ \w+)*
      | powered\ by\ .{0,40}
      | a\+\s*a-
      | (?:by|author|editor|written\ by|reporting\ by|edited\ by)\s*[:|]?\s*[\w .'’-]{0,60}
    )$""",
    re.IGNORECASE | re.VERBOSE,
)
# Prose-looking chrome: prompts and policies that are full sentences.
_PROMPT = re.compile(
    r"""(?:sign\ up\ (?:to|for)|subscribe\ (?:to|now)|already\ a\ (?:member|subscriber)
        |follow\ (?:us|our)\ |download\ (?:our|the)\ app|newsletter|cookies?\ (?:policy|settings)
        |your\ email\ address|all\ rights\ reserved|©|copyright\ (?:\d{4}|©)
        |comments?\ (?:are|that|must|submitted)|moderates?\ (?:all\ )?comments|community\ guidelines
        |we\ welcome\ comments|click\ here|for\ all\ the\ latest\ headlines|turn\ on\ notifications
        |free\ trial|premium\ titles|google_ad|function\s*\(|\$\(|document\.|window\.)""",
    re.IGNORECASE | re.VERBOSE,
)
# Lines after which the article is over (comment sections, "related" blocks, credits).
_END = re.compile(
    r"""^(?:comments?|leave\ a\ (?:reply|comment)|post\ a\ comment|no\ comments?:?
        |sign\ up\ to\ read\ this\ article|related\ (?:posts|stories|articles)|previous\ article
        |next\ article|(?:additional\ )?reporting\ by\b.*|author:.*|editing\ by\b.*
        |copyright\b.*|.*©.*|.*all\ rights\ reserved.*|share\ this\ (?:article|story))\W*$""",
    re.IGNORECASE | re.VERBOSE,
)
# Photo captions: credits at the end, or wire-photo conventions. Captions are told by
# their first and last words, so only a line's head and tail are searched.
_CAPTION_HEAD = re.compile(r"(?:file(?:\ photo)?\s*[-:–—]|photo:)", re.IGNORECASE)
_CAPTION_TAIL = re.compile(
    r"""(?:\((?:[^()]{0,30}\b)?(?:reuters|afp|ap|getty|anadolu|photo|file|office|courtesy|via|epa|xinhua|sana|ina)\b[^()]{0,30}\)\.?\s*$
        |(?<=[.!?])\s*(?:reuters|afp|ap|getty\ images|anadolu|epa)\.?\s*$
        |\breuters/|/\s?afp\b|\(photo\b|\[anadolu\]|\bfile/
        |\b\d{1,2},?\s+\d{4}\.\s*[A-Z][\w .'’-]{0,40}$)""",
    re.IGNORECASE | re.VERBOSE,
)
# Prose-looking chrome is recognised by these words before the full pattern is tried.
_PROMPT_KEYS = (
    "sign up",
    "subscribe",
    "already a",
    "follow ",
    "download",
    "newsletter",
    "cookie",
    "email address",
    "rights reserved",
    "©",
    "copyright",
    "comment",
    "click here",
    "latest headlines",
    "notifications",
    "free trial",
    "premium titles",
    "google_ad",
    "function",
    "$(",
    "document.",
    "window.",
)
_NON_WORD = re.compile(r"\W+")
# Site menus and breadcrumbs printed above the headline: "Home | Kurdistan | Iraq | World",
# "News | Reports | Interviews", "Home > Arab World".
_MENU = re.compile(r"^[^|>]{1,30}(?:\s\|\s[^|>]{1,30}){2,}$|^[^|>]{1,30}(?:\s>\s[^|>]{1,30})+$")
# A masthead's tagline: "The Middle East's leading independent news source since 2012".
_TAGLINE = re.compile(
    r"""\b(?:leading|independent|trusted|premier|number\ one|first)\b.{0,40}
        \b(?:news|source|voice|newspaper|media|network|website|daily)\b
      |\b(?:news|source|voice|newspaper|daily)\b.{0,30}\bsince\ (?:1[89]|20)\d\d$""",
    re.IGNORECASE | re.VERBOSE,
)
# A wire dateline opening a paragraph: "BAGHDAD, May 9 (Reuters) -", "Arbil (Iraq) (AFP) –",
# "Beirut (AFP) –", "KIRKUK, Iraq, Aug. 25 (Xinhua) --", "ERBIL, Kurdistan Region –". A
# place in capitals may stand alone; a place in title case needs the agency in brackets
# (otherwise "Baghdad - ..." could be a sentence).
_DATELINE = re.compile(
    r"""(?:
        [A-Z][A-Z'’.-]+(?:\ [A-Z][A-Z'’.-]+){0,2}(?:,\ [A-Z][\w.'’-]*(?:\ [\w.'’-]+){0,3}){0,2}
          (?:\ \([^()]{1,40}\)){0,2}
      | (?!(?:The|A|An|This|That|Its|Their|His|Her)\ )[A-Z][a-z'’-]+(?:\ [A-Z][a-z'’-]+){0,2}(?:,\ [A-Z][\w.'’-]*(?:\ [\w.'’-]+){0,3}){0,2}
          (?:\ \([^()]{1,40}\))?\ \([^()]{1,40}\)
    )\s*(?:--|[-–—])\s""",
    re.VERBOSE,
)


def dateline_length(paragraph: str) -> int:
    """Length of the wire dateline opening `paragraph` (separator and space included),
    0 when it has none."""
    m = _DATELINE.match(paragraph[:120])
    return m.end() if m else 0


def is_masthead_line(line: str) -> bool:
    """A site menu, breadcrumb or tagline: page furniture, never the headline."""
    return bool(_MENU.match(line) or _TAGLINE.search(line))


_HEADLINE_LIST = re.compile(r"[a-z0-9’'\"] ?\.(?=[A-Z])")


@dataclass(frozen=True)
class Cleaned:
    """The article text and what cleaning learnt on the way."""

    text: str
    title: str | None = None
    title_span: Span | None = None
    captions: list[Span] = field(default_factory=list)  # caption paragraphs in `text`
    # wire datelines ("BAGHDAD, May 9 (Reuters) -") opening paragraphs of `text`: where
    # the reporter is, never part of what anyone said
    datelines: list[Span] = field(default_factory=list)
    raw_lines: list[str] = field(default_factory=list)  # normalised lines of the page
    html_title: str | None = None
    html_date: str | None = None
    html_site: str | None = None


def decode(data: bytes) -> str:
    """Bytes of a file -> text; binary content raises ExtractionError."""
    if not data.strip():
        raise ExtractionError("empty document")
    sample = data[:65536]
    if b"\x00" in sample:
        raise ExtractionError("binary content (NUL bytes), not a text article")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError as exc:
            raise ExtractionError("not UTF-8 (nor Windows-1252) text") from exc
    controls = len(_CONTROL.findall(text[:65536]))
    if controls > max(8, len(text[:65536]) // 50):
        raise ExtractionError("binary content (control characters), not a text article")
    return text


def is_caption(line: str) -> bool:
    """A photo caption (credit at the end, wire-photo conventions)."""
    return bool(_CAPTION_HEAD.match(line) or _CAPTION_TAIL.search(line[-160:]))


def _is_prompt(line: str) -> bool:
    low = line.lower()
    return any(k in low for k in _PROMPT_KEYS) and bool(_PROMPT.search(line))


def looks_like_html(raw: str, content_type: str) -> bool:
    if "html" in content_type.lower():
        return True
    head = raw[:1024].lstrip().lower()
    return head.startswith(("<!doctype html", "<html")) or (
        "<body" in raw[:20000].lower() and "</p>" in raw.lower()
    )


def _normalise(line: str) -> str:
    line = _INVISIBLE.sub("", line)
    line = _CONTROL.sub(" ", line)
    return _SPACE.sub(" ", line).strip()


def _words(line: str) -> int:
    return len(_WORD.findall(line))


def _is_prose(line: str) -> bool:
    n = _words(line)
    if n >= 15:
        return True
    return n >= 5 and line.endswith(_TERMINAL)


def _fold(line: str) -> str:
    return _NON_WORD.sub(" ", line).strip().lower()


def _hard_wrapped(lines: list[str]) -> bool:
    """True when the page is wrapped at a fixed width (e-mail, plain-text wire copy):
    many lines, none much longer than ~100 characters, most of them near the width."""
    long = [len(x) for x in lines if len(x) >= 30]
    return len(long) >= 8 and max(long) <= 100 and sum(n >= 55 for n in long) >= 0.6 * len(long)


def _wrap(lines: list[str]) -> list[str]:
    """Join wrapped lines into logical lines. On a hard-wrapped page every block of
    non-blank lines is one paragraph; elsewhere only a line continued in lower case
    (a sentence broken mid-way) is joined to the one before."""
    wrapped = _hard_wrapped(lines)
    out: list[str] = []
    for line in lines:
        if (
            out
            and line
            and out[-1]
            and not out[-1].endswith((".", "!", "?", ":"))
            and (wrapped or (line[0].islower() and len(out[-1]) >= 40))
        ):
            out[-1] = out[-1] + " " + line
        else:
            out.append(line)
    return out


def _pick_title(lines: list[str]) -> int | None:
    """Index of the headline: a line repeated before the first prose paragraph, else
    the first headline-like line (4-30 words, no final full stop, not chrome)."""
    top = lines[:40]
    first_prose = next((i for i, x in enumerate(top) if _is_prose(x)), len(top))
    seen: dict[str, int] = {}
    for i, line in enumerate(top[: first_prose + 1]):
        n = _words(line)
        if (
            4 <= n <= 30
            and not _CHROME.match(line)
            and not _is_prompt(line)
            and not is_masthead_line(line)
        ):
            key = _fold(line)
            if key in seen:
                return seen[key]
            seen[key] = i
    for i, line in enumerate(top):
        n = _words(line)
        if (
            4 <= n <= 30
            and not line.endswith((".", "!", "?", ":"))
            and not _CHROME.match(line)
            and not _is_prompt(line)
            and not is_masthead_line(line)
            and not re.search(r"\d{4}", line[:12])
        ):
            return i
    return None


def clean_text(raw: str) -> Cleaned:
    """Plain-text page -> Cleaned."""
    if len(raw) > MAX_CHARS:
        raise ExtractionError(
            f"document too large ({len(raw):,} characters; the limit is {MAX_CHARS:,})"
        )
    lines = [_normalise(x) for x in raw.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    raw_lines = [x for x in lines if x]
    body_lines: list[str] = []
    for line in lines:
        m = _DATE_PREFIX.match(line)
        if m:
            rest = line[m.end() :]
            body_lines.append("")
            body_lines.append(rest)
        else:
            body_lines.append(line)
    logical = [x for x in _wrap(body_lines) if x]
    title_idx = _pick_title(logical)
    title = logical[title_idx] if title_idx is not None else None
    title_key = _fold(title) if title else None

    kept: list[tuple[str, bool]] = []  # (paragraph, is_caption)
    prose_seen = 0
    seen_keys: set[str] = set()
    for i, line in enumerate(logical):
        if title_idx is not None and i <= title_idx:
            continue  # the headline, and page chrome above it
        key = _fold(line)
        if title_key and (key == title_key or (title_key in key and not _is_prose(line))):
            continue
        if prose_seen >= 2 and _END.match(line):
            break
        if _CHROME.match(line) or _is_prompt(line):
            continue
        if len(_HEADLINE_LIST.findall(line)) >= 3:
            continue  # related headlines glued together ("...Syria .Two Turkish soldiers...")
        if not _is_prose(line):
            continue
        if key in seen_keys:
            continue
        seen_keys.add(key)
        caption = is_caption(line)
        kept.append((line, caption))
        if not caption:
            prose_seen += 1

    # a teaser cut short ("... hit a compound run by American troops and...") repeats
    # the start of a paragraph that follows in full
    keys = [_fold(p) for p, _ in kept]
    kept = [
        (p, cap)
        for i, (p, cap) in enumerate(kept)
        if not (
            p.endswith(("...", "…"))
            and any(
                j != i and k.startswith(keys[i]) and len(k) > len(keys[i])
                for j, k in enumerate(keys)
            )
        )
    ]
    parts: list[str] = []
    captions: list[Span] = []
    datelines: list[Span] = []
    pos = 0
    title_span: Span | None = None
    if title:
        parts.append(title)
        title_span = (0, len(title))
        pos = len(title)
    for para, para_is_caption in kept:
        if parts:
            parts.append("\n\n")
            pos += 2
        if para_is_caption:
            captions.append((pos, pos + len(para)))
        elif len(datelines) < 3:
            n = dateline_length(para)
            if n:
                datelines.append((pos, pos + len(para[:n].rstrip())))
        parts.append(para)
        pos += len(para)
    return Cleaned(
        text="".join(parts),
        title=title,
        title_span=title_span,
        captions=captions,
        datelines=datelines,
        raw_lines=raw_lines,
    )


def clean_html(raw: str) -> Cleaned:
    """HTML page -> Cleaned, through trafilatura's main-content extraction."""
    import trafilatura  # imported lazily: its start-up cost is paid only for HTML input

    if len(raw) > MAX_CHARS * 4:
        raise ExtractionError(f"document too large ({len(raw):,} characters)")
    doc = trafilatura.bare_extraction(
        raw, include_comments=False, include_tables=False, with_metadata=True, fast=True
    )
    text = getattr(doc, "text", None) or ""
    html_title = getattr(doc, "title", None)
    body = f"{html_title}\n\n{text}" if html_title and not text.startswith(html_title) else text
    cleaned = clean_text(body.replace("\n", "\n\n"))
    return Cleaned(
        text=cleaned.text,
        title=cleaned.title,
        title_span=cleaned.title_span,
        captions=cleaned.captions,
        datelines=cleaned.datelines,
        raw_lines=cleaned.raw_lines,
        html_title=html_title,
        html_date=getattr(doc, "date", None),
        html_site=getattr(doc, "sitename", None),
    )


def clean(raw: str, content_type: str = "text/plain") -> Cleaned:
    """Raw page -> Cleaned (HTML when the content type or the markup says so)."""
    if looks_like_html(raw, content_type):
        return clean_html(raw)
    return clean_text(raw)
