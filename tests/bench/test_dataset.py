"""The dataset generator: deterministic, skewed, and every span points at its text."""

import random
from collections import Counter
from typing import Any

import pytest

from bench import dataset
from bench.dataset import Counts, _Generator


def build(seed: int) -> dict[str, dataset.Table]:
    gen = _Generator(Counts.at(0.01), random.Random(seed))
    gen.places(dataset.PLACES_TSV)
    return gen.build()


@pytest.fixture(scope="module")
def tables() -> dict[str, dataset.Table]:
    return build(1)


def rows_by_id(table: dataset.Table) -> dict[int, dict[str, Any]]:
    cols, records = table
    return {r[0]: dict(zip(cols, r, strict=True)) for r in records}


def test_same_seed_same_rows_other_seed_other_rows(tables: dict[str, dataset.Table]) -> None:
    a, b, c = tables, build(1), build(4)
    assert a["incident"] == b["incident"]
    assert a["statement"] == b["statement"]
    assert a["incident"][1] != c["incident"][1]


def test_counts_follow_the_scale(tables: dict[str, dataset.Table]) -> None:
    n = Counts.at(0.01)
    assert len(tables["incident"][1]) == n.incidents
    assert len(tables["statement"][1]) == n.statements
    # report documents are shared when incidents are close in time, so this is approximate
    assert abs(len(tables["document"][1]) - n.documents) / n.documents < 0.05
    assert len(tables["actor"][1]) == n.actors
    assert len(tables["person"][1]) == n.persons
    big = Counts.at(3)
    assert big.incidents == 300_000
    assert big.statements == 900_000


def test_every_incident_has_a_report_and_source_count_matches(
    tables: dict[str, dataset.Table],
) -> None:
    per_incident = Counter(r["incident_id"] for r in rows_by_id(tables["report"]).values())
    incidents = rows_by_id(tables["incident"])
    assert set(per_incident) == set(incidents)
    assert all(incidents[i]["source_count"] == n for i, n in per_incident.items())
    assert max(per_incident.values()) > 1  # some incidents have several sources


def test_spans_point_into_the_document_text(tables: dict[str, dataset.Table]) -> None:
    docs = rows_by_id(tables["document"])
    for table, text_col in (("report", "evidence"), ("statement", "text"), ("mention", "text")):
        for row in rows_by_id(tables[table]).values():
            text = docs[row["document_id"]]["text"]
            span = text[row["span_start"] : row["span_end"]]
            assert span == row[text_col], (table, row["id"])


def test_a_few_actors_are_in_most_incidents(tables: dict[str, dataset.Table]) -> None:
    cols, records = tables["incident_actor"]
    role, actor = cols.index("role"), cols.index("actor_id")
    perps = Counter(r[actor] for r in records if r[role] == "perpetrator")
    top5 = sum(n for _, n in perps.most_common(5))
    assert top5 / sum(perps.values()) > 0.4
    assert len(perps) > 20  # ...and a long tail


def test_incidents_cover_both_countries_and_cluster_in_hot_governorates(
    tables: dict[str, dataset.Table],
) -> None:
    cols, records = tables["incident"]
    admin1 = Counter(r[cols.index("admin1")] for r in records)
    countries = {r[cols.index("country")] for r in records}
    assert {"Iraq", "Syria"} <= countries
    assert admin1.most_common(1)[0][1] > 5 * (len(records) / len(admin1)) / 2
