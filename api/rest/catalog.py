"""The six collections: their filter parameters (mirroring the GraphQL filter inputs,
through the same api.query filters) and CSV columns."""

from typing import Any

from api.query import resources as R
from api.query.filters import (
    ActorFilter,
    DocumentFilter,
    IncidentFilter,
    OfficialFilter,
    PlaceFilter,
    StatementFilter,
)
from api.rest import formats as f
from api.rest.collections import Collection, check_range
from api.rest.params import Param
from schema.enums import (
    ActorKind,
    Channel,
    IncidentType,
    ReviewStatus,
    StatementKind,
)

BASE = "/api/v1"


def _values(e: Any) -> tuple[str, ...]:
    return tuple(m.value for m in e)


UPDATED_SINCE = Param("updated_since", "date-time", "rows changed at or after this instant")
Q = Param("q", "string", 'full-text search (words and "quoted phrases", all must occur)')

INCIDENT_PARAMS = [
    Param("date_from", "date", "on or after this day"),
    Param("date_to", "date", "on or before this day"),
    Param("country", "string", "country name, exactly (e.g. Iraq)"),
    Param("admin1", "string", "governorate, exactly as in /places (e.g. Nineveh)"),
    Param("place", "integer", "place id", minimum=1),
    Param("near", "near", "lat,lon,radius_km"),
    Param("type", "string", "incident types", enum=_values(IncidentType), many=True),
    Param("perpetrator", "ref", "actor id or name (or alias)"),
    Param("target", "ref", "actor id or name (or alias)"),
    Param("actor", "ref", "actor id or name, as perpetrator or target"),
    Param("min_killed", "integer", "killed (best estimate) at least"),
    Param("min_sources", "integer", "number of sources at least"),
    Q,
    Param("review_status", "string", "review states", enum=_values(ReviewStatus), many=True),
    UPDATED_SINCE,
]


def incident_filter(a: dict[str, Any]) -> IncidentFilter:
    check_range(a, "date_from", "date_to")
    return IncidentFilter(
        date_from=a["date_from"],
        date_to=a["date_to"],
        country=a["country"],
        admin1=a["admin1"],
        place=a["place"],
        near=a["near"],
        types=tuple(IncidentType(x) for x in a["type"]),
        perpetrator=a["perpetrator"],
        target=a["target"],
        actor=a["actor"],
        min_killed=a["min_killed"],
        min_sources=a["min_sources"],
        text=a["q"],
        review_status=tuple(ReviewStatus(x) for x in a["review_status"]),
        updated_since=a["updated_since"],
    )


def _statement_filter(a: dict[str, Any]) -> StatementFilter:
    check_range(a, "date_from", "date_to")
    return StatementFilter(
        speaker=a["speaker"],
        organisation=a["organisation"],
        incident=a["incident"],
        document=a["document"],
        date_from=a["date_from"],
        date_to=a["date_to"],
        kind=StatementKind(a["kind"]) if a["kind"] else None,
        channel=Channel(a["channel"]) if a["channel"] else None,
        text=a["q"],
        updated_since=a["updated_since"],
    )


def _actor_filter(a: dict[str, Any]) -> ActorFilter:
    return ActorFilter(
        name=a["name"],
        kind=ActorKind(a["kind"]) if a["kind"] else None,
        country=a["country"],
        parent=a["parent"],
        updated_since=a["updated_since"],
    )


def _official_filter(a: dict[str, Any]) -> OfficialFilter:
    return OfficialFilter(
        name=a["name"],
        organisation=a["organisation"],
        title=a["title"],
        on=a["on"],
        updated_since=a["updated_since"],
    )


def _document_filter(a: dict[str, Any]) -> DocumentFilter:
    check_range(a, "published_from", "published_to")
    return DocumentFilter(
        outlet=a["outlet"],
        published_from=a["published_from"],
        published_to=a["published_to"],
        url=a["url"],
        text=a["q"],
        updated_since=a["updated_since"],
    )


def _place_filter(a: dict[str, Any]) -> PlaceFilter:
    return PlaceFilter(
        name=a["name"],
        admin1=a["admin1"],
        country=a["country"],
        feature_code=a["feature_code"],
        near=a["near"],
    )


def _figures(prefix: str) -> list[f.Column]:
    return [(f"{prefix}_{b}", f.field(prefix, b)) for b in ("low", "best", "high")]


