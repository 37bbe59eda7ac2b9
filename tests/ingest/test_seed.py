"""`ingest.seed`: reference data loads, a second run changes nothing, changes are seen."""

import shutil
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy.ext.asyncio import AsyncEngine

from ingest.seed import SeedError, SeedReport, fold, seed_reference
from schema.db import make_engine
from schema.errors import MigrationsBehind

REFERENCE = Path(__file__).resolve().parents[2] / "seeds" / "reference"
TABLES = ["place", "place_alias", "actor", "actor_alias", "person", "person_alias", "role"]

ACTORS = """
- key: islamic-state
  name: Islamic State
  kind: non_state_armed_group
  aliases: [ISIS, ISIL, Daesh, "Islamic State"]
- key: iraqi-army
  name: Iraqi Army
  kind: state_force
  country: Iraq
  parent: government-of-iraq     # listed before its parent on purpose
- key: government-of-iraq
  name: Government of Iraq
  kind: government
  country: Iraq
"""

OFFICIALS = """
- key: mustafa-al-kadhimi
  name: Mustafa Al Kadhimi
  aliases: [Mustafa al-Kadhimi, Kadhimi]
  roles:
    - title: Prime Minister
      organisation: government-of-iraq
      start: 2020-05-07
      end: 2022-10-27
    - title: Director of the Iraqi National Intelligence Service
      organisation: null
      start: null
      end: 2020-05-07
"""


def _reference(tmp_path: Path, places: int = 40) -> Path:
    """A small reference directory: the first places, every ADM1 row, the registries."""
    ref = tmp_path / "reference"
    ref.mkdir()
    lines = (REFERENCE / "places.tsv").read_text(encoding="utf-8").splitlines()
    adm1 = [line for line in lines[1:] if "\tADM1\t" in line]
    (ref / "places.tsv").write_text("\n".join([lines[0], *lines[1 : places + 1], *adm1]) + "\n")
    shutil.copy(REFERENCE / "governorates.tsv", ref / "governorates.tsv")
    (ref / "actors.yaml").write_text(ACTORS)
    (ref / "officials.yaml").write_text(OFFICIALS)
    return ref


async def _snapshot(engine: AsyncEngine) -> dict[str, Any]:
    out: dict[str, Any] = {}
    async with engine.connect() as conn:
        for table in TABLES:
            row = (
                await conn.execute(sa.text(f"SELECT count(*), max(updated_at) FROM {table}"))
            ).one()
            out[table] = tuple(row)
    return out


def _changed(report: SeedReport) -> dict[str, tuple[int, int]]:
    return {t: (c.inserted, c.updated) for t, c in report.tables.items() if c.inserted or c.updated}


async def test_seed_twice_changes_nothing(engine: AsyncEngine, tmp_path: Path) -> None:
    ref = _reference(tmp_path)
    first = await seed_reference(engine, ref)
    assert first.tables["place"].inserted == 40 + 31  # 31 ADM1 rows have GeoNames ids
    assert first.tables["governorate"].inserted == 2  # Kirkuk and Halabja are added
    assert first.tables["actor"].inserted == 3
    assert first.tables["person"].inserted == 1
    assert first.tables["role"].inserted == 2
    before = await _snapshot(engine)
    second = await seed_reference(engine, ref)
    assert _changed(second) == {}
    assert second.tables["place"].unchanged == 71
    assert second.tables["role"].unchanged == 2
    assert await _snapshot(engine) == before


async def test_registries_are_linked(engine: AsyncEngine, tmp_path: Path) -> None:
    await seed_reference(engine, _reference(tmp_path))
    async with engine.connect() as conn:
        parent = (
            await conn.execute(
                sa.text(
                    "SELECT p.registry_key FROM actor a JOIN actor p ON p.id = a.parent_id"
                    " WHERE a.registry_key = 'iraqi-army'"
                )
            )
        ).scalar_one()
        aliases = set(
            (
                await conn.execute(
                    sa.text(
                        "SELECT actor_alias.normalized FROM actor_alias JOIN actor ON actor.id = actor_id"
                        " WHERE registry_key = 'islamic-state'"
                    )
                )
            ).scalars()
        )
        roles = (
            await conn.execute(
                sa.text(
                    "SELECT r.title, a.registry_key, r.start_date, r.end_date FROM role r"
                    " JOIN person p ON p.id = r.person_id LEFT JOIN actor a ON a.id = r.organisation_id"
                    " ORDER BY r.title DESC"
                )
            )
        ).all()
        erbil = (
            await conn.execute(
                sa.text(
                    "SELECT p.admin1_code FROM place_alias a JOIN place p ON p.id = a.place_id"
                    " WHERE a.normalized = 'irbil' AND p.feature_code = 'ADM1'"
                )
            )
        ).scalar_one()
    assert parent == "government-of-iraq"
    assert aliases == {"islamic state", "isis", "isil", "daesh"}
    assert [(t, org) for t, org, *_ in roles] == [
        ("Prime Minister", "government-of-iraq"),
        ("Director of the Iraqi National Intelligence Service", None),
    ]
    assert str(roles[0][2]) == "2020-05-07"
    assert erbil == "IQ.11"


