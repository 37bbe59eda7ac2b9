"""Normalisation and identity of submitted documents (untrusted input: property tests)."""

from hypothesis import given
from hypothesis import strategies as st

from ingest.documents import Submission, from_payload, html_to_text, normalise, to_payload


def test_normalise_ignores_layout_noise() -> None:
    a = "Title\n\nFirst line.  \nSecond\u00a0line.\n\n\n\nEnd."
    b = "\ufeffTitle\r\n\r\nFirst line.\r\nSecond line.\r\n\r\nEnd.\r\n"
    assert normalise(a) == normalise(b) == "Title\n\nFirst line.\nSecond line.\n\nEnd."


def test_html_text_and_plain_text_hash_alike() -> None:
    html = (
        "<html><head><title>T</title><style>p{}</style><script>x()</script></head>"
        "<body><p>Militants attacked a checkpoint.</p><p>Two were killed.</p></body></html>"
    )
    text = "Militants attacked a checkpoint.\n\nTwo were killed."
    assert normalise(html, "text/html") == text
    assert (
        Submission(html, "text/html").sha256 == Submission(text).sha256
    )  # the same article, however it arrived


def test_payload_round_trip() -> None:
    sub = Submission(
        "text", "text/html", url="https://x.example/1", outlet="X", published="2021-09-05"
    )
    assert from_payload(to_payload(sub)) == sub


@given(st.text())
def test_normalise_is_idempotent(raw: str) -> None:
    once = normalise(raw)
    assert normalise(once) == once
    assert once == once.strip()
    assert "\r" not in once
    assert "\n\n\n" not in once


@given(st.text())
def test_html_never_crashes(raw: str) -> None:
    text = html_to_text(raw)
    assert isinstance(normalise(text), str)


@given(st.dictionaries(st.text(max_size=10), st.one_of(st.none(), st.text(), st.integers())))
def test_payload_from_anyone(payload: dict[str, object]) -> None:
    """The API writes payloads; a malformed one is refused with IngestError, never a crash."""
    from ingest.errors import IngestError

    try:
        sub = from_payload(payload)
    except IngestError:
        return
    assert isinstance(sub.raw, str)
