"""Quotation spans: pairs of marks, quotations across paragraphs, unclosed statements."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from ingest.extract.quotes import MARKS, OPEN, STRAIGHT, quote_spans


def quoted(text: str) -> list[str]:
    return [text[a:b] for a, b in quote_spans(text)]


def test_straight_and_curly_pairs() -> None:
    text = 'He said "we will win" and then “never again” to reporters.'
    assert quoted(text) == ['"we will win"', "“never again”"]


def test_a_reopened_paragraph_continues_the_quotation() -> None:
    text = "“The first part of it.\n\n“The second part,” he said."
    assert quoted(text) == ["“The first part of it.\n\n“The second part,”"]


def test_a_quotation_closed_in_a_later_paragraph_runs_over_the_break() -> None:
    text = "“The first part of it.\n\nThe end of it,” he said."
    assert quoted(text) == ["“The first part of it.\n\nThe end of it,”"]


def test_an_unclosed_statement_runs_over_following_prose() -> None:
    first = "The ministry said: “We will respond to this attack."
    text = first + "\n\nOur forces are ready to defend the region against any threat."
    assert quoted(text) == [text[first.index("“") :]]


def test_an_unclosed_mark_before_another_quotation_ends_at_its_paragraph() -> None:
    text = "“Open and never closed here.\n\nA later “quoted” word."
    assert quoted(text) == ["“Open and never closed here.", "“quoted”"]


@given(st.lists(st.sampled_from([*MARKS, "a", " word", " ", "\n", "\n\n", "."]), max_size=80))
@settings(max_examples=300, deadline=None)
def test_spans_are_ordered_disjoint_and_open_on_a_mark(parts: list[str]) -> None:
    text = "".join(parts)
    last = 0
    for a, b in quote_spans(text):
        assert last <= a < b <= len(text)
        assert text[a] in OPEN + STRAIGHT  # a quotation opens on an opening or straight mark
        last = b


def test_a_straight_mark_reopening_a_paragraph_does_not_close_the_quotation() -> None:
    text = 'He wrote that it was "a crime.\n\n"They hit bread and water," he said. "We stay."'
    assert quoted(text) == ['"a crime.\n\n"They hit bread and water,"', '"We stay."']
