"""Perpetrators and targets of an incident, from the sentence that reports it.

An actor mention is a perpetrator when the sentence makes it the agent of the attack:
"attack by ISIS", "ISIS militants attacked", "a Turkish drone", "US strikes", "claimed
by", "attributed to", "blamed it on"; it is a target when it is the object or the
victim: "attack on the Peshmerga", "targeted the SDF patrol", "killed five members of
Kataib Hezbollah", "three Peshmerga fighters were killed". The basis says how the text
knows: the group claimed it, the text attributes it, or it is suspected ("suspected
ISIS militants", "believed to be", "likely affiliated with").

Victims named only by a noun become categories: civilians ("people", "residents",
"shoppers", "truffle hunters"...), or, by the incident's country, the state force the
noun designates ("soldiers" in Iraq -> Iraqi Army). Context windows are bounded, so
the cost per mention is constant.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from ingest.extract.model import ActorRef, Basis, Span


@dataclass(frozen=True)
class Mention:
    """One occurrence of an actor in the text."""

    name: str  # canonical name
    kind: str
    span: Span


_AGENT_NOUN = (
    r"(?:militants?|fighters?|gunmen|members?|elements?|cells?|jihadists?|extremists?|insurgents?"
    r"|forces?|troops|army|aircraft|warplanes?|jets?|drones?|helicopters?|artillery|commandos?"
    r"|units?|terrorists?|group|militia|militiamen|soldiers|bombers?|attackers?|assailants?|gunman"
    r"|snipers?)"
)
_ATTACK_VERB = (
    r"(?:attacked|attack|attacks|targeted|targets|target|killed|kill|kills|launched|launch|carried\s+out"
    r"|fired|fire|shelled|struck|strike|hit|bombarded|bombed|stormed|ambushed|assassinated|opened\s+fire"
    r"|pounded|pounds|pound|hammered|rocketed|blew\s+up|torched"
    r"|detonated|claimed|claim|claims|raided|executed|kidnapped|abducted|shot|set\s+off|neutrali[sz]ed"
    r"|destroyed|eliminated|managed\s+to\s+kill|have\s+killed|has\s+killed|had\s+killed"
    r"|carry\s+out|carries\s+out|still\s+carry\s+out"
    # "they believe Iran was behind a similar attack": an attribution, not a place
    r"|(?:was|were|is|are)\s+(?:\w+\s+){0,2}behind"
    r"|(?:was|were|is|are)\s+(?:\w+\s+){0,2}responsible\s+for\s+(?:the|this|that|these|those))"
)
_RIGHT_AGENT = re.compile(
    rf"^[’'s\s]*(?:\([^)]{{0,20}}\)\s*)?(?:(?:[\w-]+\s+)?{_AGENT_NOUN}\s+(?:[\w-]+\s+)?)?"
    rf"(?:on\s+\w+\s+)?(?:have\s+|has\s+|had\s+|reportedly\s+|also\s+|still\s+|then\s+)?{_ATTACK_VERB}\b",
    re.IGNORECASE,
)
_RIGHT_WEAPON = re.compile(
    r"^[’'s\s]*(?:-?led\s+)?(?:\w+\s+)?(?:army\s+|air\s+force\s+|military\s+)?"
    r"(?:attack|attacks|strike|strikes|airstrikes?|air\s+strikes?|drones?|rockets?|missiles?|shelling"
    r"|bombardment|ambush|warplanes?|jets?|aircraft|artillery|raid)\b",
    re.IGNORECASE,
)
_OWN_WEAPON = re.compile(
    r"\b(?:strikes?|airstrikes?|air\s+strikes?|warplanes?|jets?|drones?|aircraft|artillery"
    r"|shelling|bombardment|missiles?|rockets?)$",
    re.IGNORECASE,
)
_LEFT_AGENT = re.compile(
    r"(?:\bby|\bclaimed\s+by|\bconducted\s+by|\blaunched\s+by|\bcarried\s+out\s+by|\bblamed\s+(?:it\s+)?on"
    r"|\battributed\s+to|\bbehind\s+the\s+\w+\s+(?:was|were)|\bat\s+the\s+hands\s+of)"
    r"\s+(?:the\s+)?(?:[\w-]+\s+){0,2}$",
    re.IGNORECASE,
)
_LEFT_TARGET = re.compile(
    r"(?:\bon|\bagainst|\btargeting|\btargeted|\btarget|\bhit|\bstruck|\battacked|\bkilled|\bkilling"
    r"|\bwounding|\bambushed|\bmembers\s+of|\bcommander\s+(?:of|in)|\bleader\s+of|\bofficial\s+(?:of|from|in)"
    r"|\bfighters\s+of|\bsoldiers\s+of|\bpatrol\s+of|\bposition\s+of|\bpositions\s+of|\bheadquarters\s+of"
    r"|\bbase\s+of|\belders?\s+of|\bmembers\s+of|\bcomrades\s+(?:of|in)|\bone\s+of|\bbodies\s+of"
    r"|\bassassinat\w+\s+of|\bkilling\s+of|\bdeath\s+of|\bbeheaded|\bexecuted|\bhosting|\bhousing|\bhosts|\bhoused|\bhouses)"
    r"\s+(?:the\s+|a\s+|an\s+|its\s+|their\s+)?(?:(?!(?:in|by|during|with|from|after|near|at|when|while|as|where|because|before|since)\s(?!least\b))[\w-]+\s+){0,3}$",
    re.IGNORECASE,
)
_VICTIM_NOUN = (
    r"(?:members?|fighters?|soldiers?|personnel|officers?|troops|patrol|convoy|outpost|checkpoint|post"
    r"|base|bases|positions?|headquarters|commander|leader|officials?|policemen|police|forces|guards?"
    r"|vehicles?|sites?|hideouts?|militants?|elements?|comrades|guerrillas|cadres)"
)
_RIGHT_VICTIM = re.compile(
    rf"^[’'s\s]*(?:\([^)]{{0,20}}\)\s*)?(?:[\w-]+\s+){{0,2}}?(?:{_VICTIM_NOUN}\s+)?"
    rf"(?:(?:were|was|have\s+been|had\s+been|has\s+been|being|are|is)\s+(?:also\s+|reportedly\s+)?"
    rf"(?:killed|wounded|injured|hurt|targeted|attacked|hit|struck|martyred|ambushed|assassinated)"
    # "troops hurt in Iraq attack", "soldiers killed in ambush": a bare participle
    rf"|(?:{_VICTIM_NOUN}\s+)?(?:killed|dead|wounded|injured|hurt)(?=\s+(?:in|by|during|when|after|near|on|at(?!\s+least)|as|while|and)\b|\s*[,.;]|\s*$))",
    re.IGNORECASE,
)
_SUSPECTED = re.compile(
    r"(?:\bsuspected|\bbelieved\s+to\s+be|\blikely\s+affiliated\s+with|\bthought\s+to\s+be|\bpresumed)"
    r"\s+(?:the\s+)?(?:[\w-]+\s+){0,3}$",
    re.IGNORECASE,
)
_CLAIMED = re.compile(r"\bclaim", re.IGNORECASE)

_CIVILIAN = re.compile(
    r"\b(?:civilians?|people|person|residents?|villagers?|shoppers?|worshipp?ers?|pilgrims?|farmers?"
    r"|shepherds?|children|child|women|woman|passers-?by|bystanders?|truffle\s+hunters|families|family"
    r"|refugees?|students?|teachers?|doctors?|fishermen|fisherman|labou?rers?|boys?|girls?"
    r"|tourists?|holidaymakers?|vacationers?|picnickers?|passengers?|shopkeepers?|merchants?"
    r"|market|shopping|crowded|mourners|wedding|funeral|restaurant|cafe|café|mosque|displaced)\b",
    re.IGNORECASE,
)
_FORCE_NOUNS: list[tuple[re.Pattern[str], dict[str, str]]] = [
    (
        re.compile(r"\bfederal\s+(?:police(?:men)?|officers?)\b", re.IGNORECASE),
        {"Iraq": "Federal Police"},
    ),
    (
        re.compile(
            r"\b(?:policem[ae]n|police\s+officers?|police\s+patrol|police)\b", re.IGNORECASE
        ),
        {"Iraq": "Iraqi Police"},
    ),
    (
        re.compile(
            r"\b(?:soldiers?|troops|army|military\s+post|army\s+post|lieutenant|officers?)\b",
            re.IGNORECASE,
        ),
        {"Iraq": "Iraqi Army"},
    ),
    (
        re.compile(r"\bsecurity\s+(?:forces|members|personnel|men|troops)\b", re.IGNORECASE),
        {"Iraq": "Iraqi Security Forces"},
    ),
]
_US_VICTIM = re.compile(
    r"\b(?:u\.?s\.?|american|us)[\s-]+(?:service\s*members|troops|forces|soldiers|personnel|base|bases|military)\b",
    re.IGNORECASE,
)
_KILL_CONTEXT = re.compile(
    r"\b(?:killed|killing|dead|died|wounded|injured|wounding|injuring|martyred|attacked|targeted|targeting|hit"
    r"|assassinat\w+|attack|attacks|strike|strikes|exploded|explosion|blast|went\s+off|detonated)\b",
    re.IGNORECASE,
)


_REPORTING_AFTER = re.compile(
    r"^[’'s\s]*(?:\([^)]{0,20}\)\s*)?(?:[\w-]+\s+){0,3}?(?:said|says|say|announced|told|reported|added|stated|claimed\s+(?:that|on)"
    r"|confirmed|denied|condemned|condemns|condemn|denounced|denounces|accused|blamed|warned|revealed"
    r"|tweeted|noted|declared|statement|spokes\w+|extended|mourned|vowed|rejected|described|identified"
    r"|insisted|stressed|saying)\b",
    re.IGNORECASE,
)
_OWN_STRIKES = re.compile(
    r"^[’'s\s]*(?:\([^)]{0,20}\)\s*)?(?:[\w-]+\s+){0,3}?(?:said|says|announced|reported|stated)"
    r"\s+(?:on\s+\w+\s+)?(?:that\s+)?(?:its\s+|the\s+)?(?:precision\s+|air\s+)?"
    r"(?:strikes|airstrikes|air\s+strikes|strike|airstrike|air\s+strike)\b",
    re.IGNORECASE,
)
_VICTIM_HEAD = re.compile(
    r"^[’'s\s]*(?:senior\s+|top\s+|prominent\s+|local\s+)?(?:leader|commander|official|chief|member|emir|cadre)s?\b",
    re.IGNORECASE,
)
_NOT_AGENT = re.compile(
    r"\b(?:controlled|run|held|backed|led|supported|affiliated|operated|owned|used|designated|recognized"
    r"|recognised|banned|founded|formed|dominated|aligned|sponsored|funded|armed|trained|accompanied"
    r"|protected|guarded|seized|captured|retaken|liberated|declared|announced|reported|said|claimed\s+responsibility"
    r"|statement|statements|report|reports|announcement|issued|published|posted|released|tweet|quoted)"
    r"\s+by\s+(?:the\s+)?(?:[\w-]+\s+){0,2}$",
    re.IGNORECASE,
)
_OWN_LOSSES = re.compile(
    r"\b(?:of\s+its|of\s+their|its|their|our|of\s+our)\s+(?:own\s+)?(?:members|fighters|comrades|soldiers|men|personnel)\b",
    re.IGNORECASE,
)
_APPOSITIVE = re.compile(
    r"(?:\s*\([^)]{0,30}\))?\s*,\s+(?:a|an|the|which|who)\s[^,;.()\"“”]{0,90},\s+", re.IGNORECASE
)
_QUALIFIER = re.compile(
    r"[-\s](?:backed|aligned|affiliated|linked|allied|supported|funded|trained|sponsored|armed)\b",
    re.IGNORECASE,
)
_LOCATIVE = re.compile(r"\b(?:in|into|across|inside|throughout|within)\s+$", re.IGNORECASE)
_SAYS = re.compile(
    r"\b(?:said|says|say|told|tells|reported|reports|according|announced|added|stated|claimed\s+that"
    r"|saying|rejected|denied|insisted|stressed|accused)\b",
    re.IGNORECASE,
)
_PASSIVE_AUX = re.compile(r"\b(?:was|were|been|being|is|are|be)\s+(?:\w+\s+)?$", re.IGNORECASE)
_NOUN_FORMS = frozenset({"attack", "attacks", "strikes", "killing", "hit", "hits", "targets"})
_DETERMINER_BEFORE = re.compile(
    r"\b(?:the|a|an|this|that|these|those|its|their|his|her|our|any|another|each|every)\s+"
    r"(?:[\w-]+\s+)?$|['’]s\s+(?:[\w-]+\s+)?$",
    re.IGNORECASE,
)
_THE_BEFORE = re.compile(r"\bthe\s+$", re.IGNORECASE)
_VERB_TRIGGER = re.compile(
    r"\b(?:attacked|attack|attacks|targeted|targeting|targets|killed|killing|kill|kills|struck|strikes|hit|hits"
    r"|shelled|bombarded|bombed|stormed|ambushed|assassinated|raided|executed|kidnapped|abducted"
    r"|launched|carried\s+out|fired|opened\s+fire|neutrali[sz]ed|wounded|injured|wounding|injuring)\b",
    re.IGNORECASE,
)


def _mention_start(m: Mention) -> int:
    return m.span[0]


def _add(refs: list[ActorRef], name: str, basis: Basis, span: Span | None) -> None:
    if all(r.name != name for r in refs):
        refs.append(ActorRef(name, basis, span))


def _main_verb(text: str, start: int, end: int) -> tuple[int, bool] | None:
    """Position of the clause's first attack verb and whether it is passive."""
    m = _VERB_TRIGGER.search(text, start, end)
    # "the attack", "a Turkish strike", "its attacks": a noun, not the clause's verb
    while m is not None and (
        (
            m.group(0).lower() in _NOUN_FORMS
            and _DETERMINER_BEFORE.search(text, max(start, m.start() - 30), m.start())
        )
        # "resources for the wounded": the people, not a verb
        or (
            m.group(0).lower() in ("wounded", "injured")
            and _THE_BEFORE.search(text, max(start, m.start() - 5), m.start())
        )
    ):
        m = _VERB_TRIGGER.search(text, m.end(), end)
    if not m:
        return None
    passive = bool(_PASSIVE_AUX.search(text[max(start, m.start() - 25) : m.start()]))
    if not passive and m.group(0).lower() in (
        "killed",
        "wounded",
        "injured",
        "targeted",
        "struck",
        "hit",
    ):
        # a bare participle with no object ("12 militants killed in air strike") is passive
        after = text[m.end() : min(end, m.end() + 25)]
        passive = bool(
            re.match(
                r"\s+(?:in|by|during|when|after|near|on|at(?!\s+least)|as|while|and|,|\.)", after
            )
        )
    return m.start(), passive


