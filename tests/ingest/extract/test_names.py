"""Name folding, tokens with spans, transliteration skeletons and the phrase index."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from ingest.extract.names import (
    PhraseIndex,
    fold,
    key_tokens,
    similar,
    skeleton,
    tokenize,
)


def test_fold_drops_case_accents_apostrophes_and_dots() -> None:
    assert fold("Kata'ib Ḥizballāh") == "kataib hizballah"
    assert fold("U.S.") == "us"
    assert fold("Workers´") == "workers"


def test_tokens_split_possessive_and_flag_arabic_articles() -> None:
    toks = tokenize("Iraq's al-Sadr met Al Kadhimi and the U.S.-led coalition")
    assert [t.key for t in toks] == [
        "iraq", "'s", "al", "sadr", "met", "al", "kadhimi", "and", "the", "us", "led", "coalition",
    ]  # fmt: skip
    assert [t.article for t in toks][2:7] == [True, False, False, True, False]
    assert toks[9].hyphen_after  # "U.S.-led"


def test_english_al_is_not_an_article() -> None:
    toks = tokenize("the al fresco lunch")
    assert not any(t.article for t in toks)


def test_key_tokens_ignore_the_article() -> None:
    assert key_tokens("Hashd al-Shaabi") == key_tokens("Hashd Shaabi") == ("hashd", "shaabi")


def test_skeleton_folds_transliteration_variants() -> None:
    assert skeleton("Mustafa al-Kadhimi") == skeleton("Mustafa Al-Kazemi")
    assert skeleton("Jumaa Inad") == skeleton("Juma Enad")
    assert skeleton("Qais al-Khazali") == skeleton("Qais al-Khaz'ali")
    assert skeleton("Yahya Rasool") == skeleton("Yahia Rasoul")


def test_similarity_separates_unrelated_names() -> None:
    assert similar("Kadhimi", "Kazemi") == 1.0
    assert similar("Kadhimi", "Kazakhstan") < 0.7


def test_phrase_index_takes_the_longest_match_and_respects_case() -> None:
    ix = PhraseIndex()
    ix.add("Islamic State", "is", "alias")
    ix.add("IS", "is", "alias")
    ix.add("Islamic State in Iraq and Syria", "is", "alias")
    ix.add("federal police", "fp", "alias")
    text = "This is what the Islamic State in Iraq and Syria and IS fighters, and the Federal Police, did."
    toks = tokenize(text)
    found = [
        (text[toks[h.start].start : toks[h.end - 1].end], h.phrases[0].ref) for h in ix.scan(toks)
    ]
    assert found == [
        ("Islamic State in Iraq and Syria", "is"),
        ("IS", "is"),
        ("Federal Police", "fp"),
    ]


@given(st.text(max_size=300))
@settings(max_examples=200, deadline=None)
def test_tokens_are_spans_of_the_text(text: str) -> None:
    toks = tokenize(text)
    last = -1
    for t in toks:
        assert 0 <= t.start < t.end <= len(text)
        assert text[t.start : t.end] == t.text
        assert t.start >= last
        last = t.end


def test_phrase_index_matches_after_a_leading_article() -> None:
    ix = PhraseIndex()
    ix.add("Qaeda", "aq", "alias")
    ix.add("Hashd Shaabi", "pmf", "alias")
    text = "Fighters of al-Qaeda and of the Hashd al-Shaabi met."
    toks = tokenize(text)
    found = [
        (text[toks[h.start].start : toks[h.end - 1].end], h.phrases[0].ref) for h in ix.scan(toks)
    ]
    assert found == [("al-Qaeda", "aq"), ("Hashd al-Shaabi", "pmf")]


@given(st.text(alphabet="aBcÉéßİı١ ّ-'’.", max_size=12))
@settings(max_examples=300, deadline=None)
def test_is_upper_means_letters_present_and_all_capitals(word: str) -> None:
    for t in tokenize(word):
        letters = [c for c in t.text if c.isalpha()]
        assert t.is_upper == (bool(letters) and all(c.isupper() for c in letters))
