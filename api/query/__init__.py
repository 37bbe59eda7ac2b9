"""The one query layer shared by REST and GraphQL.

- `filters`: typed filter dataclasses; `where`: each compiled once into a Core WHERE
  clause (tombstones hidden) — the only implementation of every filter.
- `cursor`: opaque keyset cursors; `resources`: table + order + filter + projection per
  collection; `pages`: pages/details/exports as database-built JSON (`json_page`,
  `json_detail`, `json_stream`) or as plain rows (`row_page`, `count`).
- `projections` / `jsonsql`: the response JSON built inside the database; `exports`: NDJSON
  exports on PostgreSQL (lines built by the database, streamed by COPY); `prepared`: PostgreSQL
  statements compiled once per shape and run straight through asyncpg.
- `loaders`: batch loaders keyed by id lists (for DataLoaders); `stats`: incident stats;
  `changes`: the change feed; `jobs`, `keys`: the job queue and API keys.

Every function takes an open `AsyncConnection`; the caller owns the transaction.
"""

from api.query.errors import InvalidCursor, QueryError
from api.query.filters import (
    ActorFilter,
    DocumentFilter,
    IncidentFilter,
    Near,
    OfficialFilter,
    PlaceFilter,
    StatementFilter,
)
from api.query.pages import JsonPage, RowPage, count, json_detail, json_page, json_stream, row_page
from api.query.resources import (
    ACTORS,
    DOCUMENTS,
    INCIDENTS,
    OFFICIALS,
    PLACES,
    STATEMENTS,
    Resource,
)

__all__ = [
    "ACTORS",
    "DOCUMENTS",
    "INCIDENTS",
    "OFFICIALS",
    "PLACES",
    "STATEMENTS",
    "ActorFilter",
    "DocumentFilter",
    "IncidentFilter",
    "InvalidCursor",
    "JsonPage",
    "Near",
    "OfficialFilter",
    "PlaceFilter",
    "QueryError",
    "Resource",
    "RowPage",
    "StatementFilter",
    "count",
    "json_detail",
    "json_page",
    "json_stream",
    "row_page",
]
