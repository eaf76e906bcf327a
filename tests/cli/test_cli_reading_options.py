"""The Converter's reading options on the command line: ``--decimal-separator``,
``--spreadsheet-dates`` and the date order (``--dayfirst``, ``--monthfirst``), shared by
``convert``, ``validate``, ``clean`` and ``dedupe``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from crmcore.cli import main

CSV = """\
id,quantitative.total_spent.amount,quantitative.total_spent.currency,identity.birth_date
c-1,"1,234",EUR,32937
"""

AS_OF = ["--as-of", "2026-01-01T00:00:00+00:00", "--no-progress"]


def _source(tmp_path: Path) -> str:
    path = tmp_path / "contacts.csv"
    path.write_text(CSV, encoding="utf-8")
    return str(path)


def _records(text: str) -> list[dict[str, object]]:
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def _spent_and_born(record: dict[str, object]) -> tuple[object, object]:
    quantitative = record["quantitative"]
    identity = record["identity"]
    assert isinstance(quantitative, dict)
    assert isinstance(identity, dict)
    return quantitative["total_spent"]["amount"], identity["birth_date"]


def test_without_the_options_an_ambiguous_amount_and_a_serial_date_are_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["convert", _source(tmp_path), *AS_OF])
    out, err = capsys.readouterr()
    assert code == 1
    assert out == ""
    assert "quantitative.total_spent.amount" in err
    assert "identity.birth_date: not a date" in err


@pytest.mark.parametrize(("separator", "amount"), [(",", "1.234"), (".", "1234")])
def test_convert_reads_numbers_with_the_decimal_separator_and_serial_dates(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], separator: str, amount: str
) -> None:
    code = main(
        [
            "convert",
            _source(tmp_path),
            "--decimal-separator",
            separator,
            "--spreadsheet-dates",
            *AS_OF,
        ]
    )
    out, _ = capsys.readouterr()
    assert code == 0
    (record,) = _records(out)
    assert _spent_and_born(record) == (amount, "1990-03-05")


def test_clean_passes_the_options_to_its_cleaning_context(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ["clean", _source(tmp_path), *AS_OF]
    assert main([*argv, "--decimal-separator", ",", "--spreadsheet-dates"]) == 0
    (record,) = _records(capsys.readouterr().out)
    assert _spent_and_born(record) == ("1.234", "1990-03-05")
    assert "quarantine" not in record
    assert main(argv) == 0  # without them the values are set aside, not read wrong
    (record,) = _records(capsys.readouterr().out)
    assert {item["code"] for item in record["quarantine"]} >= {"date.unreadable"}  # type: ignore[union-attr]


def test_validate_reads_the_rows_with_the_options(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ["validate", _source(tmp_path), *AS_OF]
    main([*argv, "--decimal-separator", ".", "--spreadsheet-dates"])
    (report,) = _records(capsys.readouterr().out)
    assert all(issue["code"] != "row.unconvertible" for issue in report["issues"])  # type: ignore[union-attr]
    main(argv)
    (report,) = _records(capsys.readouterr().out)
    codes = [issue["code"] for issue in report["issues"]]  # type: ignore[union-attr]
    assert codes == ["row.unconvertible", "row.unconvertible"]


def test_the_options_reach_the_workers_of_jobs(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ["convert", _source(tmp_path), "--decimal-separator", ",", "--spreadsheet-dates"]
    assert main([*argv, *AS_OF, "--jobs", "2", "--chunk-size", "1"]) == 0
    (record,) = _records(capsys.readouterr().out)
    assert _spent_and_born(record) == ("1.234", "1990-03-05")


def test_dedupe_takes_the_options_too(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pytest.importorskip("rapidfuzz")
    code = main(["dedupe", _source(tmp_path), "--decimal-separator", ",", *AS_OF])
    capsys.readouterr()
    assert code == 0


def test_a_decimal_separator_other_than_a_dot_or_a_comma_is_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["convert", _source(tmp_path), "--decimal-separator", ";"]) == 2
    assert "--decimal-separator" in capsys.readouterr().err


@pytest.mark.parametrize("command", ["convert", "validate", "clean", "dedupe"])
def test_help_names_the_options(command: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main([command, "--help"]) == 0
    out = capsys.readouterr().out
    assert "--decimal-separator {.,,}" in out
    assert "--spreadsheet-dates" in out
    assert "--dayfirst" in out
    assert "--monthfirst" in out
