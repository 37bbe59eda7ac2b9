"""JSON Schemas (OpenAPI 3.1 components) of every REST response body.

They document the API and are what schemathesis checks live responses against, so they
state exactly what the projections in api.query.projections produce.
"""

from enum import StrEnum
from typing import Any

from schema.enums import (
    ActorKind,
    ActorRole,
    AttributionBasis,
    ChangeOp,
    Channel,
    DatePrecision,
    EntityType,
    IncidentType,
    JobState,
    PlacePrecision,
    ReviewStatus,
    Salience,
    StatementKind,
)

Schema = dict[str, Any]

INT: Schema = {"type": "integer"}
STR: Schema = {"type": "string"}
NUM: Schema = {"type": "number"}
BOOL: Schema = {"type": "boolean"}
DATE: Schema = {"type": "string", "format": "date"}
DT: Schema = {"type": "string", "format": "date-time"}


def null(s: Schema) -> Schema:
    if "$ref" in s:
        return {"oneOf": [s, {"type": "null"}]}
    out = dict(s)
    if "enum" in out:
        out["enum"] = [*out["enum"], None]
    out["type"] = [s["type"], "null"]
    return out


def enum(e: type[StrEnum]) -> Schema:
    return {"type": "string", "enum": [m.value for m in e]}


def ref(name: str) -> Schema:
    return {"$ref": f"#/components/schemas/{name}"}


def arr(items: Schema) -> Schema:
    return {"type": "array", "items": items}


def obj(props: dict[str, Schema], *, extra: bool = False) -> Schema:
    return {
        "type": "object",
        "properties": props,
        "required": list(props),
        "additionalProperties": extra,
    }


FIGURES = obj({"low": null(INT), "best": null(INT), "high": null(INT)})
STAMPS = {"created_at": DT, "updated_at": DT}

