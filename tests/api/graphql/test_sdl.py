"""The checked-in `schema.graphql` is the schema the server serves."""

from pathlib import Path

from graphql import build_schema

from api.graphql.schema import sdl

SDL_FILE = Path(__file__).resolve().parents[3] / "schema.graphql"


def test_checked_in_sdl_is_current() -> None:
    current = sdl()
    assert SDL_FILE.read_text(encoding="utf-8") == current, (
        "schema.graphql is stale: run `python -m api.graphql > schema.graphql`"
    )
    # It is valid SDL with the root types and the Node interface.
    schema = build_schema(current)
    assert schema.query_type
    assert schema.mutation_type
    assert schema.subscription_type
    node = schema.get_type("Node")
    assert node is not None
    for name in (
        "Incident",
        "Actor",
        "Official",
        "Statement",
        "Document",
        "Report",
        "Place",
        "Job",
    ):
        assert node in schema.get_type(name).interfaces  # type: ignore[union-attr]
