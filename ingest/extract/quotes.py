"""Quotation spans in article text: straight and curly double quotes, across sentences
and paragraphs.

A quotation left open at the end of a paragraph continues into the next one when that
paragraph reopens it (the typographic convention) or when the closing mark comes a
little later; a quotation never closed (a statement pasted in full after "saying:") runs
over the following paragraphs of prose. Single quotes are not used: "’" is mostly an
apostrophe in this material.
"""

from __future__ import annotations

import re

from ingest.extract.text import split_paragraphs

OPEN = "“„«"
CLOSE = "”»"
STRAIGHT = '"＂'
MARKS = OPEN + CLOSE + STRAIGHT
# Any quotation mark: marks are rare, so the scans jump from one to the next.
_MARK = re.compile(f"[{re.escape(MARKS)}]")


def quote_spans(text: str) -> list[tuple[int, int]]:
    """Half-open spans of quotations, marks included, in text order."""
    paras = split_paragraphs(text)
    spans: list[tuple[int, int]] = []
    open_at: int | None = None
    for p_no, (ps, pe) in enumerate(paras):
        # a quotation carried over from the paragraph before is reopened by this one's
        # first mark, straight or curly: that mark does not close it
        reopen = -1
        if open_at is not None:
            reopen = ps + len(text[ps:pe]) - len(text[ps:pe].lstrip())
        for m in _MARK.finditer(text, ps, pe):
            pos, c = m.start(), m.group()
            if pos == reopen:
                continue
            if open_at is None:
                if c in OPEN or c in STRAIGHT:
                    open_at = pos
            elif c in CLOSE or c in STRAIGHT:
                spans.append((open_at, pos + 1))
                open_at = None
            # an opening mark while open: a reopened paragraph of the same quotation
        if open_at is not None and not _continues(text, paras, p_no):
            spans.append((open_at, pe))
            open_at = None
    if open_at is not None:
        spans.append((open_at, paras[-1][1] if paras else len(text)))
    return spans


def _continues(text: str, paras: list[tuple[int, int]], p_no: int) -> bool:
    """Does a quotation open at the end of paragraph `p_no` go on into the next one?"""
    if p_no + 1 >= len(paras):
        return False
    ns, ne = paras[p_no + 1]
    first = text[ns:ne].lstrip()[:1]
    if first and first in OPEN + STRAIGHT:
        return True
    # closed within the next three paragraphs, before any new opening
    for k in range(p_no + 1, min(p_no + 4, len(paras))):
        s, e = paras[k]
        mark = _MARK.search(text, s, e)
        if mark is not None:
            return mark.group() in CLOSE  # else an opening (or straight) mark
    # never closed: a pasted statement; go on through paragraphs of prose
    if _MARK.search(text, ns) is not None:
        return False
    return len(text[ns:ne].split()) >= 6


def inside(spans: list[tuple[int, int]], pos: int) -> bool:
    return any(s < pos < e - 1 or s == pos for s, e in spans)
