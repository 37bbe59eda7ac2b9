"""Load the reference data in `seeds/reference/` into the database, idempotently.

What is loaded, and the key each row is matched on:

* ``places.tsv`` -> ``place`` by ``geonames_id``; its name, ASCII name and alternate
  names -> ``place_alias`` by (place, normalised alias);
* ``governorates.tsv`` -> the governorate (ADM1) places, by GeoNames id or, for those
  without one, by ``admin1_code``; their English name and variants -> ``place_alias``;
* ``place_aliases.tsv``: rows with a ``geonames_id`` add an ``alias`` to that place; rows
  without one describe places the gazetteer lacks (``name``, ``admin1``, ``country``,
  ``lat``, ``lon``, ``feature_code``) -> ``place`` with source "curated", matched on
  (name, admin1, country), + the alias;
* ``actors.yaml`` -> ``actor`` by ``registry_key`` (+ ``actor_alias``);
* ``officials.yaml`` -> ``person`` by ``registry_key`` (+ ``person_alias``) and ``role`` by
  (person, title, organisation, start date).

Missing files are skipped. Rows are compared with what is stored: new rows are inserted,
changed rows updated (``updated_at`` set), equal rows left alone, so a second run changes
nothing. Nothing is deleted: aliases added by curation or extraction survive a re-seed.
Writes are bulk `executemany` through SQLAlchemy Core in one transaction: ~33,000 places
seed in seconds. Reference seeding does not write to the change feed (that is for
ingested and curated data).

`fold` is the normalisation stored in every ``*.normalized`` column: look names up with
the same function.
"""

import csv
import datetime as dt
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import sqlalchemy as sa
import yaml
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlmodel import SQLModel

import schema.models  # noqa: F401  (registers the tables on the metadata)
from ingest.errors import IngestError
from ingest.extract.fold import name_key
from schema.enums import ActorKind
from schema.migrate import connect, require_head

PLACE_COLUMNS = (
    "name",
    "ascii_name",
    "admin1",
    "admin1_code",
    "country_code",
    "country",
    "lat",
    "lon",
    "feature_class",
    "feature_code",
    "population",
    "source",
)

_MARKS = re.compile(r"['’‘`´ʿʾʼʻ]")
_NON_WORD = re.compile(r"[\W_]+")


class SeedError(IngestError):
    """A reference file cannot be read or contradicts itself (names file and entry)."""


def fold(text: str) -> str:
    """Lower-case, accents stripped, apostrophes dropped, other punctuation and runs of
    space collapsed to one space: "Salah ad-Dīn" -> "salah ad din", "Ta'mim" -> "tamim"."""
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _NON_WORD.sub(" ", _MARKS.sub("", stripped.casefold())).strip()


@dataclass
class Counts:
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0


@dataclass
class SeedReport:
    """Per table: rows inserted, updated and left unchanged; plus skipped files."""

    tables: dict[str, Counts] = field(default_factory=dict)
    skipped: list[str] = field(default_factory=list)

    def counts(self, table: str) -> Counts:
        return self.tables.setdefault(table, Counts())

    def lines(self) -> list[str]:
        out = [
            f"{name:<13} inserted {c.inserted:>6}  updated {c.updated:>6}  unchanged {c.unchanged:>6}"
            for name, c in self.tables.items()
        ]
        return out + [f"skipped {s}" for s in self.skipped]


def default_reference_dir() -> Path:
    """`seeds/reference` in the working directory, else next to the source tree."""
    here = Path("seeds/reference")
    if here.is_dir():
        return here
    return Path(__file__).resolve().parent.parent / "seeds" / "reference"


async def seed_reference(engine: AsyncEngine, reference_dir: Path) -> SeedReport:
    """Seed everything found in `reference_dir` in one transaction; see the module doc."""
    if not reference_dir.is_dir():  # noqa: ASYNC240  (a single stat, before any I/O)
        raise SeedError(f"reference directory {reference_dir} does not exist")
    await require_head(engine)
    conn = await connect(engine)
    try:
        async with conn.begin():
            report: SeedReport = await conn.run_sync(_seed, reference_dir)
    finally:
        await conn.close()
    return report


