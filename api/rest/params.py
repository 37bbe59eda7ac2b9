"""Query parameters declared once: parsed from requests (400 naming the parameter on any
bad value) and described in the OpenAPI document from the same declaration.

Unknown parameters are refused too: a misspelt filter silently ignored would return
wrong data that looks right.
"""

import datetime as dt
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from starlette.datastructures import QueryParams

from api.problems import bad_param
from api.query.filters import Near

INT32_MAX = 2**31 - 1
MAX_TEXT = 500
# What the parser accepts, stated in the OpenAPI document: no control characters.
TEXT_PATTERN = "^[^\\x00-\\x1f\\x7f]+$"
_LAT = r"-?(90(\.0+)?|[1-8]?\d(\.\d+)?)"
_LON = r"-?(180(\.0+)?|(1[0-7]\d|[1-9]?\d)(\.\d+)?)"
NEAR_PATTERN = rf"^{_LAT},{_LON},(20000|\d{{1,4}}(\.\d+)?)$"


class ParamError(ValueError):
    pass


@dataclass(frozen=True)
class Param:
    name: str
    type: str  # integer | number | string | date | date-time | boolean | ref | near
    description: str
    enum: tuple[str, ...] | None = None
    many: bool = False  # repeated or comma-separated values
    minimum: int | None = None
    maximum: int | None = None
    default: Any = None
    required: bool = False

    def schema(self) -> dict[str, Any]:
        """The parameter's JSON Schema (for OpenAPI)."""
        base: dict[str, Any]
        if self.type == "integer":
            base = {
                "type": "integer",
                "minimum": self.minimum or 0,
                "maximum": self.maximum or INT32_MAX,
            }
        elif self.type == "number":
            base = {"type": "number"}
        elif self.type in ("date", "date-time"):
            base = {"type": "string", "format": self.type}
        elif self.type == "boolean":
            base = {"type": "boolean"}
        elif self.type == "near":
            base = {"type": "string", "pattern": NEAR_PATTERN, "examples": ["36.34,43.13,25"]}
        elif self.enum is not None:
            base = {"type": "string", "enum": list(self.enum)}
        else:
            base = {
                "type": "string",
                "minLength": 1,
                "maxLength": MAX_TEXT,
                "pattern": TEXT_PATTERN,
            }
        if self.many:
            return {"type": "array", "items": base, "minItems": 1}
        if self.default is not None:
            base["default"] = self.default
        return base

    def parse_one(self, raw: str) -> Any:
        if self.type == "integer":
            return _int(raw, self.minimum or 0, self.maximum or INT32_MAX)
        if self.type == "number":
            return _float(raw)
        if self.type == "date":
            return _date(raw)
        if self.type == "date-time":
            return _datetime(raw)
        if self.type == "boolean":
            if raw.lower() in ("true", "1"):
                return True
            if raw.lower() in ("false", "0"):
                return False
            raise ParamError("must be true or false")
        if self.type == "near":
            return _near(raw)
        text = _text(raw)
        if self.enum is not None and text not in self.enum:
            raise ParamError("must be one of " + ", ".join(self.enum))
        if self.type == "ref":  # an id (all digits), or a name
            if text.isascii() and text.isdigit():
                value = int(text) if len(text) <= 10 else 0
                # No row has an id outside 1..INT32_MAX: 0 matches nothing, as it should.
                return value if 1 <= value <= INT32_MAX else 0
            return text
        return text


def _text(raw: str) -> str:
    if not raw:
        raise ParamError("must not be empty")
    if len(raw) > MAX_TEXT:
        raise ParamError(f"must be at most {MAX_TEXT} characters")
    if any(ord(ch) < 32 or ord(ch) == 127 for ch in raw):
        raise ParamError("must not contain control characters")
    return raw


def _int(raw: str, lo: int, hi: int) -> int:
    text = raw.strip()
    if not (text.isascii() and text.lstrip("-").isdigit()) or len(text) > 12:
        raise ParamError("must be an integer")
    value = int(text)
    if not lo <= value <= hi:
        raise ParamError(f"must be between {lo} and {hi}")
    return value


def _float(raw: str) -> float:
    try:
        value = float(raw)
    except ValueError:
        raise ParamError("must be a number") from None
    if not math.isfinite(value):
        raise ParamError("must be a finite number")
    return value


def _date(raw: str) -> dt.date:
    try:
        return dt.date.fromisoformat(raw.strip())
    except ValueError:
        raise ParamError("must be a date, YYYY-MM-DD") from None


def _datetime(raw: str) -> dt.datetime:
    text = raw.strip()
    if text.endswith(("z", "Z")):
        text = text[:-1] + "+00:00"
    try:
        value = dt.datetime.fromisoformat(text)
    except ValueError:
        raise ParamError("must be an ISO 8601 date-time, e.g. 2024-01-31T12:00:00Z") from None
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    try:
        return value.astimezone(dt.UTC)
    except OverflowError:
        # An offset pushed it past year 1 or 9999: as a bound it means "ever" either way.
        return (
            dt.datetime.min.replace(tzinfo=dt.UTC)
            if value.year < 5000
            else dt.datetime.max.replace(tzinfo=dt.UTC)
        )


def _near(raw: str) -> Near:
    parts = raw.split(",")
    if len(parts) != 3:
        raise ParamError("must be lat,lon,radius_km")
    lat, lon, km = (_float(p) for p in parts)
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise ParamError("lat must be within [-90, 90] and lon within [-180, 180]")
    if not 0 <= km <= 20000:
        raise ParamError("radius_km must be between 0 and 20000")
    return Near(lat, lon, km)


def parse(query: QueryParams, params: Sequence[Param]) -> dict[str, Any]:
    """Parse and validate the query string against `params`; raises a 400 Problem."""
    known = {p.name: p for p in params}
    for name in query:
        if name not in known:
            raise bad_param(name, "unknown parameter; see /api/v1/openapi.json")
    out: dict[str, Any] = {}
    for p in params:
        values = query.getlist(p.name)
        if not values:
            if p.required:
                raise bad_param(p.name, "is required")
            out[p.name] = [] if p.many else p.default
            continue
        try:
            if p.many:
                out[p.name] = [p.parse_one(v) for raw in values for v in raw.split(",") if v]
                if not out[p.name]:
                    raise ParamError("must not be empty")
            else:
                if len(values) > 1:
                    raise ParamError("given more than once")
                out[p.name] = p.parse_one(values[0])
        except ParamError as exc:
            raise bad_param(p.name, str(exc)) from None
    return out


Converter = Callable[[dict[str, Any]], Any]
