"""Incident building on short articles written for these tests: coreference, places
named in titles, claims by "the group", series clauses, and toll-only descriptions."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from ingest.extract.pipeline import extract
from ingest.extract.resources import Resources


def _incidents(text: str, resources: Resources, published: str = "2023-05-10") -> list[Any]:
    ex = extract(text, published=dt.date.fromisoformat(published), resources=resources)
    incidents: list[Any] = ex.to_record("t")["incidents"]
    return incidents


def test_restated_attack_with_a_mayors_place_stays_one(resources: Resources) -> None:
    text = (
        "Drone strike kills two fighters near Sinuni\n\n"
        "A Turkish drone struck a car near the town of Sinuni on Tuesday, killing two "
        "members of the Sinjar Resistance Units, local officials said.\n\n"
        '"The car was hit on the road outside the town. Two men inside were killed," '
        "Sinjar mayor Ali Hassan told reporters.\n\n"
        '"A farmer nearby was wounded and taken to hospital in Sinjar," he added.\n'
    )
    incidents = _incidents(text, resources)
    assert len(incidents) == 1
    assert incidents[0]["place"] == "Sinuni"
    assert incidents[0]["killed"] == 2
    assert incidents[0]["date"] == "2023-05-09"


def test_the_group_claimed_that_attack(resources: Resources) -> None:
    text = (
        "Rockets hit base in western Iraq\n\n"
        "Two rockets struck Ain al-Asad air base in Anbar province on Monday, causing no "
        "casualties, a security official said.\n\n"
        "Kataib Hezbollah, an Iran-backed militia, has attacked US forces before. "
        "The group also claimed that attack.\n"
    )
    incidents = _incidents(text, resources)
    assert len(incidents) == 1
    assert incidents[0]["perpetrators"] == ["Kataib Hezbollah"]
    assert incidents[0]["killed"] == 0


def test_latest_in_a_series_is_still_one_event(resources: Resources) -> None:
    text = (
        "Drones target base\n\n"
        "Two drones targeted Harir air base north of Erbil early Thursday, officials said, "
        "the latest in a wave of attacks on bases hosting foreign troops.\n"
    )
    incidents = _incidents(text, resources, "2023-10-27")
    assert len(incidents) == 1
    assert incidents[0]["type"] == "air_strike"
    assert incidents[0]["date"] == "2023-10-26"


def test_a_clash_named_after_a_toll_gives_the_type(resources: Resources) -> None:
    text = (
        "Feud in Basra\n\n"
        "A tribal dispute in Basra province on Monday left two people dead and five others "
        "injured, police said.\n\n"
        "The feud between two clans in the Zubair district led to an armed clash.\n"
    )
    incidents = _incidents(text, resources)
    assert len(incidents) == 1
    assert incidents[0]["type"] == "clash"
    assert (incidents[0]["killed"], incidents[0]["wounded"]) == (2, 5)


def test_habitual_and_aggregate_sentences_make_no_incident(resources: Resources) -> None:
    text = (
        "Border tension\n\n"
        "The Turkish army rarely comments on its strikes in the mountains of Duhok. "
        "For months the area has been witnessing drone strikes and shelling. "
        "Since 2021, 40 attacks have hit villages in Amedi district.\n"
    )
    assert _incidents(text, resources) == []


def test_two_strikes_in_one_sentence_are_two_incidents(resources: Resources) -> None:
    text = (
        "Drones hit north-east Syria\n\n"
        "Turkish drones struck a water station near Qahtaniyah on Thursday evening, killing "
        "a guard, and hit a checkpoint on the outskirts of Amuda early on Friday, killing "
        "three members of the Asayish.\n"
    )
    incidents = _incidents(text, resources, "2023-10-06")
    got = sorted((i["place"], i["date"], i["type"], i["killed"]) for i in incidents)
    assert got == [
        ("Amuda", "2023-10-06", "air_strike", 3),
        ("Qahtaniyah", "2023-10-05", "air_strike", 1),
    ]
    assert all(i["perpetrators"] == ["Turkey"] for i in incidents)


def test_an_assault_that_began_on_a_day_is_an_event(resources: Resources) -> None:
    text = (
        "Prison attacked\n\n"
        "The assault on Ghwayran prison in Hasakah began late on Thursday when a car bomb "
        "exploded at the gate, allowing gunmen to enter.\n"
    )
    incidents = _incidents(text, resources, "2022-01-22")
    assert [(i["type"], i["date"]) for i in incidents] == [("facility_attack", "2022-01-20")]


def test_a_series_named_place_by_place_is_one_incident_each(resources: Resources) -> None:
    text = (
        "Militants strike again\n\n"
        "Islamic State militants attacked a checkpoint in Tuz Khurmatu on Monday. "
        "Islamic State has launched a wave of attacks on remote posts in recent weeks, "
        "including in Hawija, Rutba and Baiji.\n"
    )
    incidents = _incidents(text, resources)
    places = sorted(i["place"] for i in incidents)
    assert places == ["Baiji", "Hawija", "Rutba", "Tuz Khurmatu"]
    series = [i for i in incidents if i["place"] != "Tuz Khurmatu"]
    assert all(i["perpetrators"] == ["Islamic State"] and i["killed"] is None for i in series)
    assert all(i["date"] is None for i in series)


def test_first_wave_of_an_operation_is_one_event(resources: Resources) -> None:
    text = (
        "Turkey bombs villages near Amedi\n\n"
        "Turkish warplanes bombed several villages around Amedi late on Sunday, the first "
        "wave of a new cross-border operation against the PKK, local officials said.\n"
    )
    incidents = _incidents(text, resources)
    assert len(incidents) == 1
    assert incidents[0]["date"] == "2023-05-07"
    assert incidents[0]["perpetrators"] == ["Turkey"]
    # a wave of attacks over time is still an aggregate, not one event
    text = (
        "Attacks rise in Kirkuk\n\n"
        "Militants have carried out a wave of attacks on army posts around Kirkuk, officials said.\n"
    )
    assert _incidents(text, resources) == []


def test_strike_that_came_a_day_after_another_is_dated_back(resources: Resources) -> None:
    text = (
        "Drone strike hits camp near Makhmour\n\n"
        "A Turkish drone struck a house in Makhmour camp on Sunday, killing one person, "
        "a source said.\n\n"
        "Thousands of refugees have lived in the camp since the 1990s.\n\n"
        "Ankara did not comment on the strike, which came a day after Turkish warplanes "
        "bombed PKK positions in the Qandil mountains.\n"
    )
    by_place = {i["place"]: i for i in _incidents(text, resources, published="2023-05-14")}
    assert by_place["Makhmour camp"]["date"] == "2023-05-14"
    qandil = next(v for k, v in by_place.items() if k and "Qandil" in k)
    assert qandil["date"] == "2023-05-13"


def test_forces_a_struck_site_hosts_are_its_target(resources: Resources) -> None:
    text = (
        "Drones target Erbil airport\n\n"
        "Two drones laden with explosives targeted Erbil International Airport late on "
        "Saturday, causing no casualties, the ministry said.\n\n"
        "The airport hosts a base of the US-led coalition against the Islamic State.\n"
    )
    incidents = _incidents(text, resources)
    assert len(incidents) == 1
    assert incidents[0]["targets"] == ["US-led coalition"]
    # in the same sentence: "a military facility that hosts U.S.-led coalition personnel"
    text = (
        "Drone attack targets Baghdad airport base\n\n"
        "An explosives-laden drone attacked Victoria base, a military facility at Baghdad "
        "International Airport that hosts U.S.-led coalition personnel, late on Saturday, "
        "causing no casualties, the Iraqi military said.\n"
    )
    assert _incidents(text, resources)[0]["targets"] == ["US-led coalition"]


def test_a_place_said_to_lie_in_a_town_of_the_articles_country(resources: Resources) -> None:
    text = (
        "Turkish drone kills SDF commander near Qamishli\n\n"
        "A commander of the Syrian Democratic Forces was killed in an attack by a Turkish "
        "drone on Friday on his vehicle near Nusaybeen crossing on the border with Turkey "
        "in Al-Qamishli city in Al-Hasakah province, a monitor said.\n\n"
        "It is the first attack of its kind since February 22, when a Turkish drone "
        "targeted a car on the road between Al-Qamishli and Al-Qahtaniyah, killing a civilian.\n"
    )
    incidents = _incidents(text, resources, published="2023-03-10")
    places = [i["place"] for i in incidents]
    assert places.count("Al-Qamishli") == 2, incidents  # two events, both in Syria
    assert sorted(i["date"] for i in incidents) == ["2023-02-22", "2023-03-10"]


@pytest.mark.parametrize(
    "tail",
    [
        "In March, a drone struck a hangar inside the airport compound, causing damage but no injuries.",
        "In March, a drone struck a hangar inside the airport compound. No one was hurt in that attack.",
    ],
)
def test_nobody_hurt_said_in_a_clause_without_trigger(tail: str, resources: Resources) -> None:
    text = (
        "Drones target Erbil airport\n\n"
        "Two drones targeted Erbil International Airport late on Saturday, killing two "
        "guards, the ministry said.\n\n" + tail + "\n"
    )
    march = [i for i in _incidents(text, resources) if i["date"] == "2023-03-01"]
    assert len(march) == 1
    assert (march[0]["killed"], march[0]["wounded"]) == (0, 0)


def test_a_party_in_a_clause_on_the_hosted_is_no_target(resources: Resources) -> None:
    text = (
        "Drone strikes Makhmour camp\n\n"
        "A drone struck a house in Makhmour camp on Tuesday, causing no casualties, "
        "officials said.\n\n"
        "Makhmour camp hosts Kurdish refugees who fled persecution by the Turkish state.\n"
    )
    incidents = _incidents(text, resources)
    assert len(incidents) == 1
    assert "Turkey" not in incidents[0]["targets"]


def test_a_dated_similar_attack_on_the_base_is_an_event_of_its_own(resources: Resources) -> None:
    text = (
        "Drones hit coalition base in Kurdistan Region\n\n"
        "Two explosive drones struck Harir base on Monday, causing no casualties, the "
        "US-led coalition said.\n\n"
        "Officials said in March they thought Iran was behind a similar attack on the base "
        "that month.\n"
    )
    incidents = _incidents(text, resources)
    assert len(incidents) == 2, incidents
    first, second = incidents
    assert first["date"] == "2023-05-08"
    assert second["date"] == "2023-03-01"
    assert second["place"] == first["place"]
    assert second["type"] == "air_strike"
    assert second["perpetrators"] == ["Iran"]
    assert second["targets"] == first["targets"]


def test_victims_also_killed_add_to_those_counted_before(resources: Resources) -> None:
    text = (
        "Clashes near Tuz Khurmatu\n\n"
        "Militants attacked an army post near Tuz Khurmatu on Sunday, killing four soldiers, "
        "the military said.\n\n"
        "Two civilians were also killed in the attack, a local "
        "official said.\n"
    )
    [incident] = _incidents(text, resources)
    assert incident["killed"] == 6
