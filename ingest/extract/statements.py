"""Statements: who said what (first version; the full finder replaces this)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from ingest.extract.model import ActorMention, Incident, OfficialMention, Statement
from ingest.extract.text import Sentence


def find_statements(
    text: str,
    sentences: Sequence[Sentence],
    officials: Sequence[OfficialMention],
    actors: Sequence[ActorMention],
    published: dt.date | None,
    incidents: Sequence[Incident],
) -> list[Statement]:
    """Statements in `text` (none yet in this first version)."""
    return []
