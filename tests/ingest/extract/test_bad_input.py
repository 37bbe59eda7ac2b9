"""Untrusted input: a clear ExtractionError or an empty record, never a crash or a hang,
and time linear in the input size."""

from __future__ import annotations

import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ingest.errors import ExtractionError
from ingest.extract.clean import decode
from ingest.extract.model import Extraction
from ingest.extract.pipeline import extract
from ingest.extract.resources import Resources

NEWSY = st.sampled_from(
    [
        "killed",
        "wounded",
        "attack",
        "on Sunday",
        "in Kirkuk",
        "Mosul",
        "ISIS",
        "13",
        "nine",
        "at least",
        '"',
        "“",
        "”",
        ".",
        ",",
        "(",
        ")",
        "--",
        "\n",
        "\n\n",
        " ",
        "Dec.",
        "U.S.",
        "roadside bomb",
        "said",
        "the",
        "Peshmerga",
        "last month",
        "2021",
        "04-12-2021",
        "...",
    ]
)
NEWS_TEXT = st.lists(NEWSY, max_size=200).map(" ".join)
SETTINGS = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def _run(raw: str, resources: Resources) -> Extraction | None:
    try:
        return extract(raw, resources=resources)
    except ExtractionError:
        return None


@SETTINGS
@given(raw=st.text(max_size=3000))
def test_any_text_gives_a_record_or_a_clear_error(raw: str, resources: Resources) -> None:
    result = _run(raw, resources)
    if result is not None:
        record = result.to_record("doc")
        assert set(record) == {"doc", "document", "incidents", "actors", "officials", "statements"}
        for inc in result.incidents:
            assert 0 <= inc.span[0] <= inc.span[1] <= len(result.text)


@SETTINGS
@given(raw=NEWS_TEXT)
def test_news_like_noise_never_crashes(raw: str, resources: Resources) -> None:
    result = _run(raw, resources)
    if result is not None:
        for inc in result.incidents:
            assert inc.killed is None or inc.killed >= 0
            for span in (inc.killed_span, inc.date_span, inc.wounded_span):
                assert span is None or 0 <= span[0] <= span[1] <= len(result.text)


@SETTINGS
@given(data=st.binary(max_size=2000))
def test_any_bytes_decode_or_fail_clearly(data: bytes, resources: Resources) -> None:
    try:
        text = decode(data)
    except ExtractionError as exc:
        message = str(exc)
        assert message
        return
    _run(text, resources)


@pytest.mark.parametrize("raw", ["", "   ", "\n\n\t"])
def test_empty_is_a_clear_error(raw: str, resources: Resources) -> None:
    with pytest.raises(ExtractionError, match="empty"):
        extract(raw, resources=resources)


def test_non_english_gives_an_empty_record(resources: Resources) -> None:
    arabic = "قتل ثلاثة جنود في هجوم على نقطة تفتيش قرب كركوك يوم الأحد. " * 20
    result = extract(arabic, resources=resources)
    assert result.incidents == []
    assert result.actors == []
    assert result.statements == []


def test_ten_megabytes_is_refused_quickly(resources: Resources) -> None:
    t = time.perf_counter()
    with pytest.raises(ExtractionError, match="too large"):
        extract("Attack in Kirkuk killed 3. " * 400_000, resources=resources)
    assert time.perf_counter() - t < 5


@pytest.mark.parametrize(
    "unit",
    [
        "!!!???...,,,;;;",
        "((((([[[[[",
        "“”“”\"'\"'",
        "killed killed killed at least at least ",
        "Mosul Kirkuk Baghdad Erbil Diyala ",
        "the attack on Sunday in Kirkuk killed 13 and wounded five. ",
        "a" * 50,
        "-- -- -- ",
    ],
)
def test_time_is_linear_in_input_size(unit: str, resources: Resources) -> None:
    def cost(n: int) -> float:
        # CPU time of this process (not wall time), best of three: other load on the
        # machine must not make a linear algorithm look quadratic.
        raw = "Headline about an attack in Kirkuk\n\n" + unit * n
        best = float("inf")
        for _ in range(3):
            t = time.process_time()
            _run(raw, resources)
            best = min(best, time.process_time() - t)
        return best

    small, large = cost(300), cost(3000)
    # 10x the input: allow generous noise, but nothing near quadratic (100x)
    assert large < max(small, 0.005) * 30, (small, large)
