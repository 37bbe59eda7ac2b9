"""Organisations, forces, armed groups, governments; people and their dated roles."""

from datetime import date, datetime

import sqlalchemy as sa
from sqlmodel import Field

from schema.enums import ActorKind
from schema.models.base import Timestamped, enum_type


class Actor(Timestamped, table=True):
    __tablename__ = "actor"
    __table_args__ = (
        sa.CheckConstraint("merged_into_id IS NULL OR merged_into_id <> id", name="no_self_merge"),
    )

    id: int | None = Field(default=None, primary_key=True)
    registry_key: str | None = Field(
        default=None, max_length=100, unique=True, description="slug in seeds/reference/actors.yaml"
    )
    name: str = Field(max_length=300, index=True)
    normalized: str = Field(max_length=300, index=True)
    kind: ActorKind = Field(sa_type=enum_type(ActorKind, "kind"), index=True)
    country: str | None = Field(default=None, max_length=100)
    parent_id: int | None = Field(default=None, foreign_key="actor.id", index=True)
    merged_into_id: int | None = Field(default=None, foreign_key="actor.id")
    deleted_at: datetime | None = Field(default=None, sa_type=sa.DateTime(timezone=True))


class ActorAlias(Timestamped, table=True):
    __tablename__ = "actor_alias"
    __table_args__ = (sa.UniqueConstraint("actor_id", "normalized"),)

    id: int | None = Field(default=None, primary_key=True)
    actor_id: int = Field(foreign_key="actor.id", ondelete="CASCADE", index=True)
    alias: str = Field(max_length=300)
    normalized: str = Field(max_length=300, index=True)


class Person(Timestamped, table=True):
    """An official: someone who speaks or acts for an organisation."""

    __tablename__ = "person"
    __table_args__ = (
        sa.CheckConstraint("merged_into_id IS NULL OR merged_into_id <> id", name="no_self_merge"),
    )

    id: int | None = Field(default=None, primary_key=True)
    registry_key: str | None = Field(
        default=None,
        max_length=100,
        unique=True,
        description="slug in seeds/reference/officials.yaml",
    )
    name: str = Field(max_length=300, index=True)
    normalized: str = Field(max_length=300, index=True)
    skeleton: str = Field(
        max_length=300, index=True, description="transliteration skeleton for fuzzy matching"
    )
    merged_into_id: int | None = Field(default=None, foreign_key="person.id")
    deleted_at: datetime | None = Field(default=None, sa_type=sa.DateTime(timezone=True))


class PersonAlias(Timestamped, table=True):
    __tablename__ = "person_alias"
    __table_args__ = (sa.UniqueConstraint("person_id", "normalized"),)

    id: int | None = Field(default=None, primary_key=True)
    person_id: int = Field(foreign_key="person.id", ondelete="CASCADE", index=True)
    alias: str = Field(max_length=300)
    normalized: str = Field(max_length=300, index=True)


class Role(Timestamped, table=True):
    """A person's title at an organisation between two dates (open-ended when null)."""

    __tablename__ = "role"
    __table_args__ = (
        sa.CheckConstraint(
            "end_date IS NULL OR start_date IS NULL OR end_date >= start_date", name="dates"
        ),
        sa.UniqueConstraint("person_id", "title", "organisation_id", "start_date"),
    )

    id: int | None = Field(default=None, primary_key=True)
    person_id: int = Field(foreign_key="person.id", ondelete="CASCADE", index=True)
    title: str = Field(max_length=300, index=True)
    organisation_id: int | None = Field(default=None, foreign_key="actor.id", index=True)
    start_date: date | None = None
    end_date: date | None = None
    source: str = Field(
        default="registry", max_length=20, description="registry | extracted | curated"
    )
