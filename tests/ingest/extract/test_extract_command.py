"""`sitrep extract`: files in, FORMAT.md records out; bad files fail alone and clearly."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from sitrep.cli import main

ARTICLES = Path(__file__).parent / "articles"


def test_out_dir_writes_one_record_per_file(tmp_path: Path) -> None:
    out = tmp_path / "out"
    files = [str(ARTICLES / "rudaw_style.txt"), str(ARTICLES / "page.html")]
    assert main(["extract", *files, "--out", str(out)]) == 0
    assert sorted(p.name for p in out.iterdir()) == ["page.json", "rudaw_style.json"]
    record = json.loads((out / "rudaw_style.json").read_text())
    assert record["doc"] == "rudaw_style"
    assert record["document"]["published"] == "2021-10-22"
    assert record["incidents"][0]["killed"] == 2


def test_json_prints_one_record(capsys: pytest.CaptureFixture[str]) -> None:
    assert (
        main(["extract", str(ARTICLES / "wrapped.txt"), "--json", "--published", "2020-06-10"]) == 0
    )
    record = json.loads(capsys.readouterr().out)
    assert record["document"]["published"] == "2020-06-10"
    assert record["incidents"][0]["date"] == "2020-06-06"  # "on Saturday" before 10 June


def test_full_output_carries_spans(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["extract", str(ARTICLES / "wrapped.txt"), "--json", "--full"]) == 0
    record = json.loads(capsys.readouterr().out)
    text = record["text"]
    inc = record["incidents"][0]
    start, end = inc["killed_span"]
    assert "three" in text[start:end]
    assert record["meta"]["published"] == "2020-06-07"


def test_bad_files_fail_alone(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_text("")
    binary = tmp_path / "image.txt"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    missing = tmp_path / "missing.txt"
    out = tmp_path / "out"
    code = main(
        [
            "extract",
            str(empty),
            str(binary),
            str(missing),
            str(ARTICLES / "no_date.txt"),
            "--out",
            str(out),
        ]
    )
    assert code == 1
    err = capsys.readouterr().err
    assert f"{empty}: empty document" in err
    assert f"{binary}: binary content" in err
    assert f"{missing}:" in err
    assert [p.name for p in out.iterdir()] == ["no_date.json"]


def test_json_with_several_files_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["extract", str(ARTICLES / "wrapped.txt"), str(ARTICLES / "no_date.txt"), "--json"])
    assert code == 1
    assert "one file" in capsys.readouterr().err


def test_out_or_json_is_required() -> None:
    with pytest.raises(SystemExit) as exc:
        main(["extract", str(ARTICLES / "wrapped.txt")])
    assert exc.value.code == 2
