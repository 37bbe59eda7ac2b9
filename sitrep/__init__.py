"""The `sitrep` command: a thin entry module wiring the commands of `schema`, `ingest` and `api`."""
