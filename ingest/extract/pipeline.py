"""The extraction pipeline: one raw page in, one `Extraction` out.

Order: clean (boilerplate off, captions marked) -> metadata (title, outlet, publication
date) -> sentences -> places, actors, officials -> incidents (dates resolved against
the publication date) -> statements. Pure: no database, no network, no global state;
the reference data comes in through `resources`.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence

from ingest.errors import ExtractionError
from ingest.extract.clean import clean
from ingest.extract.incidents import IncidentBuilder, dominant_group
from ingest.extract.meta import extract_meta
from ingest.extract.model import ActorMention, Extraction, Meta, PlaceMatch, Span
from ingest.extract.resources import Resources
from ingest.extract.roles import Mention
from ingest.extract.text import Sentence, split_sentences

EXTRACTOR_VERSION = 1
_LATIN = re.compile(r"[A-Za-z]")


def _resolver(actors: list[ActorMention]) -> dict[str, str]:
    names: dict[str, str] = {}
    for a in actors:
        for n in [a.name, *a.names]:
            names.setdefault(n.lower(), a.name)
    return names


def _main_country(places: list[PlaceMatch]) -> str | None:
    """The country most places of the text are in (the victims' country when a
    sentence names no place)."""
    counts: dict[str, int] = {}
    for p in places:
        if p.country:
            counts[p.country] = counts.get(p.country, 0) + 1
    return max(counts, key=lambda k: counts[k]) if counts else None


def _without_datelines(sentences: list[Sentence], datelines: Sequence[Span]) -> list[Sentence]:
    """Sentences with an opening wire dateline cut off: "BAGHDAD, May 9 (Reuters) - An
    explosives-laden drone..." reads from "An". The reporter's city and agency are no
    part of what a source said; spans still index the cleaned text."""
    if not datelines:
        return sentences
    ends = dict(datelines)
    out: list[Sentence] = []
    for s in sentences:
        end = ends.get(s.start)
        if end is not None and end < s.end:
            start = end
            while start < s.end and s.text[start - s.start].isspace():
                start += 1
            s = Sentence(start, s.end, s.text[start - s.start :], s.paragraph)
        out.append(s)
    return out


def extract(
    raw: str,
    *,
    published: dt.date | None = None,
    content_type: str = "text/plain",
    resources: Resources,
) -> Extraction:
    """Extract one document. `published` overrides the date the page prints.

    Raises ExtractionError for input that is not an article at all (empty, too large);
    text with nothing to extract (boilerplate only, another language) gives an
    Extraction with empty lists."""
    if not raw or not raw.strip():
        raise ExtractionError("empty document")
    cleaned = clean(raw, content_type)
    meta = extract_meta(cleaned, published)
    text = cleaned.text
    if not text or len(_LATIN.findall(text[:5000])) < 20:
        return Extraction(text=text, meta=meta, extractor_version=EXTRACTOR_VERSION)
    sentences = split_sentences(text)
    places = resources.gazetteer.find(text)
    registry = resources.registry
    actors = registry.find_actors(text, sentences)
    officials = registry.find_officials(text, sentences, meta.published, actors)
    mentions = sorted(
        (Mention(a.name, a.kind, span) for a in actors for span in a.spans),
        key=lambda m: m.span,
    )
    known = _resolver(actors)
    gazetteer = resources.gazetteer

    def choose(
        matches: Sequence[PlaceMatch], start: int, end: int
    ) -> tuple[PlaceMatch | None, str | None, str | None]:
        choice = gazetteer.choose(matches, start, end)
        return choice.place, choice.admin1, choice.country

    builder = IncidentBuilder(
        text,
        sentences,
        published=meta.published,
        places=places,
        mentions=mentions,
        choose=choose,
        resolve_actor=lambda name: known.get(name.lower(), name),
        title_span=meta.title_span,
        captions=cleaned.captions,
        dominant_group=dominant_group(mentions),
        default_country=_main_country(places),
    )
    incidents = builder.build()
    statements = resources.find_statements(
        text,
        _without_datelines(sentences, cleaned.datelines),
        officials,
        actors,
        meta.published,
        incidents,
    )
    return Extraction(
        text=text,
        meta=meta,
        incidents=incidents,
        actors=actors,
        officials=officials,
        statements=statements,
        places=places,
        extractor_version=EXTRACTOR_VERSION,
    )


__all__ = ["EXTRACTOR_VERSION", "Meta", "extract"]
