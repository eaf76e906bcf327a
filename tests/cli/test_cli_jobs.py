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