PLACE_BRIEF = obj(
    {
        "id": INT,
        "name": STR,
        "admin1": null(STR),
        "admin2": null(STR),
        "country": STR,
        "country_code": STR,
        "lat": null(NUM),
        "lon": null(NUM),
    }
)
PLACE = obj(
    {
        "id": INT,
        "geonames_id": null(INT),
        "name": STR,
        "ascii_name": STR,
        "admin1": null(STR),
        "admin1_code": null(STR),
        "admin2": null(STR),
        "country": STR,
        "country_code": STR,
        "lat": null(NUM),
        "lon": null(NUM),
        "feature_class": null(STR),
        "feature_code": null(STR),
        "population": INT,
        "source": STR,
    }
)
ACTOR_REF = obj({"id": INT, "name": STR, "kind": enum(ActorKind)})
PERSON_REF = obj({"id": INT, "name": STR})
INCIDENT_ACTOR = obj(
    {
        "id": INT,
        "name": STR,
        "kind": enum(ActorKind),
        "role": enum(ActorRole),
        "basis": enum(AttributionBasis),
    }
)
INCIDENT_PROPS: dict[str, Schema] = {
    "id": INT,
    "date": null(DATE),
    "date_precision": null(enum(DatePrecision)),
    "type": enum(IncidentType),
    "place": null(ref("PlaceBrief")),
    "place_name": null(STR),
    "place_precision": null(enum(PlacePrecision)),
    "admin1": null(STR),
    "country": null(STR),
    "lat": null(NUM),
    "lon": null(NUM),
    "killed": ref("Figures"),
    "wounded": ref("Figures"),
    "source_count": INT,
    "salience": enum(Salience),
    "review_status": enum(ReviewStatus),
    "actors": arr(ref("IncidentActor")),
    **STAMPS,
}
ROLE_BRIEF = obj(
    {
        "id": INT,
        "title": STR,
        "organisation": null(ref("ActorRef")),
        "start_date": null(DATE),
        "end_date": null(DATE),
    }
)
STATEMENT = obj(
    {
        "id": INT,
        "text": STR,
        "kind": enum(StatementKind),
        "date": null(DATE),
        "channel": null(enum(Channel)),
        "person": null(ref("PersonRef")),
        "organisation": null(ref("ActorRef")),
        "role": null(ref("RoleBrief")),
        "document_id": INT,
        "span_start": INT,
        "span_end": INT,
        "incident_ids": arr(INT),
        **STAMPS,
    }
)
DOCUMENT_REF = obj(
    {"id": INT, "title": null(STR), "url": null(STR), "outlet": null(STR), "published": null(DATE)}
)
SPANS: Schema = {"type": "object", "additionalProperties": True}
REPORT = obj(
    {
        "id": INT,
        "document": ref("DocumentRef"),
        "date": null(DATE),
        "date_precision": null(enum(DatePrecision)),
        "type": enum(IncidentType),
        "killed": null(INT),
        "wounded": null(INT),
        "salience": enum(Salience),
        "span_start": INT,
        "span_end": INT,
        "evidence": STR,
        "spans": SPANS,
    }
)
INCIDENT = obj(INCIDENT_PROPS)
INCIDENT_DETAIL = obj(
    {
        **INCIDENT_PROPS,
        "curated_fields": arr(STR),
        "reports": arr(ref("Report")),
        "statements": arr(ref("Statement")),
    }
)
ACTOR_PROPS: dict[str, Schema] = {
    "id": INT,
    "registry_key": null(STR),
    "name": STR,
    "kind": enum(ActorKind),
    "country": null(STR),
    "parent_id": null(INT),
    "aliases": arr(STR),
    **STAMPS,
}
ACTOR = obj(ACTOR_PROPS)
ACTOR_DETAIL = obj(
    {
        **ACTOR_PROPS,
        "parent": null(ref("ActorRef")),
        "officials": arr(
            obj(
                {
                    "role_id": INT,
                    "person": ref("PersonRef"),
                    "title": STR,
                    "start_date": null(DATE),
                    "end_date": null(DATE),
                }
            )
        ),
        "incidents_as_perpetrator": INT,
        "incidents_as_target": INT,
    }
)
ROLE = obj(
    {
        "id": INT,
        "title": STR,
        "organisation": null(ref("ActorRef")),
        "start_date": null(DATE),
        "end_date": null(DATE),
        "source": STR,
    }
)
OFFICIAL_PROPS: dict[str, Schema] = {
    "id": INT,
    "registry_key": null(STR),
    "name": STR,
    "aliases": arr(STR),
    "roles": arr(ref("Role")),
    **STAMPS,
}
OFFICIAL = obj(OFFICIAL_PROPS)
OFFICIAL_DETAIL = obj({**OFFICIAL_PROPS, "statement_count": INT})
DOCUMENT_PROPS: dict[str, Schema] = {
    "id": INT,
    "title": null(STR),
    "url": null(STR),
    "outlet": null(STR),
    "published": null(DATE),
    "published_precision": null(enum(DatePrecision)),
    "content_type": STR,
    "language": null(STR),
    "extractor_version": INT,
    "ingested_at": DT,
    **STAMPS,
    "length": INT,
}
DOCUMENT = obj(DOCUMENT_PROPS)
DOCUMENT_DETAIL = obj(
    {
        **DOCUMENT_PROPS,
        "text": STR,
        "reports": arr(
            obj(
                {
                    "id": INT,
                    "incident_id": INT,
                    "date": null(DATE),
                    "type": enum(IncidentType),
                    "killed": null(INT),
                    "wounded": null(INT),
                    "salience": enum(Salience),
                    "span_start": INT,
                    "span_end": INT,
                    "evidence": STR,
                    "spans": SPANS,
                }
            )
        ),
        "statements": arr(ref("Statement")),
        "mentions": arr(
            obj(
                {
                    "id": INT,
                    "entity_type": enum(EntityType),
                    "entity_id": INT,
                    "span_start": INT,
                    "span_end": INT,
                    "text": STR,
                }
            )
        ),
    }
)
JOB = obj(
    {
        "id": INT,
        "kind": STR,
        "state": enum(JobState),
        "attempts": INT,
        "max_attempts": INT,
        "run_after": DT,
        "started_at": null(DT),
        "finished_at": null(DT),
        "last_error": null(STR),
        "result": {"type": ["object", "null"]},
        "document_id": null(INT),
        **STAMPS,
    }
)
CHANGE = obj(
    {
        "seq": INT,
        "entity_type": enum(EntityType),
        "entity_id": INT,
        "op": enum(ChangeOp),
        "merged_into_id": null(INT),
        "at": DT,
        "data": {"type": ["object", "null"]},
    }
)
STATS_BUCKET: Schema = {
    "type": "object",
    "properties": {
        "day": null(STR),
        "week": null(STR),
        "month": null(STR),
        "year": null(STR),
        "admin1": null(STR),
        "type": null(STR),
        "perpetrator_id": null(INT),
        "perpetrator": null(STR),
        "incidents": INT,
        "killed": ref("Figures"),
        "wounded": ref("Figures"),
    },
    "required": ["incidents", "killed", "wounded"],
    "additionalProperties": False,
}
PROBLEM: Schema = {
    "type": "object",
    "properties": {
        "type": STR,
        "title": STR,
        "status": INT,
        "detail": STR,
        "instance": STR,
        "param": STR,
        "invalid_params": arr(obj({"name": STR, "reason": STR})),
    },
    "required": ["type", "title", "status"],
    "additionalProperties": True,
}
NEXT = null(STR)


def page_of(item: str) -> Schema:
    return obj({"items": arr(ref(item)), "next": NEXT})


GEO_POINT = obj({"type": {"const": "Point"}, "coordinates": arr(NUM)})


def feature_collection_of(item: str) -> Schema:
    feature = obj(
        {
            "type": {"const": "Feature"},
            "id": INT,
            "geometry": null(ref("GeoPoint")),
            "properties": ref(item),
        }
    )
    return obj({"type": {"const": "FeatureCollection"}, "features": arr(feature), "next": NEXT})


COMPONENTS: dict[str, Schema] = {
    "Figures": FIGURES,
    "PlaceBrief": PLACE_BRIEF,
    "Place": PLACE,
    "ActorRef": ACTOR_REF,
    "PersonRef": PERSON_REF,
    "IncidentActor": INCIDENT_ACTOR,
    "Incident": INCIDENT,
    "IncidentDetail": INCIDENT_DETAIL,
    "Report": REPORT,
    "DocumentRef": DOCUMENT_REF,
    "RoleBrief": ROLE_BRIEF,
    "Role": ROLE,
    "Statement": STATEMENT,
    "Actor": ACTOR,
    "ActorDetail": ACTOR_DETAIL,
    "Official": OFFICIAL,
    "OfficialDetail": OFFICIAL_DETAIL,
    "Document": DOCUMENT,
    "DocumentDetail": DOCUMENT_DETAIL,
    "Job": JOB,
    "Change": CHANGE,
    "StatsBucket": STATS_BUCKET,
    "Problem": PROBLEM,
    "GeoPoint": GEO_POINT,
}
