"""`sitrep extract FILE... (--out DIR | --json) [--published YYYY-MM-DD] [--full]`

A dry run of the extractor: no database. With `--out DIR` each FILE gives
`DIR/<file stem>.json` in the FORMAT.md record format; with `--json` the record of the
one FILE is printed on stdout. `--full` writes/prints the rich output instead: every
value with the character span of the text that states it, and the cleaned text the
spans index into. A file that cannot be read or is not an article (empty, binary, not
text) gets one error line on stderr; the other files are still written, and the exit
status is 1.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import json
import sys
from pathlib import Path
from typing import Any

from ingest.errors import ExtractionError, IngestError


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not an ISO date (YYYY-MM-DD): {value!r}") from None


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser(
        "extract",
        help="extract incidents, actors, officials and statements from article files (no database)",
        description="Extract records from article files (plain text or HTML) and write them "
        "as FORMAT.md JSON records, without touching the database.",
    )
    parser.add_argument("files", nargs="+", metavar="FILE", type=Path)
    target = parser.add_mutually_exclusive_group(required=True)
    target.add_argument("--out", type=Path, metavar="DIR", help="write DIR/<file stem>.json")
    target.add_argument("--json", action="store_true", help="print the record of one FILE")
    parser.add_argument(
        "--published", type=_date, help="publication date (YYYY-MM-DD), overrides the page's"
    )
    parser.add_argument(
        "--full", action="store_true", help="rich output: every value with its text span"
    )
    parser.add_argument(
        "--reference-dir",
        type=Path,
        help="reference data directory (default: $SITREP_REFERENCE_DIR or seeds/reference)",
    )
    parser.set_defaults(func=run)


def _plain(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, tuple):
        return [_plain(v) for v in value]
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


def full_record(extraction: Any, doc: str) -> dict[str, Any]:
    """The rich output: the dataclasses as JSON, spans included."""
    data = _plain(dataclasses.asdict(extraction))
    assert isinstance(data, dict)
    return {"doc": doc, **data}


def _read(path: Path) -> tuple[str, str]:
    from ingest.extract.clean import decode

    try:
        data = path.read_bytes()
    except IsADirectoryError:
        raise ExtractionError("is a directory") from None
    except OSError as exc:
        raise ExtractionError(exc.strerror or str(exc)) from None
    text = decode(data)
    content_type = "text/html" if path.suffix.lower() in (".html", ".htm") else "text/plain"
    return text, content_type


def run(args: argparse.Namespace) -> int:
    from ingest.extract.pipeline import extract
    from ingest.extract.resources import Resources

    files: list[Path] = args.files
    if args.json and len(files) != 1:
        raise IngestError("--json prints the record of one file; use --out DIR for several")
    resources = Resources.load(args.reference_dir)
    if args.out:
        try:
            args.out.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise IngestError(f"cannot create output directory {args.out}: {exc}") from exc
    failed = 0
    for path in files:
        try:
            raw, content_type = _read(path)
            extraction = extract(
                raw, published=args.published, content_type=content_type, resources=resources
            )
        except ExtractionError as exc:
            print(f"sitrep: error: {path}: {exc}", file=sys.stderr)
            failed += 1
            continue
        doc = path.stem
        record = full_record(extraction, doc) if args.full else extraction.to_record(doc)
        payload = json.dumps(record, ensure_ascii=False, indent=2)
        if args.json:
            sys.stdout.write(payload + "\n")
        else:
            (args.out / f"{doc}.json").write_text(payload + "\n", encoding="utf-8")
    return 1 if failed else 0
