"""Property tests for the query layer's entry points that take untrusted text: full-text
queries (run for real against SQLite FTS5 and PostgreSQL), cursors and filters."""

from __future__ import annotations

import asyncio
import contextlib
import re
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy.ext.asyncio import AsyncEngine

from api.query import INCIDENTS, STATEMENTS, IncidentFilter, InvalidCursor, StatementFilter, pages
from api.query.cursor import DateIdKeyset, decode, encode
from api.query.fts import fts5_query
from api.query.tables import incident

PROPS = settings(
    max_examples=60, deadline=None, database=None, suppress_health_check=list(HealthCheck)
)
# No NUL: PostgreSQL text cannot hold it (the REST layer refuses it as a 400 first).
TEXT = st.text(st.characters(exclude_characters="\x00"), max_size=40)


@given(q=TEXT)
@PROPS
def test_fts5_query_is_only_quoted_terms(q: str) -> None:
    out = fts5_query(q)
    if out is None:
        return
    # Every term is an FTS5 string literal (inner quotes doubled), separated by spaces:
    # no operator, column filter or prefix star can appear outside a literal.
    assert re.fullmatch(r'"(?:[^"]|"")*"(?: "(?:[^"]|"")*")*', out, re.DOTALL), out


@pytest.mark.slow
async def test_any_text_search_runs_on_the_real_database(engine: AsyncEngine) -> None:
    """Whatever the text, the search answers (possibly nothing) and never errors."""
    found: list[Any] = []

    @given(q=TEXT)
    @PROPS
    def run(q: str) -> None:
        async def query() -> None:
            async with engine.connect() as conn:
                await pages.json_page(conn, STATEMENTS, StatementFilter(text=q), 5)
                await pages.json_page(conn, INCIDENTS, IncidentFilter(text=q), 5)
            found.append(q)

        asyncio.run_coroutine_threadsafe(query(), loop).result(timeout=30)

    loop = asyncio.get_running_loop()
    await asyncio.to_thread(run)
    assert found


@given(raw=st.text(max_size=60))
@PROPS
def test_a_cursor_is_accepted_or_refused_cleanly(raw: str) -> None:
    keyset = DateIdKeyset("incidents", incident.c.date, incident.c.id)
    with contextlib.suppress(InvalidCursor):
        keyset.after(raw)


@given(day=st.none() | st.dates(), id_=st.integers(1, 2**31 - 1))
@PROPS
def test_cursors_round_trip(day: Any, id_: int) -> None:
    key = [day.isoformat() if day else None, id_]
    assert decode("incidents", encode("incidents", key)) == key
    with pytest.raises(InvalidCursor):
        decode("actors", encode("incidents", key))
