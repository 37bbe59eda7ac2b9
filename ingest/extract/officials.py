"""Recognise officials (people who speak or act for an organisation) in article text.

A person is recognised (a) from the registry, by any alias or by transliteration
skeleton ("Mustafa Al-Kazemi" ~ "Mustafa al-Kadhimi", "Enad" ~ "Inad"), or (b) as a
capitalised name in a title pattern the text gives:

- title before the name: "Coalition Spokesman Col. Wayne Marotto", "Koya mayor Tariq
  Haydari";
- appositive title after the name: "Sirwan Barzani, commander of Peshmerga forces";
- appositive name after a title: "the Secretary-General of the Sayyid al-Shuhada
  Brigades, Abu Ala' al-Wali,"; "the SDF leader known as Abu Hommam";
- a named subject of a speech verb: "Abd al-Wahhab al-Saedi told a news briefing".

Short forms ("Mr Al Kadhimi", "Yawar", "Al-Wali") are linked back to the person named in
full. A registry person's title and affiliation are those of the role valid on the
document's date; a discovered person's come from the title phrase in the text.
"""

from __future__ import annotations

import bisect
import datetime as dt
import functools
from dataclasses import dataclass, field

from rapidfuzz import fuzz

from ingest.extract.model import ActorMention, OfficialMention, Span
from ingest.extract.names import (
    Token,
    fold,
    skeleton,
    skeleton_word,
    tokenize,
    tokenize_text,
    wordset,
)
from ingest.extract.registry import PersonEntry, Registry, Role
from ingest.extract.text import Sentence

# Role nouns that make a title ("spokesman", "commander") and their display form.
TITLE_NOUNS = wordset(
    """minister president premier pm spokesman spokeswoman spokesperson commander chief
    head leader secretary ambassador envoy governor mayor chairman chairperson chairwoman
    chair cochair speaker mp lawmaker deputy vice director emir cleric adviser advisor
    coordinator representative figure official officer chancellor founder"""
)
# Military ranks: part of a title phrase, never of a name.
RANKS = wordset(
    """col colonel lt lieutenant gen general maj major brig brigadier capt captain cpt sgt
    sergeant adm admiral staff field marshal commodore"""
)
# Words inside title phrases that are neither name nor rank ("Defense" in "Defense Minister").
TITLE_FILLERS = wordset(
    """prime defense defence interior foreign affairs finance oil health peshmerga national
    security of the for in and to 's co in-chief coalition military army police force
    forces iraqi kurdish syrian turkish iranian us u s american state region regional
    kurdistan federal senior former acting top local provincial tribal deputy general
    commanding media press"""
    + " chief"
)
HONORIFICS = wordset("sheikh sheik shaikh sayyid sayyed mr mrs ms dr ayatollah mullah hajji haji")
_LONG_TITLES = (
    "commander",
    "spokesman",
    "minister",
    "president",
    "secretary",
    "chairman",
    "director",
    "governor",
    "ambassador",
    "lieutenant",
    "spokesperson",
)
# Capitalised words that never start or belong to a person's name.
_NOT_NAME = wordset(
    """the a an in on at of for and but or if as by to from with after before during since
    while when where which who this that these those it its he she they his her their we
    our i you according meanwhile however also moreover furthermore elsewhere earlier later
    last next first second third monday tuesday wednesday thursday friday saturday sunday
    january february march april may june july august september october november december
    jan feb mar apr jun jul aug sep sept oct nov dec today yesterday tomorrow iraq syria
    iran turkey israel russia kurdistan baghdad erbil damascus ankara tehran washington
    photo file reuters afp ap getty update updated read more related share comments
    islamic state isis daesh coalition government ministry forces army police security
    christians muslims kurds arabs turkmen yazidis imam allah god
    north south east west northern southern eastern western central province governorate
    district city town village camp base airport mountain mountains desert river valley
    council command agency news media party movement front brigades brigade units unit
    association union center centre organization organisation company group network
    office department directorate authority administration committee commission tribe
    hospital university airport base field plant prison market square street road"""
)
_SPEECH_VERBS = wordset(
    """said says told tells added adds announced stated noted stressed confirmed warned
    explained tweeted wrote declared affirmed insisted claimed urged vowed denied
    condemned blamed accused ordered called complained pointed described"""
)
_BYLINE_BEFORE = wordset("by reporting editing writing author photo credit photographer")
_BYLINE_LEAD = wordset(
    "reporting editing writing written reported edited compiled additional photo"
)
_BYLINE_AFTER = wordset("is was correspondent reporter journalist editor contributed")
_PARTICLES = wordset("al el bin ibn bint abu abd abdul umm")


