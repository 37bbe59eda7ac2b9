"""Perpetrators and targets of one clause, from where the actors stand in it."""

from __future__ import annotations

import pytest

from ingest.extract.pipeline import extract
from ingest.extract.resources import Resources
from ingest.extract.roles import Mention, assign_roles, militant_victims

_KINDS = {
    "ISIS": ("Islamic State", "non_state_armed_group"),
    "Turkish": ("Turkey", "government"),
    "US": ("United States", "government"),
    "Kataib Hezbollah": ("Kataib Hezbollah", "militia"),
    "PKK": ("Kurdistan Workers' Party", "non_state_armed_group"),
    "Peshmerga": ("Peshmerga", "state_force"),
    "Security forces": ("Iraqi Security Forces", "state_force"),
    "SDF": ("Syrian Democratic Forces", "non_state_armed_group"),
}


def _mentions(text: str) -> list[Mention]:
    out: list[Mention] = []
    for surface, (name, kind) in _KINDS.items():
        pos = text.find(surface)
        while pos >= 0:
            out.append(Mention(name, kind, (pos, pos + len(surface))))
            pos = text.find(surface, pos + 1)
    return sorted(out, key=lambda m: m.span)


def roles(text: str, country: str | None = "Iraq") -> tuple[set[str], set[str]]:
    perps, targets = assign_roles(text, 0, len(text), _mentions(text), country, lambda n: n)
    return {p.name for p in perps}, {t.name for t in targets}


@pytest.mark.parametrize(
    ("text", "perps", "targets"),
    [
        # a bare participle after the victim: "Peshmerga hurt in ..."
        ("Peshmerga hurt in ISIS attack near Kirkuk", {"Islamic State"}, {"Peshmerga"}),
        # the attacker named by its role noun: "an ISIS suicide bomber blew himself up"
        (
            "where an ISIS suicide bomber blew up himself near a checkpoint",
            {"Islamic State"},
            set(),
        ),
        ("two ISIS attackers stormed the building", {"Islamic State"}, set()),
        (
            "Three members of Kataib Hezbollah were killed in its base near Hilla in US strikes",
            {"United States"},
            {"Kataib Hezbollah"},
        ),
        (
            "Turkish shells slammed into the resort, killing nine tourists",
            {"Turkey"},
            {"civilians"},
        ),
        (
            "Two shepherds were killed in a suspected Turkish airstrike near the camp",
            {"Turkey"},
            {"civilians"},
        ),
        (
            "Security forces repelled the attack by ISIS on the village",
            {"Islamic State"},
            set(),
        ),
        (
            "After the attack, the SDF, a US-backed force, launched shelling on the villages",
            {"Syrian Democratic Forces"},
            set(),
        ),
        (
            "An explosive device went off in front of a civilian house in the town",
            set(),
            {"civilians"},
        ),
        (
            "Peshmerga fighters found the bodies of two ISIS militants in a cave",
            set(),
            {"Islamic State"},
        ),
        (
            "The PKK, a group banned in Turkey, claimed the attack on the Peshmerga post",
            {"Kurdistan Workers' Party"},
            {"Peshmerga"},
        ),
        (
            "A drone hit a car, killing two SDF fighters, a statement by the SDF said",
            set(),
            {"Syrian Democratic Forces"},
        ),
        (
            "Rockets struck a base hosting US troops near the airport",
            set(),
            {"United States"},
        ),
        (
            "Several US soldiers were hurt in the attack, officials said",
            set(),
            {"United States"},
        ),
    ],
)
def test_roles(text: str, perps: set[str], targets: set[str]) -> None:
    assert roles(text) == (perps, targets)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Security forces killed at least 40 militants in the fighting", True),
        ("Seven militants were killed in air strikes on the hills", True),
        ("Five soldiers were wounded when militants attacked the post", False),
        ("Troops killed two PKK militants near the border", False),
    ],
)
def test_unnamed_militants_as_victims(text: str, expected: bool) -> None:
    assert militant_victims(text, 0, len(text), _mentions(text)) is expected


def test_warplanes_that_pounded_are_the_attackers(resources: Resources) -> None:
    text = (
        "Warplanes strike militants near Palmyra\n\n"
        "Russian warplanes on Thursday pounded Islamic State hideouts in the desert near "
        "Palmyra, killing six militants, a monitor said.\n"
    )
    ex = extract(text, resources=resources)
    assert [p.name for p in ex.incidents[0].perpetrators] == ["Russia"]
    assert "Islamic State" in [t.name for t in ex.incidents[0].targets]


def test_a_mention_named_with_its_weapon_is_the_agent() -> None:
    text = "Kataib Hezbollah says five members killed in US strikes in Jurf al Sakhar"
    kh, us = text.index("Kataib"), text.index("US strikes")
    mentions = [
        Mention("Kataib Hezbollah", "militia", (kh, kh + len("Kataib Hezbollah"))),
        Mention("United States", "government", (us, us + len("US strikes"))),
    ]
    perps, targets = assign_roles(text, 0, len(text), mentions, "Iraq", lambda n: n)
    assert [p.name for p in perps] == ["United States"]
    assert [t.name for t in targets] == ["Kataib Hezbollah"]
    # a place after "in" is still no party
    text = "Five members were killed in Syria in an explosion"
    sy = text.index("Syria")
    mentions = [Mention("Syria", "government", (sy, sy + 5))]
    assert assign_roles(text, 0, len(text), mentions, "Iraq", lambda n: n)[0] == []


@pytest.mark.parametrize(
    "text",
    [
        "Officials said they believe Iran was behind the drone attack on the base.",
        "Police said Iran was most likely responsible for the bombing.",
    ],
)
def test_an_actor_said_to_be_behind_an_attack_is_its_perpetrator(text: str) -> None:
    at = text.index("Iran")
    perps, targets = assign_roles(
        text, 0, len(text), [Mention("Iran", "government", (at, at + 4))], "Iraq", str
    )
    assert [p.name for p in perps] == ["Iran"]
    assert targets == []


def test_the_wounded_as_people_is_not_the_verb_of_the_clause() -> None:
    text = "He said he called the Dohuk Governorate to send supplies for the wounded and the dead."
    at = text.index("Dohuk Governorate")
    perps, targets = assign_roles(
        text, 0, len(text), [Mention("Dohuk Governorate", "government", (at, at + 17))], "Iraq", str
    )
    assert perps == []
    assert targets == []


@pytest.mark.parametrize(
    ("text", "perp"),
    [
        ("The US-led coalition said air strikes destroyed a depot near the river.", True),
        ("The US-led coalition announced on Friday that its strikes hit two boats.", True),
        # a coalition reporting someone else's strikes is only the source
        ("The US-led coalition said Turkish strikes hit a village.", False),
    ],
)
def test_a_coalition_reporting_strikes_reports_its_own(text: str, perp: bool) -> None:
    name = "US-led coalition"
    at = text.index(name)
    mentions = [Mention(name, "international_coalition", (at, at + len(name)))]
    if "Turkish" in text:
        t = text.index("Turkish")
        mentions.append(Mention("Turkey", "government", (t, t + 7)))
    perps, _ = assign_roles(text, 0, len(text), mentions, "Iraq", str)
    assert (name in [p.name for p in perps]) is perp
