"""Finding place mentions in text and resolving them against the gazetteer.

One left-to-right pass over word tokens: from each capitalised word (or a
leading Arabic article) the matcher extends over following words while the
folded key is still a prefix of some gazetteer key, and keeps the longest full
key. Cost is linear in the text length (bounded n-gram extension, dict/set
lookups only). Candidates are then filtered and disambiguated:

- a stoplist of capitalised common words and personal names ("Iraqi", "Mustafa");
- words inside a longer capitalised name ("Mustafa al-Kadhimi") are not places;
- small villages need a locative cue ("in", "near", "village of", "X area");
- same-named places are chosen by the governorates and countries the text
  names elsewhere, a possessive anchor ("Erbil's Makhmour"), then
  population/feature priors;
- a governorate name is the province when the text says so ("Diyala
  province"), else the city of that name when there is one ("Kirkuk").

`choose_place` picks the place of an incident from the matches in its sentences.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import lru_cache

from rapidfuzz.distance import Levenshtein

from ingest.extract.fold import ARTICLES, ascii_fold, skeleton, wordset
from ingest.extract.gazetteer_index import GazetteerIndex, Place, loose_key
from ingest.extract.model import PlaceMatch

# Loose (consonant-outline) matches must still be this close in spelling.
_LOOSE_MIN_SIMILARITY = 0.75
# A small place this far from every well-known place the text names is a namesake.
_NEAR_KM = 300.0
# A direction from an anchor up to this far still places an event at the anchor.
_ANCHOR_KM = 50.0
# Up to this far, the anchor's governorate is still the best guess.
_GOVERNORATE_KM = 100.0
# How far (characters) a governorate named in the same sentence still contradicts.
_SAME_SENTENCE_CHARS = 150
# How far back (characters) a place without an entry looks for a governorate.
_BORROW_CHARS = 600
# Inputs longer than this are read in chunks (a 10 MB page must not need 1 GB).
_CHUNK_CHARS = 200_000
_SENTENCE_END = re.compile(r"[.!?]\s|\n")

_TOKEN = re.compile(r"[^\W_]+(?:['’‘`ʿʾ][^\W_]+)*")
_POSSESSIVE = ("'s", "’s")

# Capitalised words that are never a place on their own, whatever the context:
# function words at the start of a sentence, calendar words, demonyms and news
# vocabulary (GeoNames has villages called "Iraqi", "The" and "Russia").
NEVER_ALONE = wordset("""
    a an and as at but by for from he her his i if in into it its no not of on or our she so
    that the their then there these they this those to up us we what when where which while
    who why with after before since during according although also however meanwhile
    yesterday today tomorrow tonight morning evening night day week month year
    monday tuesday wednesday thursday friday saturday sunday
    january february march april may june july august september october november december
    iraqi iraqis syrian syrians kurdish kurd kurds turkish turk turks iranian iranians
    american americans arab arabs arabic shia shiite shiites shii sunni sunnis christian
    christians yazidi yazidis ezidi turkmen assyrian muslim muslims islamic islam jihadist
    jihadists israeli israelis lebanese jordanian saudi egyptian qatari emirati kuwaiti
    yemeni afghan pakistani indian japanese korean chinese russian russians german french
    british english european italian spanish dutch belgian swedish danish canadian
    australian ukrainian palestinian palestinians western eastern
    state states army police forces force security military government ministry council
    committee command operations operation brigade brigades division battalion regiment unit
    units group groups party front movement coalition alliance union federal national
    international republic democratic popular mobilization mobilisation federation tribal
    news agency press photo video reuters afp ap read more related share comments comment
    subscribe login sign click advertisement copyright rights reserved
    north south east west northern southern central middle upper lower
    new old great greater grand holy martyr martyrs god allah prophet
    said says told added
    """)
# Titles and common personal names: a place only when the text plainly presents
# one ("the village of Mustafa"); before another name they mark a person
# ("Mustafa al-Kadhimi", "Abu Bakr al-Baghdadi").
PERSONAL = wordset("""
    mr mrs ms dr sir gen general col colonel lt lieutenant maj major brig brigadier capt
    captain sgt sergeant cpl private president minister prime premier commander chief
    spokesman spokeswoman spokesperson governor mayor director head leader secretary official
    officials sheikh shaikh sheik imam mullah sayyid sayed
    mohammed muhammad mohammad mohamed ahmed ahmad ali hussein husein hussain hassan hasan
    mustafa mostafa omar umar othman uthman abdullah abdallah abdul abbas khalid khaled
    mahmoud mahmud ibrahim ismail yusuf youssef karim kareem salim saleh salih jabbar hadi
    qais qasim qassem nouri nuri haider haidar adel adil fuad masoud masrour nechirvan
    jalal barham bafel kosrat mazloum bashar hafez maher walid faleh falih ammar hamid
    hamed jaafar jafar mehdi mahdi sadiq sadeq talal tariq tarek zaid zeid ziad muqtada
    bakr abu umm ibn bin bint
    """)
# Places named by one of these words are still reachable through multi-word keys
# ("Umm Qasr", "Abu Ghraib").

# Lower-case words before a name that mark it as a location.
_CUE_BEFORE = wordset(
    "in near at outside from into around toward towards between via across inside "
    "outskirts to and of"
)
# "of" is a cue only after one of these ("the village of X", "north of X").
_OF_HEADS = wordset(
    "village town city area district subdistrict province governorate region outskirts "
    "suburb suburbs neighbourhood neighborhood vicinity countryside environs villages "
    "towns areas districts outskirt north south east west northeast northwest southeast "
    "southwest centre center heart part parts edge border perimeter"
)
# Lower-case words after a name that mark it as a location ("the Al Rashad area").
_PLACE_NOUNS = wordset(
    "village villages town city area district subdistrict sub province governorate region "
    "neighbourhood neighborhood camp countryside outskirts base airbase airport mountain "
    "mountains valley desert crossing checkpoint road highway bridge market square prison "
    "oilfield field fields refinery dam lake river plain plains front suburb quarter "
    "hospital university"
)
_PROVINCE_WORDS = wordset("province governorate provinces governorates")
# A capitalised name of up to four words, Arabic articles and particles allowed inside.
_NAME = (
    r"(?P<name>(?:(?:al|el)[-\s])?[A-Z][\w'’`]*(?:[-\s](?:(?:al|el|bin|ibn|bani)[-\s])?"
    r"[A-Z][\w'’`]*){0,3})"
)
_DISCOVER_OF = re.compile(
    r"\b(?i:village|town|hamlet|area|district|sub-?district|neighbou?rhood|suburb)\s+of\s+" + _NAME
)
_DISCOVER_NOUN = re.compile(
    r"\b(?i:in|near|at)\s+(?:the\s+)?"
    + _NAME
    + r"(?=\s+(?:village|town|area|district|sub-?district|neighbou?rhood|region)\b)"
)
# Lower-case generic words that begin some names ("lake Hamrin", "mount Sinjar").
_GEO_HEADS = wordset("lake mount mt jabal jebel wadi camp")
# Capitalised words that make "<Place> ..." the name of an organisation.
_ORG_WORDS = wordset(
    "command council councils units unit forces force brigade brigades police operations "
    "committee division regiment battalion movement party government administration "
    "directorate authority office ministry corps guards army front assembly"
)

_NEAR_WORDS = ("near", "outside", "around", "close")
_RELATION = re.compile(
    r"(?:(?:(?P<dist>\d[\d,.]*)\s*-?\s*(?P<unit>km|kms|kilomet(?:er|re)s?|miles?|mi)\s+)?"
    r"(?P<dir>(?:north|south|east|west)(?:[- ]?(?:east|west))?)(?:ern)?\s+of"
    r"|(?P<near>near|nearby|close\s+to|outside|around|on\s+the\s+outskirts\s+of"
    r"|the\s+outskirts\s+of|outskirts\s+of|in\s+the\s+vicinity\s+of|the\s+vicinity\s+of))"
    r"\s+(?:the\s+)?(?:(?:city|town|village|province|governorate|district)\s+of\s+)?$",
    re.IGNORECASE,
)


@dataclass(slots=True)
class _Tok:
    start: int
    end: int
    word: str
    lower: str
    cap: bool
    possessive: bool


@dataclass(slots=True)
class _Cand:
    first: int  # token indexes, inclusive
    last: int
    key: str  # exact key of the surface
    entries: list[int]  # gazetteer entries whose exact key is `key`
    loose: list[tuple[int, str]]  # (entry, its exact key) found by the consonant outline


@dataclass(frozen=True)
class PlaceChoice:
    """The place of an incident: the chosen match (if any) plus its governorate/country."""

    place: PlaceMatch | None
    admin1: str | None
    country: str | None


def _tokens(text: str) -> list[_Tok]:
    out: list[_Tok] = []
    append = out.append
    for m in _TOKEN.finditer(text):
        word = m.group()
        start, end = m.span()
        if word.endswith(_POSSESSIVE) and len(word) > 3:
            word = word[:-2]
            append(_Tok(start, end - 2, word, word.lower(), word[0].isupper(), True))
        else:
            append(_Tok(start, end, word, word.lower(), word[0].isupper(), False))
    return out


@lru_cache(maxsize=65536)
def _keys(word: str) -> tuple[str, str]:
    sk = skeleton(word)
    return sk, loose_key(sk)


def _joinable(text: str, a: _Tok, b: _Tok) -> bool:
    gap = text[a.end : b.start]
    if gap == " ":
        return not a.possessive  # the common case, decided without stripping
    return 0 < len(gap) <= 2 and gap.strip(" -‐–") == "" and not a.possessive


def _is_article(text: str, toks: list[_Tok], i: int) -> bool:
    """An Arabic article token: "al"/"el" anywhere, others only capitalised or hyphenated."""
    t = toks[i]
    if t.lower not in ARTICLES or i + 1 >= len(toks):
        return False
    if t.lower in ("al", "el"):
        return _joinable(text, t, toks[i + 1])
    nxt = text[t.end : t.end + 1]
    return nxt == "-" or (t.cap and toks[i + 1].cap and _joinable(text, t, toks[i + 1]))


def _borrow_governorates(text: str, out: list[PlaceMatch]) -> list[PlaceMatch]:
    """A place with no gazetteer entry (discovered, or a namesake set aside) whose own
    sentence names no governorate takes the governorate of the place the text named
    last before it ("... in Kirkuk. ... near the village of X"): news narrates outward
    from the place it has just named."""
    for i, m in enumerate(out):
        if m.geonames_id is not None or m.admin1 is not None or m.feature_code != "PPL":
            continue  # only discovered villages and set-aside namesakes borrow
        if any(
            o.admin1
            and abs(o.span[0] - m.span[0]) <= _SAME_SENTENCE_CHARS
            and not _SENTENCE_END.search(text, min(o.span[1], m.span[1]), max(o.span[0], m.span[0]))
            for o in out[max(0, i - 4) : i + 5]
            if o is not m
        ):
            continue  # the sentence says where it is; choose_place reads it from there
        for o in reversed(out[max(0, i - 8) : i]):
            if m.span[0] - o.span[1] > _BORROW_CHARS:
                break
            if o.admin1 and not _directional(o) and o.feature_code not in ("PCLI", "RGN"):
                out[i] = replace(m, admin1=o.admin1, country=m.country or o.country)
                break
    return out


def _far(place: Place, points: list[tuple[float, float]]) -> bool:
    """More than `_NEAR_KM` from every point (equirectangular distance is plenty here)."""
    if place.lat is None or place.lon is None or not points:
        return False
    coslat = math.cos(math.radians(place.lat))
    return all(
        math.hypot(place.lat - lat, (place.lon - lon) * coslat) * 111.2 > _NEAR_KM
        for lat, lon in points
    )


class PlaceFinder:
    """Scans texts for place mentions against one `GazetteerIndex`."""

    def __init__(self, index: GazetteerIndex) -> None:
        self.ix = index

    # ------------------------------------------------------------------ scanning
    def _scan(self, text: str, toks: list[_Tok]) -> list[_Cand]:
        """Longest gazetteer key starting at each capitalised word (or article)."""
        ix = self.ix
        cands: list[_Cand] = []
        n = len(toks)
        i = 0
        while i < n:
            t = toks[i]
            article = t.lower in ARTICLES and _is_article(text, toks, i)
            head = (
                t.lower in _GEO_HEADS
                and i + 1 < n
                and toks[i + 1].cap
                and _joinable(text, t, toks[i + 1])
            )
            if not (t.cap or article or head):
                i += 1
                continue
            exact_parts: list[str] = []
            loose_parts: list[str] = []
            best: _Cand | None = None
            live_exact = live_loose = True
            j = i
            while j < n and j - i < ix.max_tokens + 3:
                tj = toks[j]
                if j > i and not _joinable(text, toks[j - 1], tj):
                    break
                if (j == i and article) or (
                    j > i and tj.lower in ARTICLES and _is_article(text, toks, j)
                ):
                    j += 1
                    continue
                if not exact_parts and not (tj.cap or head):
                    break
                ek, lk = _keys(tj.word)
                exact_parts.append(ek)
                loose_parts.append(lk)
                key = " ".join(exact_parts)
                if live_exact:
                    if key in ix.exact:
                        best = _Cand(i, j, key, ix.exact[key], [])
                    live_exact = key in ix.exact_prefix
                if live_loose:
                    lkey = " ".join(loose_parts)
                    if lkey in ix.loose and (best is None or best.last < j):
                        best = _Cand(i, j, key, [], ix.loose[lkey])
                    live_loose = lkey in ix.loose_prefix
                if not (live_exact or live_loose) or tj.possessive:
                    break
                j += 1
            if best is not None:
                cands.append(best)
                i = best.last + 1
            else:
                i += 1
        return cands

    # ------------------------------------------------------------- context tests
    def _cue(self, text: str, toks: list[_Tok], c: _Cand) -> int:
        """2 for "village of X" / "X district", 1 for a locative word ("in X"), else 0."""
        weak = 0
        if c.first > 0:
            prev = toks[c.first - 1]
            gap = text[prev.end : toks[c.first].start]
            if gap.isspace() and "\n" not in gap:
                if prev.lower in ("the", "a") and c.first > 1:
                    prev = toks[c.first - 2]
                if prev.lower == "of":
                    head = toks[c.first - 2].lower if c.first > 1 else ""
                    if head == "the" and c.first > 2:
                        head = toks[c.first - 3].lower
                    if head in _OF_HEADS:
                        return 2
                elif prev.lower in _CUE_BEFORE:
                    weak = 1
        if c.last > c.first and toks[c.last].lower in _PLACE_NOUNS:
            return 2  # the name itself says what it is ("Sulaymaniyah airport")
        if c.last + 1 < len(toks):
            nxt = toks[c.last + 1]
            gap = text[toks[c.last].end : nxt.start]
            if len(gap) <= 2 and nxt.lower in _PLACE_NOUNS and not nxt.cap:
                return 2
        return weak

    def _inside_name(self, text: str, toks: list[_Tok], c: _Cand, lower_words: set[str]) -> int:
        """2 when the match ends a person's name ("Abu Bakr al-Baghdadi"), 1 when it
        continues some other capitalised name, else 0."""
        k = c.first - 1
        while k >= 0 and _is_article(text, toks, k) and _joinable(text, toks[k], toks[k + 1]):
            k -= 1
        if k < 0 or not _joinable(text, toks[k], toks[k + 1]):
            return 0
        prev = toks[k]
        if not prev.cap or prev.lower in NEVER_ALONE or prev.lower in lower_words:
            return 0  # not a name word ("Rockets Hit Baghdad" in a title-case headline)
        return 2 if ascii_fold(prev.word) in PERSONAL else 1

    def _followed_by_name(self, text: str, toks: list[_Tok], c: _Cand) -> bool:
        k = c.last + 1
        if k >= len(toks) or not _joinable(text, toks[c.last], toks[k]):
            return False
        while k < len(toks) - 1 and _is_article(text, toks, k):
            k += 1
        return toks[k].cap and toks[k].lower not in _PLACE_NOUNS

    def _names_organisation(self, text: str, toks: list[_Tok], c: _Cand) -> bool:
        """The place only names an organisation ("Sinjar Resistance Units", "Baghdad
        Operations Command", "Kirkuk Police")."""
        k = c.last
        for _ in range(4):
            if k + 1 >= len(toks) or not _joinable(text, toks[k], toks[k + 1]):
                return False
            k += 1
            if not toks[k].cap:
                return False
            if toks[k].lower in _ORG_WORDS:
                return True
        return False

    def _province_cue(self, text: str, toks: list[_Tok], c: _Cand) -> bool:
        if c.last + 1 < len(toks) and toks[c.last + 1].lower in _PROVINCE_WORDS:
            return True
        before = text[max(0, toks[c.first].start - 30) : toks[c.first].start].lower()
        return bool(re.search(r"(?:province|governorate)\s+of\s+(?:the\s+)?$", before))

    # ----------------------------------------------------------------- resolving
    def find(self, text: str) -> list[PlaceMatch]:
        """Every place mention in `text`, in order, resolved to one gazetteer entry.

        Very long inputs are read in line-aligned chunks, so memory stays bounded."""
        if len(text) <= _CHUNK_CHARS:
            return self._find(text)
        out: list[PlaceMatch] = []
        pos = 0
        while pos < len(text):
            end = min(len(text), pos + _CHUNK_CHARS)
            if end < len(text):
                cut = text.rfind("\n", pos + _CHUNK_CHARS // 2, end)
                end = cut + 1 if cut >= 0 else end
            for m in self._find(text[pos:end]):
                out.append(replace(m, span=(m.span[0] + pos, m.span[1] + pos)))
            pos = end
        return out

    def _find(self, text: str) -> list[PlaceMatch]:
        ix = self.ix
        toks = _tokens(text)
        raw = self._scan(text, toks)
        lower_words = {t.lower for t in toks if not t.cap}
        # Surnames seen inside a person's name ("Mustafa al-Kadhimi") are that person
        # when they recur alone ("Kadhimi said"), wherever they occur in the document.
        person_keys: set[str] = set()
        kept: list[tuple[_Cand, int, bool]] = []  # cand, cue, province cue
        for c in raw:
            inside = self._inside_name(text, toks, c, lower_words)
            if inside:
                if inside == 2 or not any(ix.places[e].known for e in c.entries):
                    person_keys.add(c.key)
                continue
            content = [toks[k] for k in range(c.first, c.last + 1) if toks[k].lower not in ARTICLES]
            if self._names_organisation(text, toks, c):
                continue
            cue = self._cue(text, toks, c)
            if len(content) == 1:
                word = ascii_fold(content[0].word)
                if word in NEVER_ALONE:
                    continue
                if word in PERSONAL and cue < 2:
                    person_keys.add(c.key)
                    continue
                if content[0].word.isupper() and len(word) <= 3:
                    continue  # an abbreviation ("IS", "US", "KDP")
                if cue == 0 and content[0].lower in lower_words:
                    # The text also uses the word as a common word: capitalised here by
                    # the sentence or a title-case headline ("Missiles", "Rockets Hit").
                    continue
            kept.append((c, cue, self._province_cue(text, toks, c)))

        # Context: governorates and countries named by unambiguous, well-known matches.
        ctx_admin1: dict[str, int] = {}
        ctx_country: dict[str, int] = {}
        ctx_points: list[tuple[float, float]] = []
        for c, _cue, _prov in kept:
            if c.key in person_keys:
                continue
            known = [ix.places[e] for e in c.entries if ix.places[e].known]
            admins = {p.admin1 for p in known if p.admin1}
            if len(admins) == 1:
                top = max(known, key=lambda p: p.prior)
                if top.lat is not None and top.lon is not None:
                    ctx_points.append((top.lat, top.lon))
            if len(admins) == 1:
                a = admins.pop()
                ctx_admin1[a] = ctx_admin1.get(a, 0) + 1
            ctrs = {p.country for p in known if p.country}
            if len(ctrs) == 1:
                ct = ctrs.pop()
                ctx_country[ct] = ctx_country.get(ct, 0) + 1

        out: list[PlaceMatch] = []
        resolved: list[Place] = []
        prev_anchor: Place | None = None
        prev_end = -1
        for c, cue, prov in kept:
            if c.key in person_keys:
                continue
            start, end = toks[c.first].start, toks[c.last].end
            anchor = prev_anchor if prev_anchor is not None and start - prev_end <= 40 else None
            if anchor is not None:
                cue = 2  # "Erbil's Makhmour": the possessive presents a place
            entries = [ix.places[e] for e in c.entries]
            if not entries and cue > 0 and not self._followed_by_name(text, toks, c):
                entries = self._loose_entries(c)
            place = self._resolve(entries, cue > 0, prov, ctx_admin1, ctx_country, anchor)
            if place is None:
                continue
            if not place.known and self._followed_by_name(text, toks, c):
                continue
            surface = text[start:end]
            relation = self._relation(text, start)
            if anchor is not None and out and out[-1].relation and not relation:
                # "north-east of Diyala's Baquba": the direction is from Baquba
                relation = out[-1].relation
                out[-1] = replace(out[-1], relation=None)
            if not place.known and place.admin1 not in ctx_admin1 and _far(place, ctx_points):
                # A village the text presents as a place, but the gazetteer only knows a
                # namesake far from everything else the text names: keep the mention,
                # leave its governorate to the surrounding text.
                place = Place(None, surface, None, place.country, "PPL", 0, None, None)
            out.append(self._match(place, surface, (start, end), relation))
            resolved.append(place)
            prev_anchor = place if toks[c.last].possessive else None
            prev_end = end
        out = self._unplace_contradicted(text, out, resolved, ctx_admin1)
        return _borrow_governorates(text, self._discover(text, out))

    def _discover(self, text: str, out: list[PlaceMatch]) -> list[PlaceMatch]:
        """Places the gazetteer lacks, where the text says what they are ("the village
        of Al Bahra Al Wusta", "the Hiwayja Fhiman area"): kept without an entry, their
        governorate left to the surrounding text."""
        found: list[PlaceMatch] = []
        taken = [m.span for m in out]
        for pattern in (_DISCOVER_OF, _DISCOVER_NOUN):
            for m in pattern.finditer(text):
                start, end = m.span("name")
                words = [w.lower() for w in _TOKEN.findall(m.group("name"))]
                content = [w for w in words if w not in ARTICLES]
                if not content or any(
                    w in NEVER_ALONE or w in _ORG_WORDS or w in _PLACE_NOUNS for w in content
                ):
                    continue
                if len(content) == 1 and content[0] in PERSONAL:
                    continue
                if any(a < end and start < b for a, b in taken):
                    continue
                taken.append((start, end))
                found.append(
                    PlaceMatch(
                        name=m.group("name"),
                        surface=m.group("name"),
                        span=(start, end),
                        geonames_id=None,
                        admin1=None,
                        country=None,
                        feature_code="PPL",
                        relation=self._relation(text, start),
                    )
                )
        if not found:
            return out
        return sorted(out + found, key=lambda x: x.span)

    def _unplace_contradicted(
        self,
        text: str,
        out: list[PlaceMatch],
        resolved: list[Place],
        ctx_admin1: dict[str, int],
    ) -> list[PlaceMatch]:
        """A small place resolved to a namesake while its own sentence names another
        governorate of the same country ("the village of X in Salahuddin's Shirqat
        district", X being only known in Anbar): leave its governorate unknown."""
        for i, (m, p) in enumerate(zip(out, resolved, strict=True)):
            if p.known or p.admin1 is None or p.admin1 in ctx_admin1:
                continue
            lo, hi = i, i
            while lo > 0 and m.span[0] - out[lo - 1].span[0] <= _SAME_SENTENCE_CHARS:
                lo -= 1
            while hi + 1 < len(out) and out[hi + 1].span[0] - m.span[0] <= _SAME_SENTENCE_CHARS:
                hi += 1
            near = [
                resolved[j]
                for j in range(lo, hi + 1)
                if j != i
                and resolved[j].known
                and resolved[j].admin1
                and resolved[j].country == p.country
                and not (out[j].relation or "").endswith(" of")
                and abs(out[j].span[0] - m.span[0]) <= _SAME_SENTENCE_CHARS
                and not _SENTENCE_END.search(
                    text, min(out[j].span[1], m.span[1]), max(out[j].span[0], m.span[0])
                )
            ]
            if near and all(q.admin1 != p.admin1 for q in near):
                out[i] = replace(
                    m, geonames_id=None, admin1=None, feature_code="PPL", lat=None, lon=None
                )
        return out

    def _loose_entries(self, c: _Cand) -> list[Place]:
        """Entries reached by the consonant outline whose spelling is close enough, and
        of which the surface is not the nisba adjective ("Baghdadi" is not Baghdad)."""
        out = []
        for idx, key in c.loose:
            if c.key == key + "i" or c.key == key + "ia":
                continue
            if Levenshtein.normalized_similarity(c.key, key) >= _LOOSE_MIN_SIMILARITY:
                out.append(self.ix.places[idx])
        return out

    def _resolve(
        self,
        entries: list[Place],
        cue: bool,
        province: bool,
        ctx_admin1: dict[str, int],
        ctx_country: dict[str, int],
        anchor: Place | None,
    ) -> Place | None:
        if not cue:
            entries = [p for p in entries if p.known]
        if not entries:
            return None
        adm1 = [p for p in entries if p.feature_code == "ADM1"]
        if adm1 and province:
            entries = adm1
        elif adm1:
            seats = [
                p
                for p in entries
                if p.feature_code != "ADM1"
                and (p.feature_code in ("PPLC", "PPLA") or p.population >= 50_000)
            ]
            entries = seats or adm1

        def score(p: Place) -> float:
            s = p.prior
            if p.admin1 and p.admin1 in ctx_admin1:
                s += 3.0
            if p.country and p.country in ctx_country:
                s += 1.0
            if anchor is not None and anchor.admin1 and p.admin1 == anchor.admin1:
                s += 6.0
            return s

        return max(entries, key=score)

    def _relation(self, text: str, start: int) -> str | None:
        window = text[max(0, start - 80) : start]
        tail = window[-40:].lower()
        if " of" not in tail and not any(w in tail for w in _NEAR_WORDS):
            return None  # cheap test first: most names have no relation
        m = _RELATION.search(window)
        if not m:
            return None
        if m.group("dir"):
            d = re.sub(r"[- ]", "", m.group("dir").lower())
            for a in ("east", "west"):
                if len(d) > len(a) and d.endswith(a) and not d.startswith(a):
                    d = d[: -len(a)] + "-" + a
            if m.group("dist"):
                try:
                    km = float(m.group("dist").replace(",", ""))
                except ValueError:
                    return f"{d} of"
                if m.group("unit").lower().startswith("mi"):
                    km *= 1.609
                return f"{round(km):d} km {d} of"
            return f"{d} of"
        near = " ".join(m.group("near").lower().split())
        if "outskirts" in near:
            return "outskirts of"
        if "vicinity" in near or near in ("nearby", "close to"):
            return "near"
        return near

    def _match(
        self, place: Place, surface: str, span: tuple[int, int], relation: str | None
    ) -> PlaceMatch:
        # Places keep the text's own spelling: gazetteer transliterations ("Ramadie",
        # "Aţ Ţārmīyah") are often not the form English readers know, and the entry
        # itself is identified by `geonames_id`. Governorates and countries are canonical.
        name = place.name if place.feature_code in ("ADM1", "PCLI", "RGN") else surface
        return PlaceMatch(
            name=name,
            surface=surface,
            span=span,
            geonames_id=place.gid,
            admin1=place.admin1,
            country=place.country,
            feature_code=place.feature_code,
            lat=place.lat,
            lon=place.lon,
            relation=relation,
        )


# Specificity of a match for choosing an incident's place (higher = more specific).
_SPECIFIC = {
    "PCLI": 1.0,
    "RGN": 1.5,
    "ADM1": 2.0,
    "ADM2": 2.5,
    "PPLC": 3.0,
    "PPLA": 3.0,
    "PPLA2": 3.5,
    "PPLA3": 3.5,
}


def specificity(m: PlaceMatch) -> float:
    return _SPECIFIC.get(m.feature_code or "", 4.0)


_KM = re.compile(r"([\d.]+) km ")


def relation_km(relation: str | None) -> float | None:
    """The distance a relation states ("30 km north of" -> 30.0), if any."""
    m = _KM.match(relation) if relation else None
    return float(m.group(1)) if m else None


def _directional(m: PlaceMatch) -> bool:
    rel = m.relation or ""
    return rel.endswith(" of") and rel != "outskirts of"


def choose_place(
    matches: Sequence[PlaceMatch], start: int = 0, end: int | None = None
) -> PlaceChoice:
    """The most specific place named in `[start, end)`.

    A place given only as a direction from an anchor ("south-east of Aleppo") is that
    anchor when it is close (no distance, or at most `_ANCHOR_KM`): the event is in its
    surroundings. Farther out (up to `_GOVERNORATE_KM`) only the anchor's governorate
    is kept; a distant anchor ("175 km north-east of Baghdad") gives neither. Anchors
    rank below places named outright."""
    if end is None:
        inside = [m for m in matches if m.span[0] >= start]
    else:
        inside = [m for m in matches if m.span[0] >= start and m.span[1] <= end]
    located = [m for m in inside if not _directional(m)]
    anchors = [
        m for m in inside if _directional(m) and (relation_km(m.relation) or 0.0) <= _ANCHOR_KM
    ]
    country = next((m.country for m in inside if m.country), None)
    # by identity: an anchor is directional, so no located match equals one
    anchor_ids = {id(m) for m in anchors}

    def rank(m: PlaceMatch) -> tuple[float, int]:
        return specificity(m) - (1.0 if id(m) in anchor_ids else 0.0), -m.span[0]

    pool = sorted(located + anchors, key=rank, reverse=True)
    if not pool:
        for m in inside:
            if _directional(m) and (relation_km(m.relation) or 0.0) <= _GOVERNORATE_KM:
                return PlaceChoice(None, m.admin1, m.country)
        return PlaceChoice(None, None, country)
    best = pool[0]
    admin1 = best.admin1 or next((m.admin1 for m in pool if m.admin1), None)
    country = best.country or country
    if best.feature_code in ("PCLI", "RGN"):
        return PlaceChoice(None, admin1, country)
    return PlaceChoice(best, admin1, country)
