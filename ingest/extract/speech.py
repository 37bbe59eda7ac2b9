"""The vocabulary of reported speech: reporting verbs, source nouns, channels.

Two kinds of reporting verb matter for what the statement's content is:

- *say* verbs ("said", "told", "added", "announced that") introduce the content, so the
  verb is not part of it: "X said the attack was repelled" -> "the attack was repelled";
- *act* verbs ("blamed", "ordered", "condemned", "called on") are the speech act itself:
  "X blamed a security vacuum for ..." -> "blamed a security vacuum for ...".

Some verbs only attribute when they come after the content ("..., the statement read",
"..., Iraq's security media cell published").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ingest.extract.names import Token, wordset

SAY = "say"
ACT = "act"
TRAILING_ONLY = "trailing"


@dataclass(frozen=True, slots=True)
class Verb:
    start: int  # token index of the first word
    end: int  # token index after the last word
    kind: str  # SAY | ACT | TRAILING_ONLY


_SAY_WORDS = wordset(
    """said says say saying told tells tell telling added adds adding stated states noted
    notes stressed stresses confirmed confirms explained explains reported reports
    reporting affirmed affirms declared declares insisted insists tweeted tweets wrote
    writes posted indicated indicates mentioned disclosed clarified emphasized emphasised
    emphasizes argued argues believes believe estimated estimates complained complains
    alleged alleges acknowledged admitted assured reiterated announced announces
    announcing revealed reveals stating noting"""
)
_ACT_WORDS = wordset(
    """blamed blames blame accused accuses accuse ordered orders directed condemned condemns
    condemn denounced denounces urged urges warned warns warning claimed claims claim
    claiming denied denies deny disputed disputes described describes identified outlined
    vowed vows pledged threatened held demanded welcomed rejected dismissed criticized
    criticised slammed praised appealed extended alluded reject rejects"""
)
_TRAILING_WORDS = wordset("read reads published learnt learned continued")
# Multi-word verbs: (words, kind)
_PHRASES: tuple[tuple[tuple[str, ...], str], ...] = (
    (("pointed", "out"), SAY),
    (("points", "out"), SAY),
    (("went", "on", "to", "say"), SAY),
    (("went", "on", "to", "add"), SAY),
    (("called", "on"), ACT),
    (("called", "for"), ACT),
    (("calling", "on"), ACT),
    (("calling", "for"), ACT),
    (("calls", "on"), ACT),
    (("calls", "for"), ACT),
    (("played", "down"), ACT),
    (("plays", "down"), ACT),
    (("alluded", "to"), ACT),
    (("according", "to"), SAY),
)
_PHRASE_STARTS: dict[str, list[tuple[tuple[str, ...], str]]] = {}
for _words, _kind in _PHRASES:
    _PHRASE_STARTS.setdefault(_words[0], []).append((_words, _kind))

# One look-up per word: say verbs first, then act verbs, then trailing-only verbs.
_WORD_KIND = {
    **dict.fromkeys(_TRAILING_WORDS, TRAILING_ONLY),
    **dict.fromkeys(_ACT_WORDS, ACT),
    **dict.fromkeys(_SAY_WORDS, SAY),
}
# Every word that may start a reporting verb: a sentence without one has none.
VERB_WORDS = frozenset(_WORD_KIND) | frozenset(_PHRASE_STARTS)

_PASSIVE = wordset("be been being was were is are")
_ADVERBS = wordset("first also later initially previously widely officially")
_NEGATION = wordset("not never n't didn't hasn't haven't wasn't rarely declined refused")
_NOT_SPEECH_AFTER = wordset("lives life victory control responsibility")  # checked per verb

# Nouns that make a source generic when no organisation is named with them.
SOURCE_NOUNS = wordset(
    """source sources official officials officer officers witness witnesses resident
    residents local locals medic medics doctor doctors engineer expert experts analyst
    analysts observer observers people victims activists activist reports report media
    journalists journalist member members personnel spokesman spokesperson spokeswoman
    fighters authorities security"""
)
# Nouns that refer back to the organisation that issued an earlier statement.
STATEMENT_NOUNS = wordset("statement statements report communique communiqué release post")
# Pronouns as speakers.
PERSON_PRONOUNS = wordset("he she")
ORG_PRONOUNS = wordset("it")
PLURAL_PRONOUNS = wordset("they")

CASUALTY = re.compile(
    r"\b(?:killed|killing|kill|dead|died|death|deaths|wounded|wounding|injured|injuring|"
    r"injuries|hurt|casualties|martyred|toll)\b",
    re.IGNORECASE,
)
NUMBER = re.compile(
    r"\b(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|"
    r"fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|"
    r"dozens?|hundreds?|scores?)\b",
    re.IGNORECASE,
)
_CHANNELS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"\btelegram\b", re.I), "telegram"),
    (re.compile(r"\btwitter\b|\btweet|\bon x\b|\bx account\b", re.I), "twitter"),
    (re.compile(r"\bfacebook\b", re.I), "facebook"),
    (re.compile(r"\binterview\b", re.I), "interview"),
    (
        re.compile(r"\bpress conference\b|\bnews conference\b|\bbriefing\b", re.I),
        "press_conference",
    ),
    (re.compile(r"\bwebsite\b", re.I), "website"),
    (re.compile(r"\baudio\b|\bvideo\b|\btelevised\b|\btelevision\b", re.I), "broadcast"),
    (re.compile(r"\bstatement\b|\bcommuniqu", re.I), "statement"),
)


def channel_of(attribution: str) -> str | None:
    """The channel named in an attribution ('said in a statement on Telegram')."""
    for rx, name in _CHANNELS:
        if rx.search(attribution):
            return name
    return None


def is_casualty_report(content: str) -> bool:
    """Content that gives casualty figures (unnamed sources' figures are not statements)."""
    return bool(CASUALTY.search(content)) and bool(NUMBER.search(content))


def find_verbs(toks: list[Token], outside: list[bool]) -> list[Verb]:
    """Reporting verbs among `toks`; `outside[i]` says token i is outside quotation marks."""
    out: list[Verb] = []
    after = 0  # tokens before this belong to a verb already found
    # only words that may start a verb are looked at (a list comprehension is cheap)
    for i in [i for i, t in enumerate(toks) if t.key in VERB_WORDS]:
        if i < after or not outside[i]:
            continue
        key = toks[i].key
        matched = None
        for words, kind in _PHRASE_STARTS.get(key, ()):
            k = len(words)
            if tuple(t.key for t in toks[i : i + k]) == words:
                matched = Verb(i, i + k, kind)
                break
        if matched is None:
            word_kind = _WORD_KIND.get(key)
            if word_kind is not None and _verb_use(toks, i):
                matched = Verb(i, i + 1, word_kind)
        if matched is not None:
            out.append(matched)
            after = matched.end
    return out


def _verb_use(toks: list[Token], i: int) -> bool:
    """Excludes passives ('was reported'), negations, noun uses and idioms."""
    key = toks[i].key
    prev = toks[i - 1].key if i > 0 else ""
    prev2 = toks[i - 2].key if i > 1 else ""
    nxt = toks[i + 1].key if i + 1 < len(toks) else ""
    nxt2 = toks[i + 2].key if i + 2 < len(toks) else ""
    if prev in _NEGATION or (prev2 in _NEGATION and prev in ("to", "immediately", "yet")):
        return False
    if (prev in _PASSIVE or (prev in _ADVERBS and prev2 in _PASSIVE)) and key not in (
        "said",
        "told",
    ):
        return nxt == "by"  # "was first reported by Reuters" keeps the agent
    if nxt in ("by", "between", "among"):
        return False  # "areas disputed by/between Erbil and Baghdad": a participle
    if prev in _PASSIVE and key in ("said", "told") and nxt in ("to", "that"):
        return False  # "is said to", "was told that"
    if key.startswith("claim") and (nxt in ("the", "a") and nxt2 in ("lives", "life")):
        return False
    if key.startswith("claim") and nxt in ("to", "victory", "control"):
        return False
    if key in ("report", "reports", "claim", "claims", "statement") and prev in ("a", "the", "no"):
        return False
    if key in ("read", "reads"):
        # "..., the statement read." / "read the statement from X"
        return nxt in ("the", "a", "") or i + 1 >= len(toks) or prev in ("statement", "it")
    if key == "continued":
        return i + 1 >= len(toks)  # '"...," he continued.': ends its sentence
    if key == "held":
        return any(t.key == "responsible" for t in toks[i + 1 : i + 9])
    if key == "extended":
        return nxt in ("condolences", "its", "his", "their")
    return not (key in ("warning", "claiming", "reporting", "announcing") and prev in ("a", "the"))