def assign_roles(
    text: str,
    start: int,
    end: int,
    mentions: Sequence[Mention],
    country: str | None,
    resolve: Callable[[str], str],
) -> tuple[list[ActorRef], list[ActorRef]]:
    """(perpetrators, targets) stated in the clause text[start:end]; `mentions` are sorted
    by position."""
    perps: list[ActorRef] = []
    targets: list[ActorRef] = []
    # mentions come sorted by position: only those from `start` on are looked at
    lo = bisect_left(mentions, start, key=_mention_start)
    inside = []
    for m in mentions[lo:]:
        if m.span[0] >= end:
            break
        if m.span[1] <= end and m.kind != "media":
            inside.append(m)
    verb = _main_verb(text, start, end)
    for m in inside:
        left = text[max(start, m.span[0] - 60) : m.span[0]]
        right = text[m.span[1] : min(end, m.span[1] + 60)]
        app = _APPOSITIVE.match(text, m.span[1], min(end, m.span[1] + 120))
        if app is not None:
            # "The Islamic Resistance in Iraq, an umbrella of ... factions, claimed ..."
            right = text[app.end() : min(end, app.end() + 60)]
        # "in US strikes", "Turkish drones": a mention named with its weapon is the agent
        weapon = bool(_RIGHT_WEAPON.match(right) or _OWN_WEAPON.search(text, *m.span))
        if _LOCATIVE.search(text, max(start, m.span[0] - 12), m.span[0]) and not weapon:
            continue  # "banned in Russia", "across Syria": a place, not a party ("in US strikes" is)
        if _QUALIFIER.match(right):
            continue  # "a US-backed force", "Iran-aligned militias": describes another party
        basis: Basis = "suspected" if _SUSPECTED.search(left) else "attributed"
        if _LEFT_AGENT.search(left) and not _NOT_AGENT.search(left):
            if _CLAIMED.search(left[-30:]):
                basis = "claimed"
            _add(perps, m.name, basis, m.span)
        elif _RIGHT_VICTIM.match(right):
            _add(targets, m.name, "attributed", m.span)
        elif _REPORTING_AFTER.match(right):
            # the source of the report, unless it reports its own losses
            if _OWN_LOSSES.search(text, m.span[1], min(end, m.span[1] + 80)):
                _add(targets, m.name, "attributed", m.span)
            elif m.kind == "international_coalition" and _OWN_STRIKES.match(right):
                # "the coalition says precision strikes killed 150": a coalition's
                # report of strikes with no other striker named is of its own
                _add(perps, m.name, "claimed", m.span)
        elif _LEFT_TARGET.search(left) or (
            _VICTIM_HEAD.match(right) and _KILL_CONTEXT.search(left)
        ):
            _add(targets, m.name, "attributed", m.span)
        elif weapon or _RIGHT_AGENT.match(right):
            if re.match(r"^[’'s\s]*(?:\w+\s+){0,3}claim", right, re.IGNORECASE):
                basis = "claimed"
            _add(perps, m.name, basis, m.span)
        elif verb is not None:
            pos, passive = verb
            if m.span[1] <= pos:
                # the subject: agent of an active verb, victim of a passive one (not the
                # source: "police officers say Monday's attack wounded ...")
                if _SAYS.search(text, m.span[1], pos):
                    continue
                if passive:
                    _add(targets, m.name, "attributed", m.span)
                else:
                    _add(perps, m.name, basis, m.span)
            elif not passive and m.span[0] - pos < 80:
                _add(targets, m.name, "attributed", m.span)
    perps = [p for p in perps if p.name != "civilians"]
    targets = [t for t in targets if all(p.name != t.name for p in perps)]
    if _KILL_CONTEXT.search(text, start, end):
        _category_targets(text, start, end, inside, targets, country, resolve)
    return perps, targets


