"""``--jobs`` and ``--chunk-size``: the same output, in the same order, on one process or two."""

from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path

import pytest

from crmcore.cli import main
from crmcore.testing.synthetic import messy_dataset

AS_OF = "2025-06-01T00:00:00Z"
ROWS = messy_dataset(11, datetime(2025, 6, 1, tzinfo=timezone.utc), contacts=80).contacts


@pytest.fixture
def source(tmp_path: Path) -> Path:
    path = tmp_path / "contacts.jsonl"
    # A line that is not JSON and a row with no id, among rows that mostly clean and convert.
    lines = [json.dumps(row) for row in ROWS]
    lines[5] = "{not json"
    lines[9] = json.dumps({"identity": {"emails": ["x@example.org"]}})
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _run(
    command: list[str], capsys: pytest.CaptureFixture[str], *options: str
) -> tuple[int, str, str]:
    code = main([*command, *options])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize(
    "command",
    [
        ["convert", "--type", "contact", "--as-of", AS_OF, "--default-region", "GB"],
        ["validate", "--type", "contact", "--as-of", AS_OF, "--default-region", "GB"],
        ["clean", "--type", "contact", "--as-of", AS_OF, "--default-region", "GB", "--dayfirst"],
    ],
    ids=["convert", "validate", "clean"],
)
def test_two_jobs_write_what_one_job_writes(
    command: list[str], source: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    base = [command[0], str(source), *command[1:], "--no-progress"]
    one = _run(base, capsys)
    two = _run(base, capsys, "--jobs", "2", "--chunk-size", "7")
    assert two == one
    _, out, err = one
    assert len(out.splitlines()) >= 60  # most rows came out
    # The broken line is reported by its number, on stderr or in the reports.
    assert "line 6:" in err or '"line":6,' in out


@pytest.mark.parametrize(("option", "value"), [("--jobs", "-1"), ("--chunk-size", "0")])
def test_bad_job_options_are_usage_errors(
    option: str, value: str, source: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = _run(
        ["convert", str(source), "--type", "contact", "--as-of", AS_OF, "--no-progress"],
        capsys,
        option,
        value,
    )
    assert code == 2
    assert option in err


def _rows_with_rejects(tmp_path: Path) -> Path:
    """JSON Lines rows under source column names, with every kind of rejected row."""
    rows = [
        {"Ref": f"c-{n}", "Mail": f"person{n}@example.org", "Phone": "+44 20 7946 0958"}
        for n in range(40)
    ]
    lines = [json.dumps(row) for row in rows]
    lines[3] = "{not json"
    lines[7] = "[1, 2]"  # JSON, but not an object
    lines[11] = json.dumps({"Ref": "c-11", "Mail": "x@example.org", "Phone": "call me"})
    lines[12] = ""  # a blank line: skipped, but it counts for the line numbers
    lines[20] = json.dumps({"Ref": "c-5", "Mail": "again@example.org"})  # repeats an id
    path = tmp_path / "sourced.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _mapping(tmp_path: Path) -> Path:
    path = tmp_path / "mapping.json"
    path.write_text(
        json.dumps({"Ref": "id", "Mail": "identity.emails[0]", "Phone": "identity.phones[0]"}),
        encoding="utf-8",
    )
    return path


def test_rejected_json_lines_rows_are_reported_alike_on_two_jobs(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # With --jobs 2 a JSON Lines row crosses to a worker as its text: a row that fails is
    # read again where it is reported, with its line, its source column and its code.
    source = _rows_with_rejects(tmp_path)
    mapping = _mapping(tmp_path)
    results = []
    for jobs in ("1", "2"):
        errors = tmp_path / f"errors-{jobs}.jsonl"
        code, out, err = _run(
            ["convert", str(source), "--type", "contact", "--as-of", AS_OF],
            capsys,
            *("--mapping", str(mapping), "--default-region", "GB", "--no-progress"),
            *("--errors", str(errors), "--jobs", jobs, "--chunk-size", "5"),
        )
        results.append((code, out, err, errors.read_text(encoding="utf-8")))
    assert results[1] == results[0]
    code, out, err, errors_text = results[0]
    assert code == 1
    assert len(out.splitlines()) == 36  # 40 lines: one blank, three rejected
    rejected = [json.loads(line) for line in errors_text.splitlines()]
    assert [row["line"] for row in rejected] == [4, 8, 12]
    assert [row["problems"][0]["code"] for row in rejected[:2]] == ["row.unreadable"] * 2
    assert rejected[2]["problems"][0]["columns"] == ["Phone"]
    assert "line 12, column 'Phone'" in err


def test_a_stop_at_max_errors_is_the_same_on_two_jobs(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = _rows_with_rejects(tmp_path)
    command = ["validate", str(source), "--type", "contact", "--as-of", AS_OF]
    options = ("--ignore-extra", "--no-progress")
    one = _run(command, capsys, *options)
    two = _run(command, capsys, *options, "--jobs", "2", "--chunk-size", "3")
    assert two == one
    assert '"line":4,' in one[1]
    assert '"line":8,' in one[1]
    stopped = [
        _run(
            ["clean", str(source), "--type", "contact", "--as-of", AS_OF, "--no-progress"],
            capsys,
            *("--mapping", str(_mapping(tmp_path)), "--default-region", "GB"),
            *("--max-errors", "2", "--jobs", jobs, "--chunk-size", "3"),
        )
        for jobs in ("1", "2")
    ]
    assert stopped[1] == stopped[0]
    assert stopped[0][0] == 3  # stopped by --max-errors
    assert "line 8:" in stopped[0][2]


def test_a_repeated_id_is_rejected_alike_by_dedupe_on_two_jobs(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # The row that repeats an id was cleaned: it comes back unparsed, and is read for its report.
    source = _rows_with_rejects(tmp_path)
    outputs = []
    for jobs in ("1", "2"):
        errors = tmp_path / f"dedupe-errors-{jobs}.jsonl"
        code, out, err = _run(
            ["dedupe", str(source), "--type", "contact", "--as-of", AS_OF, "--no-progress"],
            capsys,
            *("--mapping", str(_mapping(tmp_path)), "--default-region", "GB"),
            *("--errors", str(errors), "--jobs", jobs, "--chunk-size", "4"),
        )
        outputs.append((code, out, err, errors.read_text(encoding="utf-8")))
    assert outputs[1] == outputs[0]
    rejected = {json.loads(line)["line"]: json.loads(line) for line in outputs[0][3].splitlines()}
    assert sorted(rejected) == [4, 8, 21]
    assert rejected[21]["problems"][0]["code"] == "id.repeated"