def _seed(conn: Connection, ref: Path) -> SeedReport:
    report = SeedReport()
    now = dt.datetime.now(dt.UTC)
    loaders: Sequence[tuple[str, Callable[[Connection, Path, SeedReport, dt.datetime], None]]] = (
        ("places.tsv", _seed_places),
        ("governorates.tsv", _seed_governorates),
        ("place_aliases.tsv", _seed_place_aliases),
        ("actors.yaml", _seed_actors),
        ("officials.yaml", _seed_officials),
    )
    for name, loader in loaders:
        path = ref / name
        if path.is_file():
            loader(conn, path, report, now)
        else:
            report.skipped.append(f"{name} (not found)")
    return report


def _table(name: str) -> sa.Table:
    return SQLModel.metadata.tables[name]


# ----------------------------------------------------------------------------- reading


def _read_tsv(path: Path, required: Iterable[str]) -> Iterator[tuple[int, dict[str, str]]]:
    with path.open(encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE)
        missing = set(required) - set(reader.fieldnames or ())
        if missing:
            raise SeedError(f"{path}: missing columns {', '.join(sorted(missing))}")
        for row in reader:
            if None in row or any(v is None for v in row.values()):
                raise SeedError(f"{path}:{reader.line_num}: wrong number of columns")
            yield reader.line_num, row


def _opt_float(path: Path, line: int, value: str) -> float | None:
    try:
        return float(value) if value else None
    except ValueError:
        raise SeedError(f"{path}:{line}: not a number: {value!r}") from None


def _int(path: Path, line: int, value: str, default: int | None = None) -> int:
    if not value and default is not None:
        return default
    try:
        return int(value)
    except ValueError:
        raise SeedError(f"{path}:{line}: not an integer: {value!r}") from None


def _read_yaml_list(path: Path) -> list[dict[str, Any]]:
    try:
        # The C loader when libyaml is there: the pure-Python one takes ~1 s on the registries.
        loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=loader)  # noqa: S506
    except yaml.YAMLError as exc:
        raise SeedError(f"{path}: not valid YAML: {str(exc).splitlines()[0]}") from None
    if data is None:
        return []
    if not isinstance(data, list) or not all(isinstance(e, dict) for e in data):
        raise SeedError(f"{path}: expected a list of mappings")
    return data


def _opt(path: Path, entry: Mapping[str, Any], name: str) -> str | None:
    value = entry.get(name)
    if value is None or value == "":
        return None
    if not isinstance(value, str | int | float):
        raise SeedError(f"{path}: entry {entry.get('key')!r}: {name} must be text")
    return str(value).strip()


def _req(path: Path, entry: Mapping[str, Any], name: str) -> str:
    value = _opt(path, entry, name)
    if value is None:
        raise SeedError(f"{path}: entry {entry.get('key')!r}: {name} is required")
    return value


def _aliases(path: Path, entry: Mapping[str, Any]) -> list[str]:
    raw = entry.get("aliases") or []
    if not isinstance(raw, list):
        raise SeedError(f"{path}: entry {entry.get('key')!r}: aliases must be a list")
    return [str(a).strip() for a in raw if a is not None and str(a).strip()]


def _date(path: Path, key: str, value: Any) -> dt.date | None:
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise SeedError(f"{path}: entry {key!r}: not an ISO date: {value!r}") from None


# ------------------------------------------------------------------------ bulk upsert


def _upsert(
    conn: Connection,
    table: sa.Table,
    key: str,
    desired: Mapping[Any, dict[str, Any]],
    now: dt.datetime,
) -> tuple[dict[Any, int], dict[Any, str]]:
    """Insert/update rows of `table` matched on column `key`.

    Returns (key -> id, key -> "inserted" | "updated" | "unchanged")."""
    cols = sorted({c for row in desired.values() for c in row})
    existing = {
        r[0]: r[1:]
        for r in conn.execute(
            sa.select(table.c[key], table.c.id, *(table.c[c] for c in cols)).where(
                table.c[key].is_not(None)
            )
        )
    }
    status: dict[Any, str] = {}
    inserts, updates = [], []
    for k, row in desired.items():
        if k not in existing:
            inserts.append({key: k, **row, "created_at": now, "updated_at": now})
            status[k] = "inserted"
            continue
        row_id, *stored = existing[k]
        if any(stored[i] != row.get(c) for i, c in enumerate(cols)):
            updates.append({"_id": row_id, **{c: row.get(c) for c in cols}, "updated_at": now})
            status[k] = "updated"
        else:
            status[k] = "unchanged"
    if inserts:
        conn.execute(sa.insert(table), inserts)
    _update_many(conn, table, updates)
    ids = {
        r[0]: r[1]
        for r in conn.execute(sa.select(table.c[key], table.c.id).where(table.c[key].is_not(None)))
    }
    return {k: ids[k] for k in desired}, status