_SOURCE_AFTER = re.compile(
    r"^\s*(?:\w+\s+){0,2}?(?:said|told|says|added|spoke|speaking)\b", re.IGNORECASE
)


def _category_targets(
    text: str,
    start: int,
    end: int,
    inside: Sequence[Mention],
    targets: list[ActorRef],
    country: str | None,
    resolve: Callable[[str], str],
) -> None:
    """Victims named by a noun: civilians, or the state force the noun designates."""
    for civ in _CIVILIAN.finditer(text, start, end):
        if civ.group(0)[0].isupper() and civ.start() > start:
            continue  # part of a name ("Kurdistan Workers' Party", "People's Protection Units")
        if (
            _victim_position(text, start, end, civ.span())
            or _PLACE_OF_CIVILIANS.match(civ.group(0))
            or _CIVILIAN_PROPERTY.match(text, civ.end(), end)
        ):
            if not any(t.name == "civilians" for t in targets):
                targets.append(ActorRef("civilians", "attributed", civ.span()))
            break
    if not country:
        return
    if _US_VICTIM.search(text, start, end):
        _add(targets, resolve("United States"), "attributed", None)
    if any(t.name != "civilians" for t in targets):
        return
    hits: list[tuple[int, str, Span]] = []
    for rx, by_country in _FORCE_NOUNS:
        force = by_country.get(country)
        if force is None:
            continue
        for hit in rx.finditer(text, start, end):
            if _covered(hit.span(), inside) or not _victim_position(text, start, end, hit.span()):
                continue
            hits.append((hit.start(), force, hit.span()))
            break
    if hits:
        _, force, span = min(hits)
        _add(targets, resolve(force), "attributed", span)


