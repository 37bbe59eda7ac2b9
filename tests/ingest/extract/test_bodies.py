"""Bodies named by their owner ("the camp's administration"): `bodies.possessed_bodies`
and their place among the actors of a text."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.extract.bodies import possessed_bodies
from ingest.extract.registry import Registry
from ingest.extract.text import split_sentences

REFERENCE = Path(__file__).resolve().parents[3] / "seeds" / "reference"


@pytest.fixture(scope="module")
def registry() -> Registry:
    return Registry.load(REFERENCE)


def test_the_camps_administration_is_named_after_the_camp() -> None:
    text = (
        "A drone hit a clinic in Dabaga camp on Friday. "
        "The camp's administration said two nurses were hurt."
    )
    [body] = possessed_bodies(text)
    assert body.name == "Dabaga camp administration"
    assert body.surface == "camp's administration"
    assert text[body.span[0] : body.span[1]] == body.surface


def test_a_towns_local_administration_needs_the_town_used_as_a_place() -> None:
    text = "Shells fell near Batifa. Batifa’s local administration asked for help."
    [body] = possessed_bodies(text)
    assert body.name == "Batifa local administration"
    assert body.kind == "government"


@pytest.mark.parametrize(
    "text",
    [
        "Officials said Trump's administration would answer.",  # a person's, not a place's
        "The camp's administration said nothing.",  # no camp named before
    ],
)
def test_no_body_without_a_place_to_own_it(text: str) -> None:
    assert possessed_bodies(text) == []


def test_possessed_body_is_an_actor_unless_its_owner_is_one(registry: Registry) -> None:
    text = (
        "Rockets struck Roj camp on Monday. The camp's administration condemned the attack. "
        "In Erbil, the KRG's administration said it would help."
    )
    names = {a.name: a for a in registry.find_actors(text, split_sentences(text))}
    assert "Roj camp administration" in names
    assert "camp's administration" in names["Roj camp administration"].names
    assert not any(n.startswith("KRG") for n in names)
