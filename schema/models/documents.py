"""Source articles and the character spans that point into them."""

from datetime import date, datetime

import sqlalchemy as sa
from sqlmodel import Field

from schema.enums import DatePrecision, EntityType
from schema.models.base import Timestamped, enum_type, utcnow


class Document(Timestamped, table=True):
    """One source article. `sha256` is over the normalised text, so the same article
    submitted twice (or re-fetched with different markup) is stored once."""

    __tablename__ = "document"

    id: int | None = Field(default=None, primary_key=True)
    sha256: str = Field(max_length=64, unique=True)
    url: str | None = Field(default=None, max_length=2048, unique=True)
    outlet: str | None = Field(default=None, max_length=200)
    title: str | None = Field(default=None, max_length=1000)
    published: date | None = Field(default=None, index=True)
    published_precision: DatePrecision | None = Field(
        default=None, sa_type=enum_type(DatePrecision, "published_precision")
    )
    raw_text: str = Field(sa_type=sa.Text)
    text: str = Field(sa_type=sa.Text, description="cleaned article text; spans index into it")
    content_type: str = Field(default="text/plain", max_length=100)
    language: str | None = Field(default=None, max_length=16)
    extractor_version: int = Field(default=0, index=True)
    ingested_at: datetime = Field(default_factory=utcnow, sa_type=sa.DateTime(timezone=True))
    deleted_at: datetime | None = Field(default=None, sa_type=sa.DateTime(timezone=True))


class Mention(Timestamped, table=True):
    """Where in a document an entity was recognised. Exactly one target column is set."""

    __tablename__ = "mention"
    __table_args__ = (
        sa.CheckConstraint("span_start >= 0 AND span_end > span_start", name="span"),
        sa.CheckConstraint(
            "(CASE WHEN actor_id IS NULL THEN 0 ELSE 1 END)"
            " + (CASE WHEN person_id IS NULL THEN 0 ELSE 1 END)"
            " + (CASE WHEN place_id IS NULL THEN 0 ELSE 1 END) = 1",
            name="one_target",
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    document_id: int = Field(foreign_key="document.id", ondelete="CASCADE", index=True)
    entity_type: EntityType = Field(sa_type=enum_type(EntityType, "entity_type"))
    actor_id: int | None = Field(default=None, foreign_key="actor.id", index=True)
    person_id: int | None = Field(default=None, foreign_key="person.id", index=True)
    place_id: int | None = Field(default=None, foreign_key="place.id", index=True)
    span_start: int
    span_end: int
    text: str = Field(max_length=500)
