"""Event triggers, sentence types and the flags of sentences that report no one event."""

from __future__ import annotations

import pytest

from ingest.extract.triggers import find_triggers, sentence_flags, sentence_type


def _type(text: str) -> tuple[str, str] | None:
    return sentence_type(find_triggers(text, 0, len(text)))


def _flags(text: str) -> set[str]:
    return sentence_flags(text, 0, len(text))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("A roadside bomb hit an army patrol near Tuz Khurmatu.", ("bombing", "specific")),
        ("Two rockets landed inside the base at dawn.", ("shelling", "specific")),
        ("The governor survived an assassination attempt by a drone.", ("air_strike", "specific")),
        ("Gunmen opened fire on a checkpoint.", ("armed_assault", "generic")),
        ("The dispute left two men dead.", ("armed_assault", "generic")),
        ("An explosion was heard near the market.", ("bombing", "weak")),
    ],
)
def test_sentence_type(text: str, expected: tuple[str, str]) -> None:
    assert _type(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "The army rarely comments on its strikes in the mountains.",
        "For months the valley has been witnessing kidnappings and killings.",
        "Since 2021 the group has carried out 40 attacks in the province.",
        "Anbar: One attack.",
        "The militia has launched a series of rocket attacks on the base.",
    ],
)
def test_sentences_that_report_no_single_event_are_flagged(text: str) -> None:
    assert _flags(text)


@pytest.mark.parametrize(
    "text",
    [
        "It was the first strike since March 3, when a drone hit a car near the border.",
        "A drone struck a car near Sinuni on Tuesday, killing two fighters.",
    ],
)
def test_one_event_is_not_flagged(text: str) -> None:
    assert _flags(text) == set()


def test_planned_attacks_are_not_triggers() -> None:
    text = "Police said they foiled a plot to bomb the bridge."
    assert all(t.type != "bombing" for t in find_triggers(text, 0, len(text)))
