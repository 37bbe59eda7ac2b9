"""Place finding against the real reference data in seeds/reference.

Sentences are written for these tests in the styles of different outlets; they
check the spellings, renamings, disambiguation and relative descriptions the
extractor meets in Iraqi, Kurdish and Syrian news.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.extract.gazetteer import Gazetteer

REFERENCE = Path(__file__).resolve().parents[3] / "seeds" / "reference"


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return Gazetteer.load(REFERENCE)


def places(gaz: Gazetteer, text: str) -> list[tuple[str, str | None, str | None]]:
    return [(m.surface, m.admin1, m.country) for m in gaz.find(text)]


@pytest.mark.parametrize(
    ("text", "surface", "gid", "admin1"),
    [
        ("Gunmen attacked an army post in Makhmour overnight.", "Makhmour", 93818, "Erbil"),
        ("Turkish jets struck targets near Mexmur.", "Mexmur", 93818, "Erbil"),
        ("Two soldiers died in a blast in Tarmiya on Tuesday.", "Tarmiya", 98403, "Baghdad"),
        ("The raid hit At-Tarmiyah district.", "At-Tarmiyah", 98403, "Baghdad"),
        ("Kataib Hezbollah positions in Jurf al-Nasr were hit.", "Jurf al-Nasr", 95069, "Babil"),
        ("A drone struck a site in Jurf al-Sakhr.", "Jurf al-Sakhr", 95069, "Babil"),
        ("Clashes broke out in Kadhimiya.", "Kadhimiya", 99172, "Baghdad"),
        ("A car bomb went off in Tal Afar.", "Tal Afar", 90393, "Nineveh"),
        ("Shelling was reported in Qamishlo on Friday.", "Qamishlo", 173377, "Al-Hasakah"),
        ("Rockets fell on Prde, a town south of Erbil.", "Prde", 98979, "Kirkuk"),
        ("IS cells remain active around Hawija.", "Hawija", 390188, "Kirkuk"),
    ],
)
def test_spellings_resolve_to_one_entry(
    gaz: Gazetteer, text: str, surface: str, gid: int, admin1: str
) -> None:
    hits = [m for m in gaz.find(text) if m.surface == surface]
    assert len(hits) == 1
    assert (hits[0].geonames_id, hits[0].admin1) == (gid, admin1)


def test_possessives_and_districts(gaz: Gazetteer) -> None:
    assert places(gaz, "Erbil's Makhmour district came under fire.") == [
        ("Erbil", "Erbil", "Iraq"),
        ("Makhmour", "Erbil", "Iraq"),
    ]
    got = places(gaz, "A bomb wounded 20 people in Baghdad's eastern district of Sadr City.")
    assert got == [("Baghdad", "Baghdad", "Iraq"), ("Sadr City", "Baghdad", "Iraq")]


def test_relative_description(gaz: Gazetteer) -> None:
    text = "Militants overran a post in the Al Rashad area south-west of Kirkuk city."
    got = gaz.find(text)
    assert [(m.surface, m.admin1, m.relation) for m in got] == [
        ("Al Rashad", "Kirkuk", None),
        ("Kirkuk", "Kirkuk", "south-west of"),
    ]
    choice = gaz.choose(got)
    assert choice.place is not None
    assert choice.place.surface == "Al Rashad"
    assert choice.admin1 == "Kirkuk"


def test_directions_from_an_anchor(gaz: Gazetteer) -> None:
    near = gaz.find("An IED struck a convoy 25 kilometres north of Baquba.")
    assert near[0].relation == "25 km north of"
    choice = gaz.choose(near)
    assert choice.place is not None
    assert (choice.place.surface, choice.admin1) == ("Baquba", "Diyala")
    farther = gaz.choose(gaz.find("Gunmen attacked a post 80 km north of Baquba."))
    assert (farther.place, farther.admin1, farther.country) == (None, "Diyala", "Iraq")
    far = gaz.choose(gaz.find("A blast 120 miles west of Baghdad killed two."))
    assert (far.place, far.admin1, far.country) == (None, None, "Iraq")
    # a place named outright wins over the anchor
    both = gaz.choose(gaz.find("Rockets hit Balad, north of Baghdad."))
    assert both.place is not None
    assert (both.place.surface, both.admin1) == ("Balad", "Salah ad Din")


def test_people_and_demonyms_are_not_places(gaz: Gazetteer) -> None:
    text = (
        "Iraqi Prime Minister Mustafa al-Kadhimi met Hadi al-Amiri. Kadhimi said the "
        "Iraqi army and Kurdish forces would work together, Abu Bakr al-Baghdadi's "
        "successor notwithstanding."
    )
    assert places(gaz, text) == []


def test_governorates_cities_and_countries(gaz: Gazetteer) -> None:
    got = gaz.find(
        "Turkish drones hit a car in Sulaimani province, Turkey's defence ministry said, "
        "while IS attacked a checkpoint in Diyala and shelled Deir ez-Zor city in Syria."
    )
    assert [(m.name, m.feature_code, m.country) for m in got] == [
        ("Sulaymaniyah", "ADM1", "Iraq"),
        ("Turkey", "PCLI", "Turkey"),
        ("Diyala", "ADM1", "Iraq"),
        ("Deir ez-Zor city", "PPLA", "Syria"),
        ("Syria", "PCLI", "Syria"),
    ]


def test_bases_camps_and_prisons(gaz: Gazetteer) -> None:
    text = (
        "Rockets targeted Ain al-Asad air base in Anbar, a day after a drone hit near "
        "Erbil International Airport; in Syria, IS stormed Ghweran prison while guards "
        "at al-Hol camp were put on alert."
    )
    got = [(m.surface, m.admin1) for m in gaz.find(text)]
    assert ("Ain al-Asad air base", "Anbar") in got
    assert ("Erbil International Airport", "Erbil") in got
    assert ("Ghweran prison", "Al-Hasakah") in got
    assert ("al-Hol camp", "Al-Hasakah") in got


@pytest.mark.parametrize(
    ("name", "admin1"),
    [
        ("Ninawa", "Nineveh"),
        ("Nineveh Governorate", "Nineveh"),
        ("Salahuddin", "Salah ad Din"),
        ("Salah al-Din province", "Salah ad Din"),
        ("Arbil", "Erbil"),
        ("Dohuk", "Duhok"),
        ("Deir al-Zour", "Deir ez-Zor"),
        ("Hassakeh", "Al-Hasakah"),
        ("Tamim", "Kirkuk"),
    ],
)
def test_governorate_spellings(gaz: Gazetteer, name: str, admin1: str) -> None:
    assert gaz.governorate(name) == admin1


def test_title_case_headline_words_are_not_places(gaz: Gazetteer) -> None:
    text = "Rockets Hit Baghdad Airport\nThree rockets hit the airport area on Monday."
    assert places(gaz, text) == [("Baghdad Airport", "Baghdad", "Iraq")]
    # the town of Hit is still found where the text presents it as a place
    assert places(gaz, "A bomb exploded in Hit, west of Ramadi.")[0] == ("Hit", "Anbar", "Iraq")


def test_organisations_named_after_places(gaz: Gazetteer) -> None:
    text = "The Sinjar Resistance Units clashed with the army in Sinuni."
    assert places(gaz, text) == [("Sinuni", "Nineveh", "Iraq")]


def test_namesake_contradicted_by_its_sentence(gaz: Gazetteer) -> None:
    text = "Gunmen killed a mukhtar in the village of Albu Hayat in Salahuddin's Shirqat district."
    got = gaz.find(text)
    assert [(m.surface, m.admin1) for m in got] == [
        ("Albu Hayat", None),
        ("Salahuddin", "Salah ad Din"),
        ("Shirqat", "Salah ad Din"),
    ]
    choice = gaz.choose(got)
    assert choice.place is not None
    assert (choice.place.surface, choice.admin1) == ("Albu Hayat", "Salah ad Din")


def test_names_with_digits(gaz: Gazetteer) -> None:
    got = places(gaz, "Two rockets hit the K1 base north-west of Kirkuk.")
    assert got[0] == ("K1 base", "Kirkuk", "Iraq")


def test_places_the_gazetteer_lacks_are_discovered(gaz: Gazetteer) -> None:
    text = "IS attacked an SDF post in the town of Al Bahra Al Wusta, east of Deir Ezzor."
    got = gaz.find(text)
    assert [(m.surface, m.geonames_id, m.admin1) for m in got] == [
        ("Al Bahra Al Wusta", None, None),
        ("Deir Ezzor", 170794, "Deir ez-Zor"),
    ]
    choice = gaz.choose(got)
    assert choice.place is not None
    assert (choice.place.surface, choice.admin1) == ("Al Bahra Al Wusta", "Deir ez-Zor")
    # generic or organisational words are not taken for names
    assert gaz.find("He toured the area of Operations Command and the Middle East region.") == []


def test_lower_case_lake_and_possessive_direction(gaz: Gazetteer) -> None:
    got = gaz.find("Jets hit an outpost by lake Hamrin, north-east of Diyala's Baquba.")
    assert [(m.surface, m.admin1, m.relation) for m in got] == [
        ("lake Hamrin", "Diyala", None),
        ("Diyala", "Diyala", None),
        ("Baquba", "Diyala", "north-east of"),
    ]


def test_unlisted_village_borrows_the_governorate_named_before(gaz: Gazetteer) -> None:
    text = (
        "Five policemen were killed in an attack in Kirkuk on Sunday. A roadside bomb "
        "hit their vehicle near the village of Umm Khanajir Saghir before gunmen opened fire."
    )
    got = [(m.surface, m.geonames_id, m.admin1) for m in gaz.find(text)]
    assert got == [("Kirkuk", 94787, "Kirkuk"), ("Umm Khanajir Saghir", None, "Kirkuk")]


def test_countries_never_borrow_a_governorate(gaz: Gazetteer) -> None:
    got = gaz.find("Gunmen attacked a post in Kirkuk. Attacks have risen in northern Iraq.")
    assert [(m.name, m.admin1) for m in got] == [("Kirkuk", "Kirkuk"), ("Iraq", None)]
