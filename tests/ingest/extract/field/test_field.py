"""Field check of the extractor on 20 articles written for it (this directory).

Each `NN_slug.txt` is an article in our own words, in one outlet's conventions (wire
datelines, Rudaw day-first dates, Xinhua headers, Shafaq "Date:" lines, page
boilerplate), and `NN_slug.json` is the record a careful annotator would write, in the
FORMAT.md v1 format (with `place_alt`/`admin1_alt` where alternatives are acceptable).

The test runs the real pipeline on every article, scores the records with the compact
scorer below (the FORMAT.md matching rules) and asserts floors a little below what the
extractor reaches today: a regression guard for articles the extractor was not tuned on.
On failure it prints, per article, what was missed or wrong.

Score a directory of `sitrep extract --out DIR` records by hand:
    .venv/bin/python tests/ingest/extract/field/test_field.py DIR
"""

from __future__ import annotations

import datetime as dt
import json
import re
import sys
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

HERE = Path(__file__).parent
ARTICLES = sorted(HERE.glob("[0-9][0-9]_*.txt"))

Record = dict[str, Any]

# Floors: a little below today's figures (see the module docstring); raise them as the
# extractor improves.
FLOORS = {
    "incident": 0.80,  # figures when the floors were set: 0.85
    "slot": 0.70,  # 0.75
    "statement": 0.80,  # 0.85
    "official": 0.92,  # 0.98
    "actor": 0.88,  # 0.93
    "published": 0.95,  # 1.00
    "title": 0.60,  # 0.70: navigation lines taken for the headline
}

# ---------------------------------------------------------------- name folding

_BRITISH = {
    "defence": "defense",
    "mobilisation": "mobilization",
    "organisation": "organization",
    "neighbouring": "neighboring",
    "centre": "center",
}
# Leading words that are not part of a person's name (titles, ranks, roles, nationality).
_PERSON_PREFIX = frozenset(
    """mr mrs ms dr sheikh sayyid col colonel gen general maj major brig brigadier lt
    lieutenant capt captain adm admiral rear staff spokesman spokesperson spokeswoman
    prime minister deputy president vice chairman chief head commander secretary
    ambassador governor acting mayor director press foreign interior defense peshmerga
    iraqi iraq kurdish kurdistan region regional turkish turkey us u s american syrian
    iranian krg pm sdf pmf national security adviser advisor of the for affairs
    government media center""".split()  # noqa: SIM905 - a word list reads better as text
)


def fold(name: str) -> str:
    """Case, accents, punctuation, British spellings, Arabic article, leading 'the'."""
    text = unicodedata.normalize("NFKD", name)
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    text = re.sub(r"['’´`]", "", text)
    text = re.sub(r"\b(?:al|el|as|ash|ad|an|ar|at|az)-", "", text)
    words = [_BRITISH.get(w, w) for w in re.findall(r"[a-z0-9]+", text)]
    words = [w for w in words if w not in ("al", "el")] or words
    if words and words[0] == "the":
        words = words[1:]
    return " ".join(words)


def fold_person(name: str) -> str:
    words = fold(name).split()
    i = 0
    while i < len(words) - 1 and words[i] in _PERSON_PREFIX:
        i += 1
    return " ".join(words[i:])


# ---------------------------------------------------------------- places

_GOVERNORATES = {
    "Anbar": "al anbar",
    "Baghdad": "mayorality of baghdad|baghdad governorate",
    "Babil": "babylon|babel",
    "Basra": "basrah|basra governorate",
    "Diyala": "",
    "Duhok": "dohuk|dahuk|dihok|duhok governorate",
    "Erbil": "arbil|irbil|hawler|hewler|erbil governorate",
    "Halabja": "",
    "Kirkuk": "tamim|muhafazat kirkuk|kirkuk governorate",
    "Nineveh": "ninawa|ninewa|ninevah|nineveh governorate",
    "Salah ad Din": "salahuddin|salah al din|salahaddin|saladin|salahudin|salah ad din governorate",
    "Sulaymaniyah": "sulaimani|sulaimaniyah|slemani|as sulaymaniyah|suleimaniyah",
    "Al-Hasakah": "hasakah|hasaka|hassakeh|hasakeh",
    "Deir ez-Zor": "deir ez zor|deir ezzor|dayr az zawr|deir al zor|deir el zour",
    "Homs": "hims",
    "Ar-Raqqah": "raqqa|raqqah",
    "Aleppo": "halab",
}
_GOV_CANON: dict[str, str] = {}
for _name, _variants in _GOVERNORATES.items():
    for _v in [_name, *filter(None, _variants.split("|"))]:
        _GOV_CANON[fold(_v)] = fold(_name)
