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
    r"|units?|terrorists?|group|militia|militiamen|soldiers)"
)
_ATTACK_VERB = (
    r"(?:attacked|attack|attacks|targeted|targets|target|killed|kill|kills|launched|launch|carried\s+out"
    r"|fired|fire|shelled|struck|strike|hit|bombarded|bombed|stormed|ambushed|assassinated|opened\s+fire"
    r"|detonated|claimed|claim|claims|raided|executed|kidnapped|abducted|shot|set\s+off|neutrali[sz]ed"
    r"|destroyed|eliminated|repelled|thwarted|managed\s+to\s+kill|have\s+killed|has\s+killed|had\s+killed)"
)
_RIGHT_AGENT = re.compile(
    rf"^[’'s\s]*(?:\([^)]{{0,20}}\)\s*)?(?:{_AGENT_NOUN}\s+)?(?:[\w-]+\s+)?(?:on\s+\w+\s+)?"
    rf"(?:have\s+|has\s+|had\s+|reportedly\s+|also\s+)?{_ATTACK_VERB}\b",
    re.IGNORECASE,
)
_RIGHT_WEAPON = re.compile(
    r"^[’'s\s]*(?:-?led\s+)?(?:\w+\s+)?(?:army\s+|air\s+force\s+|military\s+)?"
    r"(?:attack|attacks|strike|strikes|airstrikes?|air\s+strikes?|drones?|rockets?|missiles?|shelling"
    r"|bombardment|ambush|warplanes?|jets?|aircraft|artillery|raid|gunmen|militants?|fighters)\b",
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
    r"|\bbase\s+of|\belders?\s+of|\bmembers\s+of|\bcomrades\s+(?:of|in)|\bone\s+of)"
    r"\s+(?:the\s+|a\s+|an\s+|its\s+|their\s+)?(?:[\w-]+\s+){0,3}$",
    re.IGNORECASE,
)
_RIGHT_VICTIM = re.compile(
    r"^[’'s\s]*(?:\([^)]{0,20}\)\s*)?(?:\w+\s+){0,2}?(?:members?|fighters?|soldiers?|personnel|officers?|troops"
    r"|patrol|convoy|outpost|checkpoint|post|base|bases|positions?|headquarters|commander|leader|officials?"
    r"|policemen|police|forces|guards?|vehicles?|sites?|hideouts?|militants?|elements?)?\s*"
    r"(?:were|was|have\s+been|had\s+been|has\s+been)?\s*(?:killed|wounded|injured|targeted|attacked|hit"
    r"|struck|martyred|dead|ambushed|assassinated)\b",
    re.IGNORECASE,
)
_SUSPECTED = re.compile(
    r"(?:\bsuspected|\bbelieved\s+to\s+be|\blikely\s+affiliated\s+with|\bthought\s+to\s+be|\bpresumed)"
    r"\s+(?:the\s+)?(?:[\w-]+\s+){0,3}$",
    re.IGNORECASE,
)
_CLAIMED = re.compile(r"\bclaim", re.IGNORECASE)

_CIVILIAN = re.compile(
    r"\b(?:civilians?|people|residents?|villagers?|shoppers|worshipp?ers|pilgrims|farmers|shepherds"
    r"|children|women|passers-?by|bystanders?|truffle\s+hunters|families|family|refugees?|students"
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
    r"\b(?:killed|killing|dead|died|wounded|injured|wounding|injuring|martyred|attacked|targeted|targeting|hit)\b",
    re.IGNORECASE,
)


def _add(refs: list[ActorRef], name: str, basis: Basis, span: Span | None) -> None:
    if all(r.name != name for r in refs):
        refs.append(ActorRef(name, basis, span))


def assign_roles(
    text: str,
    start: int,
    end: int,
    mentions: Sequence[Mention],
    country: str | None,
    resolve: Callable[[str], str],
) -> tuple[list[ActorRef], list[ActorRef]]:
    """(perpetrators, targets) stated in the sentence text[start:end]."""
    perps: list[ActorRef] = []
    targets: list[ActorRef] = []
    inside = [m for m in mentions if m.span[0] >= start and m.span[1] <= end]
    for m in inside:
        if m.kind in ("media", "government") and m.kind != "state_force":
            # outlets report, governments condemn; neither attacks in a sentence's grammar
            if m.kind == "media":
                continue
        left = text[max(start, m.span[0] - 60) : m.span[0]]
        right = text[m.span[1] : min(end, m.span[1] + 60)]
        basis: Basis = "attributed"
        if _SUSPECTED.search(left):
            basis = "suspected"
        if _LEFT_TARGET.search(left) and not _LEFT_AGENT.search(left[-25:]):
            if _RIGHT_AGENT.match(right) and not _RIGHT_VICTIM.match(right):
                _add(perps, m.name, basis, m.span)
            else:
                _add(targets, m.name, "attributed", m.span)
            continue
        if _LEFT_AGENT.search(left):
            if _CLAIMED.search(left[-30:]):
                basis = "claimed"
            _add(perps, m.name, basis, m.span)
            continue
        if _RIGHT_VICTIM.match(right):
            _add(targets, m.name, "attributed", m.span)
            continue
        if _RIGHT_AGENT.match(right) or _RIGHT_WEAPON.match(right):
            if re.match(r"^[’'s\s]*(?:\w+\s+){0,3}claim", right, re.IGNORECASE):
                basis = "claimed"
            _add(perps, m.name, basis, m.span)
    # a name cannot be both; the agent reading wins when both fired
    targets = [t for t in targets if all(p.name != t.name for p in perps)]
    if _KILL_CONTEXT.search(text, start, end):
        if _CIVILIAN.search(text, start, end) and not any(t.name == "civilians" for t in targets):
            targets.append(ActorRef("civilians", "attributed", None))
        if country:
            if _US_VICTIM.search(text, start, end):
                _add(targets, resolve("United States"), "attributed", None)
            named = {t.name for t in targets}
            for rx, by_country in _FORCE_NOUNS:
                force = by_country.get(country)
                if force is None:
                    continue
                hit = rx.search(text, start, end)
                if hit and not _covered(hit.span(), inside) and not named - {"civilians"}:
                    _add(targets, resolve(force), "attributed", hit.span())
                    break
    return perps, targets


def _covered(span: Span, mentions: Sequence[Mention]) -> bool:
    return any(m.span[0] <= span[0] and span[1] <= m.span[1] for m in mentions)
