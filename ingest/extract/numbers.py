"""Casualty figures: how many were killed and wounded, in digits or words.

`casualties(text, start, end)` reads one sentence and returns the killed and wounded
figures it states, each with its span:
- "at least 13 policemen were killed and five wounded" -> killed 13, wounded 5
  (the lower bound of "at least N"; "about", "nearly", "more than" likewise);
- "ten Peshmerga fighters and three civilians were killed" -> 13 (coordinated groups
  add up), "two officials and their driver were killed" -> 3;
- "killing three members ... and wounding two others", "left nine officers dead",
  "the death toll rose to 38", "found the bodies of two militants";
- a singular victim ("a policeman was killed", "killed a senior leader", "left a
  civilian dead") -> 1;
- "no casualties", "without causing any casualties", "only material damage" -> 0 and
  0; "no injuries" -> wounded 0;
- vague quantities ("dozens", "scores", "several", "many") give no figure.
Tokens are scanned once, left to right, so the cost is linear in the sentence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from text_to_num import text2num

from ingest.extract.model import Span

_UNITS = {
    "zero": 0,
    "no": 0,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
    "hundred": 100,
    "dozen": 12,
    "twin": 2,
    "both": 2,
}
_NUMBER_PARTS = frozenset(set(_UNITS) - {"no", "dozen", "twin", "both"} | {"thousand", "and", "a"})
_VAGUE = frozenset(
    [
        "dozens",
        "scores",
        "several",
        "many",
        "hundreds",
        "thousands",
        "tens",
        "some",
        "numerous",
        "multiple",
        "few",
    ]
)
_SINGULAR = frozenset({"a", "an", "one", "another", "his", "her", "their", "its"})
_KILL_PASSIVE = frozenset(
    [
        "killed",
        "dead",
        "died",
        "martyred",
        "slain",
        "beheaded",
        "executed",
        "assassinated",
        "perished",
    ]
)
_KILL_ACTIVE = frozenset(["killed", "killing", "kill", "kills", "claiming", "claimed"])
_WOUND = frozenset(
    ["wounded", "injured", "hurt", "wounding", "injuring", "wounds", "injures", "injuries"]
)
_WOUND_PASSIVE = frozenset(["wounded", "injured", "hurt"])
_AUX = frozenset(
    [
        "were",
        "was",
        "have",
        "has",
        "had",
        "been",
        "are",
        "is",
        "being",
        "reportedly",
        "also",
        "later",
    ]
)
_PASSIVE_AUX = frozenset(["were", "was", "been", "being", "are", "is"])
_TIME_WORDS = frozenset(
    [
        "last",
        "this",
        "week",
        "month",
        "year",
        "on",
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
    ]
)
_VERB_LEFT = frozenset(["shot", "stabbed", "beaten", "burned", "gunned", "found"])
_LEAVE = frozenset(["left", "leaving", "leaves"])
_BOUNDARY = frozenset(
    [
        "when",
        "after",
        "as",
        "while",
        "during",
        "because",
        "but",
        "who",
        "which",
        "that",
        "where",
        "since",
        "before",
        "said",
        "told",
    ]
)
_QUALIFIERS = frozenset(
    [
        "at",
        "least",
        "about",
        "some",
        "nearly",
        "around",
        "more",
        "than",
        "up",
        "to",
        "over",
        "almost",
        "approximately",
        "roughly",
    ]
)
_NOT_PEOPLE = frozenset(
    [
        "km",
        "kilometres",
        "kilometers",
        "kilometer",
        "miles",
        "mile",
        "metres",
        "meters",
        "percent",
        "per",
        "cent",
        "%",
        "years",
        "year",
        "months",
        "month",
        "days",
        "day",
        "hours",
        "hour",
        "minutes",
        "vehicles",
        "vehicle",
        "rockets",
        "rocket",
        "missiles",
        "drones",
        "bombs",
        "shells",
        "times",
        "homes",
        "houses",
        "buildings",
        "tons",
        "barrels",
    ]
)
_TOKEN = re.compile(
    r"\d[\d,]*(?:\.\d+)?(?:st|nd|rd|th)?|[A-Za-z]+(?:['’-][A-Za-z]+)*|[^\sA-Za-z\d]"
)
_ZERO = re.compile(
    r"\b(?:no|without(?:\s+causing)?(?:\s+any)?)\s+(?:immediate\s+)?(?:reports?\s+of\s+)?"
    r"(?P<what>casualties|casualty|injuries|deaths|fatalities|one\s+(?:was|being)\s+(?:hurt|injured|killed))\b"
    r"|\bonly\s+(?:caus\w+\s+)?material\s+damages?\b|\bmaterial\s+damages?\s+only\b"
    r"|\bresult\w*\s+in\s+no\s+(?P<what2>injuries|casualties|deaths)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Figure:
    kind: str  # "killed" | "wounded"
    value: int
    span: Span
    explicit: bool  # stated as a number (not inferred from a singular noun)
    # "two soldiers were also killed", "also wounded 105 others": victims besides those
    # counted before, to be added to them
    also: bool = False


# "also" right before the figure ("the attack also wounded 105") or inside its clause
# ("two soldiers were also killed", "five others had also been wounded")
_ALSO_BEFORE = re.compile(r"\balso\s+(?:\w+\s+)?$", re.IGNORECASE)
_ALSO_IN = re.compile(r"\balso\b", re.IGNORECASE)


def _mark_also(text: str, figures: list[Figure]) -> list[Figure]:
    out = []
    for f in figures:
        a, b = f.span
        if f.value > 0 and (
            _ALSO_IN.search(text, a, b) or _ALSO_BEFORE.search(text, max(0, a - 20), a)
        ):
            f = Figure(f.kind, f.value, f.span, f.explicit, True)
        out.append(f)
    return out


def parse_number(word: str) -> int | None:
    """'13', '1,200', 'nine', 'twenty-one', 'Six' -> int; anything else -> None."""
    w = word.lower().replace(",", "")
    if w.isdigit():
        return int(w) if len(w) <= 7 else None
    if w in _UNITS and w != "no":
        return _UNITS[w]
    if "-" in w:
        try:
            return int(text2num(w.replace("-", " "), "en"))
        except ValueError:
            return None
    return None


def _tokens(text: str, start: int, end: int) -> list[tuple[str, int, int]]:
    return [(m.group(0), m.start(), m.end()) for m in _TOKEN.finditer(text, start, end)]


def _number_at(toks: list[tuple[str, int, int]], i: int) -> tuple[int, int] | None:
    """(value, index after) of a number phrase starting at token i ("one hundred and
    five", "twenty-one", "13", "1,200")."""
    if i >= len(toks):
        return None
    w = toks[i][0].lower()
    if w[:1].isdigit() and w[-2:] in ("st", "nd", "rd", "th"):
        return None  # an ordinal ("the 16th member") counts nobody
    if w.replace(",", "").isdigit():
        v = parse_number(w)
        return (v, i + 1) if v is not None else None
    if w not in _UNITS or w in ("no", "a"):
        single = parse_number(w)
        return (single, i + 1) if single is not None else None
    j = i
    words: list[str] = []
    while j < len(toks) and toks[j][0].lower() in _NUMBER_PARTS and len(words) < 8:
        words.append(toks[j][0].lower())
        j += 1
    while words and words[-1] in ("and", "a"):
        words.pop()
        j -= 1
    if not words:
        return None
    if len(words) == 1:
        v = parse_number(words[0])
        return (v, j) if v is not None else None
    try:
        return int(text2num(" ".join(words), "en")), j
    except ValueError:
        v = parse_number(words[0])
        return (v, i + 1) if v is not None else None


def _skip_qualifiers(toks: list[tuple[str, int, int]], i: int) -> int:
    n = 0
    while i < len(toks) and toks[i][0].lower() in _QUALIFIERS and n < 3:
        i += 1
        n += 1
    return i


def _group_value(toks: list[tuple[str, int, int]], i: int) -> tuple[int, int, bool] | None:
    """A victim group starting at token i: (count, index after the number, explicit)."""
    i = _skip_qualifiers(toks, i)
    if i >= len(toks):
        return None
    w = toks[i][0].lower()
    if w in _VAGUE:
        return None
    num = _number_at(toks, i)
    if num is not None:
        value, j = num
        nxt = toks[j][0].lower() if j < len(toks) else ""
        if nxt in _NOT_PEOPLE or (value >= 1900 and value <= 2100):
            return None
        return value, j, True
    if w in _SINGULAR:
        nxt = toks[i + 1][0].lower() if i + 1 < len(toks) else ""
        if nxt in _NOT_PEOPLE or nxt in _VAGUE or nxt in ("number", "total", "series", "lot"):
            return None
        return 1, i + 1, False
    return None


def _definite_one(toks: list[tuple[str, int, int]], i: int) -> tuple[int, int, bool] | None:
    """'shot dead the mukhtar': a definite singular noun (no plural within two words) is
    one person."""
    if i >= len(toks) or toks[i][0].lower() != "the":
        return None
    for k in range(i + 1, min(len(toks), i + 3)):
        w = toks[k][0].lower()
        if not w.isalpha() or w in _NOT_PEOPLE or w.endswith("s") or w in _VAGUE:
            return None
        if k + 1 >= len(toks) or not toks[k + 1][0].isalpha() or toks[k + 1][0] in ("of", "and"):
            return 1, k + 1, False
    return None


def _coordinated(
    toks: list[tuple[str, int, int]], first: tuple[int, int, bool]
) -> tuple[int, int, bool]:
    """'killed a commanding officer and four soldiers': the groups joined by 'and' after
    the first one add up. Returns (total, index after the last number, explicit)."""
    total, last, explicit = first
    i = last
    for _ in range(3):
        # skip the head noun of the group (up to four words) to the next "and"
        j = i
        while j < min(len(toks), i + 5) and toks[j][0].lower() not in ("and", ",", ".", ";"):
            if toks[j][0].lower() in _BOUNDARY or toks[j][0].lower() in _WOUND:
                return total, last, explicit
            j += 1
        if j >= len(toks) or toks[j][0].lower() != "and":
            break
        g = _group_value(toks, j + 1)
        if g is None or (not g[2] and not explicit):
            break  # "killed a soldier and a ...": only counted groups start a sum
        total += g[0]
        last = g[1]
        i = g[1]
    return total, last, explicit


def _subject_total(toks: list[tuple[str, int, int]], verb: int) -> tuple[int, int, bool] | None:
    """Sum of the coordinated victim groups in the subject before a passive verb:
    'ten Peshmerga fighters and three civilians [were killed]'."""
    j = verb - 1
    while j >= 0 and (toks[j][0].lower() in _AUX or toks[j][0].lower() in _VERB_LEFT):
        j -= 1
    if j >= 2 and toks[j][0] == ",":
        # "four fighters, including a battalion commander, were killed": the group is
        # before the parenthesis
        for c in range(j - 1, max(0, j - 12), -1):
            if toks[c][0] == "," and toks[c + 1][0].lower() in ("including", "among"):
                j = c - 1
                break
    # walk back over the subject noun phrase(s), at most 14 tokens
    lo = max(0, j - 14)
    k = j
    while k >= lo:
        w = toks[k][0]
        if w == ")":
            # "fighters of the Popular Mobilization Forces (PMF)": over the bracket
            opening = next(
                (x for x in range(k - 1, max(lo, k - 8) - 1, -1) if toks[x][0] == "("), None
            )
            if opening is not None:
                k = opening - 1
                continue
        if w in ",;:(" and k < j:
            # "11 members ..., including" is handled by stopping at punctuation unless
            # a coordinated group follows ("X, Y and Z")
            break
        if w.lower() in _BOUNDARY or w in ".!?":
            break
        if k < j and (w.lower() in _KILL_PASSIVE or w.lower() in _WOUND or w.lower() in _AUX):
            break  # an earlier clause: "A policeman was killed and three others ..."
        k -= 1
    start = k + 1
    total = 0
    explicit = False
    found = False
    first_idx = None
    i = start
    expect_group = True
    while i <= j:
        if expect_group:
            g = _group_value(toks, i)
            if g is not None:
                total += g[0]
                explicit = explicit or g[2]
                found = True
                first_idx = first_idx if first_idx is not None else i
                i = g[1]
                expect_group = False
                continue
        w = toks[i][0].lower()
        if w == "and" or w == ",":
            expect_group = True
        elif w in ("of", "including"):
            # "five of its members", "11 members of the army" - stop counting
            break
        i += 1
    if not found or first_idx is None:
        return None
    if first_idx > 0 and toks[first_idx - 1][0].lower() in ("no", "not", "none"):
        return None  # "no one was hurt": the zero is read below
    return total, first_idx, explicit


# Every figure hangs on one of these words (the verb and noun sets above, "toll",
# "bodies", "left", and the zero phrases).
_GATE = re.compile(
    r"\b(?:kill|dead|died|martyr|slain|behead|execut|assassinat|perish|claim|wound|injur|hurt|toll"
    r"|bodies|left|leav|casualt|death|fatalit|damage)",
    re.IGNORECASE,
)


def _left_wounded(
    toks: list[tuple[str, int, int]], i: int, out: list[Figure], used: set[int]
) -> None:
    """'left a civilian dead | and a commander of the Asayish (police) injured': the
    second group of a "left ... dead" phrase, whatever its noun phrase holds."""
    if i >= len(toks) or toks[i][0].lower() != "and":
        return
    g = _group_value(toks, i + 1)
    if g is None:
        return
    for k in range(g[1], min(len(toks), g[1] + 14)):
        t = toks[k][0].lower()
        if t in _WOUND_PASSIVE:
            out.append(Figure("wounded", g[0], (toks[i + 1][1], toks[k][2]), g[2]))
            used.add(k)
            return
        if t in _BOUNDARY or t in ".;" or t in _KILL_PASSIVE:
            return


def casualties(text: str, start: int, end: int) -> list[Figure]:
    """Killed and wounded figures stated in text[start:end], in order of appearance."""
    if not _GATE.search(text, start, end):
        return []  # no word a figure hangs on: skip tokenising
    toks = _tokens(text, start, end)
    out: list[Figure] = []
    used: set[int] = set()
    for i, (tok, _, e) in enumerate(toks):
        w = tok.lower()
        kind: str | None = None
        if w in _KILL_PASSIVE or w in _KILL_ACTIVE or w == "assassination":
            kind = "killed"
        elif w in _WOUND:
            kind = "wounded"
        elif w == "toll":
            # "the death toll rose to 38" / "a death toll of 12"
            for k in range(i + 1, min(len(toks), i + 12)):
                if toks[k][0].lower() in ("to", "of", "at", "reached", "is", "was"):
                    g = _group_value(toks, k + 1)
                    if g is not None and g[2]:
                        out.append(
                            Figure("killed", g[0], (toks[k + 1][1], toks[g[1] - 1][2]), True)
                        )
                        break
            continue
        elif w == "bodies" and i >= 2 and toks[i - 1][0].lower() == "the":
            g = (
                _group_value(toks, i + 2)
                if i + 2 < len(toks) and toks[i + 1][0].lower() == "of"
                else None
            )
            if g is not None:
                out.append(Figure("killed", g[0], (toks[i + 2][1], toks[g[1] - 1][2]), g[2]))
            continue
        elif w in _LEAVE:
            # "left nine officers dead", "left one person dead and eight others injured"
            g = _group_value(toks, i + 1)
            if g is not None:
                for k in range(g[1], min(len(toks), g[1] + 8)):
                    t = toks[k][0].lower()
                    if t in ("dead", "killed"):
                        out.append(Figure("killed", g[0], (toks[i + 1][1], toks[k][2]), g[2]))
                        used.add(k)
                        _left_wounded(toks, k + 1, out, used)
                        break
                    if t in _WOUND_PASSIVE:
                        out.append(Figure("wounded", g[0], (toks[i + 1][1], toks[k][2]), g[2]))
                        used.add(k)
                        break
                    if t in _BOUNDARY or t in ".;":
                        break
            continue
        if kind is None or i in used:
            continue
        if w == "killing" or w == "assassination":
            # "the killing (last week) of a senior Hamas leader", "the assassination of a
            # civilian"
            k = i + 1
            while k < min(len(toks), i + 4) and toks[k][0].lower() in _TIME_WORDS:
                k += 1
            if k < len(toks) and toks[k][0].lower() == "of":
                g = _group_value(toks, k + 1)
                if g is not None:
                    out.append(Figure("killed", g[0], (toks[k + 1][1], toks[g[1] - 1][2]), g[2]))
                continue
        if w == "dead" and i >= 1 and toks[i - 1][0].lower() in ("shot", "stabbed", "beaten"):
            g = _group_value(toks, i + 1) or _definite_one(toks, i + 1)
            if g is not None:  # "gunmen shot dead a council member"
                out.append(Figure("killed", g[0], (toks[i + 1][1], toks[g[1] - 1][2]), g[2]))
                continue
        if w in ("claiming", "claimed") and not (
            i + 2 < len(toks)
            and toks[i + 1][0].lower() == "the"
            and toks[i + 2][0].lower() == "lives"
        ):
            continue
        fig: Figure | None = None
        # active: "killed at least 32 people", "wounding two others", "claiming the lives of 5"
        if w in _KILL_ACTIVE or w in (
            "wounded",
            "injured",
            "wounding",
            "injuring",
            "wounds",
            "injures",
        ):
            k = i + 1
            if w in ("claiming", "claimed"):
                k = i + 4  # claiming the lives of N
            g = _group_value(toks, k)
            prev_w = toks[i - 1][0].lower() if i else ""
            # "killed"/"wounded" are active when a victim group follows and no
            # auxiliary precedes ("bombers killed at least 32 people")
            if g is not None and prev_w not in _PASSIVE_AUX:
                total, last, explicit = _coordinated(toks, g)
                fig = Figure(kind, total, (toks[k][1], toks[last - 1][2]), explicit)
        if fig is None and (w in _KILL_PASSIVE or w in _WOUND_PASSIVE):
            # elliptic "... were killed and five wounded": a number right before the verb
            prev2 = toks[i - 2][0].lower() if i >= 2 else ""
            g1 = _group_value(toks, i - 1) if i >= 1 else None
            if g1 is not None and g1[1] == i and prev2 in ("and", ",", "others", "while"):
                fig = Figure(kind, g1[0], (toks[i - 1][1], e), g1[2])
            elif i >= 1 and toks[i - 1][0].lower() in ("others", "more"):
                g2 = _group_value(toks, i - 2) if i >= 2 else None
                if g2 is not None and g2[1] == i - 1:
                    fig = Figure(kind, g2[0], (toks[i - 2][1], e), g2[2])
                else:
                    continue  # "with others injured": no figure
            if fig is None:
                sub = _subject_total(toks, i)
                if sub is not None:
                    fig = Figure(kind, sub[0], (toks[sub[1]][1], e), sub[2])
        if fig is not None:
            out.append(fig)
    for m in _ZERO.finditer(text, start, end):
        what = (m.group("what") or m.group("what2") or "").lower()
        if what.startswith("death") or what.startswith("fatal") or "killed" in what:
            out.append(Figure("killed", 0, (m.start(), m.end()), True))
        else:
            out.append(Figure("killed", 0, (m.start(), m.end()), True))
            out.append(Figure("wounded", 0, (m.start(), m.end()), True))
    return _mark_also(text, out) if _ALSO_IN.search(text, start, end) else out