@dataclass
class _Person:
    name: str
    key: str | None
    entry: PersonEntry | None
    names: list[str] = field(default_factory=list)
    spans: list[Span] = field(default_factory=list)
    title: str | None = None
    affiliation: str | None = None
    title_span: Span | None = None
    context: list[str] = field(default_factory=list)  # title phrases seen near the name
    _surnames: set[str] | None = None

    def add(self, surface: str, span: Span) -> None:
        if surface not in self.names:
            self.names.append(surface)
            self._surnames = None
        if span not in self.spans:
            self.spans.append(span)

    def surnames(self) -> set[str]:
        """Skeletons of the last word of each multi-word name of this person."""
        if self._surnames is None:
            out = set()
            for n in (self.name, *self.names):
                parts = [t for t in tokenize(n) if not t.article and t.key not in HONORIFICS]
                if len(parts) >= 2:
                    out.add(skeleton_word(parts[-1].text))
            self._surnames = out
        return self._surnames


def is_title_word(key: str) -> bool:
    """A role noun ('commander'), also misspelt ('commader')."""
    if key in TITLE_NOUNS:
        return True
    # A word of 16 letters or more is too far from the 12 of "spokesperson" to reach 88.
    return 7 <= len(key) <= 15 and _misspelt_title(key)


@functools.lru_cache(maxsize=1 << 14)
def _misspelt_title(key: str) -> bool:
    """Close to a long title. Cached: asked of many words, and fuzzy comparison costs."""
    return any(fuzz.ratio(key, t) >= 88 for t in _LONG_TITLES)


def find_officials(
    reg: Registry,
    text: str,
    sentences: list[Sentence],
    on_date: dt.date | None,
    actors: list[ActorMention],
) -> list[OfficialMention]:
    """Officials named in `text`, one `OfficialMention` per person."""
    toks = list(tokenize_text(text))
    actor_spans = sorted(sp for a in actors for sp in a.spans)
    actor_at = _actor_lookup(actors)
    people: dict[str, _Person] = {}
    runs = _name_runs(text, toks, actor_spans)
    short_runs: list[tuple[int, int]] = []
    headlines: list[tuple[int, int]] | None = None  # found when a new name needs them

    for i, j in runs:
        name_toks = toks[i:j]
        words = [t for t in name_toks if not t.article and t.key not in HONORIFICS]
        if not words:
            continue
        if _byline(text, toks, i, j):
            continue
        surface = text[name_toks[0].start : name_toks[-1].end]
        span = (name_toks[0].start, name_toks[-1].end)
        entry = _registry_person(reg, surface, words)
        if len(words) == 1:
            short_runs.append((i, j))
            continue
        if entry is None:
            if headlines is None:
                headlines = _title_case_lines(text)
            if _in_lines(span[0], headlines):
                continue  # "Ministers Discuss Border Security": a headline-case line
        title = _title_context(text, toks, i, j)
        if entry is None and title is None and not _speaks(toks, j):
            continue
        pkey = entry.key if entry is not None else "~" + skeleton(surface)
        found = people.get(pkey) or (None if entry else _merge_target(people, surface))
        if found is None:
            name = entry.name if entry else _clean_name(surface)
            found = people[pkey] = _Person(name, entry.key if entry else None, entry)
        p = found
        p.add(surface, span)
        if title is not None:
            phrase, tspan = title
            p.context.append(phrase)
            if p.title is None and entry is None:
                p.title, p.affiliation = _title_and_org(reg, phrase, tspan, actor_at)
                p.title_span = tspan
            elif entry is not None and p.title_span is None:
                p.title_span = tspan

    # short forms: surnames, "Mr X", registry short aliases with a title before them
    for i, j in short_runs:
        name_toks = toks[i:j]
        words = [t for t in name_toks if not t.article and t.key not in HONORIFICS]
        surface = text[name_toks[0].start : name_toks[-1].end]
        span = (name_toks[0].start, name_toks[-1].end)
        target = _back_reference(people, words[0])
        if target is None:
            entry = _registry_short(reg, words[0], on_date, _title_context(text, toks, i, j))
            if entry is not None:
                target = people.setdefault(entry.key, _Person(entry.name, entry.key, entry))
        if target is not None:
            target.add(surface, span)

    out: list[OfficialMention] = []
    for p in sorted(people.values(), key=lambda p: min(p.spans)):
        if p.entry is not None:
            role = _role_for(p.entry, on_date, p.context)
            if role is not None:
                p.title = role.title
                p.affiliation = reg.actor_name(role.organisation)
            for form in (p.entry.name, *p.entry.aliases):
                if form not in p.names:
                    p.names.append(form)
        out.append(
            OfficialMention(
                name=p.name,
                key=p.key,
                names=p.names,
                spans=sorted(p.spans),
                title=p.title,
                affiliation=p.affiliation,
                title_span=p.title_span,
            )
        )
    return out


