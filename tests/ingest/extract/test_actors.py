"""Actor recognition: registry aliases, generic nouns by country, metonyms, acronyms,
discovery of organisations the registry does not know, and the registry files."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from ingest.extract.model import ActorMention
from ingest.extract.registry import Registry
from ingest.extract.text import split_sentences

REFERENCE = Path(__file__).resolve().parents[3] / "seeds" / "reference"


@pytest.fixture(scope="module")
def registry() -> Registry:
    return Registry.load(REFERENCE)


def actors(registry: Registry, text: str) -> dict[str, ActorMention]:
    return {a.name: a for a in registry.find_actors(text, split_sentences(text))}


def test_registry_files_are_consistent() -> None:
    acts = yaml.safe_load((REFERENCE / "actors.yaml").read_text(encoding="utf-8"))
    people = yaml.safe_load((REFERENCE / "officials.yaml").read_text(encoding="utf-8"))
    keys = [a["key"] for a in acts]
    assert len(keys) == len(set(keys))
    for a in acts:
        assert a["parent"] is None or a["parent"] in keys, a["key"]
    pkeys = [p["key"] for p in people]
    assert len(pkeys) == len(set(pkeys))
    for p in people:
        for r in p["roles"]:
            assert r["organisation"] in keys, (p["key"], r)
            if r["start"] and r["end"]:
                assert r["start"] <= r["end"], (p["key"], r)


def test_aliases_and_variants_fold_to_one_actor(registry: Registry) -> None:
    found = actors(
        registry,
        "Daesh claimed the attack. The Islamic State group (ISIS) said its fighters hit "
        "Kata'ib Hizballah positions near a Hashd al-Shaabi checkpoint.",
    )
    assert set(found) >= {"Islamic State", "Kataib Hezbollah", "Popular Mobilisation Forces"}
    assert {"Daesh", "Islamic State group", "ISIS"} <= set(found["Islamic State"].names)


def test_acronyms_need_capitals(registry: Registry) -> None:
    found = actors(registry, "It is what it is, said the man who is from the US.")
    assert "Islamic State" not in found
    assert "United States" in found


def test_generic_nouns_follow_the_country_of_the_text(registry: Registry) -> None:
    iraq = actors(
        registry, "Two soldiers were killed near Kirkuk when militants attacked a checkpoint."
    )
    syria = actors(
        registry, "Two soldiers were killed near Raqqa when militants attacked a checkpoint."
    )
    assert "Iraqi Army" in iraq
    assert "Iraqi Army" not in syria


def test_kurdish_forces_are_peshmerga_in_iraq_and_sdf_in_syria(registry: Registry) -> None:
    assert "Peshmerga" in actors(
        registry, "Kurdish forces repelled the attack near Makhmour in Erbil."
    )
    assert "Syrian Democratic Forces" in actors(
        registry, "Kurdish forces repelled the attack near Hasakah in Syria."
    )


def test_a_source_is_not_an_actor(registry: Registry) -> None:
    found = actors(registry, "Five people died in Baghdad, police and medical sources said.")
    assert "Iraqi Police" not in found


def test_generic_police_joins_the_named_police_force(registry: Registry) -> None:
    found = actors(
        registry,
        "Militants attacked a Federal Police outpost near Kirkuk, killing four policemen.",
    )
    assert "Iraqi Police" not in found
    assert "policemen" in found["Federal Police"].names


def test_capitals_stand_for_governments_unless_used_as_places(registry: Registry) -> None:
    assert "Turkey" in actors(registry, "Ankara says the strikes hit PKK targets in Duhok.")
    assert "Turkey" not in actors(registry, "The delegation flew to Ankara on Monday in Iraq.")


def test_qualifiers_based_and_pro_are_not_the_actor(registry: Registry) -> None:
    found = actors(registry, "The UK-based monitor said pro-Iran fighters fired rockets in Syria.")
    assert "United Kingdom" not in found
    assert "Iran" not in found


def test_us_led_coalition_with_words_between(registry: Registry) -> None:
    found = actors(registry, "The U.S.-led counter-Islamic State coalition said it struck Raqqa.")
    assert "US-led coalition" in found
    assert "United States" not in found


def test_nationality_adjective_with_a_military_noun(registry: Registry) -> None:
    assert "Turkey" in actors(registry, "A Turkish drone struck a car near Sinjar in Iraq.")
    assert "Turkey" not in actors(registry, "A Turkish businessman visited Erbil in Iraq.")


def test_parenthesised_acronym_is_learned(registry: Registry) -> None:
    found = actors(
        registry,
        "The Nineveh Guards Brigade (NGB) said it repelled the attack. NGB fighters then withdrew.",
    )
    brigade = [a for a in found.values() if "NGB" in a.names]
    assert brigade
    assert len(brigade[0].spans) == 3


def test_organisations_missing_from_the_registry_are_discovered(registry: Registry) -> None:
    found = actors(
        registry,
        "Fighters of the Hamrin Resistance Units clashed with gunmen from the al-Jabour tribe "
        "near Tuz Khurmatu, the Salahuddin Provincial Council said.",
    )
    assert {"Hamrin Resistance Units", "al-Jabour tribe", "Salahuddin Provincial Council"} <= set(
        found
    )
    assert found["Hamrin Resistance Units"].key is None


def test_generic_capitalised_phrases_are_not_organisations(registry: Registry) -> None:
    found = actors(registry, "Security Forces said the road was reopened in Iraq.")
    assert "Security Forces" not in found


def test_categories_only_on_request(registry: Registry) -> None:
    text = "The blast killed three civilians in Baghdad."
    assert "civilians" not in actors(registry, text)
    cats = registry.find_actors(text, split_sentences(text), include_categories=True)
    assert any(a.kind == "civilians" for a in cats)


def test_a_possessive_owner_picks_its_own_body(registry: Registry) -> None:
    text = "The Kurdistan Region's Interior Ministry said two suspects were arrested."
    found = actors(registry, text)
    assert "KRG Ministry of Interior" in found
    assert "Ministry of Interior" not in found  # the Iraqi federal ministry is not named
    assert "Kurdistan Regional Government" in found  # the owner is still mentioned


def test_a_province_police_is_its_own_force(registry: Registry) -> None:
    text = (
        "Four people were wounded, according to a statement from the Diyala police command. "
        "A spokesman for Diyala police said the attackers fled. Iraqi police closed the road."
    )
    found = actors(registry, text)
    local = [a for a in found.values() if a.key is None and "Diyala police" in a.names]
    assert len(local) == 1
    assert "Diyala police command" in local[0].names
    assert "Iraqi Police" in found  # the national force is still there


def test_a_city_police_joins_its_named_command(registry: Registry) -> None:
    text = "The Kirkuk Police Command said gunmen fled. Kirkuk police closed the roads."
    found = actors(registry, text)
    assert "Kirkuk police" in found["Kirkuk Police Command"].names
    assert "Kirkuk police" not in found


def test_a_country_as_a_side_of_a_border_is_a_place(registry: Registry) -> None:
    text = (
        "Diyala, which borders Iran, has seen attacks. Jets struck the border between Iraq "
        "and Iran. Iran has threatened military action."
    )
    found = actors(registry, text)
    assert found["Iran"].spans == [(text.index("Iran has"), text.index("Iran has") + 4)]


def test_aircraft_with_a_model_belong_to_their_state(registry: Registry) -> None:
    text = (
        "Iraqi F-16 fighter jets on Friday bombed a hideout. Russian Su-24 warplanes "
        "pounded the desert. The F-16 jets returned."
    )
    found = actors(registry, text)
    assert "Iraqi F-16 fighter jets" in found["Iraqi Air Force"].names
    assert "Russian Su-24 warplanes" in found["Russia"].names
    assert len(found) == 2  # "The F-16 jets" names no state


def test_a_generic_noun_owned_by_another_actor_is_not_the_iraqi_forces(registry: Registry) -> None:
    text = (
        "Drones hit bases hosting US-led coalition troops in Iraq. The US vowed to defend "
        "its troops. Iraqi troops cordoned off the area near Kirkuk."
    )
    found = actors(registry, text)
    assert found["Iraqi Security Forces"].names[0] == "Iraqi troops"
    assert "troops" not in found["Iraqi Security Forces"].names[:2]


def test_the_capital_as_subject_is_its_government(registry: Registry) -> None:
    text = (
        "A drone struck a car in eastern Baghdad on Sunday. Baghdad has recalled its envoy "
        "from Ankara, the Iraqi foreign ministry said. Towns north of Baghdad, were taken."
    )
    found = actors(registry, text)
    start = text.index("Baghdad has")
    assert found["Government of Iraq"].spans == [(start, start + 7)]


def test_a_numbered_brigade_is_discovered(registry: Registry) -> None:
    text = "The commander led a battalion of the 41st Brigade, the PMF said on Saturday."
    found = actors(registry, text)
    assert "41st Brigade" in found
    assert found["41st Brigade"].key is None


def test_peshmerga_written_in_lower_case_is_the_force(registry: Registry) -> None:
    found = actors(registry, "Fighting broke out between army units and peshmerga near the town.")
    assert "Peshmerga" in found
    found = actors(registry, "Local peshmerga forces said the road was cut.")
    assert "Peshmerga" in found