_PLACE_NOISE = {"city", "district", "province", "governorate", "subdistrict", "sub"}


def fold_place(name: str) -> str:
    words = [w for w in fold(name).split() if w not in _PLACE_NOISE]
    return " ".join(words)


def governorate(name: str | None) -> str | None:
    if not isinstance(name, str):
        return None
    key = fold_place(name)
    return _GOV_CANON.get(key, key)


# ---------------------------------------------------------------- entities


@dataclass
class Entities:
    """Gold entities and the predicted entities matched to them (by index)."""

    gold: list[Record]
    pred: list[Record]
    is_person: bool
    partner: dict[int, int] = field(default_factory=dict)  # pred index -> gold index

    def key(self, name: str) -> str:
        return fold_person(name) if self.is_person else fold(name)

    def names(self, entity: Record) -> set[str]:
        values = [entity.get("name") or "", *(entity.get("names") or [])]
        return {self.key(v) for v in values if isinstance(v, str) and v}

    def match(self) -> int:
        gold_names = [self.names(g) for g in self.gold]
        taken: set[int] = set()
        for by_own_name in (True, False):
            for p, entity in enumerate(self.pred):
                if p in self.partner:
                    continue
                own = {self.key(entity.get("name") or "")}
                mine = own if by_own_name else self.names(entity)
                hits = [g for g, names in enumerate(gold_names) if mine & names]
                if not by_own_name and len(hits) > 1:
                    continue  # names several gold entities: only its own name counts
                free = [g for g in hits if g not in taken]
                if free:
                    self.partner[p] = free[0]
                    taken.add(free[0])
        return len(self.partner)

    def resolve(self, name: str, side: str) -> int | None:
        """The gold entity a name stands for: canonical names first, then aliases, then
        (predicted side) the gold partner of the predicted entity it names."""
        key = self.key(name)
        for g, entity in enumerate(self.gold):
            if self.key(entity.get("name") or "") == key:
                return g
        for g, entity in enumerate(self.gold):
            if key in self.names(entity):
                return g
        if side == "pred":
            for p, entity in enumerate(self.pred):
                if key in self.names(entity) and p in self.partner:
                    return self.partner[p]
        return None


@dataclass
class Resolver:
    actors: Entities
    officials: Entities

    def __call__(self, name: str, side: str) -> str:
        g = self.actors.resolve(name, side)
        if g is not None:
            return f"actor:{g}"
        g = self.officials.resolve(name, side)
        if g is not None:
            return f"official:{g}"
        return f"string:{fold(name)}"


# ---------------------------------------------------------------- incidents

_SLOTS = ("date", "place", "admin1", "type", "killed", "wounded", "perpetrators", "targets")