def _update_many(conn: Connection, table: sa.Table, rows: list[dict[str, Any]]) -> None:
    """executemany UPDATE ... WHERE id = :_id; the SET clause comes from the dict keys
    (bind names may not repeat column names in .values(), so none is given)."""
    if rows:
        conn.execute(sa.update(table).where(table.c.id == sa.bindparam("_id")), rows)


def _tally(counts: Counts, status: Mapping[Any, str]) -> None:
    for s in status.values():
        setattr(counts, s, getattr(counts, s) + 1)


def _add_aliases(
    conn: Connection,
    table: sa.Table,
    owner: str,
    wanted: Iterable[tuple[int, str]],
    counts: Counts,
    now: dt.datetime,
) -> None:
    """Insert the (owner id, alias) pairs whose normalised form is not stored yet."""
    existing = {(r[0], r[1]) for r in conn.execute(sa.select(table.c[owner], table.c.normalized))}
    inserts: dict[tuple[int, str], dict[str, Any]] = {}
    seen: set[tuple[int, str]] = set()
    for owner_id, alias in wanted:
        norm = fold(alias)
        pair = (owner_id, norm)
        if not norm or pair in seen:
            continue
        seen.add(pair)
        if pair in existing:
            counts.unchanged += 1
        else:
            inserts[pair] = {
                owner: owner_id,
                "alias": alias[:300],
                "normalized": norm[:300],
                "created_at": now,
                "updated_at": now,
            }
    if inserts:
        conn.execute(sa.insert(table), list(inserts.values()))
    counts.inserted += len(inserts)


# ----------------------------------------------------------------------------- places


def _seed_places(conn: Connection, path: Path, report: SeedReport, now: dt.datetime) -> None:
    required = ("geonames_id", "name", "ascii_name", "alternate_names", *PLACE_COLUMNS)
    desired: dict[int, dict[str, Any]] = {}
    names: dict[int, list[str]] = {}
    for line, row in _read_tsv(path, required):
        gid = _int(path, line, row["geonames_id"])
        desired[gid] = {
            "name": row["name"],
            "ascii_name": row["ascii_name"] or row["name"],
            "admin1": row["admin1"] or None,
            "admin1_code": row["admin1_code"] or None,
            "country_code": row["country_code"],
            "country": row["country"],
            "lat": _opt_float(path, line, row["lat"]),
            "lon": _opt_float(path, line, row["lon"]),
            "feature_class": row["feature_class"] or None,
            "feature_code": row["feature_code"] or None,
            "population": _int(path, line, row["population"], default=0),
            "source": row["source"] or "geonames",
        }
        alternates = [a for a in row["alternate_names"].split(",") if a.strip()]
        if row["feature_code"] == "ADM1":
            # A governorate's alternates include its capital's names ("Al Mawsil" for
            # Ninawa); governorates.tsv supplies the governorate's own variants instead.
            alternates = []
        names[gid] = [row["name"], row["ascii_name"], *alternates]
    ids, status = _upsert(conn, _table("place"), "geonames_id", desired, now)
    _tally(report.counts("place"), status)
    _add_aliases(
        conn,
        _table("place_alias"),
        "place_id",
        ((ids[gid], n) for gid, ns in names.items() for n in ns),
        report.counts("place_alias"),
        now,
    )


