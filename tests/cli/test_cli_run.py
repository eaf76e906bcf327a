"""cli._run: the one run skeleton of ``convert``, ``clean``, ``validate`` and ``dedupe``."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import pytest

from crmcore.cli import main
from crmcore.cli._io import InputError
from crmcore.cli._options import UsageError
from crmcore.cli._rejects import RunLog
from crmcore.cli._run import RowsRun, run_rows
from crmcore.records import Contact

CSV = """\
id,identity.emails[0],identity.birth_date
c-1,ada@example.org,1990-03-05
,planted.secret@@example.org,1990-02-31
c-3,bob@example.org,
"""

AS_OF = ["--as-of", "2026-01-01T00:00:00+00:00", "--no-progress"]
ROW_COMMANDS = ["convert", "clean", "validate", "dedupe"]


def _source(tmp_path: Path) -> Path:
    path = tmp_path / "contacts.csv"
    path.write_text(CSV, encoding="utf-8")
    return path


@pytest.mark.parametrize("error", [UsageError("--jobs: bad"), InputError("line 3: bad byte")])
def test_a_usage_error_or_an_unreadable_input_exits_2_naming_the_command(
    error: Exception, capsys: pytest.CaptureFixture[str]
) -> None:
    def body(run: RowsRun) -> int:
        raise error

    assert run_rows("convert", argparse.Namespace(), body) == 2
    assert capsys.readouterr().err == f"crmcore convert: error: {error}\n"


def test_the_exit_code_says_stopped_failed_or_clean() -> None:
    log = RunLog(Contact, max_errors=1)
    assert RowsRun.exit_code(log, failed=False) == 0
    assert RowsRun.exit_code(log, failed=True) == 1
    log.rejected = 1
    assert RowsRun.exit_code(log, failed=False) == 3


def test_say_is_silent_when_quiet(capsys: pytest.CaptureFixture[str]) -> None:
    loud = RowsRun("clean", argparse.Namespace(quiet=False), sys.stderr)
    loud.say("a notice")
    assert capsys.readouterr().err == "crmcore clean: a notice\n"
    quiet = RowsRun("clean", argparse.Namespace(quiet=True), sys.stderr)
    quiet.say("a notice")
    assert capsys.readouterr().err == ""


@pytest.mark.parametrize("command", ROW_COMMANDS)
def test_every_row_command_refuses_to_write_over_its_input(
    command: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = _source(tmp_path)
    assert main([command, str(source), "-o", str(source), *AS_OF]) == 2
    assert capsys.readouterr().err == f"crmcore {command}: error: --output: it is the input file\n"
    assert source.read_text(encoding="utf-8") == CSV


@pytest.mark.parametrize("command", ROW_COMMANDS)
def test_every_row_command_reports_a_missing_input_the_same_way(
    command: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "contacts.csv"
    assert main([command, str(missing), *AS_OF]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"crmcore {command}: error: ")
    assert err.count("\n") == 1


@pytest.mark.parametrize("command", ["convert", "clean", "dedupe"])
def test_the_commands_with_rejects_share_the_errors_file_and_the_summary(
    command: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    errors, summary = tmp_path / "errors.jsonl", tmp_path / "summary.json"
    argv = [command, str(_source(tmp_path)), "--errors", str(errors), "--summary-json"]
    code = main([*argv, str(summary), "-o", str(tmp_path / "out.jsonl"), *AS_OF])
    err = capsys.readouterr().err
    assert code == 1
    assert "planted.secret" not in err + errors.read_text(encoding="utf-8")
    (rejected,) = [json.loads(line) for line in errors.read_text(encoding="utf-8").splitlines()]
    assert rejected["line"] == 3
    assert "id" in {problem["path"] for problem in rejected["problems"]}
    document = json.loads(summary.read_text(encoding="utf-8"))
    assert document["command"] == command
    assert (document["rows_read"], document["rows_rejected"]) == (3, 1)
    assert document["stopped_at_max_errors"] is False


@pytest.mark.parametrize("command", ["convert", "clean", "dedupe"])
def test_max_errors_stops_every_command_with_3(
    command: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = [command, str(_source(tmp_path)), "--max-errors", "1", *AS_OF]
    assert main([*argv, "-o", str(tmp_path / "out.jsonl")]) == 3
    assert "stopped at --max-errors 1" in capsys.readouterr().err
