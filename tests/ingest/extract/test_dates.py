"""Relative date expressions resolved against the publication date."""

from __future__ import annotations

import datetime as dt

import pytest

from ingest.extract.dates import find_dates, latest_year

MONDAY = dt.date(2021, 9, 6)


def one(text: str, anchor: dt.date | None = MONDAY, prev=None):  # type: ignore[no-untyped-def]
    found = find_dates(text, 0, len(text), anchor, prev)
    assert len(found) == 1, found
    return found[0]


@pytest.mark.parametrize(
    ("text", "date", "precision"),
    [
        ("killed on Sunday", dt.date(2021, 9, 5), "day"),
        ("late on Friday night", dt.date(2021, 9, 3), "day"),
        ("in the early hours of Saturday", dt.date(2021, 9, 4), "day"),
        ("struck on Monday", MONDAY, "day"),  # same weekday as publication
        ("Monday's attack", MONDAY, "day"),
        ("yesterday", dt.date(2021, 9, 5), "day"),
        ("last night", dt.date(2021, 9, 5), "day"),
        ("this morning", MONDAY, "day"),
        ("last week", dt.date(2021, 8, 30), "week"),
        ("last month", dt.date(2021, 8, 1), "month"),
        ("in January", dt.date(2021, 1, 1), "month"),
        ("in October", dt.date(2020, 10, 1), "month"),  # the most recent October
        ("in late August", dt.date(2021, 8, 1), "month"),
        ("on July 31", dt.date(2021, 7, 31), "day"),
        ("on Dec. 31", dt.date(2020, 12, 31), "day"),
        ("in June 2014", dt.date(2014, 6, 1), "month"),
        ("on September8, 2018", dt.date(2018, 9, 8), "day"),
        ("in 2019", dt.date(2019, 1, 1), "year"),
        ("in September last year", dt.date(2020, 9, 1), "month"),
        ("three days ago", dt.date(2021, 9, 3), "day"),
        ("last year", dt.date(2020, 1, 1), "year"),
    ],
)
def test_resolution(text: str, date: dt.date, precision: str) -> None:
    d = one(text)
    assert (d.date, d.precision) == (date, precision)
    assert not d.reporting


def test_counting_from_the_previous_date() -> None:
    assert one("Six months later", prev=(dt.date(2021, 1, 1), "month")).date == dt.date(2021, 7, 1)
    same = one("the same day", prev=(dt.date(2021, 5, 1), "day"))
    assert (same.date, same.precision) == (dt.date(2021, 5, 1), "day")
    assert one("the next day", prev=(dt.date(2021, 5, 1), "day")).date == dt.date(2021, 5, 2)


def test_no_anchor_no_guess() -> None:
    for text in ("on Sunday", "last month", "in January", "on July 31", "yesterday"):
        assert one(text, anchor=None).date is None, text
    assert one("in 2019", anchor=None).date == dt.date(2019, 1, 1)


def test_year_hint_places_month_days_without_publication_date() -> None:
    text = "the strike happened Dec. 31"
    (d,) = find_dates(text, 0, len(text), None, None, year_hint=2016)
    assert d.date == dt.date(2016, 12, 31)
    assert latest_year("between 2014 and 2017, and in 2016") == 2017


@pytest.mark.parametrize(
    "text",
    [
        "the ministry said on Sunday",
        "told Rudaw on Saturday",
        "said in a statement on Monday",
        "the prime minister on Sunday urged restraint",
    ],
)
def test_report_dates_are_marked(text: str) -> None:
    assert one(text).reporting


def test_a_day_before_its_event_word_is_the_events() -> None:
    assert not one("on Sunday, a roadside bomb exploded").reporting


def test_month_words_that_are_not_months() -> None:
    assert find_dates("it may rain; they march on", 0, 26, MONDAY) == []


@pytest.mark.parametrize(
    ("text", "date"),
    [
        # the event told after "came ... after" is the earlier one
        ("the raid, which came a day after drones struck the town", dt.date(2021, 9, 4)),
        ("the raid came two days before gunmen attacked the town", dt.date(2021, 9, 7)),
        # without "came", "after" counts forward from the earlier event
        ("Two days after the attack, gunmen killed a man", dt.date(2021, 9, 7)),
    ],
)
def test_came_a_day_after_counts_back(text: str, date: dt.date) -> None:
    assert one(text, prev=(dt.date(2021, 9, 5), "day")).date == date


def test_day_counts_start_from_the_last_day_named() -> None:
    text = "the raid, which came a day after drones struck the town"
    # the text's last date was a decade ("in the 1990s"): days count from the last day
    found = find_dates(text, 0, len(text), MONDAY, (dt.date(1990, 1, 1), "year"), None, MONDAY)
    assert [d.date for d in found] == [dt.date(2021, 9, 5)]
    assert find_dates(text, 0, len(text), MONDAY, (dt.date(1990, 1, 1), "year"))[0].date is None


@pytest.mark.parametrize(
    ("text", "reporting"),
    [
        ("The statement said the strike happened Dec. 31 in Raqqa", False),
        ("the ministry said the attack on Sunday killed two", False),
        ("the ministry said on Sunday that two were killed", True),
        ("Officials told reporters on Sunday", True),
    ],
)
def test_a_date_after_say_and_an_event_word_dates_the_event(text: str, reporting: bool) -> None:
    found = find_dates(text, 0, len(text), MONDAY)
    assert len(found) == 1
    assert found[0].reporting is reporting
