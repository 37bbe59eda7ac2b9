"""Name folding, tokenising and transliteration-tolerant comparison.

Everything that recognises actors and officials compares names through this module, so
"al-Kadhimi", "Al Kadhimi" and "Al-Kazemi", or "Kata'ib Hezbollah" and "Kataib
Hizbollah", meet on one key. Three levels:

- `fold`: accents and case folded (anyascii), apostrophes and dots dropped;
- `Token`: a word of the text with its span and folded key; the Arabic article
  ("al-", "Al ", "el-", assimilated "ash-") is flagged so matching can skip it;
- `skeleton`: a transliteration skeleton (dh->z, th->s, kh->k, q->k, e->i, o->u, doubled
  letters single, vowels after the first letter kept) for person names, and `similar`
  for a fuzzy score on skeletons.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass
from typing import NamedTuple

from anyascii import anyascii
from rapidfuzz import fuzz

# Apostrophe-like characters seen in transliterated names ("Kata'ib", "Ala’", "Workers´").
APOSTROPHES = "'’‘`´ʿʾ′"
_APOS_RE = re.compile(f"[{APOSTROPHES}]")
# A word: letters/digits, with inner apostrophes ("Kata'ib"), but a trailing "'s" split
# off as its own token so "Iraq's" is "Iraq" + "'s". Initialisms with dots ("U.S.").
_WORD = re.compile(
    rf"(?:[A-Za-z]\.){{2,}}"
    rf"|[{APOSTROPHES}][sS]\b"
    rf"|[^\W_]+(?:[{APOSTROPHES}](?![sS]\b)[^\W_]+)*"
)
# Arabic article forms that may be skipped when comparing names.
ARTICLES = frozenset({"al", "el"})
SUN_ARTICLES = frozenset({"as", "ash", "ad", "adh", "ar", "az", "at", "ath", "an", "ud"})


def wordset(words: str) -> frozenset[str]:
    """The whitespace-separated words of `words` (for readable word lists in code)."""
    return frozenset(words.split())


_DROP = str.maketrans("", "", "'.`")


def fold(text: str) -> str:
    """Lower-case ASCII form without accents, apostrophes or dots."""
    if text.isascii():
        return text.lower().translate(_DROP)
    s = anyascii(unicodedata.normalize("NFC", _APOS_RE.sub("", text))).casefold()
    return s.translate(_DROP)


class Token(NamedTuple):
    """A word of a text. A named tuple rather than a frozen dataclass: documents have
    thousands of tokens and a tuple is built several times faster."""

    start: int
    end: int
    text: str
    key: str  # folded form
    article: bool  # an Arabic article that name matching may skip
    hyphen_after: bool  # joined to the next word by a hyphen ("US-led")

    @property
    def is_upper(self) -> bool:
        text = self.text
        if text.isascii():
            return text.isupper()  # in ASCII the cased characters are the letters
        letters = [c for c in text if c.isalpha()]
        return bool(letters) and all(c.isupper() for c in letters)

    @property
    def is_cap(self) -> bool:
        return self.text[:1].isupper()


def tokenize(text: str, start: int = 0, end: int | None = None) -> list[Token]:
    """Words of `text[start:end]` with spans into `text`."""
    out: list[Token] = []
    append = out.append
    end = len(text) if end is None else end
    for m in _WORD.finditer(text, start, end):
        raw = m.group()
        s, e = m.span()
        if raw[0] in APOSTROPHES:
            append(_new(Token, (s, e, raw, "'s", False, False)))
            continue
        key = _word_key(raw) if len(raw) <= _CACHED_CHARS else fold(raw)
        if not key:
            continue
        hyphen = text[e : e + 1] in _HYPHENS and text[e + 1 : e + 2].isalpha()
        article = False
        if key in ARTICLES:
            # "al-Sadr", "Al Kadhimi", "AL-awsat"; not the English word "al" in prose.
            article = hyphen or (raw[0].isupper() and _next_is_cap(text, e, end))
        elif key in SUN_ARTICLES and hyphen and raw[0].islower():
            article = True  # "as-Sakhr", "ash-Shuhada"
        append(_new(Token, (s, e, raw, key, article, hyphen)))
    return out


# Tokens are built with tuple.__new__ directly: a named tuple's own __new__ is a Python
# function, half the cost of building a token.
_new = tuple.__new__
# A word's folded key, cached: the same few thousand words recur in every article
# (only word-sized ones are cached, see _CACHED_CHARS).
_word_key = functools.lru_cache(maxsize=1 << 16)(fold)
_HYPHENS = frozenset({"-", "‐", "‑", "–"})


@functools.lru_cache(maxsize=8)
def tokenize_text(text: str) -> tuple[Token, ...]:
    """All words of a document, cached: actors, officials and statements share them."""
    return tuple(tokenize(text))


_NEXT_CHAR = re.compile(r"[\s\-]*(\S)")


def _next_is_cap(text: str, pos: int, end: int) -> bool:
    m = _NEXT_CHAR.match(text, pos, end)
    return m is not None and m.group(1).isupper()


def key_tokens(name: str) -> tuple[str, ...]:
    """Folded tokens of a name with Arabic articles dropped (unless nothing is left)."""
    toks = tokenize(name)
    keys = tuple(t.key for t in toks if not t.article)
    return keys or tuple(t.key for t in toks)


def name_key(name: str) -> str:
    return " ".join(key_tokens(name))


# ------------------------------------------------------------------ transliteration
_SKEL_RULES: tuple[tuple[str, str], ...] = (
    ("dh", "z"),
    ("th", "s"),
    ("kh", "k"),
    ("gh", "g"),
    ("sh", "s"),
    ("ch", "s"),
    ("ou", "u"),
    ("oo", "u"),
    ("ee", "i"),
    ("q", "k"),
    ("c", "k"),
    ("x", "k"),
    ("j", "j"),
    ("e", "i"),
    ("o", "u"),
    ("y", "i"),
    ("w", "u"),
)
_PARTICLES = frozenset({"al", "el", "ul", "bin", "ibn", "bint", "ben"}) | SUN_ARTICLES
_DOUBLE = re.compile(r"(.)\1+")
_NOT_LETTER = re.compile(r"[^a-z]")


# The skeleton caches keep name-sized strings only: a page cannot fill them with long ones.
_CACHED_CHARS = 80


def skeleton_word(word: str) -> str:
    """Transliteration skeleton of one word: 'Kadhimi' and 'Kazemi' -> 'kazimi'."""
    if len(word) <= _CACHED_CHARS:
        return _skeleton_word(word)
    return _skeleton_word.__wrapped__(word)


@functools.lru_cache(maxsize=1 << 14)
def _skeleton_word(word: str) -> str:
    s = _NOT_LETTER.sub("", fold(word))
    for a, b in _SKEL_RULES:
        s = s.replace(a, b)
    s = _DOUBLE.sub(r"\1", s)
    return s.replace("h", "") if len(s) > 3 else s


def skeleton(name: str) -> str:
    """Skeleton of a full name, particles (al-, bin) dropped: 'Jumaa Inad' ~ 'Juma Enad'."""
    if len(name) <= _CACHED_CHARS:
        return _skeleton(name)
    return _skeleton.__wrapped__(name)


@functools.lru_cache(maxsize=1 << 14)
def _skeleton(name: str) -> str:
    words = [t.key for t in tokenize(name) if t.key not in _PARTICLES]
    return " ".join(w for w in (skeleton_word(w) for w in words) if w)


def similar(a: str, b: str) -> float:
    """Similarity in [0, 1] of two names on their skeletons."""
    sa, sb = skeleton(a), skeleton(b)
    if not sa or not sb:
        return 0.0
    if sa == sb:
        return 1.0
    return fuzz.ratio(sa, sb) / 100.0


# ------------------------------------------------------------------ phrase index
@dataclass(frozen=True, slots=True)
class Phrase:
    """One registered surface form of an entity."""

    ref: str  # entity key
    form: str  # the form as registered
    kind: str  # "alias" | "generic" | "metonym" | "person" | "short"
    case: str  # "upper" (acronym: exact capitals), "cap" (first word capitalised), "any"


@dataclass(frozen=True, slots=True)
class Hit:
    start: int  # token index
    end: int  # token index, exclusive
    phrases: tuple[Phrase, ...]


_CASE_RANK = {"any": 0, "cap": 1, "upper": 2}


def case_of(form: str) -> str:
    toks = [t for t in tokenize(form) if not t.article]
    if not toks:
        return "any"
    first = toks[0]
    letters = [c for c in form if c.isalpha()]
    if len(letters) <= 6 and all(c.isupper() for c in letters):
        return "upper"
    if first.is_upper and len(toks) == 1:
        return "upper"
    return "cap" if first.is_cap else "any"


class PhraseIndex:
    """Dictionary of folded token tuples -> phrases, matched longest-first in one pass.

    Matching walks the text once; at each position it extends the candidate only while
    it is a prefix of some registered phrase, so the cost is linear in the text length
    (times the longest phrase length), with no regular-expression alternations.
    """

    def __init__(self) -> None:
        self._table: dict[tuple[str, ...], list[Phrase]] = {}
        self._prefixes: set[tuple[str, ...]] = set()
        self._firsts: set[str] = set()  # first keys of the phrases: most words are not
        self.max_len = 0

    def add(self, form: str, ref: str, kind: str) -> None:
        keys = key_tokens(form)
        if not keys:
            return
        phrase = Phrase(ref, form, kind, case_of(form))
        bucket = self._table.setdefault(keys, [])
        for k, p in enumerate(bucket):
            if p.ref == ref and p.kind == kind:
                # one entry per entity and kind, with the least demanding case rule
                if _CASE_RANK[phrase.case] < _CASE_RANK[p.case]:
                    bucket[k] = phrase
                break
        else:
            bucket.append(phrase)
        for i in range(1, len(keys) + 1):
            self._prefixes.add(keys[:i])
        self._firsts.add(keys[0])
        self.max_len = max(self.max_len, len(keys))

    def get(self, keys: tuple[str, ...]) -> list[Phrase]:
        return self._table.get(keys, [])

    def scan(self, toks: list[Token]) -> list[Hit]:
        """Longest non-overlapping matches over `toks` (article tokens are skippable)."""
        hits: list[Hit] = []
        firsts = self._firsts
        n = len(toks)
        after = 0  # tokens before this are inside a match already
        # only tokens that may start a phrase are tried (most words start none)
        for i in [i for i, t in enumerate(toks) if t.article or t.key in firsts]:
            if i < after:
                continue
            best: Hit | None = None
            keys: tuple[str, ...] = ()
            j = i
            while j < n and len(keys) < self.max_len:
                tok = toks[j]
                j += 1
                if tok.article:
                    continue  # "al-Qaeda" ~ "Qaeda", "Hashd al-Shaabi" ~ "Hashd Shaabi"
                keys = (*keys, tok.key)
                if keys not in self._prefixes:
                    break
                found = [p for p in self._table.get(keys, []) if _case_ok(p, toks, i, j)]
                if found:
                    best = Hit(i, j, tuple(found))
            if best:
                hits.append(best)
                after = best.end
        return hits


def _case_ok(p: Phrase, toks: list[Token], i: int, j: int) -> bool:
    words = [t for t in toks[i:j] if not t.article]
    if not words:
        return False
    if p.case == "upper":
        return all(t.is_upper for t in words if t.key != "'s")
    if p.case == "cap":
        return words[0].is_cap
    return True