INCIDENT_CSV: list[f.Column] = [
    ("id", f.field("id")),
    ("date", f.field("date")),
    ("date_precision", f.field("date_precision")),
    ("type", f.field("type")),
    ("place_id", f.field("place", "id")),
    ("place", f.field("place", "name")),
    ("place_name", f.field("place_name")),
    ("place_precision", f.field("place_precision")),
    ("admin1", f.field("admin1")),
    ("country", f.field("country")),
    ("lat", f.field("lat")),
    ("lon", f.field("lon")),
    *_figures("killed"),
    *_figures("wounded"),
    ("source_count", f.field("source_count")),
    ("salience", f.field("salience")),
    ("review_status", f.field("review_status")),
    ("perpetrators", f.names_where("actors", role="perpetrator")),
    ("targets", f.names_where("actors", role="target")),
    ("updated_at", f.field("updated_at")),
]
STATEMENT_CSV: list[f.Column] = [
    ("id", f.field("id")),
    ("date", f.field("date")),
    ("kind", f.field("kind")),
    ("channel", f.field("channel")),
    ("person_id", f.field("person", "id")),
    ("person", f.field("person", "name")),
    ("organisation_id", f.field("organisation", "id")),
    ("organisation", f.field("organisation", "name")),
    ("role", f.field("role", "title")),
    ("text", f.field("text")),
    ("document_id", f.field("document_id")),
    ("span_start", f.field("span_start")),
    ("span_end", f.field("span_end")),
    ("incident_ids", f.joined("incident_ids")),
    ("updated_at", f.field("updated_at")),
]
ACTOR_CSV: list[f.Column] = [
    (n, f.field(n)) for n in ("id", "registry_key", "name", "kind", "country", "parent_id")
] + [("aliases", f.joined("aliases")), ("updated_at", f.field("updated_at"))]
OFFICIAL_CSV: list[f.Column] = [
    ("id", f.field("id")),
    ("registry_key", f.field("registry_key")),
    ("name", f.field("name")),
    ("aliases", f.joined("aliases")),
    ("roles", lambda item: "; ".join(str(r["title"]) for r in item.get("roles") or [])),
    ("updated_at", f.field("updated_at")),
]
DOCUMENT_CSV: list[f.Column] = [
    (n, f.field(n))
    for n in ("id", "title", "url", "outlet", "published", "content_type", "length", "ingested_at")
]
PLACE_CSV: list[f.Column] = [
    (n, f.field(n))
    for n in [
        "id",
        "geonames_id",
        "name",
        "ascii_name",
        "admin1",
        "admin1_code",
        "admin2",
        "country",
        "country_code",
        "lat",
        "lon",
        "feature_class",
        "feature_code",
        "population",
        "source",
    ]
]

COLLECTIONS = [
    Collection(
        f"{BASE}/incidents",
        R.INCIDENTS,
        "Incident",
        "IncidentDetail",
        INCIDENT_PARAMS,
        incident_filter,
        INCIDENT_CSV,
        ("json", "csv", "geojson", "ndjson"),
        "List incidents, newest first, with place, figures, source count and actors",
    ),
    Collection(
        f"{BASE}/statements",
        R.STATEMENTS,
        "Statement",
        None,
        [
            Param("speaker", "ref", "person id or name (or alias)"),
            Param("organisation", "ref", "actor id or name: spoke for it"),
            Param("incident", "integer", "incident id the statement is about", minimum=1),
            Param("document", "integer", "document id", minimum=1),
            Param("date_from", "date", "on or after this day"),
            Param("date_to", "date", "on or before this day"),
            Param("kind", "string", "direct or indirect", enum=_values(StatementKind)),
            Param("channel", "string", "channel", enum=_values(Channel)),
            Q,
            UPDATED_SINCE,
        ],
        _statement_filter,
        STATEMENT_CSV,
    ),
    Collection(
        f"{BASE}/actors",
        R.ACTORS,
        "Actor",
        "ActorDetail",
        [
            Param("name", "string", "part of the name or an alias"),
            Param("kind", "string", "actor kind", enum=_values(ActorKind)),
            Param("country", "string", "country"),
            Param("parent", "integer", "parent actor id", minimum=1),
            UPDATED_SINCE,
        ],
        _actor_filter,
        ACTOR_CSV,
    ),
    Collection(
        f"{BASE}/officials",
        R.OFFICIALS,
        "Official",
        "OfficialDetail",
        [
            Param("name", "string", "part of the name or an alias"),
            Param("organisation", "ref", "held a role at this actor (id or name)"),
            Param("title", "string", "part of a role title"),
            Param("on", "date", "the role was held on this day"),
            UPDATED_SINCE,
        ],
        _official_filter,
        OFFICIAL_CSV,
    ),
    Collection(
        f"{BASE}/documents",
        R.DOCUMENTS,
        "Document",
        "DocumentDetail",
        [
            Param("outlet", "string", "outlet name"),
            Param("published_from", "date", "published on or after"),
            Param("published_to", "date", "published on or before"),
            Param("url", "string", "exact URL"),
            Q,
            UPDATED_SINCE,
        ],
        _document_filter,
        DOCUMENT_CSV,
    ),
    Collection(
        f"{BASE}/places",
        R.PLACES,
        "Place",
        None,
        [
            Param("name", "string", "part of the name or an alias"),
            Param("admin1", "string", "governorate, exactly"),
            Param("country", "string", "country name or ISO code"),
            Param("feature_code", "string", "GeoNames feature code"),
            Param("near", "near", "lat,lon,radius_km"),
        ],
        _place_filter,
        PLACE_CSV,
        ("json", "csv", "geojson", "ndjson"),
    ),
]
