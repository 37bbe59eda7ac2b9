"""Event triggers: the words that say a violent event happened, and what kind.

`find_triggers(text, start, end)` returns the triggers of one sentence, each with its
span, the incident type it points to (FORMAT.md vocabulary) and its strength:
- "specific": the method is named (roadside bomb, airstrike, rockets, suicide bomber,
  ambush, assassinated, kidnapped, prison attack, clashes);
- "weak": an explosion or blast (compatible with any method that explodes);
- "generic": an attack, a killing, gunmen, opened fire (type armed_assault).

`sentence_flags` marks sentences that talk about violence without reporting one event:
habitual ("often", "regularly", "continue to carry out"), aggregate ("since 2023",
"in recent days", "a series of attacks", "a total of"), prevented or planned
("to prevent attacks", "thwarted", "plotting attacks"), and counts of attacks.
Each pattern is a flat alternation of words, linear in the sentence length.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ingest.extract.model import IncidentType, Span

_RULES: list[tuple[IncidentType, str, str]] = [
    # (type, strength, pattern) - first match at a position wins
    (
        "suicide_bombing",
        "specific",
        r"suicide[\s-](?:car[\s-]|truck[\s-])?(?:bomb(?:ing|ings|er|ers|s)?|attacks?|attackers?|blasts?|explosions?)"
        r"|blew\s+(?:himself|herself|themselves)\s+up|blew\s+up\s+(?:himself|herself|themselves)"
        r"|twin\s+suicide",
    ),
    (
        "air_strike",
        "specific",
        r"air[\s-]?strikes?|air[\s-]?raids?|aerial\s+(?:bombardment|attacks?|strikes?)"
        r"|drone\s+(?:strikes?|attacks?)|(?:drones?|warplanes?|war\s+planes?|fighter\s+jets?|jets|aircraft|helicopters?|uavs?)"
        r"(?=[^.;]{0,80}\b(?:strik|struck|target|hit|bomb|attack|kill|fired|shot\s+down|destroy|pound))"
        r"|shot\s+down\s+(?:an?\s+)?(?:\w+\s+)?drone|(?<!rocket\s)(?<!missile\s)strikes?"
        r"|(?:attack|attacks|strike|strikes|raid|raids|attempt)\s+(?:by|with|from)\s+(?:an?\s+|the\s+)?(?:[\w’'-]+\s+){0,2}?"
        r"(?:drones?|warplanes?|aircraft|jets|helicopters?|uavs?)"
        r"|(?:bombarded|bombed|pounded|struck|hit|targeted)\s+by\s+(?:[\w’'-]+\s+){0,2}?"
        r"(?:warplanes?|aircraft|jets|drones?|helicopters?|uavs?)",
    ),
    (
        "shelling",
        "specific",
        r"rockets?(?!\s*-?\s*propelled)|mortars?|artillery|shelling|shelled|shells\b|missiles?|katyushas?"
        r"|projectiles?|bombardment",
    ),
    (
        "bombing",
        "specific",
        r"(?:roadside|car|truck|motorcycle|motorbike|sticky|magnetic|parked|booby[\s-]trapped|improvised)\s+"
        r"(?:bombs?|explosive\s+devices?|explosives?)|\bieds?\b|\bvbieds?\b|explosive\s+devices?"
        r"|bombs?\s+(?:exploded|went\s+off|blew\s+up|blast|explosion|attack)|bombings?|landmines?|land\s+mines?"
        r"|(?:a|the|two|three|four)\s+bombs?\b|bomb\s+blast|booby[\s-]trap\w*",
    ),
    ("ambush", "specific", r"ambush\w*"),
    (
        "assassination",
        "specific",
        r"assassinat\w+|shot\s+dead|gunned\s+down"
        r"|killing\s+(?:last\s+\w+\s+)?of\s+(?:a|an|the)\s+(?:senior\s+|top\s+|prominent\s+)?(?:[\w-]+\s+){0,2}"
        r"(?:leader|commander|official|chief|cleric|judge|activist|journalist|officer)",
    ),
    (
        "facility_attack",
        "specific",
        r"(?:attack\w*|assault\w*|storm\w*|raid\w*)\s+(?:[\w’'-]+\s+){0,8}?"
        r"(?:prison|jail|detention\s+(?:centre|center|facility))\b"
        r"|(?:prison|jail)\s+(?:attack|break|assault)",
    ),
    ("kidnapping", "specific", r"kidnap\w*|abduct\w*|taken\s+hostage"),
    (
        "clash",
        "specific",
        r"clash(?:es|ed)?|firefights?|fire[\s-]fights?|gun\s*battles?|exchange\s+of\s+fire"
        r"|skirmish\w*|engaged\s+in\s+combat|(?:heavy|fierce|intense|violent|armed|street)\s+fighting",
    ),
    ("bombing", "weak", r"explosions?|blasts?|exploded|detonat\w+|went\s+off"),
    (
        "armed_assault",
        "generic",
        r"attack(?:s|ed|ing)?|assault(?:s|ed)?|gunmen|gunfire|opened\s+fire|shooting|shot\b"
        r"|stormed|killed|killing|kills|dead\b|martyred|targeted|targeting|wounded|injured"
        r"|machine[\s-]gun\w*|small\s+arms|grenades?|burned\s+(?:\w+\s+){1,3}to\s+death|found\s+dead"
        r"|incident|casualties|kill|bodies\s+of",
    ),
]
_RX = re.compile(
    "|".join(f"(?P<r{i}>\\b(?:{pat})\\b)" for i, (_, _, pat) in enumerate(_RULES)),
    re.IGNORECASE,
)
_FLAGS = {
    "habitual": re.compile(
        r"\b(?:often|usually|regularly|routinely|frequently|repeatedly|typically|occasionally"
        r"|sporadic|frequent|continues?\s+to|continued\s+to|still\s+carry|have\s+happened"
        r"|are\s+rare|tends?\s+to|has\s+been\s+a\s+(?:frequent\s+)?target|have\s+been\s+targeted"
        r"|hotbed|hotspot|so-called|is\s+home\s+to|remain\s+active|waging|insurgency|rarely|seldom"
        r"|(?:has|have)\s+been\s+witnessing)\b",
        re.IGNORECASE,
    ),
    "aggregate": re.compile(
        r"\b(?:since\s+(?:early\s+|late\s+|mid-?)?(?:\d{4}|jan\w*|feb\w*|march|april|may|june|july|aug\w*|sep\w*|oct\w*|nov\w*|dec\w*|last|the\s+start|then|20\d\d"
        r"|monday|tuesday|wednesday|thursday|friday|saturday|sunday)"
        # "the first attack since February 22, when a drone hit ...": that day's event
        r"(?![\w.,]*(?:\s+[\w.,]+){0,2}\s+when\b)"
        r"|for\s+(?:several\s+|many\s+|the\s+past\s+)?(?:days|weeks|months|years)"
        r"|in\s+recent\s+(?:days|weeks|months|years)|over\s+the\s+(?:past|last)|during\s+the\s+past"
        r"|in\s+the\s+past\s+(?:\w+\s+)?(?:days|weeks|months|years)|a\s+total\s+of|a\s+series\s+of"
        r"|the\s+number\s+of|so\s+far\s+this\s+year|between\s+\d{4}\s+and\s+\d{4}"
        r"|\d+\s+(?:(?:air|drone|rocket|artillery|missile|separate|and|more|other|such)\s+){0,3}"
        r"(?:attacks|strikes|airstrikes|raids|killings|incidents|times)|dozens\s+of\s+(?:recent\s+)?attacks"
        # a breakdown line of a count ("Al-Raqqah: One attack.")
        r"|:\s+(?:one|a\s+single|two|three|four|five|\d+)\s+(?:attacks?|strikes?|incidents?)"
        r"|estimates?|percent|per\s+cent|deadliest\s+year|in\s+just\s+over\s+a"
        # "the assault began late on Thursday when a car bomb ...": the start of one event
        r"|(?:began|begun|started)(?!\s+(?:late|early|overnight|shortly)\b|\s+(?:[\w.]+\s+){0,5}?when\b)"
        r"|increased|decreased|intensified|stepped\s+up|surge\s+in|rise\s+in"
        # "the first wave of a new operation": an ordinal wave is this one event
        r"|(?<!first\s)(?<!second\s)(?<!third\s)(?<!opening\s)(?<!initial\s)wave\s+of)\b",
        re.IGNORECASE,
    ),
}
# A trigger right after one of these words is not an event that happened.
_PREVENTED = re.compile(
    r"\b(?:prevent|preventing|prevented|counter|countering|confront|confronting|foil|foiled"
    r"|thwart|thwarted|thwarting|plot|plotting|plotted|plan|planning|planned|prepare|preparing"
    r"|threat|threats|threaten\w*|anticipated|possible|potential|future|deter|avoid|launch"
    r"|conduct|any|against\s+possible|fight|combat|combating|combatting|stop|aim|aiming|aims"
    r"|seek|seeking|seeks|intend|intends|intending|vow|vowed|vows|want|wants|wanted|order|ordered)"
    r"\s+(?:\w+\s+){0,2}$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Trigger:
    type: IncidentType
    strength: str  # "specific" | "weak" | "generic"
    span: Span
    word: str


# Where a trigger can start: the combined pattern is tried only at these places, which
# one scan in C finds (the literal beginning of every alternative of every rule, long
# enough that ordinary words - "carried", "security", "province" - do not open it).
_GATE = re.compile(
    # grouped by first letter, so that the engine tries one group per word boundary
    r"\b(?:a(?:ir|erial|ircraft|ttack|ttempt(?=\s+(?:by|with|from))|rtiller|mbush|ssassinat|bduct|ssault)"
    r"|b(?:lew|ombard|omb|ooby|last|urned|odies)|c(?:ar(?=[\s-])|lash|asualt)|d(?:rone|etonat|ead)"
    r"|e(?:xplosi|xchange(?=\s+of\s+fire)|ngaged(?=\s+in)|xplod)"
    r"|f(?:ighter(?=\s+jet)|irefight|ire(?=[\s-]fight)|ound(?=\s+dead))"
    r"|g(?:unned|un(?=\s*battle)|unmen|unfire|renade)|h(?:elicop|it(?=\s+by))"
    r"|i(?:mprovised|eds?\b|njur|ncident)|j(?:ets|ail)|k(?:atyush|illing|idnap|ill)"
    r"|l(?:andmine|and(?=\s+mine))|m(?:ortar|issile|otor|agnetic|artyr|achine)|o(?:pened(?=\s+fire))"
    r"|p(?:ounded(?=\s+by)|rojectile|arked|rison)|r(?:aid|ocket|oadside)"
    r"|s(?:uic|hot|trik|truck|hell|ticky|kirmish|hoot|torm|mall(?=\s+arms))"
    r"|t(?:win|arget|ruck|aken(?=\s+hostage))|uav|vbied|w(?:arplane|ar(?=\s+plane)|ent(?=\s+off)|ound)"
    r"|(?:a|the|two|three|four)(?=\s+bomb)|(?:heavy|fierce|intense|violent|armed|street)(?=\s+fighting))",
    re.IGNORECASE,
)


def _matches(text: str, start: int, end: int) -> list[re.Match[str]]:
    out: list[re.Match[str]] = []
    pos = start
    for g in _GATE.finditer(text, start, end):
        if g.start() < pos:
            continue
        m = _RX.match(text, g.start(), end)
        if m is not None:
            out.append(m)
            pos = m.end()
    return out


def find_triggers(text: str, start: int, end: int) -> list[Trigger]:
    """Triggers of text[start:end] in order, those of prevented/planned events left out."""
    out: list[Trigger] = []
    for m in _matches(text, start, end):
        idx = int((m.lastgroup or "r0")[1:])
        typ, strength, _ = _RULES[idx]
        left = text[max(start, m.start() - 40) : m.start()]
        if _PREVENTED.search(left):
            continue
        word = m.group(0)
        low = word.lower()
        if typ == "suicide_bombing" and re.search(
            r"\b(?:killed|arrested|captured|intercepted|kill|arrest)\s+(?:\w+\s+){0,2}$",
            left,
            re.IGNORECASE,
        ):
            continue  # "forces killed two suicide bombers": the bombers are the targets
        if (
            typ == "air_strike"
            and low.startswith(("drone", "aircraft", "jet", "helicop", "warpl"))
            and re.search(r"\bshot\s+down\s+(?:an?\s+)?(?:\w+\s+)?$", left, re.IGNORECASE)
        ):
            continue  # counted by the "shot down" alternative
        out.append(Trigger(typ, strength, (m.start(), m.end()), word))
    return out


_ANY_FLAG = re.compile(
    "|".join(f"(?P<{name}>{rx.pattern})" for name, rx in _FLAGS.items()), re.IGNORECASE
)


def sentence_flags(text: str, start: int, end: int) -> set[str]:
    """Which of habitual/aggregate the window is (one scan; a second only when the
    first kind was found, to see whether the other is there too)."""
    m = _ANY_FLAG.search(text, start, end)
    if m is None:
        return set()
    found = {m.lastgroup or ""}
    for name, rx in _FLAGS.items():
        if name not in found and rx.search(text, m.end(), end):
            found.add(name)
    return found


_PLURAL_EVENT = re.compile(
    r"\b(?:attacks|bombings|explosions|blasts|incidents|assaults|killings)\b", re.IGNORECASE
)


def plural_events(text: str, start: int, end: int) -> bool:
    """The sentence speaks of several events at once ("two bombings", "the attacks"):
    a figure in it is a total, not one incident's."""
    for m in _PLURAL_EVENT.finditer(text, start, end):
        if not _CONSEQUENCE.search(text, max(start, m.start() - 30), m.start()):
            return True
    return False


