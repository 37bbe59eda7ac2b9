"""The reference registry of actors and officials, loaded once and matched against text.

`Registry.load(seeds/reference)` reads `actors.yaml` and `officials.yaml` (formats in
`seeds/reference/README.md`) and builds token n-gram indexes (`names.PhraseIndex`) plus
transliteration skeleton tables, so recognition is a dictionary walk over the text.
Recognition itself lives in `actors.py` and `officials.py`; this module holds the data.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

import yaml

from ingest.extract.model import ActorKind, ActorMention, OfficialMention
from ingest.extract.names import PhraseIndex, fold, skeleton, skeleton_word, tokenize, wordset
from ingest.extract.text import Sentence

ACTOR_KINDS: frozenset[str] = frozenset(
    [
        "state_force",
        "government",
        "non_state_armed_group",
        "militia",
        "international_coalition",
        "political_party",
        "media",
        "civilians",
        "other",
    ]
)

# Leading words of a person's alias that are titles or honorifics, not name: "PM Barzani",
# "Col. Wayne Marotto", "Sheikh Jaafar". Used to tell full names from short forms.
NAME_TITLES = wordset("""pm mr mrs ms dr sheikh sheik shaikh sayyed sayyid ayatollah col colonel gen general
    maj major lt lieutenant brig brigadier capt captain president premier""")


class RegistryError(ValueError):
    """The reference files are missing or malformed."""


@dataclass(frozen=True, slots=True)
class ActorEntry:
    key: str
    name: str
    kind: ActorKind
    country: str | None
    parent: str | None
    aliases: tuple[str, ...]
    generic: tuple[str, ...] = ()
    metonyms: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Role:
    title: str
    organisation: str  # actor key
    start: dt.date | None
    end: dt.date | None

    def valid_on(self, day: dt.date) -> bool:
        return (self.start is None or self.start <= day) and (self.end is None or day <= self.end)


@dataclass(frozen=True, slots=True)
class PersonEntry:
    key: str
    name: str
    aliases: tuple[str, ...]
    roles: tuple[Role, ...]

    def roles_on(self, day: dt.date | None) -> list[Role]:
        if day is None:
            return list(self.roles)
        return [r for r in self.roles if r.valid_on(day)]


@dataclass
class Registry:
    actors: dict[str, ActorEntry]
    persons: dict[str, PersonEntry]
    actor_index: PhraseIndex = field(default_factory=PhraseIndex)
    person_index: PhraseIndex = field(default_factory=PhraseIndex)
    person_skeletons: dict[str, set[str]] = field(default_factory=dict)
    surname_skeletons: dict[str, set[str]] = field(default_factory=dict)
    actor_by_fold: dict[str, str] = field(default_factory=dict)

    # ------------------------------------------------------------------ loading
    @classmethod
    def load(cls, reference_dir: Path) -> Registry:
        """Reads actors.yaml and officials.yaml from `reference_dir`."""
        actors = [_actor(r) for r in _read(reference_dir / "actors.yaml")]
        persons = [_person(r) for r in _read(reference_dir / "officials.yaml")]
        return cls.build(actors, persons)

    @classmethod
    def build(cls, actors: Iterable[ActorEntry], persons: Iterable[PersonEntry]) -> Registry:
        reg = cls({a.key: a for a in actors}, {p.key: p for p in persons})
        for a in reg.actors.values():
            for form in (a.name, *a.aliases):
                reg.actor_index.add(form, a.key, "alias")
                reg.actor_by_fold.setdefault(fold(form), a.key)
            for form in a.generic:
                reg.actor_index.add(form, a.key, "generic")
            for form in a.metonyms:
                reg.actor_index.add(form, a.key, "metonym")
        for p in reg.persons.values():
            for form in (p.name, *p.aliases):
                words = _name_words(form)
                if len(words) >= 2:
                    reg.person_index.add(form, p.key, "person")
                    reg.person_skeletons.setdefault(skeleton(form), set()).add(p.key)
                elif words:
                    reg.person_index.add(form, p.key, "short")
                    reg.surname_skeletons.setdefault(skeleton_word(words[0]), set()).add(p.key)
            last = _name_words(p.name)
            if last:
                reg.surname_skeletons.setdefault(skeleton_word(last[-1]), set()).add(p.key)
        return reg

    # ------------------------------------------------------------------ queries
    def actor_name(self, key: str | None) -> str | None:
        return self.actors[key].name if key and key in self.actors else None

    def actor_key(self, name: str) -> str | None:
        """Registry key of an actor by any registered form (folded), else None."""
        return self.actor_by_fold.get(fold(name))

    def holder(self, title: str, organisation: str, on_date: dt.date) -> PersonEntry | None:
        """Who held `title` (words compared, 'Defence Minister' ~ 'Minister of Defence')
        at `organisation` (an actor key, or its parent) on `on_date`; None if not known."""
        want = _title_words(title)
        best: tuple[int, PersonEntry] | None = None
        for p in self.persons.values():
            for r in p.roles_on(on_date):
                org = self.actors.get(r.organisation)
                if r.organisation != organisation and (org is None or org.parent != organisation):
                    continue
                have = _title_words(r.title)
                if not want <= have:
                    continue
                score = len(want & have) - len(have - want)
                if best is None or score > best[0]:
                    best = (score, p)
        return best[1] if best else None

    def find_actors(
        self, text: str, sentences: list[Sentence], include_categories: bool = False
    ) -> list[ActorMention]:
        from ingest.extract.actors import find_actors

        return find_actors(self, text, sentences, include_categories=include_categories)

    def find_officials(
        self,
        text: str,
        sentences: list[Sentence],
        on_date: dt.date | None,
        actors: list[ActorMention],
    ) -> list[OfficialMention]:
        from ingest.extract.officials import find_officials

        return find_officials(self, text, sentences, on_date, actors)


_TITLE_STOP = frozenset(
    [
        "of",
        "the",
        "for",
        "and",
        "iraqi",
        "iraq's",
        "kurdish",
        "kurdistan",
        "region",
        "regional",
        "krg",
        "turkish",
        "turkey's",
        "iranian",
        "iran's",
        "syrian",
        "syria's",
        "us",
        "u.s.",
        "american",
        "federal",
    ]
)
_TITLE_SPELLING = {"defense": "defence", "premier": "prime", "pm": "prime"}


def _title_words(title: str) -> set[str]:
    words = fold(title).replace("-", " ").split()
    out = {_TITLE_SPELLING.get(w, w) for w in words if w not in _TITLE_STOP}
    if "pm" in words:
        out.add("minister")
    return out


def _name_words(form: str) -> list[str]:
    """Name tokens of a person alias less leading titles and Arabic articles."""
    toks = [t for t in tokenize(form) if not t.article]
    i = 0
    while i < len(toks) - 1 and toks[i].key in NAME_TITLES:
        i += 1
    return [t.key for t in toks[i:]]


# ------------------------------------------------------------------ YAML parsing
def _read(path: Path) -> list[dict[str, Any]]:
    try:
        loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=loader)  # noqa: S506
    except (OSError, yaml.YAMLError) as e:
        raise RegistryError(f"cannot read {path}: {e}") from e
    if not isinstance(data, list) or not all(isinstance(r, dict) for r in data):
        raise RegistryError(f"{path}: expected a YAML list of mappings")
    return cast(list[dict[str, Any]], data)


def _strs(value: object) -> tuple[str, ...]:
    if not isinstance(value, list):
        return ()
    return tuple(str(v) for v in value if v is not None and str(v).strip())


def _date(value: object) -> dt.date | None:
    if value is None:
        return None
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError as e:
        raise RegistryError(f"bad date {value!r}") from e


def _actor(r: dict[str, Any]) -> ActorEntry:
    kind = str(r.get("kind"))
    if kind not in ACTOR_KINDS or not r.get("key") or not r.get("name"):
        raise RegistryError(f"bad actor entry: {r!r}")
    return ActorEntry(
        key=str(r["key"]),
        name=str(r["name"]),
        kind=cast(ActorKind, kind),
        country=r.get("country"),
        parent=r.get("parent"),
        aliases=_strs(r.get("aliases")),
        generic=_strs(r.get("generic")),
        metonyms=_strs(r.get("metonyms")),
    )


def _person(r: dict[str, Any]) -> PersonEntry:
    if not r.get("key") or not r.get("name"):
        raise RegistryError(f"bad official entry: {r!r}")
    roles = []
    for role in r.get("roles") or []:
        if not isinstance(role, dict) or not role.get("title"):
            raise RegistryError(f"bad role in {r.get('key')}: {role!r}")
        roles.append(
            Role(
                title=str(role["title"]),
                organisation=str(role.get("organisation") or ""),
                start=_date(role.get("start")),
                end=_date(role.get("end")),
            )
        )
    return PersonEntry(str(r["key"]), str(r["name"]), _strs(r.get("aliases")), tuple(roles))
