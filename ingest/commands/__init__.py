"""One module per `sitrep` command of the ingest package."""