def _seed_governorates(conn: Connection, path: Path, report: SeedReport, now: dt.datetime) -> None:
    place = _table("place")
    counts = report.counts("governorate")  # the ADM1 rows of `place`
    aliases: list[tuple[int, str]] = []
    for line, row in _read_tsv(path, ("admin1_code", "name", "geonameid", "country", "variants")):
        code, name = row["admin1_code"], row["name"]
        gid = _int(path, line, row["geonameid"]) if row["geonameid"] else None
        match = (
            place.c.geonames_id == gid
            if gid is not None
            else sa.and_(
                place.c.feature_code == "ADM1",
                place.c.admin1_code == code,
                place.c.geonames_id.is_(None),
            )
        )
        found = conn.execute(sa.select(place.c.id, place.c.admin1).where(match)).first()
        if found is None:
            # Kirkuk and Halabja have no ADM1 record upstream: add a curated one.
            place_id = conn.execute(
                sa.insert(place)
                .values(
                    geonames_id=gid,
                    name=name,
                    ascii_name=name,
                    admin1=name,
                    admin1_code=code,
                    country_code=code[:2],
                    country=row["country"],
                    feature_class="A",
                    feature_code="ADM1",
                    population=0,
                    source="curated",
                    created_at=now,
                    updated_at=now,
                )
                .returning(place.c.id)
            ).scalar_one()
            counts.inserted += 1
        else:
            place_id = found.id
            if found.admin1 != name:
                conn.execute(
                    sa.update(place)
                    .where(place.c.id == place_id)
                    .values(admin1=name, updated_at=now)
                )
                counts.updated += 1
            else:
                counts.unchanged += 1
        variants = [v for v in row["variants"].split("|") if v.strip()]
        extra = [row.get("geonames_admin1_name") or ""]
        aliases += [(place_id, v) for v in [name, *variants, *extra] if v]
    _add_aliases(
        conn, _table("place_alias"), "place_id", aliases, report.counts("place_alias"), now
    )


def _seed_place_aliases(conn: Connection, path: Path, report: SeedReport, now: dt.datetime) -> None:
    """Aliases of gazetteer places (rows with a geonames_id) and places the gazetteer
    lacks (rows without one, identified by name + admin1 + country; source "curated")."""
    rows = list(_read_tsv(path, ("geonames_id", "alias")))
    place = _table("place")
    ids = {
        r[0]: r[1]
        for r in conn.execute(
            sa.select(place.c.geonames_id, place.c.id).where(place.c.geonames_id.is_not(None))
        )
    }
    wanted: list[tuple[int, str]] = []
    curated: dict[tuple[str, str | None, str], dict[str, Any]] = {}
    curated_aliases: list[tuple[tuple[str, str | None, str], str]] = []
    for line, row in rows:
        if row["geonames_id"]:
            gid = _int(path, line, row["geonames_id"])
            if gid not in ids:
                raise SeedError(f"{path}:{line}: unknown geonames_id {gid}")
            wanted.append((ids[gid], row["alias"]))
            continue
        name, country = row.get("name") or "", row.get("country") or ""
        if not name or country not in _COUNTRY_CODES:
            raise SeedError(
                f"{path}:{line}: a row without geonames_id needs a name and a known country"
                f" (got {country!r})"
            )
        key = (name, row.get("admin1") or None, country)
        curated.setdefault(
            key,
            {
                "name": name,
                "ascii_name": name,
                "admin1": key[1],
                "country": country,
                "country_code": _COUNTRY_CODES[country],
                "lat": _opt_float(path, line, row.get("lat") or ""),
                "lon": _opt_float(path, line, row.get("lon") or ""),
                "feature_code": row.get("feature_code") or None,
                "source": "curated",
            },
        )
        curated_aliases += [(key, name), (key, row["alias"])]
    wanted += _upsert_curated_places(conn, curated, curated_aliases, report, now)
    _add_aliases(conn, _table("place_alias"), "place_id", wanted, report.counts("place_alias"), now)


# ISO 3166-1 alpha-2 of the countries curated places may lie in (country rows included).
_COUNTRY_CODES = {
    "Iraq": "IQ", "Syria": "SY", "Turkey": "TR", "Iran": "IR", "Jordan": "JO",
    "Lebanon": "LB", "Saudi Arabia": "SA", "Kuwait": "KW", "Israel": "IL", "Palestine": "PS",
    "Egypt": "EG", "Libya": "LY", "Yemen": "YE", "Oman": "OM", "Qatar": "QA", "Bahrain": "BH",
    "United Arab Emirates": "AE", "Cyprus": "CY", "Armenia": "AM", "Azerbaijan": "AZ",
    "Afghanistan": "AF", "Pakistan": "PK", "India": "IN", "China": "CN", "Japan": "JP",
    "North Korea": "KP", "South Korea": "KR", "Russia": "RU", "Ukraine": "UA",
    "United States": "US", "Canada": "CA", "United Kingdom": "GB", "France": "FR",
    "Germany": "DE", "Italy": "IT", "Netherlands": "NL", "Belgium": "BE", "Denmark": "DK",
    "Sweden": "SE", "Greece": "GR", "Australia": "AU",
}  # fmt: skip