_PLACE_OF_CIVILIANS = re.compile(
    r"market|shopping|crowded|mourners|wedding|funeral|restaurant|cafe|café|mosque", re.IGNORECASE
)
# "a civilian house", "civilian cars": what was hit belonged to civilians
_CIVILIAN_PROPERTY = re.compile(
    r"\s+(?:house|home|houses|homes|car|cars|vehicle|vehicles|bus|truck|neighbou?rhood)\b",
    re.IGNORECASE,
)
_VICTIM_LEFT = re.compile(
    r"\b(?:killed|killing|kill|wounding|injuring|wounded|injured|targeted|targeting|attacked|attacking|on|against"
    r"|at|ambushed|leaving|left|shot|beheaded|kidnapped|abducted|hit|struck|assassination\s+of|killing\s+of"
    r"|death\s+of|murder\s+of)\s+(?:[\w-]+\s+){0,5}$",
    re.IGNORECASE,
)
_VICTIM_RIGHT = re.compile(
    r"^\s*(?:[\w-]+\s+){0,4}?(?:(?:were|was|have\s+been|had\s+been|has\s+been|are|is)\s+(?:also\s+)?"
    r"(?:killed|wounded|injured|hurt|martyred|targeted|attacked|dead)"
    r"|(?:killed|dead|wounded|injured)(?=\s+(?:in|by|during|when|after|near|on|at(?!\s+least)|as|while|and)\b|\s*[,.;]|\s*$))",
    re.IGNORECASE,
)


