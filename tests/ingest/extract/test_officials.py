"""Officials: registry persons by alias and transliteration, titles by date, discovery
from title patterns, short-form back-references, bylines left out."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rapidfuzz import fuzz

from ingest.extract.model import OfficialMention
from ingest.extract.officials import _LONG_TITLES, TITLE_NOUNS, is_title_word
from ingest.extract.registry import Registry
from ingest.extract.text import split_sentences

REFERENCE = Path(__file__).resolve().parents[3] / "seeds" / "reference"


@pytest.fixture(scope="module")
def registry() -> Registry:
    return Registry.load(REFERENCE)


def officials(
    registry: Registry, text: str, on: dt.date | None = None
) -> dict[str, OfficialMention]:
    sents = split_sentences(text)
    actors = registry.find_actors(text, sents)
    return {o.name: o for o in registry.find_officials(text, sents, on, actors)}


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (dt.date(2016, 3, 1), "Haider al-Abadi"),
        (dt.date(2021, 9, 5), "Mustafa al-Kadhimi"),
        (dt.date(2023, 3, 1), "Mohammed Shia al-Sudani"),
    ],
)
def test_the_prime_minister_depends_on_the_date(
    registry: Registry, day: dt.date, expected: str
) -> None:
    holder = registry.holder("Iraqi Prime Minister", "government-of-iraq", day)
    assert holder is not None
    assert holder.name == expected


def test_defence_minister_title_words_in_any_order(registry: Registry) -> None:
    holder = registry.holder("Defense Minister", "government-of-iraq", dt.date(2021, 1, 10))
    assert holder is not None
    assert holder.name == "Jumaa Inad"


def test_transliteration_variants_are_one_person(registry: Registry) -> None:
    text = (
        "Iraqi Prime Minister Mustafa Al-Kazemi met Defence Minister Juma Enad in Baghdad. "
        "Enad said the army was ready, and Kazemi agreed."
    )
    found = officials(registry, text, dt.date(2021, 5, 2))
    assert set(found) == {"Mustafa al-Kadhimi", "Jumaa Inad"}
    assert len(found["Jumaa Inad"].spans) == 2
    assert found["Mustafa al-Kadhimi"].title == "Prime Minister"
    assert found["Mustafa al-Kadhimi"].affiliation == "Government of Iraq"


def test_title_follows_the_document_date(registry: Registry) -> None:
    text = "Masrour Barzani said the Peshmerga would stay."
    assert officials(registry, text, dt.date(2017, 6, 1))["Masrour Barzani"].title == "Chancellor"
    assert (
        officials(registry, text, dt.date(2022, 6, 1))["Masrour Barzani"].title == "Prime Minister"
    )


def test_title_before_the_name_discovers_a_person(registry: Registry) -> None:
    found = officials(
        registry, "Peshmerga commander Karwan Hamid said the village was retaken in Kirkuk."
    )
    assert "Karwan Hamid" in found
    assert found["Karwan Hamid"].title == "Commander"
    assert found["Karwan Hamid"].affiliation == "Peshmerga"


def test_appositive_titles_discover_people(registry: Registry) -> None:
    text = (
        "The Secretary-General of the Hamza Brigades, Abu Zaid al-Tamimi, warned of reprisals. "
        "Dilshad Rasul, mayor of the town, said two houses burned. "
        "Later, al-Tamimi said the group would respond."
    )
    found = officials(registry, text)
    assert {"Abu Zaid al-Tamimi", "Dilshad Rasul"} <= set(found)
    assert found["Abu Zaid al-Tamimi"].title == "Secretary-General"
    assert len(found["Abu Zaid al-Tamimi"].spans) == 2
    assert found["Dilshad Rasul"].title is not None
    assert "mayor" in found["Dilshad Rasul"].title.lower()


def test_misspelt_title_still_counts(registry: Registry) -> None:
    found = officials(
        registry, "Hemin Aziz, Peshmerga commader in the Garmiyan front, said on Saturday."
    )
    assert "Hemin Aziz" in found


def test_bylines_and_photo_credits_are_not_officials(registry: Registry) -> None:
    text = "Reporting by Sara Khalil; Editing by Tom Brown\nPhoto by ALI HAMAD / AFP"
    assert officials(registry, text) == {}


def test_a_surname_alone_needs_a_full_mention_or_a_title(registry: Registry) -> None:
    assert officials(registry, "Tillerson was not mentioned by name anywhere else.") == {}
    found = officials(registry, "Secretary Tillerson spoke in Baghdad.", dt.date(2017, 10, 22))
    assert "Rex Tillerson" in found


@given(
    st.sampled_from(sorted(_LONG_TITLES)),
    st.integers(0, 12),
    st.text(alphabet="aeimnorst", max_size=7),
)
@settings(max_examples=400, deadline=None)
def test_title_words_are_role_nouns_or_close_misspellings(title: str, at: int, edit: str) -> None:
    key = title[:at] + edit + title[at + 1 :]  # one letter replaced by 0-7 letters
    # the definition, without the length bound and the cache of is_title_word
    close = any(fuzz.ratio(key, t) >= 88 for t in _LONG_TITLES)
    assert is_title_word(key) == (key in TITLE_NOUNS or (len(key) >= 7 and close))


def test_misspelt_and_long_words() -> None:
    assert is_title_word("commader")
    assert is_title_word("spokesperon")
    assert not is_title_word("spokespersonship")
    assert not is_title_word("commandeering")


def test_headline_case_words_after_a_title_are_not_a_person(registry: Registry) -> None:
    text = (
        "Iraqi, Kurdish Interior Ministers Discuss Border Security Ahead of Iran Deadline\n\n"
        "Peshmerga commander Ibrahim Ahmed said the border was calm.\n"
    )
    found = officials(registry, text)
    assert "Discuss Border" not in found
    assert "Ibrahim Ahmed" in found  # a title in a sentence still finds its person


def test_an_official_after_headed_by_is_not_a_byline(registry: Registry) -> None:
    text = (
        "The prime minister sent a delegation headed by Interior Minister Abdul Amir "
        "al-Shammari to the province.\nReporting by Jane Doe; Editing by John Roe\n"
    )
    found = officials(registry, text, dt.date(2023, 5, 1))
    assert found["Abdul Amir al-Shammari"].title == "Minister of Interior"
    assert "Jane Doe" not in found
    assert "John Roe" not in found
