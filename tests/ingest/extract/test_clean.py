"""Page cleaning: keep the article, drop the page around it."""

from __future__ import annotations

import pytest

from ingest.errors import ExtractionError
from ingest.extract.clean import MAX_CHARS, clean, clean_text, decode

PAGE = """Home
World
Subscribe to our newsletter
Gunmen attack checkpoint near Baiji
Gunmen attack checkpoint near Baiji
2 min read
Share on Facebook Share on Twitter

Police officers stand guard at a checkpoint in Baiji, Iraq, June 3, 2022. (Photo: AFP)

Gunmen attacked a police checkpoint near Baiji on Friday, killing two officers, a security source said.

The attackers fled after a gun battle that lasted about half an hour, the source added.

For all the latest headlines follow our Google News channel online or via the app.

Read more:
Parliament session postponed again
Oil output steady in May

Comments
We welcome comments which are relevant to the article. Comments are moderated.
"""


def test_plain_text_keeps_title_body_and_captions() -> None:
    c = clean_text(PAGE)
    assert c.title == "Gunmen attack checkpoint near Baiji"
    assert c.text.startswith("Gunmen attack checkpoint near Baiji\n\n")
    assert c.title_span == (0, len(c.title))
    assert "killing two officers" in c.text
    assert "gun battle" in c.text
    for chrome in (
        "Subscribe",
        "Share on",
        "2 min read",
        "Google News",
        "Parliament session",
        "welcome comments",
        "Read more",
    ):
        assert chrome not in c.text, chrome
    assert c.text.count("Gunmen attack checkpoint near Baiji") == 1
    assert len(c.captions) == 1
    start, end = c.captions[0]
    assert c.text[start:end].startswith("Police officers stand guard")


def test_archive_date_prefix_is_split_from_the_body() -> None:
    c = clean_text(
        "Headline about an attack in Mosul\n date 2023-08-03 A bomb exploded in Mosul on Thursday, killing two people.\n"
    )
    assert "date 2023" not in c.text
    assert "A bomb exploded in Mosul" in c.text


def test_hard_wrapped_paragraphs_are_joined() -> None:
    body = "\n".join(
        [
            "A line of wire copy that was wrapped at a fixed width by the sender",
            "and continues here with the rest of the sentence about the attack in",
            "Kirkuk on Monday, in which three people were killed and four others",
            "were wounded, police said.",
        ]
        * 3
    )
    c = clean_text("Wrapped wire story about Kirkuk\n\n" + body)
    assert "attack in Kirkuk on Monday" in c.text


def test_html_goes_through_main_content_extraction() -> None:
    html = (
        "<html><head><title>T</title></head><body><nav>Home News Sport</nav><article>"
        "<h1>Drone strike hits Sinjar</h1><p>A drone struck a vehicle in Sinjar on Sunday, "
        "killing two fighters, local officials said.</p><p>The strike was the third in a "
        "month, the officials said, and no group has commented on it.</p></article>"
        "<footer>Copyright 2024</footer></body></html>"
    )
    c = clean(html, "text/html")
    assert "A drone struck a vehicle in Sinjar" in c.text
    assert "Home News Sport" not in c.text


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty"),
        (b"   \n\t", "empty"),
        (b"\x00\x01\x02binary", "binary"),
        (bytes(range(1, 32)) * 100, "binary"),
    ],
)
def test_decode_rejects_non_text(data: bytes, message: str) -> None:
    with pytest.raises(ExtractionError, match=message):
        decode(data)


def test_decode_accepts_legacy_encoding() -> None:
    assert decode("Erbil’s Makhmour".encode("cp1252")) == "Erbil’s Makhmour"


def test_too_large_is_a_clear_error() -> None:
    with pytest.raises(ExtractionError, match="too large"):
        clean_text("a" * (MAX_CHARS + 1))


@pytest.mark.parametrize(
    "furniture",
    [
        "Home | Region | Politics | World | Opinion",
        "News | Features | Analysis",
        "Home > Middle East",
        "The region's leading independent news source since 2009",
    ],
)
def test_menus_and_taglines_are_never_the_headline(furniture: str) -> None:
    page = (
        f"Outlet\n{furniture}\n\nRockets hit army base near Mosul, no casualties\n\n"
        "Three rockets struck an army base near Mosul on Monday night, causing no casualties, "
        "a security source said.\n"
    )
    c = clean_text(page)
    assert c.title == "Rockets hit army base near Mosul, no casualties"
    assert furniture not in c.text


@pytest.mark.parametrize(
    ("opening", "dateline"),
    [
        ("MOSUL, Jun 3 (Wire) - ", "MOSUL, Jun 3 (Wire) -"),
        ("Kirkuk (Iraq) (Wire) – ", "Kirkuk (Iraq) (Wire) –"),
        ("Damascus (Wire) – ", "Damascus (Wire) –"),
        ("DUHOK, Kurdistan Region – ", "DUHOK, Kurdistan Region –"),
        ("TIKRIT, Iraq, Jun. 3 (Wire) -- ", "TIKRIT, Iraq, Jun. 3 (Wire) --"),
        ("The Islamic State (IS) - ", None),  # a subject with its acronym, not a place
        ("Gunmen - ", None),
    ],
)
def test_datelines_are_marked_not_deleted(opening: str, dateline: str | None) -> None:
    body = opening + "Gunmen attacked a checkpoint on Friday, killing two officers, police said."
    c = clean_text("Gunmen attack checkpoint in the north\n\n" + body + "\n")
    assert body in c.text  # spans index the cleaned text: nothing is cut out
    if dateline is None:
        assert c.datelines == []
    else:
        assert [c.text[s:e] for s, e in c.datelines] == [dateline]
