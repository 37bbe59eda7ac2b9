"""Response formats for lists: JSON, CSV, GeoJSON and streamed NDJSON.

JSON pages are assembled from the JSON texts the database built (no per-field work);
CSV and GeoJSON parse those texts and reshape them; NDJSON exports stream from a
server-side cursor (api.query.pages.ndjson_stream), so any size keeps memory flat.
"""

import csv
import io
from collections.abc import Callable, Sequence
from typing import Any

import orjson
from starlette.requests import Request

from api.problems import bad_param

JSON = "application/json"
CSV = "text/csv"
GEOJSON = "application/geo+json"
NDJSON = "application/x-ndjson"
MEDIA = {"json": JSON, "csv": CSV, "geojson": GEOJSON, "ndjson": NDJSON}


def negotiate(request: Request, explicit: str | None, allowed: Sequence[str]) -> str:
    """`?format=` wins; else the first allowed media type named in Accept; else JSON."""
    if explicit is not None:
        if explicit not in allowed:
            raise bad_param("format", "must be one of " + ", ".join(allowed))
        return explicit
    accept = request.headers.get("accept", "")
    if accept:
        wanted = [part.split(";")[0].strip().lower() for part in accept.split(",")]
        for media in wanted:
            for name in allowed:
                if MEDIA[name] == media:
                    return name
    return "json"


def json_list(items: Sequence[str], next_cursor: str | None, **extra: Any) -> bytes:
    head = b'{"items":[' + ",".join(items).encode("utf-8") + b'],"next":'
    tail = b"".join(b',"' + k.encode() + b'":' + orjson.dumps(v) for k, v in extra.items())
    return head + orjson.dumps(next_cursor) + tail + b"}"


Column = tuple[str, Callable[[dict[str, Any]], Any]]


def field(*path: str) -> Callable[[dict[str, Any]], Any]:
    def get(item: dict[str, Any]) -> Any:
        value: Any = item
        for key in path:
            if not isinstance(value, dict):
                return None
            value = value.get(key)
        return value

    return get


def names_where(list_key: str, **match: str) -> Callable[[dict[str, Any]], Any]:
    """`name`s of the list's elements matching all of `match`, joined by '; '."""

    def get(item: dict[str, Any]) -> str:
        return "; ".join(
            str(e.get("name"))
            for e in item.get(list_key) or []
            if all(e.get(k) == v for k, v in match.items())
        )

    return get


def joined(list_key: str) -> Callable[[dict[str, Any]], Any]:
    def get(item: dict[str, Any]) -> str:
        return "; ".join(str(x) for x in item.get(list_key) or [])

    return get


def csv_body(items: Sequence[dict[str, Any]], columns: Sequence[Column]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([name for name, _ in columns])
    for item in items:
        row = []
        for _, get in columns:
            value = get(item)
            row.append("" if value is None else value)
        writer.writerow(row)
    return out.getvalue().encode("utf-8")


def geojson_body(items: Sequence[dict[str, Any]], next_cursor: str | None) -> bytes:
    """A FeatureCollection; a row without coordinates gets a null geometry (RFC 7946
    §3.2), so nothing is silently dropped. `next` is a foreign member."""
    features = []
    for item in items:
        lat, lon = item.get("lat"), item.get("lon")
        if (lat is None or lon is None) and isinstance(item.get("place"), dict):
            lat, lon = item["place"].get("lat"), item["place"].get("lon")
        geometry = (
            {"type": "Point", "coordinates": [lon, lat]}
            if lat is not None and lon is not None
            else None
        )
        features.append(
            {"type": "Feature", "id": item["id"], "geometry": geometry, "properties": item}
        )
    return orjson.dumps({"type": "FeatureCollection", "features": features, "next": next_cursor})