# "..., prompting revenge killings": what followed the event, not several events told
_CONSEQUENCE = re.compile(
    r"\b(?:prompting|sparking|triggering|fears?\s+of|leading\s+to|revenge|reprisal)\s+(?:\w+\s+)?$",
    re.IGNORECASE,
)


_SPECIFICITY: dict[IncidentType, int] = {
    "suicide_bombing": 9,
    "air_strike": 8,
    "shelling": 7,
    "ambush": 6,
    "bombing": 5,
    "facility_attack": 5,
    "assassination": 4,
    "clash": 3,
    "kidnapping": 2,
    "armed_assault": 1,
    "other": 0,
}


def specificity(t: IncidentType) -> int:
    return _SPECIFICITY.get(t, 0)


def sentence_type(triggers: list[Trigger]) -> tuple[IncidentType, str] | None:
    """The incident type one sentence points to, and its strength. A bomb followed by
    gunfire on the same target is an ambush (complex attack)."""
    if not triggers:
        return None
    specific = [t for t in triggers if t.strength == "specific"]
    if specific:
        types = {t.type for t in specific}
        gunfire = any(
            re.search(
                r"machine|small\s+arms|gunfire|opened\s+fire|grenade|shot", t.word, re.IGNORECASE
            )
            for t in triggers
        )
        if types == {"bombing"} and gunfire:
            return "ambush", "specific"
        if "kidnapping" in types and (
            len(types) > 1 or any(re.match(r"kill", t.word, re.IGNORECASE) for t in triggers)
        ):
            # a killing with abductions is an attack; a kidnapping is one without
            types.discard("kidnapping")
            if not types:
                return "armed_assault", "generic"
        best = max(types, key=specificity)
        # the first specific method named decides between two methods (the headline
        # sentence "Missiles strike ... drone" is shelling)
        first = next(t.type for t in specific if t.type in types)
        if specificity(first) >= 5 and specificity(best) >= 5:
            best = first
        return best, "specific"
    if any(t.strength == "weak" for t in triggers):
        return "bombing", "weak"
    if any(re.match(r"burned", t.word, re.IGNORECASE) for t in triggers):
        return "other", "generic"
    return "armed_assault", "generic"


def compatible(a: IncidentType, a_strength: str, b: IncidentType, b_strength: str) -> bool:
    """Can two descriptions with these types be one event?"""
    if a == b or "generic" in (a_strength, b_strength):
        return True
    if "weak" in (a_strength, b_strength):
        return True
    pair = {a, b}
    return (
        pair <= {"bombing", "suicide_bombing"}
        or pair <= {"bombing", "ambush"}
        or pair
        <= {
            "assassination",
            "armed_assault",
        }
        or "kidnapping" in pair
        or ("assassination" in pair and bool(pair & {"air_strike", "bombing"}))
    )
