"""Casualty figures in digits and words."""

from __future__ import annotations

import pytest

from ingest.extract.numbers import casualties, parse_number


def figures(text: str) -> dict[str, int]:
    out: dict[str, int] = {}
    for f in casualties(text, 0, len(text)):
        out.setdefault(f.kind, f.value)
    return out


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "At least 13 policemen were killed and five wounded when militants attacked",
            {"killed": 13, "wounded": 5},
        ),
        (
            "ten Peshmerga fighters and three civilians were killed with others injured",
            {"killed": 13},
        ),
        ("two local officials and their driver were killed near Qamishli", {"killed": 3}),
        (
            "the attack killed three soldiers and wounded at least one, an officer said",
            {"killed": 3, "wounded": 1},
        ),
        (
            "two suicide bombers killed at least 32 people and wounded 110 in a market",
            {"killed": 32, "wounded": 110},
        ),
        ("killing at least 30 and wounding dozens of others", {"killed": 30}),
        ("a roadside bomb killed a senior leader of the militia", {"killed": 1}),
        (
            "the strike left a shepherd dead and a guard of the oil company (PCC) injured",
            {"killed": 1, "wounded": 1},
        ),
        ("gunmen claimed the assassination of a judge near Tikrit", {"killed": 1}),
        ("which police said left nine federal officers dead", {"killed": 9}),
        ("officials raised the death toll from the bombing to 38", {"killed": 38}),
        ("A cleric was shot dead in the town.", {"killed": 1}),
        ("A policeman was killed and three others were wounded.", {"killed": 1, "wounded": 3}),
        ("security forces found the bodies of two militants", {"killed": 2}),
        ("left one person dead and eight others injured", {"killed": 1, "wounded": 8}),
        ("five of its members were killed in the strikes", {"killed": 5}),
        ("The military says there were no casualties or damage.", {"killed": 0, "wounded": 0}),
        ("the drone caused only material damage", {"killed": 0, "wounded": 0}),
        ("Several service members were injured on Monday", {}),
        ("dozens were killed", {}),
        ("the 16th member of the network to be killed in 2016", {}),
        ("twenty-one people were killed", {"killed": 21}),
        ("a convoy 30 km south of the city was hit; 4 people were hurt", {"wounded": 4}),
    ],
)
def test_figures(text: str, expected: dict[str, int]) -> None:
    assert figures(text) == expected


def test_span_covers_the_figure() -> None:
    text = "Officials said at least 12 people were killed."
    (f,) = casualties(text, 0, len(text))
    assert "12" in text[f.span[0] : f.span[1]]
    assert f.explicit


@pytest.mark.parametrize(
    ("word", "value"),
    [("13", 13), ("1,200", 1200), ("nine", 9), ("Six", 6), ("twenty-one", 21), ("x", None)],
)
def test_parse_number(word: str, value: int | None) -> None:
    assert parse_number(word) == value


@pytest.mark.parametrize(
    ("text", "also"),
    [
        ("Four gunmen died, and three policemen were also killed.", [False, True]),
        ("Hospital staff said the blast also injured 40 passers-by.", [True]),
        ("Medics said six others had also been hurt.", [True]),
        ("Two guards were killed at the gate.", [False]),
    ],
)
def test_figures_told_with_also_are_marked(text: str, also: list[bool]) -> None:
    assert [f.also for f in casualties(text, 0, len(text))] == also
