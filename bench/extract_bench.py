"""Extraction throughput on one core: documents/second and peak memory.

    .venv/bin/python -m bench.extract_bench [--docs 2000] [--words 700] [--seed 1] [--repeat DIR]

Generates `--docs` distinct ~`--words`-word articles (deterministic, from paragraph
templates in the style of wire copy: attacks, strikes, statements, background, page
chrome) and extracts them one after another in this process, after loading the
reference data once. Prints the load time, documents/second, words/second and the peak
resident set size (ru_maxrss). Target: >= 100 documents/s for ~700-word articles and
< 300 MB RSS.
"""

from __future__ import annotations

import argparse
import random
import resource
import sys
import time
from pathlib import Path

from ingest.extract.pipeline import extract
from ingest.extract.resources import Resources

PLACES = [
    ("Kirkuk", "Kirkuk"),
    ("Tarmiyah", "Baghdad"),
    ("Makhmour", "Erbil"),
    ("Samarra", "Salahuddin"),
    ("Baquba", "Diyala"),
    ("Rutba", "Anbar"),
    ("Sinjar", "Nineveh"),
    ("Qamishli", "Hasakah"),
    ("Busayrah", "Deir ez-Zor"),
    ("Zakho", "Duhok"),
    ("Tuz Khurmatu", "Salahuddin"),
    ("Hawija", "Kirkuk"),
]
ACTORS = ["Islamic State", "ISIS", "the Kurdistan Workers' Party (PKK)", "Kataib Hezbollah"]
VICTIMS = ["soldiers", "policemen", "Peshmerga fighters", "civilians", "members of the SDF"]
NUMBERS = ["two", "three", "four", "five", "seven", "nine", "11", "13", "at least six"]
DAYS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"]
EVENTS = [
    "{actor} militants attacked an army post near {place} in {gov} province on {day}, killing {n} {victims} and wounding {m} others, security sources said.",
    "A roadside bomb struck a patrol on the road between {place} and a nearby village late on {day}, killing {n} {victims}, a police officer said.",
    "A Turkish drone strike hit a vehicle near {place} on {day}, killing {n} people, local officials said, adding that the strike also wounded {m} others.",
    "Rockets landed near a base in {place} on {day} night, causing no casualties, the US-led coalition said in a statement.",
    "Gunmen on a motorbike shot dead a local official in {place} on {day}, and no group immediately claimed responsibility for the killing.",
    "Security forces killed {n} militants in clashes in the {gov} countryside on {day}, the Security Media Cell said.",
]
DETAILS = [
    "The attack took place shortly after midnight, when most of the {victims} were asleep, the officer added.",
    '"The terrorists fled towards the desert after the attack," a spokesman for the provincial police told reporters.',
    "Medical sources at the hospital in {place} said {m} of the wounded were in a critical condition.",
    "Reinforcements were sent to the area and a curfew was imposed on several villages, officials said.",
    "The governor of {gov} condemned the attack and called on the federal government to send more troops.",
]
BACKGROUND = [
    "{actor} seized large parts of northern Iraq in 2014 and was declared defeated in 2017, but sleeper cells still carry out sporadic attacks in remote areas.",
    "Last month, a similar attack in the same district killed {n} {victims}, according to local officials.",
    "The area lies in territory disputed between Baghdad and the Kurdistan Region, where security gaps between the two forces are often exploited by militants.",
    "Iraq's prime minister said in a statement that the security forces would pursue the attackers and that the victims' families would be compensated.",
    "Analysts say the group has shifted to hit-and-run tactics, ambushing patrols at night and planting explosives on rural roads.",
]
CHROME = [
    "Share",
    "Tweet",
    "Read more",
    "Related Stories",
    "Subscribe to our newsletter",
    "Comments",
]


def article(rng: random.Random, words: int) -> str:
    place, gov = rng.choice(PLACES)
    fill = {
        "actor": rng.choice(ACTORS),
        "place": place,
        "gov": gov,
        "day": rng.choice(DAYS),
        "n": rng.choice(NUMBERS),
        "m": rng.choice(NUMBERS),
        "victims": rng.choice(VICTIMS),
    }
    title = f"{fill['n'].capitalize()} {fill['victims']} killed in attack near {place}"
    date = f"{rng.randint(1, 28):02d}-{rng.randint(1, 12):02d}-{rng.randint(2019, 2024)}"
    parts = [title, date, rng.choice(CHROME)]
    count = 0
    while count < words:
        # about one event paragraph in six, as in wire copy: the rest is detail,
        # quotes and background
        pool = rng.choice((EVENTS, DETAILS, DETAILS, DETAILS, BACKGROUND, BACKGROUND))
        para = rng.choice(pool).format(**fill)
        if pool is EVENTS:
            place, gov = rng.choice(PLACES)
            fill.update(place=place, gov=gov, day=rng.choice(DAYS), n=rng.choice(NUMBERS))
        parts.append(para)
        count += len(para.split())
    parts += rng.sample(CHROME, 3)
    return "\n\n".join(parts)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=2000)
    parser.add_argument("--words", type=int, default=700)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--repeat",
        type=Path,
        metavar="DIR",
        help="instead of generating, repeat the *.txt articles of DIR up to --docs documents",
    )
    args = parser.parse_args(argv)

    t0 = time.perf_counter()
    resources = Resources.load()
    load_s = time.perf_counter() - t0
    rng = random.Random(args.seed)
    if args.repeat:
        texts = [p.read_text() for p in sorted(args.repeat.glob("*.txt"))]
        if not texts:
            parser.error(f"no *.txt files in {args.repeat}")
        docs = [texts[i % len(texts)] for i in range(args.docs)]
    else:
        docs = [article(rng, args.words) for _ in range(args.docs)]
    total_words = sum(len(d.split()) for d in docs)

    incidents = 0
    t1 = time.perf_counter()
    for raw in docs:
        incidents += len(extract(raw, resources=resources).incidents)
    elapsed = time.perf_counter() - t1
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    print(f"reference data loaded in {load_s:.2f} s")
    print(
        f"{args.docs} documents, {total_words / args.docs:.0f} words each on average, "
        f"{incidents} incidents"
    )
    print(
        f"{args.docs / elapsed:.1f} documents/s, {total_words / elapsed:,.0f} words/s "
        f"on one core ({elapsed:.2f} s)"
    )
    print(f"peak RSS {rss_mb:.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