# ------------------------------------------------------------------ name runs
def _name_runs(text: str, toks: list[Token], actor_spans: list[Span]) -> list[tuple[int, int]]:
    """Maximal runs of name-like tokens, outside actor mentions, titles and ranks removed."""
    runs: list[tuple[int, int]] = []
    n = len(toks)
    i = 0
    while i < n:
        t = toks[i]
        if not (t.article or t.text[:1].isupper()):
            i += 1  # a lower-case word (what _name_tok would say, without the call)
            continue
        if not _name_tok(t) or _in_spans(t, actor_spans):
            i += 1
            continue
        j = i + 1
        while j < n and (_name_tok(toks[j]) or _inner_particle(toks, j)):
            gap = text[toks[j - 1].end : toks[j].start]
            if gap.strip(" -‐‑'’") or "\n" in gap or _in_spans(toks[j], actor_spans):
                break
            j += 1
        # drop trailing particles/honorifics
        while j > i and (toks[j - 1].article or toks[j - 1].key in HONORIFICS):
            j -= 1
        if j > i:
            runs.append((i, j))
        i = max(j, i + 1)
    return runs


_SMALL_WORDS = wordset("a an and as at by for from in into of on or the to with vs via")


def _title_case_lines(text: str) -> list[tuple[int, int]]:
    """Lines written in headline case: four or more words, none lower-case but small
    words, no closing full stop."""
    out = []
    pos = 0
    for line in text.split("\n"):
        words = line.split()
        if (
            len(words) >= 4
            and not line.rstrip().endswith(".")
            and all(w[:1].isupper() or not w[:1].isalpha() or w in _SMALL_WORDS for w in words)
        ):
            out.append((pos, pos + len(line)))
        pos += len(line) + 1
    return out


def _in_lines(pos: int, lines: list[tuple[int, int]]) -> bool:
    return any(a <= pos < b for a, b in lines)


def _name_tok(t: Token) -> bool:
    if t.key in ("'s",) or not t.text[:1].isupper() or t.text[:1].isdigit():
        return t.article
    if t.key in _NOT_NAME or is_title_word(t.key) or t.key in RANKS:
        return False
    if t.is_upper and len(t.text) > 1 and t.key not in ("al",):
        return False  # acronyms and all-capitals credits
    return t.key not in TITLE_FILLERS or t.key in ("mr",)


def _inner_particle(toks: list[Token], j: int) -> bool:
    """'bin', 'ibn' inside a name, or a nisba after an article ('al-Iraqi')."""
    t = toks[j]
    if t.article and j > 0 and toks[j - 1].article:
        return toks[j].is_cap
    if (t.article or t.key in ("bin", "ibn", "bint")) and j + 1 < len(toks):
        return toks[j + 1].is_cap
    return t.is_cap and j > 0 and toks[j - 1].article and t.key not in _NOT_NAME


def _in_spans(t: Token, spans: list[Span]) -> bool:
    """Is the token inside one of `spans` (sorted by start)?"""
    k = bisect.bisect_right(spans, (t.start, 1 << 62)) - 1
    while k >= 0 and spans[k][1] > t.start - 200:
        if spans[k][0] <= t.start < spans[k][1]:
            return True
        k -= 1
    return False


def _byline(text: str, toks: list[Token], i: int, j: int) -> bool:
    lo = max(0, i - 3)
    for k in range(lo, i):
        key = toks[k].key
        if key == "by":
            # "By Jane Doe", "Reporting by ...", "Written by ...": not "a delegation
            # headed by Interior Minister X"
            prev = toks[k - 1] if k > 0 else None
            opens_line = "\n" in text[prev.end : toks[k].start] if prev else True
            if toks[k].is_cap or opens_line or (prev is not None and prev.key in _BYLINE_LEAD):
                return True
        elif key in _BYLINE_BEFORE:
            return True
    if i > 0 and text[toks[i - 1].end : toks[i].start].strip() in ("/", "|"):
        return True
    line_start = text.rfind("\n", 0, toks[i].start) + 1
    line_end = text.find("\n", toks[j - 1].end)
    line = text[line_start : line_end if line_end >= 0 else len(text)].strip()
    if line == text[toks[i].start : toks[j - 1].end]:
        return True  # a name alone on its line: an author box or byline
    after = toks[j : j + 2]
    return (
        bool(after)
        and after[0].key in _BYLINE_AFTER
        and (len(after) < 2 or after[1].key in ("a", "an", "the", "vo", "reporting"))
    )


