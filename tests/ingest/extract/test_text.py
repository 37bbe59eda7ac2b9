"""Sentence segmentation: offsets exact, abbreviations kept inside, linear time."""

from __future__ import annotations

import time

from ingest.extract.text import split_paragraphs, split_sentences


def test_sentences_keep_abbreviations_and_offsets() -> None:
    text = (
        "BAGHDAD, Dec. 13 (Wire) -- An air strike by U.S.-led aircraft killed 12. "
        'Lt. Col. Ammar Salman was among them. "It was hard," he said. '
        "Since Aug. 27, clashes erupted at 4:45 p.m. local time.\n\nA new paragraph."
    )
    sentences = split_sentences(text)
    assert [s.text for s in sentences] == [
        "BAGHDAD, Dec. 13 (Wire) -- An air strike by U.S.-led aircraft killed 12.",
        "Lt. Col. Ammar Salman was among them.",
        '"It was hard," he said.',
        "Since Aug. 27, clashes erupted at 4:45 p.m. local time.",
        "A new paragraph.",
    ]
    for s in sentences:
        assert text[s.start : s.end] == s.text
    assert sentences[-1].paragraph == sentences[-2].paragraph + 1


def test_lower_case_after_full_stop_is_not_a_boundary() -> None:
    text = "Turkish jets struck (P.K.K.) sites in the area. the rest follows."
    assert len(split_sentences(text)) == 1


def test_paragraphs_skip_blank_lines() -> None:
    text = "\n\nFirst line.\n\n\nSecond line.\n"
    spans = split_paragraphs(text)
    assert [text[s:e] for s, e in spans] == ["First line.", "Second line."]


def test_pathological_punctuation_is_linear() -> None:
    def cost(n: int) -> float:
        text = ("." * n) + " " + ("!?" * n) + " a" + ("." * n)
        best = float("inf")
        for _ in range(3):  # CPU time, best of three: immune to other load
            t = time.process_time()
            split_sentences(text)
            best = min(best, time.process_time() - t)
        return best

    small, large = cost(20_000), cost(200_000)
    assert large < max(small, 0.002) * 40  # 10x the input, far from 100x the time
