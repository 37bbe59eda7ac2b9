"""Full-text conditions, one per dialect, for statements and documents.

PostgreSQL: `to_tsvector('english', ...) @@ websearch_to_tsquery('english', :q)`, written
with the exact expressions of the GIN indexes `ix_statement_text_fts` and
`ix_document_text_fts` (the planner only uses an expression index when the query
repeats the expression, literals included, hence literal_column rather than binds).
SQLite: the FTS5 external-content tables `statement_fts(text)` and
`document_fts(title, text)` whose rowid is the row's id; user input is turned into
quoted FTS5 strings so no operator or column filter can be injected.
"""

import re

import sqlalchemy as sa
from sqlalchemy.sql.elements import ColumnElement

from api.query import tables as t

_TOKEN = re.compile(r'"([^"]*)"|(\S+)')
_ENGLISH: ColumnElement[str] = sa.literal_column("'english'::regconfig")


def fts5_query(q: str) -> str | None:
    """User text -> an FTS5 query: every word or "quoted phrase" must occur (AND).

    Each term becomes an FTS5 string literal (inner quotes doubled), so characters such
    as `*`, `:`, `^`, `NEAR(` or `-` are matched as text, never parsed as syntax.
    Returns None when nothing searchable remains.
    """
    terms: list[str] = []
    for phrase, word in _TOKEN.findall(q):
        term = (phrase or word).strip()
        # Terms with no letter or digit would tokenise to nothing and make FTS5 fail.
        if term and any(ch.isalnum() for ch in term):
            terms.append('"' + term.replace('"', '""') + '"')
    return " ".join(terms) if terms else None


def _pg_match(vector_of: ColumnElement[str], q: str) -> ColumnElement[bool]:
    # The search text is rendered into the SQL (literal_execute: escaped by SQLAlchemy at
    # execution), not sent as a parameter: a prepared statement's generic plan cannot
    # know how common the words are, and PostgreSQL settles on walking the order index
    # and filtering, which reads all 300,000 statements for a rare word (2.6 s measured
    # for a word with no match). With the words in the text every plan is a custom one:
    # the GIN index for rare words, the order index for common ones.
    vector = sa.func.to_tsvector(_ENGLISH, vector_of)
    query = sa.func.websearch_to_tsquery(_ENGLISH, sa.literal(q, sa.Text, literal_execute=True))
    return vector.op("@@")(query)


def statement_text_matches(dialect: str, q: str) -> ColumnElement[bool]:
    if dialect == "postgresql":
        return _pg_match(t.statement.c.text, q)
    query = fts5_query(q)
    if query is None:
        return sa.false()
    fts = sa.table("statement_fts", sa.column("rowid"))
    hits = sa.select(fts.c.rowid).where(sa.literal_column("statement_fts").op("MATCH")(query))
    return t.statement.c.id.in_(hits)


def document_fts_expression() -> ColumnElement[str]:
    """`coalesce(title, '') || ' ' || text`, as indexed on PostgreSQL."""
    d = t.document.c
    return (
        sa.func.coalesce(d.title, sa.literal_column("''"))
        .op("||")(sa.literal_column("' '"))
        .op("||")(d.text)
    )


def document_text_matches(dialect: str, q: str) -> ColumnElement[bool]:
    if dialect == "postgresql":
        return _pg_match(document_fts_expression(), q)
    query = fts5_query(q)
    if query is None:
        return sa.false()
    fts = sa.table("document_fts", sa.column("rowid"))
    hits = sa.select(fts.c.rowid).where(sa.literal_column("document_fts").op("MATCH")(query))
    return t.document.c.id.in_(hits)
