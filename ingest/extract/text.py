"""Sentence segmentation with character offsets.

Spans index into the cleaned text, so segmentation never alters characters: a sentence
is a `(start, end)` window plus its text. Abbreviations common in news ("Lt. Gen.",
"Col.", "U.S.", "Sept.", initials) do not end a sentence, nor does a full stop followed
by a lower-case word or a digit ("Aug. 27"). Every pattern here starts at most once per
run of punctuation, so segmentation is linear in the length of the text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_ABBREV = frozenset(
    [
        "mr",
        "mrs",
        "ms",
        "dr",
        "st",
        "lt",
        "col",
        "gen",
        "maj",
        "brig",
        "capt",
        "cpt",
        "sgt",
        "sen",
        "rep",
        "gov",
        "pres",
        "prof",
        "no",
        "vs",
        "etc",
        "jan",
        "feb",
        "mar",
        "apr",
        "jun",
        "jul",
        "aug",
        "sep",
        "sept",
        "oct",
        "nov",
        "dec",
        "u.s",
        "u.n",
        "u.k",
        "a.m",
        "p.m",
        "inc",
        "corp",
        "co",
        "ltd",
        "jr",
        "sr",
        "adm",
        "cmdr",
        "cdr",
        "rev",
        "hon",
        "ft",
        "mt",
        "messrs",
        "esq",
        "approx",
        "dept",
        "gov't",
        "e.g",
        "i.e",
        "al",
        "lieut",
        "cpl",
        "pvt",
        "spc",
        "gens",
        "cols",
        "insp",
        "supt",
    ]
)
# A candidate boundary: a run of terminal punctuation (matched from its first character
# only), optional closing quotes/brackets, then space.
_BOUNDARY = re.compile(r"(?<![.!?])[.!?]++[\"'”’)\]]*+(?=\s)")
_PARA = re.compile(r"\n[ \t\r\f\v]*\n\s*|\n(?=[A-Z\"“‘'(\[])")
_WORD_TAIL = re.compile(r"([A-Za-z][A-Za-z.]{0,12})\.?$")


@dataclass(frozen=True)
class Sentence:
    start: int
    end: int
    text: str
    paragraph: int  # index of the paragraph (block of lines) it belongs to


def _last_word(chunk: str) -> str:
    # Only the tail matters; bounding it keeps the search linear on long tokens.
    tail = chunk[-24:].rstrip(".!?\"'”’)] ")
    if tail and not tail[-1].isalpha():
        return ""
    m = _WORD_TAIL.search(tail)
    if not m:
        return ""
    return m.group(1).lower()


def split_paragraphs(text: str) -> list[tuple[int, int]]:
    """Blocks separated by blank lines, or by a line break before a capitalised line."""
    spans: list[tuple[int, int]] = []
    pos = 0
    for m in _PARA.finditer(text):
        spans.append((pos, m.start()))
        pos = m.end()
    spans.append((pos, len(text)))
    return [(s, e) for s, e in (_strip(text, s, e) for s, e in spans) if e > s]


def _strip(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _is_boundary(text: str, start: int, m: re.Match[str]) -> bool:
    punct = m.group(0)
    nxt = text[m.end() : m.end() + 4].lstrip()
    if not nxt:
        return True
    first = nxt[0]
    if first.islower() or (first.isdigit() and punct.startswith(".")):
        return False
    if first in ",;:":
        return False
    if punct.startswith(".") and punct.rstrip("\"'”’)]") == ".":
        word = _last_word(text[max(start, m.start() - 30) : m.start() + 1])
        if word in _ABBREV or (len(word) == 1 and word.isalpha()):
            return False
    return True


def split_sentences(text: str) -> list[Sentence]:
    """Sentences of `text` in order; every character of every sentence is in `text`."""
    out: list[Sentence] = []
    for para_no, (p_start, p_end) in enumerate(split_paragraphs(text)):
        start = p_start
        for m in _BOUNDARY.finditer(text, p_start, p_end):
            if not _is_boundary(text, start, m):
                continue
            s, e = _strip(text, start, m.end())
            if e > s:
                out.append(Sentence(s, e, text[s:e], para_no))
            start = m.end()
        s, e = _strip(text, start, p_end)
        if e > s:
            out.append(Sentence(s, e, text[s:e], para_no))
    return out
