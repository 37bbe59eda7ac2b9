"""Recognise actors (organisations, forces, groups, governments, media) in article text.

Three sources, in order of trust:

1. the registry (`registry.Registry.actor_index`): aliases matched longest-first over
   token n-grams; bare generic nouns ("soldiers", "security forces") count only when the
   sentence or document is about the actor's country; metonyms ("Ankara") only when not
   used as a place ("in Ankara");
2. patterns: "US-led ... coalition", nationality adjective + military noun ("Turkish
   drone"), acronyms defined in parentheses ("Counter-Terrorism Forces (CTF)");
3. discovery: a capitalised name ending in an organisational head noun ("Sinjar
   Resistance Units", "Deir ez-Zor Military Council", "al-Bazzoun tribe").
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from ingest.extract.bodies import possessed_bodies
from ingest.extract.model import ActorKind, ActorMention, Span
from ingest.extract.names import (
    Hit,
    Phrase,
    Token,
    fold,
    key_tokens,
    tokenize,
    tokenize_text,
    wordset,
)
from ingest.extract.registry import ActorEntry, Registry
from ingest.extract.text import Sentence

# Words that mark an actor name as a modifier of another noun: "PKK-affiliated militias".
MODIFIER_SUFFIXES = wordset(
    "backed led affiliated aligned allied linked run controlled supported sponsored"
)
_PATRON_SUFFIXES = wordset("backed aligned allied linked sponsored supported")
_LOCATIVE = wordset("""in into to from near across within at throughout inside outside towards toward via
    around over between""")
_SOURCE_WORDS = wordset("source sources said say says told official officials officer officers")
_SINGULAR_GENERIC = wordset("coalition army parliament soldier policeman officer government")

# Country cues: words that place a sentence in Iraq or Syria (for generic nouns).
_IRAQ_CUES = wordset("""iraq iraqi iraqis baghdad erbil arbil irbil kirkuk mosul nineveh ninawa ninewa diyala
    anbar basra basrah sulaimani sulaymaniyah slemani duhok dohuk kurdistan peshmerga krg
    salahuddin salahudin tikrit samarra fallujah ramadi najaf karbala babil hilla makhmour
    makhmur sinjar tarmiyah tarmiya hawija hawijah baquba baqubah khanaqin jurf haditha
    rutba qaim zakho halabja koya amerli balad daquq hamrin kut wasit maysan amarah
    nasiriyah diwaniyah muthanna shirqat bayji baiji qayyarah""")
_SYRIA_CUES = wordset("""syria syrian syrians damascus aleppo raqqa raqqah deir ezzor hasakah hasaka hassakeh
    qamishli idlib homs hama daraa latakia manbij kobani afrin palmyra tanf sdf aanes hol
    busayrah basira hajin baghouz tabqa quneitra tartus suwayda shadadi""")

# Cue word -> country (Iraq first where a word were in both lists).
_CUE_COUNTRY = {**dict.fromkeys(_SYRIA_CUES, "Syria"), **dict.fromkeys(_IRAQ_CUES, "Iraq")}

# Cue words that are places: "Diyala police command" is that province's police.
_PLACE_CUES = frozenset(_CUE_COUNTRY) - wordset(
    "iraq iraqi iraqis syria syrian syrians kurdistan peshmerga krg sdf aanes deir"
)
_LOCAL_POLICE_HEADS = wordset("command directorate department")

# Nationality adjective + military noun -> actor key ("Turkish drone" -> Turkey).
_NATIONALITY = {
    "turkish": "turkey",
    "iranian": "iran",
    "american": "united-states",
    "israeli": "israel",
    "russian": "russia",
}
_MILITARY_NOUNS = wordset("""drone drones strike strikes airstrike airstrikes air raid raids bombardment shelling
    artillery jets warplanes aircraft forces troops army military soldiers attack attacks
    operation operations offensive""")

# Organisational head nouns for discovery, with the kind they suggest.
_HEADS: dict[str, ActorKind] = {
    "brigade": "militia",
    "brigades": "militia",
    "battalion": "militia",
    "battalions": "militia",
    "militia": "militia",
    "units": "non_state_armed_group",
    "unit": "state_force",
    "forces": "state_force",
    "force": "state_force",
    "army": "non_state_armed_group",
    "front": "non_state_armed_group",
    "corps": "state_force",
    "division": "state_force",
    "regiment": "state_force",
    "command": "state_force",
    "directorate": "government",
    "department": "government",
    "police": "state_force",
    "guard": "state_force",
    "guards": "state_force",
    "council": "government",
    "ministry": "government",
    "administration": "government",
    "authority": "government",
    "commission": "government",
    "committee": "government",
    "office": "government",
    "government": "government",
    "party": "political_party",
    "movement": "political_party",
    "bloc": "political_party",
    "alliance": "political_party",
    "agency": "media",
    "news": "media",
    "network": "media",
    "media": "media",
    "tv": "media",
    "television": "media",
    "radio": "media",
    "observatory": "media",
    "company": "other",
    "organization": "other",
    "organisation": "other",
    "tribe": "other",
    "clan": "other",
    "group": "non_state_armed_group",
}
_LOWER_HEADS = frozenset({"tribe", "clan", "militia"})
_FRONT_HEADS = frozenset({"ministry", "council", "directorate", "office", "department", "union"})
# Words that alone never make an organisation's name.
_GENERIC = wordset("""the a an of for and in security forces force military army government special joint
    national federal armed local iraqi syrian kurdish turkish iranian american us u s police
    provincial interior defense defence ministry popular general central regional state
    international border elite intelligence counter terrorism terrorist islamic armed group
    groups units unit council command office media news agency network party movement
    division regiment brigade brigades battalion company organization organisation authority
    committee commission department directorate administration guard guards front bloc
    alliance tribe clan corps militia tv television radio observatory new our their its his
    her this that these those some other all related top latest read more""")
_CONNECTORS = frozenset({"of", "for", "the", "'s", "and"})
__all__ = ["MODIFIER_SUFFIXES", "Registry", "find_actors"]

_LOWER = re.compile(r"[a-z]")
_LETTERS2 = re.compile(r"[A-Za-z]{2,}")
_ORDINAL = re.compile(r"\d{1,3}(?:st|nd|rd|th)$")
_ACRONYM = re.compile(r"\(\s*([A-Z][A-Za-z0-9\-.]{1,9})\s*\)")


@dataclass
class _Acc:
    name: str
    kind: ActorKind
    key: str | None
    country: str | None
    names: list[str] = field(default_factory=list)
    spans: list[Span] = field(default_factory=list)

    def add(self, surface: str, span: Span) -> None:
        if surface not in self.names:
            self.names.append(surface)
        if span not in self.spans:
            self.spans.append(span)


class _Doc:
    """Per-document context: tokens, sentence of each token, country cues."""

    def __init__(self, text: str, sentences: list[Sentence]) -> None:
        self.text = text
        self.toks = list(tokenize_text(text))
        self.sentences = sentences
        self.sent_starts = [s.start for s in sentences]
        counts = {"Iraq": 0, "Syria": 0}
        per_sentence = [{"Iraq": 0, "Syria": 0} for _ in sentences]
        for t in self.toks:
            country = _CUE_COUNTRY.get(t.key)
            if country is not None:
                counts[country] += 1
                if sentences:
                    per_sentence[self.sentence_of(t.start)][country] += 1
        self.sent_country: list[str | None] = [_winner(c) for c in per_sentence]
        self.doc_country = _winner(counts)

    def sentence_of(self, pos: int) -> int:
        return max(0, bisect.bisect_right(self.sent_starts, pos) - 1)

    def country_at(self, pos: int) -> str | None:
        if not self.sentences:
            return self.doc_country
        i = self.sentence_of(pos)
        return self.sent_country[i] or self.doc_country


def _cues(text: str) -> dict[str, int]:
    """Counts of Iraq and Syria cue words in `text`."""
    c = {"Iraq": 0, "Syria": 0}
    for t in tokenize(text):
        if t.key in _IRAQ_CUES:
            c["Iraq"] += 1
        elif t.key in _SYRIA_CUES:
            c["Syria"] += 1
    return c


def _winner(c: dict[str, int]) -> str | None:
    if c["Iraq"] > c["Syria"]:
        return "Iraq"
    if c["Syria"] > c["Iraq"]:
        return "Syria"
    return None


def find_actors(
    reg: Registry, text: str, sentences: list[Sentence], include_categories: bool = False
) -> list[ActorMention]:
    """Actors mentioned in `text`, one `ActorMention` per actor, in order of first mention."""
    doc = _Doc(text, sentences)
    toks = doc.toks
    accs: dict[str, _Acc] = {}
    covered: list[tuple[int, int]] = []  # token ranges taken by registry/pattern matches

    def take(entry_key: str, i: int, j: int) -> None:
        a = reg.actors[entry_key]
        if a.kind == "civilians" and not include_categories:
            return
        span = (toks[i].start, toks[j - 1].end)
        acc = accs.get(a.key)
        if acc is None:
            acc = accs[a.key] = _Acc(a.name, a.kind, a.key, a.country)
        acc.add(text[span[0] : span[1]], span)
        covered.append((i, j))

    caps_lines = _all_caps_lines(text)
    hits = reg.actor_index.scan(toks)
    hits = _us_led_coalition(reg, toks, hits)
    local_police: list[str] = []
    prev_hit: tuple[int, str] | None = None  # (end token, key) of the last chosen hit
    for hit in hits:
        local = _local_police(toks, hit)
        if local is not None:
            a, b = local
            span = (toks[a].start, toks[b - 1].end)
            surface = text[span[0] : span[1]]
            fk = "~" + " ".join(t.key for t in toks[a : a + 2])  # "~diyala police"
            accs.setdefault(fk, _Acc(surface, "state_force", None, "Iraq")).add(surface, span)
            local_police.append(fk)
            covered.append((a, b))
            prev_hit = None
            continue
        key = _choose(reg, doc, hit, caps_lines)
        if key and _generic_of_other(hit, prev_hit, toks):
            key = None
        if (
            key
            and prev_hit is not None
            and prev_hit[0] == hit.start - 1
            and toks[hit.start - 1].key == "'s"
        ):
            # "the Kurdistan Region's Interior Ministry", "Turkey's Defence Ministry":
            # the body the possessor owns, not a namesake elsewhere
            key = _owned_body(reg, prev_hit[1], toks[hit.start : hit.end]) or key
        if key:
            take(key, hit.start, hit.end)
            prev_hit = (hit.end, key)
    _nationality_adjectives(reg, toks, covered, take)
    _aircraft(reg, toks, covered, take)
    _discover(reg, doc, accs, covered)
    _possessed(text, accs)
    _acronyms(reg, text, toks, accs, covered)
    for fk in local_police:
        # "Kirkuk police" is the "Kirkuk Police Command" the text also names
        full = next((k for k in accs if k.startswith(fk + " ")), None)
        if full is not None and fk in accs:
            own = accs.pop(fk)
            for n in own.names:
                accs[full].add(n, own.spans[0])
            for sp in own.spans:
                accs[full].add(own.names[0], sp)
    _fold_generic_police(reg, accs)
    out: list[ActorMention] = []
    for acc in sorted(accs.values(), key=lambda a: min(a.spans)):
        names = list(acc.names)
        if acc.key:
            entry = reg.actors[acc.key]
            for form in (entry.name, *entry.aliases):
                if form not in names:
                    names.append(form)
        out.append(
            ActorMention(
                name=acc.name,
                kind=acc.kind,
                key=acc.key,
                names=names,
                spans=sorted(acc.spans),
                country=acc.country,
            )
        )
    return out


# ------------------------------------------------------------------ registry hits
def _choose(reg: Registry, doc: _Doc, hit: Hit, caps_lines: list[tuple[int, int]]) -> str | None:
    toks = doc.toks
    first, last = toks[hit.start], toks[hit.end - 1]
    nxt = toks[hit.end] if hit.end < len(toks) else None
    prev = toks[hit.start - 1] if hit.start > 0 else None
    if last.hyphen_after and nxt is not None and nxt.key == "based":
        return None  # "UK-based Observatory": a place of registration, not the actor
    if prev is not None and prev.hyphen_after and prev.key in ("pro", "anti"):
        return None  # "pro-Iran fighters": a stance, not the actor
    if (
        last.hyphen_after
        and nxt is not None
        and nxt.key in _PATRON_SUFFIXES
        and any(reg.actors[p.ref].kind == "government" for p in hit.phrases)
    ):
        return None  # "Iran-backed militias": the patron state is not a party here
    country = doc.country_at(first.start)
    phrases = list(hit.phrases)
    if any(p.case == "upper" for p in phrases) and _in_ranges(first.start, caps_lines):
        phrases = [p for p in phrases if p.case != "upper"]
    aliases = [p for p in phrases if p.kind == "alias"]
    if aliases and _border_side(doc, hit):
        return None  # "Diyala, which borders Iran", "the border between Iraq and Iran"
    if aliases:
        return _by_country(reg, aliases, country)
    metonyms = [p for p in phrases if p.kind == "metonym"]
    if metonyms:
        ref = metonyms[0].ref
        if (
            hit.end - hit.start == 1
            and reg.actors[ref].country == country
            and not _subject_of_verb(doc.text, toks, hit.end)
        ):
            # the capital of the country the text is about is mostly a place ("in
            # Baghdad"; a region such as "Kurdistan Region" is not held to this): its
            # government only as the subject of a verb ("Baghdad has
            # recalled ...", "Baghdad was not a party")
            return None
        return ref if _actor_use(doc, hit) else None
    generics = [p for p in phrases if p.kind == "generic"]
    # a generic noun of a country's actor needs the text to be about that country; one
    # of an actor with no country ("the coalition") does not
    cands = [p for p in generics if reg.actors[p.ref].country in (None, country)]
    if not cands:
        return None
    word = last.key
    # a bare singular ("coalition", "army") needs a definite determiner
    if word in _SINGULAR_GENERIC and (
        prev is None or prev.key not in ("the", "its", "their", "our")
    ):
        return None
    after = toks[hit.end : hit.end + 3]
    definite = prev is not None and prev.key in ("the", "its", "their", "our")
    if not definite and (
        any(t.key in _SOURCE_WORDS for t in after)
        or (after and after[0].key == "and" and any(t.key in _SOURCE_WORDS for t in after[1:]))
    ):
        return None  # "police said", "police and medical sources": a source, not an actor
    return cands[0].ref


def _local_police(toks: list[Token], hit: Hit) -> tuple[int, int] | None:
    """Token range of a province's or city's police: "the Diyala police command",
    "Kirkuk police" (a force of its own in analysts' records, not the national police)."""
    i = hit.start
    if hit.end - i != 1 or toks[i].key != "police" or toks[i].is_cap or i == 0:
        return None
    place = toks[i - 1]
    if not place.is_cap or place.key not in _PLACE_CUES or place.hyphen_after:
        return None
    if i >= 2 and toks[i - 2].is_cap and toks[i - 2].key not in _LOCATIVE | {"the", "by"}:
        return None  # part of a longer capitalised name: not a place's police
    end = hit.end
    if end < len(toks) and toks[end].key in _LOCAL_POLICE_HEADS and not toks[end].is_cap:
        end += 1
    return i - 1, end


_BORDER = wordset("border borders bordering bordered frontier")


def _generic_of_other(hit: Hit, prev_hit: tuple[int, str] | None, toks: list[Token]) -> bool:
    """A generic noun that belongs to another actor: 'US-led coalition troops' (right after
    that actor's name), 'its troops' (an owner named elsewhere)."""
    if any(p.kind != "generic" for p in hit.phrases):
        return False
    if prev_hit is not None and prev_hit[0] == hit.start:
        return True
    return hit.start > 0 and toks[hit.start - 1].key in ("its", "their", "his", "her")


def _border_side(doc: _Doc, hit: Hit) -> bool:
    """The hit is a country as one side of a border: a place, not an actor."""
    toks = doc.toks
    at = toks[hit.start].start
    nxt = toks[hit.end] if hit.end < len(toks) else None
    if nxt is not None and nxt.key in _BORDER and hit.end - hit.start == 1:
        return doc.sentence_of(nxt.start) == doc.sentence_of(at)  # "the Iran border"
    k = hit.start - 1
    if k < 0:
        return False
    key = toks[k].key
    if key in _BORDER:
        border = True
    elif key in ("with", "between", "and"):
        border = any(t.key in _BORDER for t in toks[max(0, k - 4) : k])
    else:
        return False
    return border and doc.sentence_of(toks[k].start) == doc.sentence_of(at)


def _owned_body(reg: Registry, owner: str, words: list[Token]) -> str | None:
    """An actor under `owner` (child or grandchild) with a form containing all `words`."""
    want = {t.key for t in words if not t.article and t.key != "the"}
    for entry in reg.actors.values():
        parent = reg.actors.get(entry.parent) if entry.parent else None
        if entry.parent != owner and (parent is None or parent.parent != owner):
            continue
        for form in (entry.name, *entry.aliases):
            if want <= set(key_tokens(form)):
                return entry.key
    return None


_SUBJECT_VERBS = wordset(
    """has have had is was were will would says said wants wanted accused accuses demanded
    demands rejected rejects condemned condemns insists insisted recalled lodged denies denied
    called warned warns refused refuses agreed agrees must should could cannot summoned
    blamed blames announced announces responded responds"""
)


def _subject_of_verb(text: str, toks: list[Token], j: int) -> bool:
    """Is toks[j] (right after a name, nothing but a space between) a verb the name is
    the subject of? ("north of Baghdad, were captured" is not.)"""
    return (
        0 < j < len(toks)
        and toks[j].key in _SUBJECT_VERBS
        and not toks[j].is_cap
        and text[toks[j - 1].end : toks[j].start] == " "
    )


def _by_country(reg: Registry, phrases: list[Phrase], country: str | None) -> str:
    if len(phrases) > 1 and country:
        for p in phrases:
            if reg.actors[p.ref].country == country:
                return p.ref
    return phrases[0].ref


def _actor_use(doc: _Doc, hit: Hit) -> bool:
    """A place name used for its government: not after a locative preposition, not in a
    dateline ("ERBIL, Kurdistan Region -")."""
    toks = doc.toks
    k = hit.start - 1
    while k >= 0 and toks[k].key in ("the", "autonomous", "semi", "iraq", "'s", "iraqi"):
        k -= 1
    if k >= 0 and toks[k].key in _LOCATIVE:
        return False
    start = toks[hit.start].start
    before = doc.text[max(0, start - 3) : start]
    if "," in before and k >= 0 and toks[k].is_upper:
        return False  # dateline
    end = toks[hit.end - 1].end
    return not doc.text[end : end + 8].lower().startswith(" of iraq")


def _all_caps_lines(text: str) -> list[tuple[int, int]]:
    out = []
    pos = 0
    for line in text.split("\n"):
        if not _LOWER.search(line) and len(_LETTERS2.findall(line)) >= 3:
            out.append((pos, pos + len(line)))
        pos += len(line) + 1
    return out


def _in_ranges(pos: int, ranges: list[tuple[int, int]]) -> bool:
    return any(a <= pos < b for a, b in ranges)


def _us_led_coalition(reg: Registry, toks: list[Token], hits: list[Hit]) -> list[Hit]:
    """'U.S.-led counter-Islamic State coalition' -> one coalition mention."""
    if "us-led-coalition" not in reg.actors:
        return hits
    out: list[Hit] = []
    skip_until = -1
    for h in hits:
        if h.start < skip_until:
            continue
        refs = {p.ref for p in h.phrases}
        end = h.end
        if (
            "united-states" in refs
            and end < len(toks)
            and toks[end - 1].hyphen_after
            and toks[end].key == "led"
        ):
            for k in range(end + 1, min(end + 7, len(toks))):
                if toks[k].key == "coalition":
                    phrase = Phrase("us-led-coalition", "US-led coalition", "alias", "any")
                    out.append(Hit(h.start, k + 1, (phrase,)))
                    skip_until = k + 1
                    break
                if toks[k].key == "and" or not toks[k].text[:1].isalnum():
                    break
            if skip_until > h.start:
                continue
        out.append(h)
    return out


def _nationality_adjectives(
    reg: Registry,
    toks: list[Token],
    covered: list[tuple[int, int]],
    take: Callable[[str, int, int], None],
) -> None:
    for i in [i for i, t in enumerate(toks[:-1]) if t.key in _NATIONALITY]:
        t = toks[i]
        key = _NATIONALITY[t.key]
        if key not in reg.actors or not t.is_cap or t.hyphen_after:
            continue
        if _covered(covered, i):
            continue
        nxt = toks[i + 1]
        if nxt.key in _MILITARY_NOUNS or (
            nxt.key in ("army", "air") or (i + 2 < len(toks) and toks[i + 2].key in _MILITARY_NOUNS)
        ):
            take(key, i, i + 1)


_AIRCRAFT = wordset("jets jet warplanes warplane aircraft planes fighters bombers helicopters")
_AIRCRAFT_FILLERS = wordset("fighter combat attack military war bomber")


def _aircraft(
    reg: Registry,
    toks: list[Token],
    covered: list[tuple[int, int]],
    take: Callable[[str, int, int], None],
) -> None:
    """'Iraqi F-16 fighter jets' -> whoever the registry says '<Iraqi> warplanes' are."""
    for j in [j for j, t in enumerate(toks) if t.key in _AIRCRAFT and j > 1]:
        i = j - 1
        while (
            i > j - 5
            and i > 0
            and (
                toks[i].key in _AIRCRAFT_FILLERS
                or any(c.isdigit() for c in toks[i].text)  # "F-16", "Su-24", "MiG-29"
                or (len(toks[i].text) <= 3 and toks[i + 1].text[:1].isdigit())
            )
        ):
            i -= 1
        if i == j - 1 or not toks[i].is_cap or _covered(covered, i) or _covered(covered, j):
            continue  # "Iraqi jets" is a registry alias already
        key = reg.actor_key(toks[i].text + " warplanes")
        if key is not None:
            take(key, i, j + 1)


def _covered(covered: list[tuple[int, int]], i: int) -> bool:
    return any(a <= i < b for a, b in covered)


# ------------------------------------------------------------------ acronyms
def _acronyms(
    reg: Registry,
    text: str,
    toks: list[Token],
    accs: dict[str, _Acc],
    covered: list[tuple[int, int]],
) -> None:
    """'Counter-Terrorism Forces (CTF)': the acronym then stands for the same actor."""
    by_end: dict[int, _Acc] = {}
    for acc in accs.values():
        for _, e in acc.spans:
            by_end[e] = acc
    learned: dict[str, _Acc] = {}
    for m in _ACRONYM.finditer(text):
        acr = m.group(1)
        letters = [c for c in acr if c.isalpha()]
        if not letters or sum(c.isupper() for c in letters) < max(2, len(letters) - 1):
            continue
        gap = text[max(0, m.start() - 2) : m.start()]
        end = m.start() - (len(gap) - len(gap.rstrip()))
        owner = by_end.get(end)
        if owner is not None and acr not in learned:
            learned[acr] = owner
            owner.add(acr, (m.start(1), m.end(1)))
    if not learned:
        return
    for i, t in enumerate(toks):
        owner = learned.get(t.text)
        if owner is not None and not _covered(covered, i):
            owner.add(t.text, (t.start, t.end))
            covered.append((i, i + 1))


# ------------------------------------------------------------------ discovery
def _discover(
    reg: Registry, doc: _Doc, accs: dict[str, _Acc], covered: list[tuple[int, int]]
) -> None:
    toks = doc.toks
    text = doc.text
    sent_first: set[int] = set()
    starts = [t.start for t in toks]
    for s in doc.sentences:
        k = bisect.bisect_left(starts, s.start)
        if k < len(toks):
            sent_first.add(k)
    i, n = 0, len(toks)
    while i < n:
        t = toks[i]
        if not (t.is_cap or t.article or (t.text[:1].isdigit() and _ORDINAL.match(t.text))):
            i += 1  # a run starts at a capitalised word, an article or "41st"
            continue
        j = i
        while j < n and _run_word(toks, j):
            if j > i and _gap_breaks(text, toks[j - 1], toks[j]):
                break
            j += 1
        run_end = j
        # a lower-case head right after the run: "al-Bazzoun tribe"
        if (
            run_end < n
            and toks[run_end].key in _LOWER_HEADS
            and not _gap_breaks(text, toks[run_end - 1], toks[run_end])
        ):
            run_end += 1
        cand = _org_candidate(toks, i, run_end, sent_first)
        if cand is not None:
            a, b, kind = cand
            if not any(x < b and a < y for x, y in covered):
                span = (toks[a].start, toks[b - 1].end)
                surface = text[span[0] : span[1]]
                key = reg.actor_key(surface)
                if key is not None:
                    entry: ActorEntry = reg.actors[key]
                    acc = accs.get(key) or accs.setdefault(
                        key, _Acc(entry.name, entry.kind, key, entry.country)
                    )
                else:
                    fk = "~" + " ".join(t.key for t in toks[a:b] if not t.article)
                    acc = accs.setdefault(fk, _Acc(surface, kind, None, None))
                acc.add(surface, span)
                covered.append((a, b))
        i = max(run_end, i + 1)


def _possessed(text: str, accs: dict[str, _Acc]) -> None:
    """'the camp's administration', 'Zakho's local administration' (see `bodies`), unless
    the owner is an actor already found ('the KRG's administration' is the KRG's)."""
    bodies = possessed_bodies(text)
    if not bodies:
        return
    taken = [sp for acc in accs.values() for sp in acc.spans]
    for body in bodies:
        if any(a < body.span[1] and body.span[0] < b for a, b in taken):
            continue
        acc = accs.setdefault("~" + fold(body.name), _Acc(body.name, body.kind, None, None))
        acc.add(body.surface, body.span)


def _run_word(toks: list[Token], j: int) -> bool:
    t = toks[j]
    if t.is_cap or t.article or t.text[:1].isdigit():
        return True
    if t.key in _CONNECTORS and j + 1 < len(toks):
        nxt = toks[j + 1]
        return nxt.is_cap or nxt.article or nxt.key == "the"
    return False


def _gap_breaks(text: str, a: Token, b: Token) -> bool:
    gap = text[a.end : b.start]
    if a.key == "'s" or b.key == "'s":
        return False
    return bool(gap.strip(" -‐‑")) or "\n" in gap


def _org_candidate(
    toks: list[Token], i: int, j: int, sent_first: set[int]
) -> tuple[int, int, ActorKind] | None:
    # trim leading determiners and trailing connectors
    while i < j and toks[i].key in ("the", "a", "an"):
        i += 1
    while j > i and toks[j - 1].key in _CONNECTORS:
        j -= 1
    if j - i < 2:
        return None
    words = [t for t in toks[i:j] if not t.article and t.key not in _CONNECTORS]
    if not words:
        return None
    of = next((k for k in range(i, j) if toks[k].key == "of"), None)
    if of is not None and of - i <= 2 and not any(t.key in _HEADS for t in toks[i:of]):
        i = of + 1  # "Fighters of the X Units" -> "X Units"
        while i < j and toks[i].key == "the":
            i += 1
        if j - i < 2:
            return None
    head = toks[j - 1].key
    kind = _HEADS.get(head)
    if kind is None and toks[i].key in _FRONT_HEADS and any(t.key == "of" for t in toks[i:j]):
        kind = _HEADS.get(toks[i].key, "government")
    if kind is None:
        return None
    if head in _LOWER_HEADS:
        pass
    elif not toks[j - 1].is_cap:
        return None
    proper = [t for t in words if t.key not in _GENERIC]
    if not proper:
        return None
    if i in sent_first and len(proper) == 1 and proper[0] is toks[i] and len(words) <= 2:
        return None  # "Federal Forces repelled ..." at a sentence start
    if any(t.is_upper and len(t.text) > 1 for t in words) and all(t.is_upper for t in words):
        return None  # an all-capitals headline or credit line
    return i, j, kind


def _fold_generic_police(reg: Registry, accs: dict[str, _Acc]) -> None:
    """Bare 'police' means the specific police force the text names, when it names one."""
    generic = accs.get("iraqi-police")
    if generic is None:
        return
    specific = [
        a for k, a in accs.items() if k != "iraqi-police" and "police" in fold(a.name).split()
    ]
    if not specific:
        return
    entry = reg.actors["iraqi-police"]
    generic_forms = {fold(f) for f in entry.generic}
    if all(fold(n) in generic_forms for n in generic.names):
        target = specific[0]
        for n in generic.names:
            target.add(n, generic.spans[0])
        for sp in generic.spans:
            target.add(generic.names[0], sp)
        del accs["iraqi-police"]
