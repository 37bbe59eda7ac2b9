"""The ingest queue: one row per job, claimed with a lease.

On PostgreSQL workers claim with `FOR UPDATE SKIP LOCKED` and hold the job by a lease
(`locked_until`) that they renew; a job whose lease expired (its worker died) is claimed
again. The API only inserts rows here and reads their state.

An ingest job (`kind="ingest_document"`) carries its document in `payload`, a JSON object:
`text` (the article, plain text or HTML; may be omitted when `url` is given, the worker
then fetches the page), `content_type` ("text/plain" | "text/html"), and optionally `url`,
`outlet`, `published` (ISO date), `title`, `source` (where it came from, for messages).
`dedupe_key` is informational (the worker deduplicates by document hash and URL).
When done, `result` holds `{"status": "inserted" | "merged" | "unchanged",
"document_id": ..., ...}` and `document_id` points at the stored document; when failed
for good, `last_error` holds the reason.
"""

import datetime as dt
from typing import Any

import sqlalchemy as sa
from sqlmodel import JSON, Field

from schema.enums import JobState
from schema.models.base import Timestamped, enum_type, utcnow


class Job(Timestamped, table=True):
    __tablename__ = "job"
    __table_args__ = (
        sa.CheckConstraint("attempts >= 0 AND max_attempts >= 1", name="attempts"),
        sa.Index("ix_job_claim", "state", "run_after", "id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(default="ingest_document", max_length=50)
    state: JobState = Field(default=JobState.QUEUED, sa_type=enum_type(JobState, "state"))
    payload: dict[str, Any] = Field(default_factory=dict, sa_type=JSON)
    dedupe_key: str | None = Field(default=None, max_length=100, index=True)
    attempts: int = Field(default=0)
    max_attempts: int = Field(default=3)
    run_after: dt.datetime = Field(default_factory=utcnow, sa_type=sa.DateTime(timezone=True))
    locked_by: str | None = Field(default=None, max_length=200)
    locked_until: dt.datetime | None = Field(default=None, sa_type=sa.DateTime(timezone=True))
    started_at: dt.datetime | None = Field(default=None, sa_type=sa.DateTime(timezone=True))
    finished_at: dt.datetime | None = Field(default=None, sa_type=sa.DateTime(timezone=True))
    last_error: str | None = Field(default=None, sa_type=sa.Text)
    result: dict[str, Any] | None = Field(default=None, sa_type=JSON)
    document_id: int | None = Field(
        default=None, foreign_key="document.id", ondelete="SET NULL", index=True
    )
