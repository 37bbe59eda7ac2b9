"""Property test: any query string is either parsed or refused with a 400 naming a
parameter — never an unexpected exception."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from starlette.datastructures import QueryParams

from api.problems import Problem
from api.rest.catalog import INCIDENT_PARAMS, incident_filter
from api.rest.collections import paging_params
from api.rest.params import parse
from schema.config import Settings

PARAMS = [*INCIDENT_PARAMS, *paging_params(Settings(), ("json", "csv"))]
NAMES = [p.name for p in PARAMS] + ["bogus"]


@given(
    pairs=st.lists(
        st.tuples(
            st.sampled_from(NAMES),
            st.text(max_size=20)
            | st.from_regex(r"-?\d{1,12}", fullmatch=True)
            | st.dates().map(str)
            | st.just("36.3,43.1,10"),
        ),
        max_size=6,
    )
)
@settings(max_examples=300, deadline=None, database=None)
def test_parse_accepts_or_names_the_parameter(pairs: list[tuple[str, str]]) -> None:
    query = QueryParams(pairs)
    problem: Problem | None = None
    try:
        incident_filter(parse(query, PARAMS))
    except Problem as exc:
        problem = exc
    if problem is not None:
        assert problem.status == 400
        assert problem.extra["param"] in NAMES
