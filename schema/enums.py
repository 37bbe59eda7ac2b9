"""Closed vocabularies shared by the model, the extractor's export and the APIs.

Values are lower-case strings stored as VARCHAR with a CHECK constraint (portable to
SQLite and PostgreSQL, and cheaper to migrate than native PostgreSQL enums).
"""

from enum import StrEnum


class DatePrecision(StrEnum):
    DAY = "day"
    WEEK = "week"
    MONTH = "month"
    YEAR = "year"


class PlacePrecision(StrEnum):
    """How exactly an incident's place is known (ACLED's geo-precision, in words)."""

    EXACT = "exact"  # the named village/town/neighbourhood
    NEAR = "near"  # "near X", "south-west of X"
    DISTRICT = "district"
    ADMIN1 = "admin1"  # only the governorate is known
    COUNTRY = "country"


class IncidentType(StrEnum):
    ARMED_ASSAULT = "armed_assault"
    BOMBING = "bombing"
    SUICIDE_BOMBING = "suicide_bombing"
    AMBUSH = "ambush"
    AIR_STRIKE = "air_strike"
    SHELLING = "shelling"
    ASSASSINATION = "assassination"
    KIDNAPPING = "kidnapping"
    FACILITY_ATTACK = "facility_attack"
    CLASH = "clash"
    OTHER = "other"


class ActorKind(StrEnum):
    STATE_FORCE = "state_force"
    GOVERNMENT = "government"
    NON_STATE_ARMED_GROUP = "non_state_armed_group"
    MILITIA = "militia"
    INTERNATIONAL_COALITION = "international_coalition"
    POLITICAL_PARTY = "political_party"
    MEDIA = "media"
    CIVILIANS = "civilians"  # a target category ("civilians", "pilgrims"), not an organisation
    OTHER = "other"


class ActorRole(StrEnum):
    PERPETRATOR = "perpetrator"
    TARGET = "target"


class AttributionBasis(StrEnum):
    CLAIMED = "claimed"  # the actor claimed it
    ATTRIBUTED = "attributed"  # the text or an official names the actor
    SUSPECTED = "suspected"  # "suspected ISIS militants", "bore the hallmarks"


class Salience(StrEnum):
    MAIN = "main"
    BACKGROUND = "background"


class ReviewStatus(StrEnum):
    UNREVIEWED = "unreviewed"
    REVIEWED = "reviewed"
    DISPUTED = "disputed"
    REJECTED = "rejected"


class StatementKind(StrEnum):
    DIRECT = "direct"
    INDIRECT = "indirect"


class Channel(StrEnum):
    STATEMENT = "statement"
    PRESS_CONFERENCE = "press_conference"
    INTERVIEW = "interview"
    TELEGRAM = "telegram"
    TWITTER = "twitter"
    FACEBOOK = "facebook"
    TELEVISION = "television"
    MEETING = "meeting"
    OTHER = "other"


class EntityType(StrEnum):
    """What a mention, change-feed entry or audit entry is about."""

    DOCUMENT = "document"
    PLACE = "place"
    ACTOR = "actor"
    PERSON = "person"
    ROLE = "role"
    INCIDENT = "incident"
    REPORT = "report"
    STATEMENT = "statement"


class ChangeOp(StrEnum):
    CREATED = "created"
    UPDATED = "updated"
    MERGED = "merged"  # a tombstone: the row now lives on as `merged_into_id`
    DELETED = "deleted"  # a tombstone


class Scope(StrEnum):
    """API key scopes; each includes the ones before it."""

    READ = "read"
    WRITE = "write"
    CURATE = "curate"


class JobState(StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"
