"""The gazetteer the extractor uses: load once, then find places in texts.

    gaz = Gazetteer.load(Path("seeds/reference"))
    gaz.find("Two soldiers were killed in Erbil's Makhmour on Sunday.")
    gaz.governorate("Salahuddin")  # -> "Salah ad Din"
    gaz.choose(matches, start, end)  # the place of an incident told in [start, end)

Data: `places.tsv` and `governorates.tsv` (GeoNames rows via Who's On First) and the
curated `place_aliases.tsv`, all in the reference directory.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from ingest.extract.fold import words, wordset
from ingest.extract.gazetteer_index import GazetteerIndex, Place, build_index
from ingest.extract.model import PlaceMatch
from ingest.extract.places import PlaceChoice, PlaceFinder, choose_place

# Words around a governorate's name that do not change which governorate it is.
_GOV_NOISE = wordset("province governorate muhafazat mayorality of the region wilayat liwa city")


class Gazetteer:
    def __init__(self, index: GazetteerIndex) -> None:
        self.index = index
        self._finder = PlaceFinder(index)

    @classmethod
    def load(cls, reference_dir: Path) -> Gazetteer:
        """Build the in-memory index from the reference TSVs in `reference_dir`."""
        return cls(build_index(reference_dir))

    def find(self, text: str) -> list[PlaceMatch]:
        """Every place mention in `text` with its span, resolved to a gazetteer entry."""
        return self._finder.find(text)

    def governorate(self, name: str) -> str | None:
        """Canonical admin1 ("Nineveh") for any spelling of a governorate ("Ninawa
        province"), or None when `name` is not a governorate."""
        from ingest.extract.gazetteer_index import _keys

        kept = " ".join(w for w in words(name) if w not in _GOV_NOISE)
        for key in _keys(kept or name):
            if key in self.index.governorates:
                return self.index.governorates[key]
        return None

    def country_of(self, admin1: str) -> str | None:
        """The country a canonical governorate belongs to."""
        return self.index.governorate_country.get(admin1)

    def place(self, geonames_id: int) -> Place | None:
        """The gazetteer entry with this GeoNames id."""
        idx = self.index.by_gid.get(geonames_id)
        return None if idx is None else self.index.places[idx]

    def choose(
        self, matches: Sequence[PlaceMatch], start: int = 0, end: int | None = None
    ) -> PlaceChoice:
        """The place of an event told in text[start:end]: see `places.choose_place`."""
        return choose_place(matches, start, end)