def _upsert_curated_places(
    conn: Connection,
    desired: Mapping[tuple[str, str | None, str], dict[str, Any]],
    aliases: list[tuple[tuple[str, str | None, str], str]],
    report: SeedReport,
    now: dt.datetime,
) -> list[tuple[int, str]]:
    """Curated places have no GeoNames id: matched on (name, admin1, country)."""
    place = _table("place")
    cols = ("lat", "lon", "feature_code", "country_code", "ascii_name")
    stored = {
        (r.name, r.admin1, r.country): r
        for r in conn.execute(
            sa.select(
                place.c.id, place.c.name, place.c.admin1, place.c.country, *place.c[cols]
            ).where(
                place.c.geonames_id.is_(None),
                place.c.source == "curated",
                place.c.feature_code.is_distinct_from("ADM1"),
            )
        )
    }
    counts = report.counts("curated_place")
    updates = []
    for key, row in desired.items():
        found = stored.get(key)
        if found is None:
            conn.execute(
                sa.insert(place).values(**row, population=0, created_at=now, updated_at=now)
            )
            counts.inserted += 1
        elif any(getattr(found, c) != row[c] for c in cols):
            updates.append({"_id": found.id, **{c: row[c] for c in cols}, "updated_at": now})
            counts.updated += 1
        else:
            counts.unchanged += 1
    _update_many(conn, place, updates)
    ids = {
        (r.name, r.admin1, r.country): r.id
        for r in conn.execute(
            sa.select(place.c.id, place.c.name, place.c.admin1, place.c.country).where(
                place.c.geonames_id.is_(None), place.c.source == "curated"
            )
        )
    }
    return [(ids[key], alias) for key, alias in aliases]


# ---------------------------------------------------------------------- actors/people


def _seed_actors(conn: Connection, path: Path, report: SeedReport, now: dt.datetime) -> None:
    entries = _read_yaml_list(path)
    kinds = {k.value for k in ActorKind}
    desired: dict[str, dict[str, Any]] = {}
    parents: dict[str, str] = {}
    names: dict[str, list[str]] = {}
    for entry in entries:
        key = _req(path, entry, "key")
        name = _req(path, entry, "name")
        kind = _req(path, entry, "kind")
        if key in desired:
            raise SeedError(f"{path}: duplicate key {key!r}")
        if kind not in kinds:
            raise SeedError(f"{path}: entry {key!r}: kind {kind!r} is not one of {sorted(kinds)}")
        desired[key] = {
            "name": name,
            "normalized": fold(name),
            "kind": kind,
            "country": _opt(path, entry, "country"),
        }
        parent = _opt(path, entry, "parent")
        if parent is not None:
            parents[key] = parent
        names[key] = [name, *_aliases(path, entry)]
    actor = _table("actor")
    known = {
        r[0]
        for r in conn.execute(
            sa.select(actor.c.registry_key).where(actor.c.registry_key.is_not(None))
        )
    }
    for key, parent in parents.items():
        if parent not in desired and parent not in known:
            raise SeedError(f"{path}: entry {key!r}: parent {parent!r} is not an actor key")
    # parent_id is set after the upsert: parents may be listed after their children.
    ids, status = _upsert(conn, actor, "registry_key", desired, now)
    all_ids = {
        r[0]: r[1]
        for r in conn.execute(
            sa.select(actor.c.registry_key, actor.c.id).where(actor.c.registry_key.is_not(None))
        )
    }
    stored_parent = {
        r[0]: r[1]
        for r in conn.execute(
            sa.select(actor.c.id, actor.c.parent_id).where(actor.c.id.in_(list(ids.values())))
        )
    }
    relink = []
    for key in desired:
        want = all_ids[parents[key]] if key in parents else None
        if stored_parent[ids[key]] != want:
            relink.append({"_id": ids[key], "parent_id": want, "updated_at": now})
            if status[key] == "unchanged":
                status[key] = "updated"
    _update_many(conn, actor, relink)
    _tally(report.counts("actor"), status)
    _add_aliases(
        conn,
        _table("actor_alias"),
        "actor_id",
        ((ids[k], n) for k, ns in names.items() for n in ns),
        report.counts("actor_alias"),
        now,
    )


