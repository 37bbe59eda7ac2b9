"""Publication dates in the forms pages print them."""

from __future__ import annotations

import datetime as dt

import pytest

from ingest.extract.clean import clean_text
from ingest.extract.meta import extract_meta

BODY = "\n\nMilitants attacked an army post near Kirkuk, killing two soldiers, officials said on Monday.\n"


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("Updated: September 06, 2021, 10:38 AM", dt.date(2021, 9, 6)),
        ("04-12-2021", dt.date(2021, 12, 4)),  # day first
        ("Sep 29, 2021, 2:10 PM", dt.date(2021, 9, 29)),
        ("Date: 2021-07-10T20:14:01+0000", dt.date(2021, 7, 10)),
        ("Thursday, 28 January 2021", dt.date(2021, 1, 28)),
        ("Published 20.10.2017 23:59\nUpdated 21.10.2017 00:06", dt.date(2017, 10, 20)),
        ("Outlet Name June 20, 2023 News", dt.date(2023, 6, 20)),
        # a page header showing the day it was viewed is later than the article
        ("Tuesday, May 14, 2024\nJanuary 8, 2017", dt.date(2017, 1, 8)),
        ("KIRKUK, Sep. 29 (Agency) -", None),  # a dateline has no year: never guessed
    ],
)
def test_publication_date_forms(header: str, expected: dt.date | None) -> None:
    page = "Two soldiers killed in attack near Kirkuk\n" + header + BODY
    assert extract_meta(clean_text(page)).published == expected


def test_archive_prefix_date() -> None:
    page = "Two soldiers killed in attack near Kirkuk\n date 2023-08-03 Militants attacked a post on Monday.\n"
    assert extract_meta(clean_text(page)).published == dt.date(2023, 8, 3)


def test_caption_date_only_when_the_article_speaks_of_that_day() -> None:
    caption = "Officials meet in Baghdad, May 3, 2021. (PM office)"
    with_weekday = (
        "Meeting on security held in Baghdad\n\n"
        + caption
        + "\n\nThe office said in a statement early on Monday that the meeting was held.\n"
    )
    other_day = with_weekday.replace("Monday", "Friday")
    assert extract_meta(clean_text(with_weekday)).published == dt.date(2021, 5, 3)
    assert extract_meta(clean_text(other_day)).published is None


def test_caller_override_and_title() -> None:
    meta = extract_meta(
        clean_text("Two soldiers killed in attack near Kirkuk" + BODY), dt.date(2020, 1, 2)
    )
    assert meta.published == dt.date(2020, 1, 2)
    assert meta.title == "Two soldiers killed in attack near Kirkuk"


@pytest.mark.parametrize(
    ("page", "outlet"),
    [
        ("Head line of an attack story\n\nBeirut (AFP) – " + BODY.strip(), "AFP"),
        ("Head line of an attack story\n\nArbil (Iraq) (AFP) – " + BODY.strip(), "AFP"),
        ("Head line of an attack story\nSource: Xinhua | 2022-08-25 19:30:11" + BODY, "Xinhua"),
        ("Rudaw\nHead line of an attack story" + BODY, "Rudaw"),
        ("AL-MONITOR\nHead line of an attack story" + BODY, "Al-Monitor"),
        ("Head line of an attack story" + BODY + "\nRudaw\n", "Rudaw"),  # sign-off
        ("Head line of an attack story\nJohn Smith" + BODY, None),  # a byline is no outlet
    ],
)
def test_outlet_from_dateline_source_line_masthead_or_sign_off(
    page: str, outlet: str | None
) -> None:
    assert extract_meta(clean_text(page)).outlet == outlet