def _speaks(toks: list[Token], j: int) -> bool:
    k = j
    if k < len(toks) and toks[k].key in ("has", "had", "also"):
        k += 1
    return k < len(toks) and toks[k].key in _SPEECH_VERBS


def _clean_name(surface: str) -> str:
    toks = tokenize(surface)
    k = 0
    while k < len(toks) - 1 and toks[k].key in HONORIFICS:
        k += 1
    return surface[toks[k].start - toks[0].start :] if toks else surface


# ------------------------------------------------------------------ titles
def _title_context(text: str, toks: list[Token], i: int, j: int) -> tuple[str, Span] | None:
    """A title phrase attached to the name toks[i:j]: before it, or in an appositive."""
    # (1) immediately before: "Coalition Spokesman Col.", "Koya mayor", "ambassador to Iraq"
    k = i - 1
    start = None
    steps = 0
    while k >= 0 and steps < 8:
        t = toks[k]
        gap = text[t.end : toks[k + 1].start]
        if "," in gap or "\n" in gap or any(c in gap for c in ".;:()"):
            break
        if is_title_word(t.key) or t.key in RANKS:
            start = k
        elif t.key in _SPEECH_VERBS or (t.key in _NOT_NAME and t.key not in TITLE_FILLERS):
            if t.key not in ("of", "the", "to", "for", "and"):
                break
        elif t.key == "in":
            break
        k -= 1
        steps += 1
    if start is not None and any(is_title_word(t.key) for t in toks[start:i]):
        end = i - 1
        while end > start and (toks[end].key in RANKS or toks[end].key in HONORIFICS):
            end -= 1
        span = (toks[start].start, toks[end].end)
        return text[span[0] : span[1]], span
    # "known as NAME" / "identified the leader as NAME" with a title in the clause
    if i >= 2 and toks[i - 1].key == "as":
        k = i - 2
        while k >= 0 and i - k < 8:
            if is_title_word(toks[k].key):
                return toks[k].text, (toks[k].start, toks[k].end)
            if "," in text[toks[k].end : toks[k + 1].start]:
                break
            k -= 1
    # (2) appositive after: "NAME, (a|an|the)? ... commander of X"
    if j < len(toks) and text[toks[j - 1].end : toks[j].start].strip() == ",":
        k = j
        limit = min(len(toks), j + 12)
        while k < limit:
            t = toks[k]
            if k > j and any(c in text[toks[k - 1].end : t.start] for c in ",.;:"):
                break
            if is_title_word(t.key) and t.key not in ("figure", "official", "officer"):
                end = k
                while end + 1 < limit and (
                    toks[end + 1].key in ("of", "the", "in", "'s")
                    or toks[end + 1].is_cap
                    or toks[end + 1].key in TITLE_FILLERS
                ):
                    if any(c in text[toks[end].end : toks[end + 1].start] for c in ",.;:"):
                        break
                    end += 1
                span = (toks[j].start, toks[end].end)
                return text[span[0] : span[1]], span
            if t.key in _SPEECH_VERBS:
                break
            k += 1
    # (3) appositive before: "the Secretary-General of the X Brigades, NAME"
    while i >= 2 and (toks[i - 1].key in RANKS or toks[i - 1].key in HONORIFICS):
        i -= 1  # "the commandos commander, Lt. Col. NAME"
    if i >= 2 and text[toks[i - 1].end : toks[i].start].strip() == ",":
        k = i - 1
        stop = max(-1, i - 14)
        found = None
        while k > stop:
            t = toks[k]
            if k < i - 1 and any(c in text[t.end : toks[k + 1].start] for c in ",.;:\n"):
                break
            if is_title_word(t.key) and t.key not in ("official", "officer"):
                found = k
            k -= 1
        if found is not None:
            first = k + 1
            while first < found and toks[first].key in ("the", "a", "an", "in", "turn"):
                first += 1
            span = (toks[first].start, toks[i - 1].end)
            return text[span[0] : span[1]], span
    return None