def _seed_officials(conn: Connection, path: Path, report: SeedReport, now: dt.datetime) -> None:
    entries = _read_yaml_list(path)
    actor = _table("actor")
    actor_ids = {
        r[0]: r[1]
        for r in conn.execute(
            sa.select(actor.c.registry_key, actor.c.id).where(actor.c.registry_key.is_not(None))
        )
    }
    desired: dict[str, dict[str, Any]] = {}
    names: dict[str, list[str]] = {}
    roles: dict[str, list[tuple[str, int | None, dt.date | None, dt.date | None]]] = {}
    for entry in entries:
        key = _req(path, entry, "key")
        name = _req(path, entry, "name")
        if key in desired:
            raise SeedError(f"{path}: duplicate key {key!r}")
        desired[key] = {"name": name, "normalized": fold(name), "skeleton": name_key(name)[:300]}
        names[key] = [name, *_aliases(path, entry)]
        raw_roles = entry.get("roles") or []
        if not isinstance(raw_roles, list) or not all(isinstance(r, dict) for r in raw_roles):
            raise SeedError(f"{path}: entry {key!r}: roles must be a list of mappings")
        roles[key] = []
        for r in raw_roles:
            title = _req(path, {"key": key, **r}, "title")
            org = _opt(path, {"key": key, **r}, "organisation")
            if org is not None and org not in actor_ids:
                raise SeedError(f"{path}: entry {key!r}: organisation {org!r} is not an actor key")
            start, end = _date(path, key, r.get("start")), _date(path, key, r.get("end"))
            if start and end and end < start:
                raise SeedError(f"{path}: entry {key!r}: role {title!r} ends before it starts")
            roles[key].append((title, actor_ids[org] if org else None, start, end))
    ids, status = _upsert(conn, _table("person"), "registry_key", desired, now)
    _tally(report.counts("person"), status)
    _add_aliases(
        conn,
        _table("person_alias"),
        "person_id",
        ((ids[k], n) for k, ns in names.items() for n in ns),
        report.counts("person_alias"),
        now,
    )
    _seed_roles(conn, {ids[k]: rs for k, rs in roles.items()}, report.counts("role"), now)


def _seed_roles(
    conn: Connection,
    wanted: Mapping[int, list[tuple[str, int | None, dt.date | None, dt.date | None]]],
    counts: Counts,
    now: dt.datetime,
) -> None:
    """Roles match on (person, title, organisation, start); a changed end date is an update.
    Matching is done here, not by the unique constraint: NULL start dates never collide."""
    role = _table("role")
    stored = {
        (r.person_id, r.title, r.organisation_id, r.start_date): (r.id, r.end_date, r.source)
        for r in conn.execute(
            sa.select(
                role.c.id,
                role.c.person_id,
                role.c.title,
                role.c.organisation_id,
                role.c.start_date,
                role.c.end_date,
                role.c.source,
            ).where(role.c.person_id.in_(list(wanted)) if len(wanted) < 500 else sa.true())
        )
    }
    inserts, updates = [], []
    seen: set[tuple[int, str, int | None, dt.date | None]] = set()
    for person_id, rs in wanted.items():
        for title, org_id, start, end in rs:
            key = (person_id, title, org_id, start)
            if key in seen:
                continue
            seen.add(key)
            if key not in stored:
                inserts.append(
                    {
                        "person_id": person_id,
                        "title": title,
                        "organisation_id": org_id,
                        "start_date": start,
                        "end_date": end,
                        "source": "registry",
                        "created_at": now,
                        "updated_at": now,
                    }
                )
            elif stored[key][1] != end:
                updates.append({"_id": stored[key][0], "end_date": end, "updated_at": now})
            else:
                counts.unchanged += 1
    if inserts:
        conn.execute(sa.insert(role), inserts)
    _update_many(conn, role, updates)
    counts.inserted += len(inserts)
    counts.updated += len(updates)
