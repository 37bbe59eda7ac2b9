"""The in-memory gazetteer: places of Iraq and Syria (GeoNames rows), governorates,
countries and curated aliases, indexed by folded name keys for token lookup.

Built once from `seeds/reference` (`places.tsv`, `governorates.tsv`,
`place_aliases.tsv`); the text matcher (`ingest.extract.places`) only reads it.
Two key levels: `exact` (the skeleton of `fold.name_key`) for every name, and
`loose` (the consonant outline of that key) for well-known places only, so that
"Himreen" finds "Hamrin" without letting every village match half the dictionary.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from ingest.extract.fold import ARTICLES, ascii_fold, skeleton, words, wordset

# Words GeoNames puts before the proper name ("Qaryat X" = "village of X"):
# the name is also indexed without them.
_GENERIC_PREFIX = wordset(
    "qaryat qarit qariyat nahiyat nahiyah nahia qada qadaa muhafazat mukhayyam hayy hai"
)
_GENERIC_SKELETONS = frozenset(skeleton(w) for w in _GENERIC_PREFIX)
# Feature codes of administrative seats and capitals: well-known by definition.
_SEATS = frozenset({"PPLC", "PPLA", "PPLA2", "PPLA3", "ADM1", "PCLI", "ADM2", "RGN"})
_VOWELS = frozenset("aeiouyw")
# Population from which a place counts as well known (loose matching, no cue needed).
_KNOWN_POP = 10_000
# Population from which a place may be matched through a looser spelling.
_PROMINENT_POP = 50_000


def loose_key(exact: str) -> str:
    """Consonant outline of an exact key: vowels and glides dropped after the first letter."""
    out = []
    for word in exact.split(" "):
        if not word:
            continue
        head = "a" if word[0] in _VOWELS else word[0]
        out.append(head + "".join(c for c in word[1:] if c not in _VOWELS))
    return " ".join(out)


@dataclass(slots=True)
class Place:
    """One gazetteer entry (a GeoNames row, a governorate, a country or a curated place)."""

    gid: int | None
    name: str  # display name (ASCII, English where the alias file gives one)
    admin1: str | None
    country: str | None
    feature_code: str
    population: int
    lat: float | None
    lon: float | None
    curated: bool = False  # defined or named by place_aliases.tsv

    @property
    def known(self) -> bool:
        """Well known enough to match without a locative cue."""
        return self.curated or self.feature_code in _SEATS or self.population >= _KNOWN_POP

    @property
    def prominent(self) -> bool:
        """Prominent enough to be matched through a looser spelling ("Himreen" = Hamrin)."""
        return (
            self.curated
            or self.feature_code in ("ADM1", "PCLI", "PPLC", "PPLA")
            or self.population >= _PROMINENT_POP
        )

    @property
    def prior(self) -> float:
        """Context-free preference among same-named places."""
        rank = {"PCLI": 6.0, "ADM1": 5.0, "PPLC": 5.0, "PPLA": 4.5, "PPLA2": 3.0}.get(
            self.feature_code, 0.0
        )
        return rank + (2.0 if self.curated else 0.0) + math.log10(1 + self.population)


@dataclass
class GazetteerIndex:
    places: list[Place] = field(default_factory=list)
    exact: dict[str, list[int]] = field(default_factory=dict)
    loose: dict[str, list[tuple[int, str]]] = field(default_factory=dict)
    exact_prefix: set[str] = field(default_factory=set)
    loose_prefix: set[str] = field(default_factory=set)
    by_gid: dict[int, int] = field(default_factory=dict)
    # governorate key (exact) -> canonical admin1; country key -> country name
    governorates: dict[str, str] = field(default_factory=dict)
    governorate_country: dict[str, str] = field(default_factory=dict)
    governorate_place: dict[str, int] = field(default_factory=dict)
    max_tokens: int = 1

    def add_name(self, idx: int, name: str) -> None:
        for key in _keys(name):
            self.add_key(idx, key)

    def add_key(self, idx: int, key: str) -> None:
        bucket = self.exact.setdefault(key, [])
        if idx not in bucket:
            bucket.append(idx)
        self._prefixes(self.exact_prefix, key)
        if self.places[idx].prominent:
            lk = loose_key(key)
            if len(lk) - lk.count(" ") >= 4:
                lbucket = self.loose.setdefault(lk, [])
                if (idx, key) not in lbucket:
                    lbucket.append((idx, key))
                self._prefixes(self.loose_prefix, lk)

    def _prefixes(self, prefixes: set[str], key: str) -> None:
        if " " not in key:
            prefixes.add(key)
            return
        parts = key.split(" ")
        self.max_tokens = max(self.max_tokens, len(parts))
        for n in range(1, len(parts) + 1):
            prefixes.add(" ".join(parts[:n]))


def _keys(name: str) -> list[str]:
    """Exact keys of a name: with articles dropped, and without a generic leading word."""
    toks = [skeleton(t) for t in words(name) if t not in ARTICLES]
    if not toks or len(toks) > 8:
        return []
    if len(toks) > 1 and toks[0] in _GENERIC_SKELETONS:
        return [" ".join(toks), " ".join(toks[1:])]
    return [" ".join(toks)]


# Anything outside Latin (basic, supplements, extended A/B, extended additional) and
# the ayn/hamza marks: such names are written in another script.
_NON_LATIN = re.compile("[^\\x00-\\u024f\\u1e00-\\u1effʿʾʼʻ‘’´]")


def _latin(name: str) -> bool:
    return _NON_LATIN.search(name) is None


def _display(name: str, ascii_name: str, alternates: Iterable[str]) -> str:
    for cand in (ascii_name, name, *alternates):
        if cand and cand.isascii() and any(c.isalpha() for c in cand):
            return cand
    for cand in (name, *alternates):
        if cand and _latin(cand):
            return ascii_fold(cand).title()
    return name


def _float(value: str) -> float | None:
    try:
        return float(value)
    except ValueError:
        return None


def _int(value: str) -> int:
    try:
        return int(float(value))
    except ValueError:
        return 0


def _rows(path: Path) -> Iterator[dict[str, str]]:
    """Rows of a header-first TSV without quoting (the reference files' format)."""
    lines = path.read_text(encoding="utf-8").split("\n")
    header = lines[0].rstrip("\r").split("\t")
    for line in lines[1:]:
        if line.strip():
            yield dict(zip(header, line.rstrip("\r").split("\t"), strict=False))


def build_index(reference_dir: Path) -> GazetteerIndex:
    """Read the reference TSVs and build the lookup tables."""
    ix = GazetteerIndex()
    countries = {"IQ": "Iraq", "SY": "Syria"}
    gov_names: dict[str, str] = {}  # "IQ.07" -> "Baghdad"
    gov_rows = list(_rows(reference_dir / "governorates.tsv"))
    for row in gov_rows:
        code = row["admin1_code"]
        gov_names[code] = row["name"]
        if row.get("country"):
            countries.setdefault(code.split(".")[0], row["country"])

    alias_path = reference_dir / "place_aliases.tsv"
    curated_gids = (
        {_int(r.get("geonames_id", "")) for r in _rows(alias_path)}
        if alias_path.exists()
        else set()
    )
    for row in _rows(reference_dir / "places.tsv"):
        fcode = row.get("feature_code", "")
        alternates = row.get("alternate_names", "").split(",")
        country = row.get("country") or countries.get(row.get("country_code", ""))
        admin1 = row.get("admin1") or None
        if not admin1 and row.get("admin1_code"):
            code = row["admin1_code"]
            admin1 = gov_names.get(code if "." in code else f"{row.get('country_code')}.{code}")
        if fcode == "PCLI":
            admin1, alternates = None, []  # country alternates hold demonyms and codes
        elif fcode == "ADM1":
            alternates = []  # ADM1 alternates include the capital's name ("Al Mawsil")
        gid = _int(row["geonames_id"]) or None
        place = Place(
            gid=gid,
            name=admin1
            if fcode == "ADM1" and admin1
            else _display(row.get("name", ""), row.get("ascii_name", ""), alternates),
            admin1=admin1,
            country=country,
            feature_code=fcode,
            population=_int(row.get("population", "0")),
            lat=_float(row.get("lat", "")),
            lon=_float(row.get("lon", "")),
            curated=gid in curated_gids,
        )
        idx = len(ix.places)
        ix.places.append(place)
        if gid is not None:
            ix.by_gid[gid] = idx
        keys: set[str] = set()
        for n in {row.get("name", ""), row.get("ascii_name", ""), *alternates}:
            if n and _latin(n):
                keys.update(_keys(n))
        for key in keys:
            ix.add_key(idx, key)
        if fcode == "ADM1" and admin1:
            ix.governorate_place.setdefault(admin1, idx)

    for row in gov_rows:
        name = row["name"]
        country = row.get("country") or countries.get(row["admin1_code"].split(".")[0])
        existing = ix.governorate_place.get(name)
        if existing is not None:
            idx = existing
        else:
            idx = len(ix.places)
            ix.places.append(
                Place(
                    gid=_int(row.get("geonameid", "")) or None,
                    name=name,
                    admin1=name,
                    country=country,
                    feature_code="ADM1",
                    population=0,
                    lat=None,
                    lon=None,
                )
            )
            ix.governorate_place[name] = idx
        variants = [name, row.get("geonames_admin1_name", ""), *row.get("variants", "").split("|")]
        for v in variants:
            if v:
                ix.add_name(idx, v)
                for key in _keys(v):
                    ix.governorates[key] = name
        if country:
            ix.governorate_country[name] = country
    _load_aliases(ix, alias_path)
    return ix


def _load_aliases(ix: GazetteerIndex, path: Path) -> None:
    """Curated rows: an alias of a gazetteer entry, or a place the gazetteer lacks."""
    if not path.exists():
        return
    new_places: dict[tuple[str, str, str], int] = {}
    for row in _rows(path):
        alias = row.get("alias", "")
        if not alias or alias.startswith("#"):
            continue
        gid = _int(row.get("geonames_id", ""))
        if gid:
            idx = ix.by_gid.get(gid)
            if idx is None:
                continue  # the row targets a place this gazetteer build does not have
            place = ix.places[idx]
            place.curated = True
            if row.get("name"):
                place.name = row["name"]
            ix.add_name(idx, alias)
            if place.feature_code == "ADM1" and place.admin1:
                for key in _keys(alias):
                    ix.governorates[key] = place.admin1
            continue
        name = row.get("name") or alias
        admin1 = row.get("admin1") or ""
        country = row.get("country") or ""
        ident = (name, admin1, country)
        found = new_places.get(ident)
        if found is not None:
            idx = found
        else:
            fcode = row.get("feature_code") or "PPL"
            idx = len(ix.places)
            ix.places.append(
                Place(
                    gid=None,
                    name=name,
                    admin1=admin1 or None,
                    country=country or None,
                    feature_code=fcode,
                    population=0,
                    lat=_float(row.get("lat", "")),
                    lon=_float(row.get("lon", "")),
                    curated=True,
                )
            )
            new_places[ident] = idx
            ix.add_name(idx, name)
            if fcode == "ADM1" and admin1:
                for key in _keys(alias):
                    ix.governorates[key] = admin1
        ix.add_name(idx, alias)
        if ix.places[idx].feature_code == "ADM1" and admin1:
            for key in _keys(alias):
                ix.governorates[key] = admin1