def period(incident: Record) -> tuple[dt.date, dt.date] | None:
    value, precision = incident.get("date"), incident.get("date_precision")
    if not isinstance(value, str):
        return None
    start = dt.date.fromisoformat(value)
    if precision == "week":
        return start, start + dt.timedelta(days=6)
    if precision == "month":
        nxt = dt.date(start.year + start.month // 12, start.month % 12 + 1, 1)
        return start, nxt - dt.timedelta(days=1)
    if precision == "year":
        return start, dt.date(start.year, 12, 31)
    return start, start


def place_options(gold: Record) -> set[str]:
    values = [gold.get("place"), *(gold.get("place_alt") or [])]
    return {fold_place(v) for v in values if isinstance(v, str)}


def admin1_options(gold: Record) -> set[str]:
    values = [gold.get("admin1"), *(gold.get("admin1_alt") or [])]
    return {g for v in values if (g := governorate(v))}


def places_agree(gold: Record, pred: Record) -> bool:
    place = pred.get("place")
    if not isinstance(place, str):
        return False
    if fold_place(place) in place_options(gold):
        return True
    gold_place = gold.get("place")
    gold_gov = governorate(gold.get("admin1"))
    as_gov = governorate(place)
    return (
        gold_gov is not None
        and as_gov == gold_gov
        and (gold_place is None or governorate(gold_place) == gold_gov)
    )


def governorates_agree(gold: Record, pred: Record) -> bool:
    if gold.get("place") is None and gold.get("admin1") is None:
        return True
    options = admin1_options(gold)
    return bool({governorate(pred.get("admin1")), governorate(pred.get("place"))} & options)


def dates_close(gold: Record, pred: Record) -> bool:
    a, b = period(gold), period(pred)
    if a is None or b is None:
        return True
    gap = max(b[0] - a[1], a[0] - b[1], dt.timedelta(0))
    return gap <= dt.timedelta(days=1)


def slot_right(slot: str, gold: Record, pred: Record, resolve: Resolver) -> bool:
    want, have = gold.get(slot), pred.get(slot)
    if slot == "date":
        a, b = period(gold), period(pred)
        if a is None or b is None:
            return a is None and b is None
        return a[0] <= b[0] and b[1] <= a[1]
    if slot == "place":
        return (want is None and have is None) or (
            isinstance(have, str) and fold_place(have) in place_options(gold)
        )
    if slot == "admin1":
        return (want is None and have is None) or (
            isinstance(have, str) and governorate(have) in admin1_options(gold)
        )
    if slot in ("perpetrators", "targets"):
        return {resolve(n, "gold") for n in want or []} == {resolve(n, "pred") for n in have or []}
    return bool(want == have)


def filled(slot: str, incident: Record) -> bool:
    value = incident.get(slot)
    return bool(value) if isinstance(value, list) else value is not None


def match_incidents(
    gold: list[Record], pred: list[Record], resolve: Resolver
) -> list[tuple[int, int]]:
    candidates: list[tuple[int, int, int, int]] = []
    for g, want in enumerate(gold):
        for p, have in enumerate(pred):
            if not dates_close(want, have):
                continue
            same_type = want.get("type") == have.get("type")
            both_dated = period(want) is not None and period(have) is not None
            if places_agree(want, have):
                base = 2
            elif governorates_agree(want, have) and (both_dated or same_type):
                base = 1
            else:
                continue
            extra = sum(slot_right(s, want, have, resolve) for s in ("date", "type", "killed"))
            slots = sum(slot_right(s, want, have, resolve) for s in _SLOTS)
            candidates.append((base + extra, slots, g, p))
    pairs: list[tuple[int, int]] = []
    used_g: set[int] = set()
    used_p: set[int] = set()
    for _, _, g, p in sorted(candidates, key=lambda c: (-c[0], -c[1], c[2], c[3])):
        if g not in used_g and p not in used_p:
            pairs.append((g, p))
            used_g.add(g)
            used_p.add(p)
    return pairs


# ---------------------------------------------------------------- statements

_STOPWORDS = frozenset(
    """a an the and or but if of to in on at by for with from as is are was were be been
    being it its this that these those he she they we you i his her their our them him
    has have had will would can could should not no so than then there here which who
    whom what when where also said says say told""".split()  # noqa: SIM905 - a word list reads better as text
)


def content_words(text: str) -> set[str]:
    return {w for w in re.findall(r"[a-z0-9]+", fold(text)) if w not in _STOPWORDS}


def dice(a: set[str], b: set[str]) -> float:
    return 2 * len(a & b) / (len(a) + len(b)) if a or b else 0.0


def match_statements(
    gold: list[Record], pred: list[Record], resolve: Resolver
) -> list[tuple[int, int]]:
    candidates: list[tuple[float, int, int]] = []
    for g, want in enumerate(gold):
        speaker = resolve(want.get("speaker") or "", "gold")
        words = content_words(want.get("quote") or "")
        for p, have in enumerate(pred):
            if resolve(have.get("speaker") or "", "pred") != speaker:
                continue
            overlap = dice(words, content_words(have.get("quote") or ""))
            if overlap >= 0.5:
                candidates.append((overlap, g, p))
    pairs: list[tuple[int, int]] = []
    used_g: set[int] = set()
    used_p: set[int] = set()
    for _, g, p in sorted(candidates, key=lambda c: (-c[0], c[1], c[2])):
        if g not in used_g and p not in used_p:
            pairs.append((g, p))
            used_g.add(g)
            used_p.add(p)
    return pairs


# ---------------------------------------------------------------- documents


@dataclass
class Counts:
    correct: int = 0
    predicted: int = 0
    gold: int = 0

    def add(self, correct: int, predicted: int, gold: int) -> None:
        self.correct += correct
        self.predicted += predicted
        self.gold += gold

    @property
    def f1(self) -> float:
        if not self.predicted and not self.gold:
            return 1.0
        return 2 * self.correct / (self.predicted + self.gold)


@dataclass
class Report:
    counts: dict[str, Counts] = field(
        default_factory=lambda: {k: Counts() for k in FLOORS if k not in ("published", "title")}
    )
    published_right: int = 0
    title_right: int = 0
    documents: int = 0
    misses: dict[str, list[str]] = field(default_factory=dict)

    def figures(self) -> dict[str, float]:
        out = {k: c.f1 for k, c in self.counts.items()}
        out["published"] = self.published_right / self.documents if self.documents else 1.0
        out["title"] = self.title_right / self.documents if self.documents else 1.0
        return out

    def text(self) -> str:
        lines = [
            f"{k:10} F1 {c.f1:.2f}  ({c.correct} correct / {c.predicted} predicted / {c.gold} gold)"
            for k, c in self.counts.items()
        ]
        lines.append(f"published  accuracy {self.figures()['published']:.2f}")
        lines.append(f"title      accuracy {self.figures()['title']:.2f}")
        for doc, misses in sorted(self.misses.items()):
            if misses:
                lines.append(f"--- {doc}")
                lines.extend(f"    {m}" for m in misses)
        return "\n".join(lines)


def _show(incident: Record) -> str:
    keys = ("date", "place", "admin1", "type", "perpetrators", "targets", "killed", "wounded")
    return json.dumps({k: incident.get(k) for k in keys}, ensure_ascii=False)


def score_document(doc: str, gold: Record, pred: Record, report: Report) -> None:
    misses = report.misses.setdefault(doc, [])
    report.documents += 1
    want_pub = gold["document"].get("published")
    have_pub = (pred.get("document") or {}).get("published")
    if want_pub == have_pub:
        report.published_right += 1
    else:
        misses.append(f"published: want {want_pub}, got {have_pub}")
    want_title = gold["document"].get("title")
    have_title = (pred.get("document") or {}).get("title")
    if fold(want_title or "") == fold(have_title or ""):
        report.title_right += 1
    else:
        misses.append(f"title: want {want_title!r}, got {have_title!r}")

    actors = Entities(gold.get("actors", []), pred.get("actors", []), is_person=False)
    officials = Entities(gold.get("officials", []), pred.get("officials", []), is_person=True)
    for label, entities in (("actor", actors), ("official", officials)):
        report.counts[label].add(entities.match(), len(entities.pred), len(entities.gold))
        matched_gold = set(entities.partner.values())
        for g, entity in enumerate(entities.gold):
            if g not in matched_gold:
                misses.append(f"{label} missed: {entity['name']}")
        for p, entity in enumerate(entities.pred):
            if p not in entities.partner:
                misses.append(
                    f"{label} spurious: {entity.get('name')} {entity.get('names', [])[:3]}"
                )
    resolve = Resolver(actors, officials)

    gold_inc, pred_inc = gold.get("incidents", []), pred.get("incidents", [])
    pairs = match_incidents(gold_inc, pred_inc, resolve)
    report.counts["incident"].add(len(pairs), len(pred_inc), len(gold_inc))
    right = 0
    for g, p in pairs:
        for slot in _SLOTS:
            ok = slot_right(slot, gold_inc[g], pred_inc[p], resolve)
            right += ok and filled(slot, gold_inc[g])
            if not ok:
                misses.append(
                    f"incident slot {slot}: want {gold_inc[g].get(slot)!r}, got "
                    f"{pred_inc[p].get(slot)!r} ({gold_inc[g].get('place')})"
                )
    report.counts["slot"].add(
        right,
        sum(filled(s, i) for i in pred_inc for s in _SLOTS),
        sum(filled(s, i) for i in gold_inc for s in _SLOTS),
    )
    for g in sorted(set(range(len(gold_inc))) - {g for g, _ in pairs}):
        misses.append(f"incident missed ({gold_inc[g].get('salience')}): {_show(gold_inc[g])}")
    for p in sorted(set(range(len(pred_inc))) - {p for _, p in pairs}):
        misses.append(f"incident spurious: {_show(pred_inc[p])}")

    gold_st, pred_st = gold.get("statements", []), pred.get("statements", [])
    st_pairs = match_statements(gold_st, pred_st, resolve)
    report.counts["statement"].add(len(st_pairs), len(pred_st), len(gold_st))
    for g in sorted(set(range(len(gold_st))) - {g for g, _ in st_pairs}):
        misses.append(f"statement missed: {gold_st[g]['speaker']}: {gold_st[g]['quote'][:90]}")
    for p in sorted(set(range(len(pred_st))) - {p for _, p in st_pairs}):
        quote = (pred_st[p].get("quote") or "")[:90]
        misses.append(f"statement spurious: {pred_st[p].get('speaker')}: {quote}")


def score(golds: dict[str, Record], preds: Callable[[str], Record]) -> Report:
    report = Report()
    for doc, gold in sorted(golds.items()):
        score_document(doc, gold, preds(doc), report)
    return report


def load_golds(paths: Iterable[Path] = ARTICLES) -> dict[str, Record]:
    return {p.stem: json.loads(p.with_suffix(".json").read_text()) for p in paths}


# ---------------------------------------------------------------- tests


@pytest.fixture(scope="module")
def report(resources: Any) -> Report:
    from ingest.extract.pipeline import extract

    def predict(doc: str) -> Record:
        text = (HERE / f"{doc}.txt").read_text(encoding="utf-8")
        record: Record = extract(text, content_type="text/plain", resources=resources).to_record(
            doc
        )
        return record

    return score(load_golds(), predict)


def test_there_are_twenty_annotated_articles() -> None:
    assert len(ARTICLES) == 20
    for path in ARTICLES:
        gold = json.loads(path.with_suffix(".json").read_text())
        assert gold["doc"] == path.stem
        for incident in gold["incidents"]:
            assert incident["type"] in {
                "armed_assault",
                "bombing",
                "suicide_bombing",
                "ambush",
                "air_strike",
                "shelling",
                "assassination",
                "kidnapping",
                "facility_attack",
                "clash",
                "other",
            }


def test_the_scorer_gives_gold_full_marks_and_catches_a_wrong_record() -> None:
    golds = load_golds()
    perfect = score(golds, lambda doc: golds[doc])
    assert all(value == 1.0 for value in perfect.figures().values()), perfect.text()

    def damaged(doc: str) -> Record:
        record: Record = json.loads(json.dumps(golds[doc]))
        for incident in record["incidents"]:
            incident["type"] = "other"
            incident["killed"] = 999
        record["statements"] = record["statements"][1:]
        record["officials"] = []
        return record

    worse = score(golds, damaged).figures()
    assert worse["official"] < 0.5
    assert worse["statement"] < 1.0
    assert worse["slot"] < 0.9


@pytest.mark.parametrize("metric", list(FLOORS))
def test_field_articles_stay_above_floor(report: Report, metric: str) -> None:
    value = report.figures()[metric]
    assert value >= FLOORS[metric], f"{metric} {value:.2f} < {FLOORS[metric]}\n{report.text()}"


def main(argv: list[str]) -> int:
    """Score `DIR/<doc>.json` records (from `sitrep extract --out DIR`) and print misses."""
    if len(argv) != 1:
        print("usage: test_field.py PREDICTIONS_DIR", file=sys.stderr)
        return 2
    out = Path(argv[0])

    def predict(doc: str) -> Record:
        path = out / f"{doc}.json"
        record: Record = json.loads(path.read_text()) if path.exists() else {}
        return record

    print(score(load_golds(), predict).text())
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