async def test_changes_are_updates(engine: AsyncEngine, tmp_path: Path) -> None:
    ref = _reference(tmp_path)
    await seed_reference(engine, ref)
    places = (ref / "places.tsv").read_text(encoding="utf-8").splitlines()
    cols = places[1].split("\t")
    cols[1] = cols[1] + " (renamed)"
    places[1] = "\t".join(cols)
    (ref / "places.tsv").write_text("\n".join(places) + "\n", encoding="utf-8")
    (ref / "actors.yaml").write_text(ACTORS.replace("kind: state_force", "kind: militia"))
    (ref / "officials.yaml").write_text(OFFICIALS.replace("end: 2022-10-27", "end: 2022-10-28"))
    report = await seed_reference(engine, ref)
    assert _changed(report) == {
        "place": (0, 1),
        "place_alias": (1, 0),  # the new name becomes an alias; the old one is kept
        "actor": (0, 1),
        "role": (0, 1),
    }


async def test_curated_places_and_aliases(engine: AsyncEngine, tmp_path: Path) -> None:
    ref = _reference(tmp_path)
    first_gid = (ref / "places.tsv").read_text(encoding="utf-8").splitlines()[1].split("\t")[0]
    (ref / "place_aliases.tsv").write_text(
        "alias\tgeonames_id\tname\tadmin1\tcountry\tlat\tlon\tfeature_code\tnote\n"
        f"Somewhere Else\t{first_gid}\t\t\t\t\t\t\tspelling\n"
        "Al-Rashad\t\tAl Rashad\tKirkuk\tIraq\t\t\tPPLA3\tnahiya\n"
        "Rashad\t\tAl Rashad\tKirkuk\tIraq\t\t\tPPLA3\tnahiya\n",
        encoding="utf-8",
    )
    first = await seed_reference(engine, ref)
    assert (first.tables["curated_place"].inserted, first.tables["curated_place"].unchanged) == (
        1,
        0,
    )
    again = await seed_reference(engine, ref)
    assert _changed(again) == {}
    async with engine.connect() as conn:
        rows = (
            await conn.execute(
                sa.text(
                    "SELECT a.normalized, p.geonames_id, p.source, p.country_code FROM place_alias a"
                    " JOIN place p ON p.id = a.place_id"
                    " WHERE a.normalized IN ('somewhere else', 'rashad', 'al rashad') ORDER BY 1"
                )
            )
        ).all()
    assert [tuple(r) for r in rows] == [
        ("al rashad", None, "curated", "IQ"),
        ("rashad", None, "curated", "IQ"),
        ("somewhere else", int(first_gid), "geonames", "SY"),
    ]
    (ref / "place_aliases.tsv").write_text(
        "alias\tgeonames_id\tname\tcountry\nX\t\tX\tAtlantis\n", encoding="utf-8"
    )
    with pytest.raises(SeedError, match="known country"):
        await seed_reference(engine, ref)


async def test_full_reference_data_reseeds_as_unchanged(seeded_engine: AsyncEngine) -> None:
    """The committed seeds/reference (already loaded by the fixture) seeds idempotently."""
    before = await _snapshot(seeded_engine)
    assert before["place"][0] > 30_000
    report = await seed_reference(seeded_engine, REFERENCE)
    assert _changed(report) == {}
    assert await _snapshot(seeded_engine) == before


@pytest.mark.parametrize(
    ("file", "content", "message"),
    [
        ("actors.yaml", "- {key: a, name: A, kind: wizard}", "kind 'wizard'"),
        ("actors.yaml", "- {key: a, name: A, kind: militia, parent: nobody}", "parent 'nobody'"),
        ("actors.yaml", "- {key: a, kind: militia}", "name is required"),
        ("actors.yaml", "key: [unclosed", "not valid YAML"),
        (
            "actors.yaml",
            "- {key: a, name: A, kind: militia}\n- {key: a, name: B, kind: militia}",
            "duplicate key",
        ),
        (
            "officials.yaml",
            "- {key: p, name: P, roles: [{title: T, organisation: ghost}]}",
            "organisation 'ghost'",
        ),
        (
            "officials.yaml",
            "- {key: p, name: P, roles: [{title: T, start: someday}]}",
            "not an ISO date",
        ),
        ("places.tsv", "geonames_id\tname\n1\tX\n", "missing columns"),
    ],
)
async def test_bad_reference_files_name_the_problem(
    engine: AsyncEngine, tmp_path: Path, file: str, content: str, message: str
) -> None:
    ref = tmp_path / "ref"
    ref.mkdir()
    (ref / file).write_text(content, encoding="utf-8")
    with pytest.raises(SeedError, match=message):
        await seed_reference(engine, ref)


async def test_seed_needs_a_migrated_database(empty_db_url: str, tmp_path: Path) -> None:
    engine = make_engine(empty_db_url)
    try:
        with pytest.raises(MigrationsBehind, match="sitrep db upgrade"):
            await seed_reference(engine, _reference(tmp_path))
    finally:
        await engine.dispose()


def test_fold_examples() -> None:
    assert fold("Salah ad-Dīn") == "salah ad din"
    assert fold("Ta'mim") == "tamim"
    assert fold("  Al-Anbar   Governorate ") == "al anbar governorate"


@given(st.text(max_size=60))
def test_fold_is_idempotent_and_clean(text: str) -> None:
    folded = fold(text)
    assert fold(folded) == folded
    assert folded == folded.strip()
    assert "  " not in folded
    assert folded == folded.casefold()
