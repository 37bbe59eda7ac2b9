"""GraphQL enums and scalars.

Enums reuse schema.enums, so GraphQL names are the members' names (ARMED_ASSAULT) and
the stored values are their lower-case values. DateTime is always rendered in UTC with
microseconds and a `Z` (`2024-05-01T10:00:00.000000Z`): one fixed format that the
compiler reproduces inside PostgreSQL with `to_char`.
"""

import datetime as dt

import strawberry
from strawberry.types.scalar import ScalarDefinition

from schema import enums

DATETIME_FORMAT = "%Y-%m-%dT%H:%M:%S.%fZ"

# strawberry.enum marks the class itself (and returns it): annotate with schema.enums.
for _enum in (
    enums.IncidentType,
    enums.DatePrecision,
    enums.PlacePrecision,
    enums.ActorKind,
    enums.ActorRole,
    enums.AttributionBasis,
    enums.Salience,
    enums.ReviewStatus,
    enums.StatementKind,
    enums.Channel,
    enums.EntityType,
    enums.JobState,
):
    strawberry.enum(_enum)


def serialize_datetime(value: dt.datetime) -> str:
    if value.tzinfo is None:
        # SQLite hands back naive datetimes; everything is stored in UTC.
        value = value.replace(tzinfo=dt.UTC)
    return value.astimezone(dt.UTC).strftime(DATETIME_FORMAT)


def parse_datetime(value: object) -> dt.datetime:
    if not isinstance(value, str):
        raise ValueError("DateTime must be an ISO 8601 string")
    parsed = dt.datetime.fromisoformat(value)
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=dt.UTC)


DateTime = strawberry.scalar(
    name="DateTime",
    description="An instant in UTC, ISO 8601 with microseconds: 2024-05-01T10:00:00.000000Z.",
    serialize=serialize_datetime,
    parse_value=parse_datetime,
)

SCALAR_MAP: dict[object, ScalarDefinition] = {dt.datetime: DateTime}
