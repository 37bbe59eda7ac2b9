"""Reference data the extractor needs, loaded once per process and passed down.

`Resources.load()` reads the gazetteer (places, governorates, aliases) and the actor and
official registries from the reference directory: the `reference_dir` argument, else
`$SITREP_REFERENCE_DIR`, else the repository's `seeds/reference` (found from this
package's location). Nothing is loaded at import time; the caller (CLI command, worker
start-up, test fixture) builds one `Resources` and hands it to every `extract` call.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from ingest.errors import ExtractionError
from ingest.extract.model import (
    ActorMention,
    Incident,
    OfficialMention,
    PlaceMatch,
    Statement,
)
from ingest.extract.places import PlaceChoice
from ingest.extract.text import Sentence

ENV_VAR = "SITREP_REFERENCE_DIR"


class GazetteerLike(Protocol):
    def find(self, text: str) -> list[PlaceMatch]: ...

    def governorate(self, name: str) -> str | None: ...

    def country_of(self, admin1: str) -> str | None: ...

    def choose(
        self, matches: Sequence[PlaceMatch], start: int = 0, end: int | None = None
    ) -> PlaceChoice: ...


class RegistryLike(Protocol):
    def find_actors(self, text: str, sentences: list[Sentence]) -> list[ActorMention]: ...

    def find_officials(
        self,
        text: str,
        sentences: list[Sentence],
        on_date: dt.date | None,
        actors: list[ActorMention],
    ) -> list[OfficialMention]: ...


class StatementFinder(Protocol):
    def __call__(
        self,
        text: str,
        sentences: Sequence[Sentence],
        officials: Sequence[OfficialMention],
        actors: Sequence[ActorMention],
        published: dt.date | None,
        incidents: Sequence[Incident],
    ) -> list[Statement]: ...


def default_reference_dir() -> Path:
    env = os.environ.get(ENV_VAR)
    if env:
        return Path(env)
    # ingest/extract/resources.py -> repository root / seeds / reference
    return Path(__file__).resolve().parents[2] / "seeds" / "reference"


@dataclass(frozen=True)
class Resources:
    gazetteer: GazetteerLike
    registry: RegistryLike
    find_statements: StatementFinder
    reference_dir: Path

    @classmethod
    def load(cls, reference_dir: Path | None = None) -> Resources:
        """Load the reference data; a missing or unreadable directory is an
        ExtractionError naming it."""
        from ingest.extract.gazetteer import Gazetteer
        from ingest.extract.registry import Registry
        from ingest.extract.statements import find_statements

        ref = reference_dir or default_reference_dir()
        if not ref.is_dir():
            raise ExtractionError(
                f"reference directory not found: {ref} (set {ENV_VAR} or pass --reference-dir)"
            )
        try:
            gazetteer = Gazetteer.load(ref)
            registry = Registry.load(ref)
        except (OSError, ValueError) as exc:
            raise ExtractionError(f"cannot load reference data from {ref}: {exc}") from exc
        return cls(gazetteer, registry, find_statements, ref)
