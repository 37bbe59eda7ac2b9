"""Pure extraction: article text in, dataclasses out. No database, no network.

Entry point: `ingest.extract.pipeline.extract`. Output types: `ingest.extract.model`.
"""
