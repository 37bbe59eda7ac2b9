"""Statements: what an official or an organisation said, with the speaker resolved.

One statement per reporting sentence (a sentence and the quotation it carries, which may
run over several sentences). The finder reads each such unit as

- content + trailing attribution: '"...," the Federal Police said', '..., said the media
  office of the JOC in a statement', '..., according to the Observatory';
- leading attribution + content: 'Sirwan Barzani, commander of ..., told Rudaw that ...',
  'The Ministry of Peshmerga blamed a "security vacuum" for ...';
- a bare quotation that continues the previous speaker's statement.

Speakers are named officials or actors, unnamed members of one named organisation ("a
federal police officer" -> Federal Police), or references resolved to an earlier speaker
("he", "it", "the statement", "the ministry", "the prime minister"). Generic sources ("a
security source", "officials") are not statements, nor are casualty figures given by
unnamed members. `quote` is the content without the attribution and quotation marks.
"""

from __future__ import annotations

import bisect
import datetime as dt
import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass

from ingest.extract.dates import find_dates
from ingest.extract.model import (
    ActorMention,
    Incident,
    OfficialMention,
    Span,
    Statement,
    StatementKind,
)
from ingest.extract.names import Token, fold, tokenize, tokenize_text, wordset
from ingest.extract.officials import is_title_word
from ingest.extract.quotes import MARKS, quote_spans
from ingest.extract.speech import (
    ACT,
    ORG_PRONOUNS,
    PERSON_PRONOUNS,
    PLURAL_PRONOUNS,
    SOURCE_NOUNS,
    STATEMENT_NOUNS,
    TRAILING_ONLY,
    VERB_WORDS,
    Verb,
    channel_of,
    find_verbs,
    is_casualty_report,
)
from ingest.extract.text import Sentence