def _title_and_org(
    reg: Registry, phrase: str, span: Span, actor_at: dict[int, str]
) -> tuple[str | None, str | None]:
    """'Coalition Spokesman Col.' -> ('Spokesman', 'US-led coalition'); the organisation is
    an actor inside the phrase or right before it ('Peshmerga commander')."""
    toks = tokenize(phrase)
    first = last = None
    for k, t in enumerate(toks):
        nxt = toks[k + 1].key if k + 1 < len(toks) else ""
        if is_title_word(t.key):
            first = k if first is None else first
            last = k
        elif first is not None and (
            t.key in ("chief", "general", "staff")
            or (t.key == "in" and nxt == "chief")
            or (t.key == "of" and toks[k - 1].key in ("chief", "minister") and nxt)
        ):
            last = k
        elif first is not None:
            break
    title = None
    if first is not None and last is not None:
        while toks[last].key in ("of", "in"):
            last -= 1
        title = phrase[toks[first].start : toks[last].end]
        title = title[0].upper() + title[1:]
    org = None
    for pos in range(span[0], span[1]):
        if pos in actor_at:
            org = actor_at[pos]
            break
    if org is None:
        for back in (2, 3, 4):  # "Peshmerga commander", "the ministry's secretary"
            if span[0] - back in actor_at:
                org = actor_at[span[0] - back]
                break
    return title, org


def _actor_lookup(actors: list[ActorMention]) -> dict[int, str]:
    out: dict[int, str] = {}
    for a in actors:
        if a.kind in ("media", "civilians"):
            continue
        for s, e in a.spans:
            for pos in range(s, e):
                out.setdefault(pos, a.name)
    return out


def _role_for(entry: PersonEntry, on_date: dt.date | None, context: list[str]) -> Role | None:
    roles = entry.roles_on(on_date) if on_date else list(entry.roles)
    if not roles:
        roles = list(entry.roles)
    if not roles:
        return None
    ctx = {w for c in context for w in fold(c).replace("-", " ").split()}
    if ctx:
        scored = [(len(ctx & set(fold(r.title).replace("-", " ").split())), r) for r in roles]
        best = max(scored, key=lambda x: x[0])
        if best[0] > 0:
            return best[1]
    # the current role: no end date first, then the latest start
    return max(roles, key=lambda r: (r.end is None, r.start or dt.date.min))


# ------------------------------------------------------------------ registry lookups
def _registry_person(reg: Registry, surface: str, words: list[Token]) -> PersonEntry | None:
    keys = tuple(t.key for t in words)
    if len(keys) < 2:
        return None
    hits = [p for p in reg.person_index.get(keys) if p.kind == "person"]
    if hits:
        return reg.persons[hits[0].ref]
    skel = skeleton(surface)
    refs = reg.person_skeletons.get(skel)
    if refs and len(refs) == 1:
        return reg.persons[next(iter(refs))]
    # fuzzy: same surname skeleton, full skeleton close
    last = skeleton_word(words[-1].text)
    best: tuple[float, str] | None = None
    for ref in reg.surname_skeletons.get(last, ()):
        p = reg.persons[ref]
        for form in (p.name, *p.aliases):
            s = skeleton(form)
            if len(s.split()) < 2:
                continue
            score = fuzz.ratio(s, skel) / 100.0
            if score >= 0.85 and (best is None or score > best[0]):
                best = (score, ref)
    return reg.persons[best[1]] if best else None


def _registry_short(
    reg: Registry, word: Token, on_date: dt.date | None, title: tuple[str, Span] | None
) -> PersonEntry | None:
    """A surname alone resolves only with a title before it ('PM Kadhimi') and a unique
    registry person of that surname (holding a role that day when the date is known)."""
    if title is None:
        return None
    refs = reg.surname_skeletons.get(skeleton_word(word.text), set())
    cands = [reg.persons[r] for r in refs]
    if on_date:
        cands = [p for p in cands if p.roles_on(on_date)]
    tw = set(fold(title[0]).replace("-", " ").split())
    if len(cands) > 1:
        cands = [p for p in cands if any(tw & set(fold(r.title).split()) for r in p.roles)]
    return cands[0] if len(cands) == 1 else None


def _back_reference(people: dict[str, _Person], word: Token) -> _Person | None:
    """The person already named whose surname this single word is ('Yawar', 'Al-Wali')."""
    sk = skeleton_word(word.text)
    if not sk:
        return None
    for p in people.values():
        if sk in p.surnames():
            return p
    return None


def _merge_target(people: dict[str, _Person], surface: str) -> _Person | None:
    """A discovered name that extends or repeats one already seen ('Jamal Mohammed' and
    'Lieutenant-General Jamal Mohammed')."""
    sk = skeleton(surface)
    for p in people.values():
        if p.key is not None:
            continue
        psk = skeleton(p.name)
        if sk == psk or sk.endswith(" " + psk) or psk.endswith(" " + sk):
            return p
    return None
