"""Errors of the ingest layer."""


class IngestError(Exception):
    """Base class for expected ingest failures (unusable document, unreadable file...)."""


class ExtractionError(IngestError):
    """The input cannot be turned into an article (empty, binary, not text)."""
