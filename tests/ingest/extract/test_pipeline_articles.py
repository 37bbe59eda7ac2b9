"""End-to-end extraction of the test articles in `articles/` (written for these tests,
in several outlets' conventions) against their expected records."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from ingest.extract.pipeline import extract
from ingest.extract.resources import Resources

ARTICLES = Path(__file__).parent / "articles"
CASES = sorted(p for p in ARTICLES.iterdir() if p.suffix in (".txt", ".html"))


def _record(path: Path, resources: Resources) -> dict[str, Any]:
    content_type = "text/html" if path.suffix == ".html" else "text/plain"
    extraction = extract(path.read_text(), content_type=content_type, resources=resources)
    return extraction.to_record(path.stem)


@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_article_matches_expected_record(path: Path, resources: Resources) -> None:
    expected = json.loads((ARTICLES / f"{path.stem}.expected.json").read_text())
    got = _record(path, resources)
    for key, value in expected["document"].items():
        assert got["document"][key] == value, key
    assert len(got["incidents"]) == len(expected["incidents"])
    for want, have in zip(expected["incidents"], got["incidents"], strict=True):
        for key, value in want.items():
            if key in ("perpetrators", "targets"):
                assert sorted(have[key]) == sorted(value), (key, have)
            else:
                assert have[key] == value, (key, have)


def test_spans_point_at_the_stated_values(resources: Resources) -> None:
    path = ARTICLES / "rudaw_style.txt"
    extraction = extract(path.read_text(), resources=resources)
    text = extraction.text
    main = extraction.incidents[0]
    assert main.killed_span is not None
    assert "two" in text[slice(*main.killed_span)]
    assert main.date_span is not None
    assert "Wednesday" in text[slice(*main.date_span)]
    assert main.place is not None
    assert text[slice(*main.place.span)] == "Makhmour"
    start, end = main.span
    assert "Peshmerga position" in text[start:end]
    for start, end in main.evidence_spans:
        assert 0 <= start < end <= len(text)


def test_caller_date_overrides_the_page(resources: Resources) -> None:
    import datetime as dt

    path = ARTICLES / "no_date.txt"
    extraction = extract(path.read_text(), published=dt.date(2024, 3, 9), resources=resources)
    assert extraction.meta.published == dt.date(2024, 3, 9)
    # "on Friday" before Saturday 9 March 2024
    assert extraction.incidents[0].date == dt.date(2024, 3, 8)
    # "Last month" is now resolvable
    assert extraction.incidents[1].date == dt.date(2024, 2, 1)
    assert extraction.incidents[1].date_precision == "month"


def test_dateline_is_no_part_of_a_statement(resources: Resources) -> None:
    page = (
        "Drone attack targets army base in Kirkuk\n\n"
        "Kirkuk (Iraq) (AFP) – A drone attacked an army base in Kirkuk on Monday, causing "
        "no casualties, the Joint Operations Command said in a statement.\n"
    )
    ex = extract(page, resources=resources)
    assert ex.statements
    for st in ex.statements:
        assert "AFP" not in ex.text[st.quote_span[0] : st.quote_span[1]]
    assert ex.meta.outlet == "AFP"
