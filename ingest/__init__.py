"""Text -> records -> database: extraction (pure, in `ingest.extract`), resolution against
what is known, storage one document per transaction, the job queue, worker and sources."""
