"""Officials (stub, replaced below)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from ingest.extract.model import ActorMention, OfficialMention
from ingest.extract.text import Sentence

if TYPE_CHECKING:
    from ingest.extract.registry import Registry


def find_officials(
    reg: Registry,
    text: str,
    sentences: list[Sentence],
    on_date: dt.date | None,
    actors: list[ActorMention],
) -> list[OfficialMention]:
    return []
