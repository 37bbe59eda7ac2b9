"""The relational model of sitrep: tables, enums, settings and engine/session helpers.

`schema` is the bottom layer: `api` and `ingest` import it, it imports neither.
"""
