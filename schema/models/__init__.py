"""All tables. Importing this package registers them on `SQLModel.metadata`."""

from schema.models.actors import Actor, ActorAlias, Person, PersonAlias, Role
from schema.models.audit import ApiKey, AuditLog, Change
from schema.models.base import Timestamped, utcnow
from schema.models.documents import Document, Mention
from schema.models.incidents import Incident, IncidentActor, Report
from schema.models.jobs import Job
from schema.models.places import Place, PlaceAlias
from schema.models.statements import Statement, StatementIncident

__all__ = [
    "Actor",
    "ActorAlias",
    "ApiKey",
    "AuditLog",
    "Change",
    "Document",
    "Incident",
    "IncidentActor",
    "Job",
    "Mention",
    "Person",
    "PersonAlias",
    "Place",
    "PlaceAlias",
    "Report",
    "Role",
    "Statement",
    "StatementIncident",
    "Timestamped",
    "utcnow",
]