# Character sets for the gap between two tokens (set tests beat `any` over MARKS).
_MARK_SET = frozenset(MARKS)
_MARKS_TO_SPACE = str.maketrans(dict.fromkeys(MARKS, " "))
_COMMA_OR_MARK = frozenset("," + MARKS)
_COLON_OR_MARK = frozenset(":" + MARKS)
_PUNCT_OR_MARK = frozenset(",:" + MARKS)
_BREAK_CHARS = frozenset(",:;" + MARKS)
_MODIFIER = re.compile(
    r"^[-‐‑](?:backed|led|affiliated|aligned|allied|linked|run|controlled|supported|sponsored)\b"
)
_CONNECTORS = wordset("the of in for and 's al el")
_PREPS_BEFORE_ACTOR = wordset("by from with against to for between than on into over near")
_MEMBER_NOUNS = wordset(
    """official officials officer officers spokesman spokesperson spokeswoman source sources
    member members commander commanders statement media office leadership"""
)
_NOMINAL_HEADS = {
    "ministry": "ministry",
    "group": "group",
    "organization": "group",
    "organisation": "group",
    "militia": "group",
    "movement": "group",
    "observatory": "monitor",
    "monitor": "monitor",
    "watchdog": "monitor",
    "military": "force",
    "army": "force",
    "force": "force",
    "forces": "force",
    "command": "force",
    "police": "force",
    "coalition": "coalition",
    "government": "government",
    "office": "office",
    "agency": "agency",
    "cell": "office",
    "department": "ministry",
}
# Heads naming one body ("the media cell"), and heads too vague to pick a name by.
_BODY_HEADS = wordset("cell office command department ministry directorate")
_VAGUE_HEADS = wordset("group organization organisation movement force forces government")
_LEAD_ADJUNCT = re.compile(
    r"\s*(?:(?:in|on|at|during|after|before|for|through|via)\b[^,]{0,80},\s*)+", re.IGNORECASE
)
_ISSUE_VERBS = wordset("issued released published posted sent put")
_TOLD_OBJECT_END = wordset("that on in late early during at")
_CONTENT_SKIP = re.compile(
    r"^(?:\s|,|:|that\b|on\s+(?:x|twitter|telegram|facebook)\b|on\s+(?:its|his|her|their)\s+(?:official\s+)?(?:twitter|x|telegram|facebook)?\s*(?:account|website|page|channel)\b"
    r"|(?:in|through|via|on)\s+(?:a|an|the|his|her|its|their)\s+(?:\w+\s+){0,3}?(?:statement|account|interview|briefing|conference|recording|post|tweet|message|speech|channel|website)(?:\s+(?:on|to|with)\s+(?:the\s+)?(?-i:[A-Z]\w*(?:\s+[A-Z]\w*)*))?\b"
    r"|(?:on|late|early|this|last)\s+(?:on\s+)?(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)(?:\s+(?:night|morning|evening))?\b"
    r"|(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b"
    r"|(?:today|yesterday|tonight|this morning|this evening|earlier today|later)\b"
    r"|(?:in|on)\s+(?:january|february|march|april|may|june|july|august|september|october|november|december)\b"
    r"|(?:also|later|earlier|further|however)\b)+",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class _Mention:
    start: int
    end: int
    name: str
    speaker_type: str  # "person" | "actor"
    kind: str  # actor kind, or "person"
    title: str | None
    affiliation: str | None
    modifier: bool


@dataclass
class _Unit:
    start: int
    end: int
    paragraph: int


@dataclass
class _Said:
    speaker: str
    speaker_type: str
    kind_of_speaker: str
    unnamed: bool  # an unnamed member of the organisation
    generic: bool  # a generic source: not a statement
    date: dt.date | None = None


class _Doc:
    def __init__(
        self,
        text: str,
        sentences: Sequence[Sentence],
        officials: Sequence[OfficialMention],
        actors: Sequence[ActorMention],
    ) -> None:
        self.text = text
        self.current_unit = 0
        self.all_toks = list(tokenize_text(text))
        self.tok_starts = [t.start for t in self.all_toks]
        # where words that may be reporting verbs start: most sentences have none
        self.verb_starts = [t.start for t in self.all_toks if t.key in VERB_WORDS]
        self.sentences = list(sentences)
        self.officials = list(officials)
        self.actors = list(actors)
        ments: list[_Mention] = []
        for o in officials:
            for s, e in o.spans:
                ments.append(
                    _Mention(s, e, o.name, "person", "person", o.title, o.affiliation, False)
                )
        for a in actors:
            if a.kind == "civilians":
                continue
            for s, e in a.spans:
                mod = bool(_MODIFIER.match(text[e : e + 14]))
                before = text[max(0, s - 5) : s].lower()
                if before.endswith(("pro-", "anti-")):
                    mod = True
                ments.append(_Mention(s, e, a.name, "actor", a.kind, None, None, mod))
        self.mentions = sorted(ments, key=lambda m: (m.start, -m.end))
        self.mention_starts = [m.start for m in self.mentions]

    def may_report(self, start: int, end: int) -> bool:
        """Does a word that may be a reporting verb start in [start, end)?"""
        k = bisect.bisect_left(self.verb_starts, start)
        return k < len(self.verb_starts) and self.verb_starts[k] < end

    def tokens(self, start: int, end: int) -> list[Token]:
        i = bisect.bisect_left(self.tok_starts, start)
        j = bisect.bisect_left(self.tok_starts, end)
        return self.all_toks[i:j]

    def words_in(self, start: int, end: int) -> list[tuple[int, str]]:
        """(offset from `start`, key) of each word of text[start:end], as `tokenize`
        gives them: the document's own tokens, unless one straddles an edge."""
        toks = self.all_toks
        i = bisect.bisect_left(self.tok_starts, start)
        j = bisect.bisect_left(self.tok_starts, end)
        if (i == 0 or toks[i - 1].end <= start) and (j == i or toks[j - 1].end <= end):
            return [(t.start - start, t.key) for t in toks[i:j]]
        return [(t.start, t.key) for t in tokenize(self.text[start:end])]

    def mentions_in(self, start: int, end: int) -> list[_Mention]:
        """Mentions inside [start, end), in order (from the first starting at `start`)."""
        out = []
        ments = self.mentions
        for k in range(bisect.bisect_left(self.mention_starts, start), len(ments)):
            m = ments[k]
            if m.start > end:
                break
            if m.end <= end:
                out.append(m)
        return out


def find_statements(
    text: str,
    sentences: Sequence[Sentence],
    officials: Sequence[OfficialMention],
    actors: Sequence[ActorMention],
    published: dt.date | None,
    incidents: Sequence[Incident],
) -> list[Statement]:
    """Statements in `text`, in order."""
    doc = _Doc(text, sentences, officials, actors)
    quotes = quote_spans(text)
    units = _units(text, list(sentences), quotes)
    out: list[Statement] = []
    history: list[tuple[int, _Said]] = []  # (unit index, what was said)
    pending: _Said | None = None  # "issued a statement saying:" with the words to follow
    for u_no, unit in enumerate(units):
        if not _terminated(text, unit) and not _mostly_quote(text, unit, quotes):
            continue  # a headline, caption or navigation line
        doc.current_unit = u_no
        found = _read_unit(doc, unit, u_no, quotes, history, published)
        if not found:
            if pending is not None and _mostly_quote(text, unit, quotes):
                found = [(pending, unit.start, unit.end, "direct", None)]
            elif (
                history
                and history[-1][0] >= u_no - 2
                and not history[-1][1].generic
                and _mostly_quote(text, unit, quotes)
            ):
                prev = history[-1][1]
                found = [(prev, unit.start, unit.end, "direct", None)]
            else:
                pending = None
                continue
        for said, c_start, c_end, kind, attribution in found:
            if attribution == "pending":
                pending = said
                history.append((u_no, said))
                continue
            history.append((u_no, said))
            if said.generic:
                continue
            quote = _clean_content(text[c_start:c_end])
            n_words = len(quote.split())
            if n_words < 2 or (n_words < 3 and fold(quote.split()[0]) not in VERB_WORDS):
                continue  # "denies involvement" (the act itself) may be two words
            if said.unnamed and is_casualty_report(quote) and said.speaker_type == "actor":
                continue
            if any(s.speaker == said.speaker and _dice(s.quote, quote) >= 0.8 for s in out):
                continue
            out.append(
                Statement(
                    speaker=said.speaker,
                    speaker_type="person" if said.speaker_type == "person" else "actor",
                    kind=kind,  # type: ignore[arg-type]
                    quote=quote,
                    quote_span=(c_start, c_end),
                    span=(unit.start, unit.end),
                    date=said.date,
                    channel=channel_of(attribution or ""),
                    incidents=_incidents_of(unit, quote, incidents),
                )
            )
    return out


# ------------------------------------------------------------------ units
def _units(text: str, sentences: list[Sentence], quotes: list[tuple[int, int]]) -> list[_Unit]:
    """Sentences, merged where a quotation runs across a sentence boundary."""
    units: list[_Unit] = []
    for s in sentences:
        if (
            units
            and units[-1].paragraph == s.paragraph
            and any(
                q0 < units[-1].end and s.start < q1 for q0, q1 in quotes if q0 < units[-1].end <= q1
            )
        ):
            units[-1].end = s.end
            continue
        units.append(_Unit(s.start, s.end, s.paragraph))
    return units


def _terminated(text: str, unit: _Unit) -> bool:
    tail = text[unit.start : unit.end].rstrip().rstrip(MARKS + "’')]")
    return tail.endswith((".", "!", "?", ":"))


def _mostly_quote(text: str, unit: _Unit, quotes: list[tuple[int, int]]) -> bool:
    inside = 0
    for q0, q1 in quotes:
        a, b = max(q0, unit.start), min(q1, unit.end)
        if b > a:
            inside += b - a
    return inside >= 0.7 * (unit.end - unit.start)


def _outside_mask(toks: list[Token], quotes: list[tuple[int, int]]) -> list[bool]:
    """For each token: is it outside every quotation? (quotes are sorted, disjoint)"""
    if not quotes or not toks:
        return [True] * len(toks)
    starts = [q0 for q0, _ in quotes]
    last = bisect.bisect_left(starts, toks[-1].start) - 1
    if last < 0 or quotes[last][1] <= toks[0].start:
        return [True] * len(toks)  # no quotation reaches into these tokens
    out = []
    for t in toks:
        k = bisect.bisect_left(starts, t.start) - 1
        out.append(not (k >= 0 and quotes[k][0] < t.start < quotes[k][1]))
    return out


# ------------------------------------------------------------------ one unit
_Found = tuple[_Said, int, int, str, str | None]


def _read_unit(
    doc: _Doc,
    unit: _Unit,
    u_no: int,
    quotes: list[tuple[int, int]],
    history: list[tuple[int, _Said]],
    published: dt.date | None,
) -> list[_Found]:
    text = doc.text
    if not doc.may_report(unit.start, unit.end):
        return []  # no reporting verb (find_verbs would find none)
    toks = doc.tokens(unit.start, unit.end)
    if len(toks) < 3:
        return []
    outside = _outside_mask(toks, quotes)
    verbs = find_verbs(toks, outside)
    if not verbs:
        return []
    found: list[_Found] = []
    # several reporting clauses joined by ", while" / "; " / ", but" are read separately
    clauses = _split_clauses(text, toks, verbs, outside)
    for c_toks, c_verbs, c_out in clauses:
        f = _read_clause(doc, unit, c_toks, c_verbs, c_out, quotes, history, published)
        if f is not None:
            found.append(f)
            if f[4] != "pending":
                history.append((u_no, f[0]))
                extra = _nested(doc, f, history, published)
                if extra is not None:
                    found.append(extra)
    # the history entries were added for resolution within the unit; the caller adds them
    for _ in found:
        if history and history[-1][0] == u_no:
            history.pop()
    return found


def _split_clauses(
    text: str, toks: list[Token], verbs: list[Verb], outside: list[bool]
) -> list[tuple[list[Token], list[Verb], list[bool]]]:
    cuts = [0]
    for k in range(1, len(toks)):
        if not outside[k]:
            continue
        gap = text[toks[k - 1].end : toks[k].start]
        if gap == " ":
            continue
        if ";" in gap or ("," in gap and toks[k].key in ("while", "whereas", "but")):
            cuts.append(k)
    cuts.append(len(toks))
    parts = []
    for a, b in itertools.pairwise(cuts):
        vs = [Verb(v.start - a, v.end - a, v.kind) for v in verbs if a <= v.start < b]
        parts.append((toks[a:b], vs, outside[a:b]))
    if sum(1 for p in parts if p[1]) < 2:
        return [(toks, verbs, outside)]
    return [p for p in parts if p[1]]


def _read_clause(
    doc: _Doc,
    unit: _Unit,
    toks: list[Token],
    verbs: list[Verb],
    outside: list[bool],
    quotes: list[tuple[int, int]],
    history: list[tuple[int, _Said]],
    published: dt.date | None,
) -> _Found | None:
    text = doc.text
    c_start, c_end = toks[0].start, toks[-1].end
    # a sentence that opens with its speaker ("A federal police officer, speaking to
    # AFP ..., said ...") is read from the front
    if _opens_with_speaker(doc, toks, verbs, outside):
        found = _leading(doc, toks, verbs, outside, quotes, history, published, unit, None)
        if found is not None and (found[4] == "pending" or found[2] - found[1] >= 12):
            return found
    # 1. trailing attribution: content, then "X said" / "said X" / "according to X"
    trail = None
    for last in reversed(verbs[-3:]):
        trail = _trailing(doc, toks, last, outside)
        if trail is not None:
            break
    if trail is not None:
        a_start, speaker_span, tail_content = trail
        content_start = _content_start(text, c_start, toks[a_start].start)
        content_end = toks[a_start].start
        said = _resolve(doc, speaker_span, history, toks[a_start].start, published)
        # the content may itself open with a speaker: "Kadhimi ordered ..., according to
        # the statement" or "He blamed ..., the statement said"
        if said is None or said.speaker_type == "actor" or said.generic:
            ctx = said or _Said("", "actor", "other", False, True)
            inner = _leading(
                doc,
                toks,
                [v for v in verbs if v.start < a_start],
                outside,
                quotes,
                history,
                published,
                unit,
                ctx,
            )
            if inner is not None:
                return inner
        if said is None:
            return None
        attribution = text[toks[a_start].start : c_end]
        if toks[last.start].key in ("learnt", "learned") and any(
            t.key in SOURCE_NOUNS for t in toks[last.end :]
        ):
            return None  # "X learnt from local sources": the sources' words, not X's
        if tail_content is not None:
            content_end = c_end
        if _past_year(text[toks[a_start].start : c_end], published):
            return None
        said.date = said.date or _date(text, toks[a_start].start, c_end, published)
        kind = _kind(text, content_start, content_end, quotes)
        if tail_content is not None:
            return (said, content_start, c_end, kind, attribution) if tail_content else None
        return said, content_start, content_end, kind, attribution
    # 2. leading attribution
    return _leading(doc, toks, verbs, outside, quotes, history, published, unit, None)


def _opens_with_speaker(
    doc: _Doc, toks: list[Token], verbs: list[Verb], outside: list[bool]
) -> bool:
    """The clause opens with its speaker: a noun phrase (name, title, pronoun) that runs
    to the first reporting verb or to an appositive comma before it."""
    text = doc.text
    first = verbs[0].start
    if verbs[0].kind == TRAILING_ONLY or toks[first].key == "according":
        return False
    start = _subject_start(text, toks, first)
    if start is None:
        return False
    end = start + 1
    while end < first and not _boundary(text, toks[end - 1], toks[end]):
        end += 1
    if not all(outside[start:end]) or _has_verb(toks, start, end):
        return False
    keys = {t.key for t in toks[start:end]}
    if end - start <= 2 and keys & (PERSON_PRONOUNS | PLURAL_PRONOUNS):
        return True
    if not _phrase_like(doc, toks, start, end):
        return False
    span = (toks[start].start, toks[end - 1].end)
    return bool(doc.mentions_in(*span)) or any(is_title_word(t.key) for t in toks[start:end])


def _trailing(
    doc: _Doc, toks: list[Token], verb: Verb, outside: list[bool]
) -> tuple[int, Span, bool | None] | None:
    """(token index where the attribution starts, speaker phrase span, tail) when `verb`
    attributes the content before it. tail is True when an ', adding that ...' tail
    continues the content."""
    text = doc.text
    v0, v1 = verb.start, verb.end
    if v0 < 3:
        return None
    gap_before = text[toks[v0 - 1].end : toks[v0].start]
    key = toks[v0].key
    # inverted: '..., said X', '“...,” read the statement from X', ', according to X'
    seg_before = _last_boundary(text, toks, 1, v0)
    name_before = "," in gap_before and _is_name_only(doc, toks, seg_before, v0)
    if not _COMMA_OR_MARK.isdisjoint(gap_before) and key in _INVERTING and not name_before:
        end = _phrase_end(text, toks, v1)
        if end > v1 and _phrase_like(doc, toks, v1, end) and not _has_verb(toks, v1, end):
            return v0, (toks[v1].start, toks[end - 1].end), _tail(text, toks, end)
        return None
    if not _MARK_SET.isdisjoint(gap_before):
        return None
    # 'X said' after a comma or quotation: the speaker phrase runs back to that boundary,
    # taking in an appositive ("Yahia Rasoul" after "the spokesman of ..., ")
    k = v0 - 1
    while k >= 0 and toks[k].key in ("has", "have", "had", "also", "later", "then", "further"):
        k -= 1
    # the last two boundaries before the verb (only those are looked at)
    last = _last_boundary(text, toks, 1, k + 1)
    if not last:
        return None
    bounds = [last]
    second = _last_boundary(text, toks, 1, last)
    if second:
        bounds.insert(0, second)
    start = bounds[-1]
    seg0 = toks[start : k + 1]
    if len(bounds) >= 2 and (
        seg0[0].key in ("who", "which")
        or (seg0[0].key.endswith("ed") and len(seg0) > 1 and seg0[1].key in ("by", "on", "in"))
    ):
        # "the Vice President X, who is also ..., told" / "the statement, issued by Y, read"
        prev_start = bounds[-2]
        if _quote_gap(text, toks[prev_start - 1], toks[prev_start]) or not _has_verb(
            toks, prev_start, start
        ):
            ok = prev_start >= 3 and _phrase_like(doc, toks, prev_start, min(v0, prev_start + 16))
            return (prev_start, (toks[prev_start].start, toks[v0 - 1].end), None) if ok else None
        return None
    if not _phrase_like(doc, toks, start, v0) or _has_verb(toks, start, k + 1):
        return None
    if toks[start].key in _SUBORDINATORS:
        return None  # "..., while Turkey denies responsibility": a clause of its own
    if len(bounds) >= 2 and not _quote_gap(text, toks[start - 1], toks[start]):
        prev_start = bounds[-2]
        seg0_titled = any(is_title_word(t.key) for t in seg0)
        wants = _is_name_only(doc, toks, start, k + 1) or (
            seg0_titled and not doc.mentions_in(toks[start].start, toks[k].end)
        )
        prev_named = any(
            m.speaker_type == "person"
            for m in doc.mentions_in(toks[prev_start].start, toks[start - 1].end)
        ) or any(is_title_word(t.key) for t in toks[prev_start:start])
        if (
            wants
            and prev_named
            and start - prev_start <= 14
            and not _has_verb(toks, prev_start, start)
            and prev_start >= 3
        ):
            start = prev_start
    if start < 3:
        return None
    if key == "continued" and not _quote_gap(text, toks[start - 1], toks[start]):
        return None  # only right after a quotation: '"...," he continued.'
    if not _verb_clause_ends(text, toks, v1):
        return None
    tail = _tail(text, toks, _phrase_end(text, toks, v1, stop_at_name=False))
    return start, (toks[start].start, toks[v0 - 1].end), tail


_SUBORDINATORS = wordset("while whereas although though but and as since because")

# Verbs that may come before their subject: '..., said the ministry'.
_INVERTING = wordset(
    "said says added adds read reads reported reports stated noted wrote according"
)


def _boundary(text: str, a: Token, b: Token) -> bool:
    gap = text[a.end : b.start]
    return gap != " " and not _BREAK_CHARS.isdisjoint(gap)


def _last_boundary(text: str, toks: list[Token], lo: int, hi: int) -> int:
    """The last j in [lo, hi) with a boundary before toks[j], else 0."""
    for j in range(hi - 1, lo - 1, -1):
        if _boundary(text, toks[j - 1], toks[j]):
            return j
    return 0


def _quote_gap(text: str, a: Token, b: Token) -> bool:
    return not _MARK_SET.isdisjoint(text[a.end : b.start])


_NOT_VERBS = wordset(
    """armed united based detailed alleged related released limited named retired
    appointed elected deputy red bed led need speed called dubbed"""
)
_FINITE = wordset("is was were are has have had will would can could did does do am be")


def _has_verb(toks: list[Token], a: int, b: int) -> bool:
    """A finite verb in toks[a:b] (a clause, not an appositive noun phrase); a relative
    clause (', who is also ...') does not count."""
    return _first_verb(toks, a, b) is not None


def _first_verb(toks: list[Token], a: int, b: int) -> int | None:
    """Index of the first finite verb in toks[a:b] (see `_has_verb`), else None."""
    j = a
    while j < b:
        t = toks[j]
        if t.key in ("who", "which", "whose"):
            return None  # what follows is a relative clause of the phrase
        if j > 0 and toks[j - 1].hyphen_after:
            j += 1
            continue
        if t.key in _FINITE:
            return j
        if t.key.endswith("ed") and len(t.key) > 4 and t.key not in _NOT_VERBS and not t.is_cap:
            return j
        j += 1
    return None


def _is_name_only(doc: _Doc, toks: list[Token], a: int, b: int) -> bool:
    ms = doc.mentions_in(toks[a].start, toks[b - 1].end)
    return any(m.speaker_type == "person" for m in ms) and not any(
        is_title_word(t.key) for t in toks[a:b]
    )


def _phrase_end(text: str, toks: list[Token], k: int, stop_at_name: bool = True) -> int:
    """End (token index) of the speaker phrase after an inverted verb: its first
    comma-segment, or two when the first only gives a title ('the spokesman of X, NAME')."""
    n = len(toks)
    j = k
    segments = 0
    while j < n:
        if j > k:
            gap = text[toks[j - 1].end : toks[j].start]
            if not _COLON_OR_MARK.isdisjoint(gap):
                break
            if "," in gap:
                segments += 1
                if toks[j].key in _TAIL_STARTS or segments >= 2 or not stop_at_name:
                    break
                if not all(t.text[:1].isupper() or t.article for t in toks[j : j + 2]):
                    break
        j += 1
    return j


_TAIL_STARTS = wordset("adding which who using citing in without speaking as noting saying")


def _tail(text: str, toks: list[Token], j: int) -> bool | None:
    """After the attribution: ', adding that ...' continues the content (True)."""
    if j < len(toks) and toks[j].key == "adding":
        return True
    return None


def _verb_clause_ends(text: str, toks: list[Token], v1: int) -> bool:
    """After 'X said' only adjuncts may follow ('on Sunday', 'in a statement ...')."""
    rest = text[toks[v1 - 1].end : toks[-1].end] if v1 < len(toks) else ""
    if not rest.strip():
        return True
    rest_toks = toks[v1:]
    if rest_toks and rest_toks[0].key == "that":
        return False
    head = rest.lstrip()[:1]
    if head == ",":
        return True
    # "said on Monday in a statement mourning ...", "told North Press", "said Sunday"
    return len(rest_toks) <= 12 or bool(_CONTENT_SKIP.match(rest.lstrip()))


def _phrase_like(doc: _Doc, toks: list[Token], a: int, b: int) -> bool:
    """A short noun phrase naming a speaker (mention, pronoun, title or source noun)."""
    if b - a > 16 or b <= a:
        return False
    span = (toks[a].start, toks[b - 1].end)
    if doc.mentions_in(*span):
        return True
    keys = {t.key for t in toks[a:b]}
    return bool(
        keys & (PERSON_PRONOUNS | ORG_PRONOUNS | PLURAL_PRONOUNS | SOURCE_NOUNS | STATEMENT_NOUNS)
        or any(is_title_word(k) for k in keys)
        or keys & set(_NOMINAL_HEADS)
    )


def _has_name(doc: _Doc, toks: list[Token], a: int, b: int) -> bool:
    if b <= a:
        return False
    return bool(doc.mentions_in(toks[a].start, toks[b - 1].end)) or any(
        is_title_word(t.key) for t in toks[a:b]
    )


def _leading(
    doc: _Doc,
    toks: list[Token],
    verbs: list[Verb],
    outside: list[bool],
    quotes: list[tuple[int, int]],
    history: list[tuple[int, _Said]],
    published: dt.date | None,
    unit: _Unit,
    outer: _Said | None,
) -> _Found | None:
    text = doc.text
    for verb in verbs:
        if verb.kind == TRAILING_ONLY or toks[verb.start].key == "according":
            if toks[verb.start].key == "according" and verb.start <= 1:
                return _according_first(doc, toks, verb, quotes, history, published)
            continue
        v0 = verb.start
        if v0 == 0:
            continue
        prev = toks[v0 - 1].key
        if prev in ("who", "which", "that"):
            # "Airwars, which believes that ...": the antecedent right before speaks
            ante = [
                m
                for m in doc.mentions_in(toks[0].start, toks[v0 - 1].start)
                if v0 >= 2 and prev != "that" and text[m.end : toks[v0 - 1].start].strip() == ","
            ]
            if not ante:
                continue
            subj_span = (ante[-1].start, ante[-1].end)
            said = _resolve(doc, subj_span, history, toks[v0].start, published)
            if said is None:
                continue
            if verb.kind == ACT and not _that_clause(toks, v0 + 1):
                c_start = toks[v0].start
            else:
                c_start = _after_verb(text, toks, verb)
            # the relative clause ends at its closing comma: "X, which denies involvement,
            # is one of ..."
            close = next(
                (
                    j
                    for j in range(verb.end, len(toks))
                    if _boundary(text, toks[j - 1], toks[j])
                    and text[toks[j - 1].end : toks[j].start] != ","  # "4,354"
                ),
                len(toks),
            )
            c_end = toks[close - 1].end
            return (
                said,
                c_start,
                c_end,
                _kind(text, c_start, c_end, quotes),
                text[toks[v0].start : c_start],
            )
        aside = _aside_subject(doc, toks, v0)
        if aside is not None:
            s_start, k = aside
        else:
            found_start = _subject_start(text, toks, v0)
            if found_start is None:
                continue
            s_start = found_start
            k = v0 - 1
            while k > s_start and _is_aux(toks[k]):
                k -= 1
            if (
                toks[k].key == "and"
                and k > s_start
                and not _last_boundary(text, toks, s_start + 1, k + 1)
            ):
                # "X visited the families ... and said ...": the first verb's subject
                first = _first_verb(toks, s_start, k)
                if first is not None and first > s_start:
                    k = first - 1
                    while k > s_start and _is_aux(toks[k]):
                        k -= 1
        if toks[v0].key == "saying":
            # "X issued a statement (in this regard) saying: ..."
            issued = [j for j in range(s_start, k + 1) if toks[j].key in _ISSUE_VERBS]
            if issued:
                k = issued[0] - 1
        if k < s_start or not all(outside[s_start : k + 1]) or _has_verb(toks, s_start, k + 1):
            continue  # the subject is quoted words or a clause, not a speaker
        subj_span = (toks[s_start].start, toks[k].end)
        said = _resolve(doc, subj_span, history, toks[v0].start, published)
        if said is None:
            if outer is None:
                return None
            continue
        if outer is not None and said.speaker_type != "person" and not outer.generic:
            return None
        if said.generic and outer is None:
            # "Western officials say ... such as Kataib Hezbollah, which denies
            # involvement": a named speaker later in the sentence still speaks
            later = [v for v in verbs if v.start > v0]
            named = (
                _leading(doc, toks, later, outside, quotes, history, published, unit, None)
                if later
                else None
            )
            if named is not None and not named[0].generic:
                return named
        relative = s_start > 0 and toks[s_start - 1].key in ("that", "which", "whom")
        if relative and _last_boundary(text, toks, s_start + 1, k + 1):
            continue  # "... a base that hosts coalition personnel, ..., the military said"
        if relative:
            # "... a vast swathe of land that al-Saedi described as 'complex'": the whole
            # sentence is what the speaker said
            c_start = toks[0].start
            attribution_end = toks[v0].end
        elif verb.kind == ACT and not _that_clause(toks, v0 + 1):
            c_start = toks[v0].start
            attribution_end = c_start
        else:
            c_start = _after_verb(text, toks, verb)
            attribution_end = c_start
        c_end = toks[-1].end
        attribution = text[subj_span[0] : attribution_end]
        lead = text[toks[0].start : subj_span[0]]
        if _past_year(
            lead + " " + text[toks[v0].start : min(c_end, toks[min(v0 + 8, len(toks) - 1)].end)],
            published,
        ):
            return None
        said.date = said.date or _date(text, toks[0].start, attribution_end, published)
        if c_end - c_start < 8:
            if text[c_start : c_end + 1].strip() in ("", ":"):
                return said, c_start, c_end, "direct", "pending"
            return None
        return said, c_start, c_end, _kind(text, c_start, c_end, quotes), attribution
    return None


def _that_clause(toks: list[Token], j: int) -> bool:
    """toks[j] is 'that' opening a clause, not a determiner ('claimed that attack')."""
    if j >= len(toks) or toks[j].key != "that":
        return False
    return len(toks) - j > 6 or _has_verb(toks, j + 1, len(toks))


_ASIDE_OPENERS = wordset("which who a an the one")


def _aside_subject(doc: _Doc, toks: list[Token], v0: int) -> tuple[int, int] | None:
    """(first, last) token of a subject set off from its verb by an aside between commas:
    'The YBS, which is affiliated with the PKK, confirmed ...', 'The Islamic Resistance in
    Iraq, a loose alliance of armed groups, claimed ...'."""
    text = doc.text
    k = v0 - 1
    while k > 0 and _is_aux(toks[k]):
        k -= 1
    if k < 2 or "," not in text[toks[k].end : toks[k + 1].start]:
        return None
    c1 = _last_boundary(text, toks, 1, k + 1)  # the aside's first token
    if not c1 or k + 1 - c1 > 18 or "," not in text[toks[c1 - 1].end : toks[c1].start]:
        return None
    if toks[c1].key not in _ASIDE_OPENERS:
        return None
    s = _subject_start(text, toks, c1)
    if s is None or s >= c1 or not all(t.is_cap or t.key in _CONNECTORS for t in toks[s:c1]):
        return None
    if not doc.mentions_in(toks[s].start, toks[c1 - 1].end) or _has_verb(toks, s, c1):
        return None
    return s, c1 - 1


def _according_first(
    doc: _Doc,
    toks: list[Token],
    verb: Verb,
    quotes: list[tuple[int, int]],
    history: list[tuple[int, _Said]],
    published: dt.date | None,
) -> _Found | None:
    """'According to X, an Iraqi MP ..., CONTENT'."""
    text = doc.text
    j = verb.end
    n = len(toks)
    while j < n and "," not in text[toks[j - 1].end : toks[j].start]:
        j += 1
    if j >= n:
        return None
    speaker_span = (toks[verb.end].start, toks[j - 1].end)
    # skip an appositive: ", an Iraqi MP from Diyala,"
    if toks[j].key in ("a", "an", "the") or is_title_word(toks[j].key):
        k = j + 1
        while k < n and "," not in text[toks[k - 1].end : toks[k].start]:
            k += 1
        if k < n:
            j = k
    said = _resolve(doc, speaker_span, history, toks[verb.start].start, published)
    if said is None:
        return None
    c_start, c_end = toks[j].start, toks[-1].end
    return said, c_start, c_end, _kind(text, c_start, c_end, quotes), text[toks[0].start : c_start]


def _subject_start(text: str, toks: list[Token], v0: int) -> int | None:
    """First token of the subject phrase before the verb at v0 (clause start)."""
    k = v0 - 1
    while k > 0 and _is_aux(toks[k]):
        k -= 1
    start = 0
    # a dateline: "ERBIL (Kurdistan 24) –", "Shafaq News/", "BEIRUT (AP) —"
    dl = _dateline_end(text, toks[0].start, toks[k].end)
    while start < k and toks[start].start < dl:
        start += 1
    # leading adjuncts: "In turn,", "For his part,", "On Saturday,", "In a statement,"
    lead = _LEAD_ADJUNCT.match(text, toks[start].start, toks[k].end)
    if lead:
        while start < k and toks[start].start < lead.end():
            start += 1
    # a participial or adverbial opener: "Chairing an emergency meeting ..., Mr X said"
    for j in range(k, start, -1):
        gap = text[toks[j - 1].end : toks[j].start]
        if not _COMMA_OR_MARK.isdisjoint(gap):
            first = toks[start].key
            if first.endswith("ing") or first in _OPENERS:
                start = j
                break
    while start < k and toks[start].key in _OPENERS:
        start += 1
    # a relative clause or a dash-delimited aside: "-- which police said ..."
    for j in range(k, start - 1, -1):
        if (
            toks[j].key in ("which", "that", "whom")
            or "-- " in text[toks[j - 1].end : toks[j].start + 1]
            if j > 0
            else False
        ):
            start = j + 1 if toks[j].key in ("which", "that", "whom") else j
            break
    if start > v0 - 1:
        return None
    if v0 - start > 40:
        start = v0 - 40
    return start


_LY_NOUNS = wordset("family families assembly supply anomaly monopoly")


def _is_aux(t: Token) -> bool:
    """An auxiliary or adverb between subject and verb ('has repeatedly threatened')."""
    key = t.key
    return key in _AUXILIARIES or (
        len(key) > 5 and key.endswith("ly") and not t.is_cap and key not in _LY_NOUNS
    )


_AUXILIARIES = wordset(
    "has have had also later then reportedly further again continued continues to"
)
_OPENERS = wordset(
    """commenting meanwhile however moreover but and elsewhere earlier later separately also
    furthermore in turn accordingly instead still yet"""
)


_DATELINE = re.compile(r"\s*(?:\([^)]{1,60}\)\s*)?[A-Z][A-Z .'’-]{2,}\s*\([^)]{1,80}\)\s*")
_DATELINE_SEPS = (" – ", " — ", " -- ", " - ", " —", "– ", ": ", "/ ", " / ")
_PARENS = re.compile(r"\([^)]*\)")
_LATIN_WORD = re.compile(r"[A-Za-z]+")


def _dateline_end(text: str, start: int, limit: int) -> int:
    """End of a dateline or outlet prefix at `start`, else `start`."""
    window = text[start : min(limit, start + 100)]
    best = start
    m = _DATELINE.match(window)
    if m:
        best = start + m.end()  # "MOSCOW (UrduPoint News / Sputnik - 12th March, 2023)"
    for sep in _DATELINE_SEPS:
        pos = window.find(sep)
        if pos <= 0:
            continue
        prefix = window[:pos]
        bare = _PARENS.sub("", prefix)
        lower = [w for w in _LATIN_WORD.findall(bare) if w[0].islower()]
        if len(lower) <= 1 and len(bare.split()) <= 8:
            best = max(best, start + pos + len(sep))
            break
    return best


def _after_verb(text: str, toks: list[Token], verb: Verb) -> int:
    """Where the content starts after a say-verb: skips 'told X', adjuncts and 'that'."""
    n = len(toks)
    j = verb.end
    key = toks[verb.start].key
    if key in ("told", "tells", "tell", "telling") and j < n:
        # the addressee: "told Rudaw", "told a news briefing", "told local media outlets"
        k = j
        while k < n and k - j < 6 and toks[k].key not in _TOLD_OBJECT_END:
            gap = text[toks[k - 1].end : toks[k].start] if k > j else ""
            if k > j and not _PUNCT_OR_MARK.isdisjoint(gap):
                break
            k += 1
        j = k
    if (
        key in ("added", "adding", "adds", "noted", "noting", "stressed", "confirmed", "announced")
        and j < n
        and toks[j].key == "that"
    ):
        j += 1
    pos = toks[j].start if j < n else toks[-1].end
    # skip adjuncts and "that"
    tail = text[pos : toks[-1].end]
    m = _CONTENT_SKIP.match(tail)
    if m and m.end() > 0:
        pos += m.end()
    while pos < toks[-1].end and text[pos] in " ,:;":
        pos += 1
    if text[pos : pos + 5].lower() == "that ":
        pos += 5
    return pos


def _content_start(text: str, start: int, end: int) -> int:
    """Start of the content in a unit with a trailing attribution: datelines off."""
    pos = _dateline_end(text, start, end)
    while pos < end and text[pos] in " \t":
        pos += 1
    return pos


def _resolve(
    doc: _Doc,
    span: Span,
    history: list[tuple[int, _Said]],
    at: int,
    published: dt.date | None,
) -> _Said | None:
    """Who the speaker phrase text[span] names, or None when it names nobody."""
    text = doc.text
    phrase = text[span[0] : span[1]]
    words = doc.words_in(*span)
    keys = [key for _, key in words]
    keyset = set(keys)
    ments = doc.mentions_in(*span)
    persons = [m for m in ments if m.speaker_type == "person"]
    actors = [m for m in ments if m.speaker_type == "actor" and not m.modifier]
    if persons:
        p = persons[-1]
        after = text[p.end : p.end + 10].lower()
        if re.match(r"\s*['’´]s\s+office", after):
            office = _office_actor(doc, p)
            if office is not None:
                return office
        return _Said(p.name, "person", "person", False, False)
    # a title with no name: "the Iraqi Defense Minister", "the head of the CTS",
    # "the Peshmerga ministry's secretary general", "The Prime Minister"
    covered = [(m.start - span[0], m.end - span[0]) for m in ments if m.speaker_type == "actor"]
    titles = [
        key
        for off, key in words
        if is_title_word(key)
        and key not in ("official", "officer", "figure")
        and not any(a <= off < b for a, b in covered)
    ]
    if titles and not keyset & SOURCE_NOUNS - {
        "spokesman",
        "spokesperson",
        "spokeswoman",
        "official",
        "officials",
    }:
        org = actors[0].name if actors else None
        person = _official_by_title(doc, titles, org, history, at)
        if person is not None:
            return _Said(person.name, "person", "person", False, False)
    if actors:
        a = _head_actor(doc, phrase, span, actors)
        own = {key for off, key in words if not any(a <= off < b for a, b in covered)}
        body = own & _BODY_HEADS
        if body and keys[0] == "the" and a.end < span[1]:
            # "the police command": a body named in full earlier ("the Kirkuk Police
            # Command"), not the force the bare noun "police" stands for
            literal = {k for k in keys if k in _NOMINAL_HEADS and k not in _VAGUE_HEADS}
            named = _nominal(doc, _NOMINAL_HEADS[min(body)], history, at, literal)
            if named is not None and body <= set(fold(named.speaker).split()):
                return named
        member = bool(own & _MEMBER_NOUNS - {"statement"}) or bool(titles)
        if (
            member
            and "and" in own
            and text[a.end : span[1]].lower().lstrip().startswith("and other")
        ):
            member = False  # "the JOC and other security officials": the JOC itself speaks
        return _Said(a.name, "actor", a.kind, member, False)
    # pronouns and references to earlier speakers
    if keyset & PERSON_PRONOUNS and len(keys) <= 2:
        return _last(history, person=True) or _last_person_mention(doc, at)
    if keyset & ORG_PRONOUNS and len(keys) <= 2:
        return _last(history, person=False, recent=3) or _previous_subject(doc, at, plural=False)
    if keyset & PLURAL_PRONOUNS and len(keys) <= 2:
        # the speaker of the sentence just before, else a group named in it
        if history and history[-1][0] >= doc.current_unit - 1:
            return _last(history, person=None, recent=0)
        return _previous_subject(doc, at, plural=True) or _last(history, None, recent=3)
    if keyset & STATEMENT_NOUNS and not keyset & {"source", "sources", "officials", "official"}:
        prev = _last(history, person=None, recent=6)
        if prev is not None and not prev.generic:
            return _Said(prev.speaker, prev.speaker_type, prev.kind_of_speaker, prev.unnamed, False)
        return None
    nominal = [_NOMINAL_HEADS[k] for k in keys if k in _NOMINAL_HEADS]
    definite = keys[0] in ("the", "its", "his", "their") or "monitor" in nominal
    blocking = keyset & SOURCE_NOUNS
    if keyset & _BODY_HEADS:
        blocking -= {"media", "security"}  # "the security media cell" is a body
    if nominal and definite and not blocking:
        literal = {k for k in keys if k in _NOMINAL_HEADS and k not in _VAGUE_HEADS}
        return _nominal(doc, nominal[-1], history, at, literal)
    if (
        keyset & {"source", "sources", "officer", "official"}
        and len(keys) <= 3
        and keys[0] == "the"
    ):
        prev = _last(history, person=None, recent=2)
        if prev is not None and prev.unnamed:
            return prev  # "the officer added": the unnamed member spoke before
        return _Said("", "actor", "other", False, True)
    if titles and keys[0] == "the":
        return _last(history, person=True, recent=4)
    if keyset & SOURCE_NOUNS or keyset & {"sources", "source", "officials", "locals"}:
        return _Said("", "actor", "other", False, True)
    return None


def _head_actor(doc: _Doc, phrase: str, span: Span, actors: list[_Mention]) -> _Mention:
    """The actor the phrase is about: not one inside 'by X', 'with X' or 'to X'."""
    text = doc.text
    for n, a in enumerate(actors):
        before = text[max(span[0], a.start - 12) : a.start].lower().split()
        if before and before[-1] in _PREPS_BEFORE_ACTOR and before[-1] not in ("by",):
            continue
        if n + 1 < len(actors) and text[a.end : a.end + 3] in ("'s ", "’s "):
            continue  # "the Kurdistan Region's Interior Ministry": the body owned speaks
        return a
    return actors[0]


def _office_actor(doc: _Doc, person: _Mention) -> _Said | None:
    title = fold(person.title or "")
    for a in doc.actors:
        if "office" in fold(a.name) and ("prime" in title or "pm" in title.split()):
            return _Said(a.name, "actor", a.kind, False, False)
    return None


def _official_by_title(
    doc: _Doc, titles: list[str], org: str | None, history: list[tuple[int, _Said]], at: int
) -> OfficialMention | None:
    """The official a bare title refers to ('the Iraqi Defense Minister')."""
    tw = {_SPELL.get(t, t) for t in titles}
    scored = []
    for o in doc.officials:
        words = {_SPELL.get(w, w) for w in fold(o.title or "").replace("-", " ").split()}
        score = len(tw & words) + (2 if org and o.affiliation == org else 0)
        if ("deputy" in words or "vice" in words) != ("deputy" in tw or "vice" in tw):
            score -= 1
        if score > 0:
            scored.append((score, o))
    if not scored:
        return None
    top = max(sc for sc, _ in scored)
    cands = [o for sc, o in scored if sc == top]
    # the most recent speaker among them, else the one mentioned nearest before
    for _, said in reversed(history):
        for o in cands:
            if said.speaker == o.name:
                return o
    before = [(max((s for s, _ in o.spans if s < at), default=-1), o) for o in cands]
    before.sort(key=lambda x: x[0])
    return before[-1][1]


_SPELL = {"defence": "defense", "general": "secretary", "premier": "prime"}


def _last(history: list[tuple[int, _Said]], person: bool | None, recent: int = 99) -> _Said | None:
    if not history:
        return None
    last_unit = history[-1][0]
    for u, said in reversed(history):
        if last_unit - u > recent:
            break
        if said.generic:
            if person is None:
                return None
            continue
        if person is True and said.speaker_type != "person":
            continue
        if person is False and said.speaker_type == "person":
            continue
        return _Said(
            said.speaker, said.speaker_type, said.kind_of_speaker, said.unnamed, False, said.date
        )
    return None


def _last_person_mention(doc: _Doc, at: int) -> _Said | None:
    best = None
    for m in doc.mentions:
        if m.speaker_type == "person" and m.end <= at:
            best = m
    if best is None:
        return None
    return _Said(best.name, "person", "person", False, False)


def _previous_subject(doc: _Doc, at: int, plural: bool) -> _Said | None:
    """'it'/'they' with no earlier statement: an actor named in the preceding sentence
    (its first, for 'it'; its last plural one, for 'they')."""
    prev = [s for s in doc.sentences if s.end <= at]
    if not prev:
        return None
    sent = prev[-1]
    window = [
        m
        for m in doc.mentions
        if m.speaker_type == "actor" and sent.start <= m.start < sent.end and not m.modifier
    ]
    if not window:
        return None
    if plural:
        pl = [m for m in window if m.name.endswith("s") or m.name.isupper()]
        pick = pl[-1] if pl else window[0]
    else:
        pick = window[0]
    return _Said(pick.name, "actor", pick.kind, False, False)


def _nominal(
    doc: _Doc, head: str, history: list[tuple[int, _Said]], at: int, literal: set[str]
) -> _Said | None:
    """'the ministry', 'the group', 'the observatory', 'the military' -> an actor;
    `literal` holds the phrase's own head nouns ('police', 'command')."""
    observed = head == "monitor" and any(
        "observatory" in fold(m.name) for m in doc.mentions if m.speaker_type == "actor"
    )

    def fits(name: str, kind: str) -> bool:
        f = fold(name)
        if head == "ministry":
            return "ministry" in f or "department" in f
        if head == "group":
            return kind in ("non_state_armed_group", "militia", "political_party")
        if head == "monitor":
            # a news agency is a monitor only when no observatory is named at all
            return "observatory" in f or "monitor" in f or (kind == "media" and not observed)
        if head == "force":
            return kind in ("state_force", "government")
        if head == "coalition":
            return kind == "international_coalition"
        if head == "government":
            return kind == "government"
        if head == "office":
            return "office" in f or "cell" in f
        if head == "agency":
            return kind in ("media", "state_force", "government")
        return False

    # an earlier speaker or mention whose name has the phrase's own nouns comes first:
    # "the police command" -> "Kirkuk Police Command", "the Observatory" -> "Syrian
    # Observatory ...", "the media cell" -> "Security Media Cell"
    recent = [s for _, s in reversed(history[-6:]) if not s.generic and s.speaker_type == "actor"]
    before = [m for m in reversed(doc.mentions) if m.speaker_type == "actor" and m.start < at]
    if literal:
        best: tuple[int, str, str] | None = None
        for name, kind in [(s.speaker, s.kind_of_speaker) for s in recent] + [
            (m.name, m.kind) for m in before if not m.modifier
        ]:
            score = len(literal & set(fold(name).split()))
            if score and (best is None or score > best[0]):
                best = (score, name, kind)
        if best is not None:
            return _Said(best[1], "actor", best[2], False, False)
    for said in recent:
        if fits(said.speaker, said.kind_of_speaker):
            return _Said(
                said.speaker, "actor", said.kind_of_speaker, said.unnamed, False, said.date
            )
    before = [m for m in before if not m.modifier and fits(m.name, m.kind)]
    if before:
        m = before[0]
        return _Said(m.name, "actor", m.kind, False, False)
    if head == "monitor":
        after = [
            m
            for m in doc.mentions
            if m.speaker_type == "actor" and fits(m.name, m.kind) and "observatory" in fold(m.name)
        ]
        if after:
            return _Said(after[0].name, "actor", after[0].kind, False, False)
    return None


def _nested(
    doc: _Doc, found: _Found, history: list[tuple[int, _Said]], published: dt.date | None
) -> _Found | None:
    """'... in US strikes that Washington said were in response to ...': a second speaker."""
    said, c_start, c_end, kind, _ = found
    text = doc.text
    m = re.search(
        r"\b(?:that|which)\s+([A-Z][\w.\- ]{1,40}?)\s+(?:said|says|claimed|claims)\s+",
        text[c_start:c_end],
    )
    if not m:
        return None
    s = c_start + m.start(1)
    e = c_start + m.end(1)
    inner = _resolve(doc, (s, e), history, s, published)
    if inner is None or inner.generic or inner.speaker == said.speaker:
        return None
    start = c_start + m.end()
    return inner, start, c_end, kind, text[s:start]


# ------------------------------------------------------------------ content
def _clean_content(s: str) -> str:
    s = s.translate(_MARKS_TO_SPACE)
    s = re.sub(r"\s+", " ", s).strip()
    s = s.strip(" ,;:-–—")
    if s.endswith((",", ";")):
        s = s[:-1]
    return s.strip()


def _kind(text: str, start: int, end: int, quotes: list[tuple[int, int]]) -> StatementKind:
    """direct when the content quotes words (not just a quoted name)."""
    for q0, q1 in quotes:
        if q1 > start and q0 < end:
            inner = text[q0:q1].strip(MARKS + " ")
            words = re.findall(r"[A-Za-z][\w'’-]*", inner)
            if words and all(w[0].isupper() for w in words) and len(words) <= 4:
                continue  # a quoted name: "Peace Brigades"
            return "direct"
    return "indirect"


def _past_year(s: str, published: dt.date | None) -> bool:
    """The reporting clause is dated to an earlier year ('announced in 2014')."""
    if published is None:
        return False
    for m in re.finditer(r"\b(19[5-9]\d|20[0-4]\d)\b", s):
        if int(m.group(1)) < published.year:
            return True
    return False


def _date(text: str, start: int, end: int, published: dt.date | None) -> dt.date | None:
    if end <= start:
        return None
    try:
        ds = find_dates(text, start, end, published)
    except (ValueError, IndexError):
        return None
    for d in ds:
        if d.date is not None and d.precision == "day":
            return d.date
    return None


def _dice(a: str, b: str) -> float:
    wa, wb = set(fold(a).split()), set(fold(b).split())
    if not wa or not wb:
        return 0.0
    return 2 * len(wa & wb) / (len(wa) + len(wb))


def _incidents_of(unit: _Unit, quote: str, incidents: Sequence[Incident]) -> list[int]:
    out = []
    for k, inc in enumerate(incidents):
        spans = [inc.span, *inc.evidence_spans]
        if any(s < unit.end and unit.start < e for s, e in spans):
            out.append(k)
    if not out:
        q = fold(quote)
        for k, inc in enumerate(incidents):
            if inc.place is not None and fold(inc.place.surface) in q:
                out.append(k)
    return out