def _victim_position(text: str, start: int, end: int, span: Span) -> bool:
    left = text[max(start, span[0] - 50) : span[0]]
    right = text[span[1] : min(end, span[1] + 50)]
    if _SOURCE_AFTER.match(right):
        return False
    return bool(_VICTIM_LEFT.search(left) or _VICTIM_RIGHT.match(right))


def _covered(span: Span, mentions: Sequence[Mention]) -> bool:
    return any(m.span[0] <= span[0] and span[1] <= m.span[1] for m in mentions)


_MILITANT_NOUN = re.compile(
    r"\b(?:militants?|jihadists?|extremists?|terrorists?|insurgents?|suicide\s+bombers?)\b",
    re.IGNORECASE,
)


def militant_victims(text: str, start: int, end: int, mentions: Sequence[Mention]) -> bool:
    """Unnamed militants are the victims in text[start:end] ("killed 83 militants",
    "seven militants were killed"); a noun right after a group's name ("PKK militants")
    is that group's mention and does not count."""
    for m in _MILITANT_NOUN.finditer(text, start, end):
        if any(0 <= m.start() - x.span[1] <= 2 for x in mentions):
            continue
        left = text[max(start, m.start() - 50) : m.start()]
        right = text[m.end() : min(end, m.end() + 50)]
        if _MILITANT_VICTIM_LEFT.search(left) or _VICTIM_RIGHT.match(right):
            return True
    return False


_MILITANT_VICTIM_LEFT = re.compile(
    r"\b(?:killed|killing|kill|kills|wounded|wounding|injured|injuring|neutrali[sz]ed|eliminated"
    r"|bodies\s+of)\s+(?:at\s+least\s+|about\s+|some\s+|nearly\s+|more\s+than\s+)?"
    r"(?:(?:\d[\d,]*|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|[a-z]+teen|[a-z]+ty"
    r"|dozens|scores|several|many|more|other|suspected|alleged|armed|foreign|senior|wanted|of|the)\s+){0,3}$",
    re.IGNORECASE,
)
