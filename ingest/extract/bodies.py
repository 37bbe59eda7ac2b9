"""Bodies named by their owner: "the camp's administration", "Zakho's local administration".

A place's administration or management speaks and acts like an organisation, but its
name is a possessive phrase the capitalised-name discovery in `actors.py` never sees.
`possessed_bodies(text)` finds them and names each after its owner:
- "<Name>'s [independent|local|...] administration" when <Name> is used as a place in
  the text ("in Zakho", "near Zakho"): a person's administration ("Trump's
  administration") is a government the registry knows, not a local body;
- "the camp's administration" after "<Name> camp" was named: "<Name> camp administration".
One pass of two regular expressions over the text, so the cost is linear.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ingest.extract.model import ActorKind, Span

_NAME = r"[A-Z][\w’'-]+(?:[\s-][A-Z][\w’'-]+){0,2}"
_POSSESSED = re.compile(
    rf"\b(?:(?:the|The)\s+(?P<noun>camp|prison|town|city|district|village)|(?P<name>{_NAME}))"
    r"['’]s\s+(?P<mods>(?:(?:independent|local|interim|autonomous|civil|temporary|new)\s+)?)"
    r"(?P<head>administration|management)\b"
)
_LOCATIVE = r"\b(?:in|near|from|to|at|outside|inside|around|of)\s+(?:the\s+)?"


@dataclass(frozen=True, slots=True)
class Body:
    name: str  # "Makhmour camp administration"
    kind: ActorKind
    surface: str  # the words of the text: "camp's administration"
    span: Span


def _named_site(text: str, noun: str, before: int) -> str | None:
    """The name of the last '<Name> camp' (or town, prison ...) before `before`."""
    found = None
    for m in re.finditer(rf"\b({_NAME})\s+{noun}\b", text[:before]):
        found = m.group(1)
    if found is None or found.split()[0].lower() in ("the", "a", "this", "that"):
        return None
    return found


def possessed_bodies(text: str) -> list[Body]:
    out: list[Body] = []
    for m in _POSSESSED.finditer(text):
        head, mods = m.group("head"), m.group("mods")
        noun = m.group("noun")
        if noun is not None:
            site = _named_site(text, noun, m.start())
            if site is None:
                continue
            name = f"{site} {noun} {mods}{head}"
            kind: ActorKind = "other" if noun in ("camp", "prison") else "government"
            start = m.start("noun")
        else:
            owner = m.group("name")
            if re.match(r"(?:The|A|An|This|That)\b", owner) or not re.search(
                _LOCATIVE + re.escape(owner) + r"\b", text
            ):
                continue
            name = f"{owner} {mods}{head}"
            kind = "government"
            start = m.start("name")
        out.append(Body(name, kind, text[start : m.end()], (start, m.end())))
    return out
