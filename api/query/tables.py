"""Core `Table` handles for the SQLModel tables, so query code never touches the ORM."""

from typing import cast

import sqlalchemy as sa

from schema.models import (
    Actor,
    ActorAlias,
    ApiKey,
    Change,
    Document,
    Incident,
    IncidentActor,
    Job,
    Mention,
    Person,
    PersonAlias,
    Place,
    PlaceAlias,
    Report,
    Role,
    Statement,
    StatementIncident,
)


def _t(model: object) -> sa.Table:
    return cast(sa.Table, model.__table__)  # type: ignore[attr-defined]


incident = _t(Incident)
incident_actor = _t(IncidentActor)
report = _t(Report)
actor = _t(Actor)
actor_alias = _t(ActorAlias)
person = _t(Person)
person_alias = _t(PersonAlias)
role = _t(Role)
statement = _t(Statement)
statement_incident = _t(StatementIncident)
document = _t(Document)
mention = _t(Mention)
place = _t(Place)
place_alias = _t(PlaceAlias)
job = _t(Job)
change = _t(Change)
api_key = _t(ApiKey)
