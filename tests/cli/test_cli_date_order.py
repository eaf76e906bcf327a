"""The order of ambiguous dates on the command line: by each row's country unless
``--dayfirst`` or ``--monthfirst`` decides for every row."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from crmcore.cli import main

CSV = """\
id,identity.addresses[0].country,identity.birth_date
c-de,DE,10.11.1973
c-us,US,10/11/1973
c-none,,10/11/1973
c-ca,CA,10/11/1973
"""

AS_OF = ["--as-of", "2026-01-01T00:00:00+00:00", "--no-progress"]
BY_COUNTRY = {
    "c-de": "1973-11-10",
    "c-us": "1973-10-11",
    "c-none": "1973-10-11",  # no country: month first, as before
    "c-ca": "1973-10-11",  # no one order in Canada: as with no country
}


def _source(tmp_path: Path) -> str:
    path = tmp_path / "contacts.csv"
    path.write_text(CSV, encoding="utf-8")
    return str(path)


def _born(text: str) -> dict[str, str]:
    records = [json.loads(line) for line in text.splitlines() if line.strip()]
    return {record["id"]: record["identity"]["birth_date"] for record in records}


@pytest.mark.parametrize("command", ["convert", "clean"])
@pytest.mark.parametrize(
    ("options", "expected"),
    [
        ([], BY_COUNTRY),
        (["--jobs", "2", "--chunk-size", "1"], BY_COUNTRY),
        (["--dayfirst"], dict.fromkeys(BY_COUNTRY, "1973-11-10")),
        (["--monthfirst"], dict.fromkeys(BY_COUNTRY, "1973-10-11")),
    ],
    ids=["by-country", "by-country-in-workers", "dayfirst", "monthfirst"],
)
def test_dates_are_read_by_country_unless_an_option_decides(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    command: str,
    options: list[str],
    expected: dict[str, str],
) -> None:
    assert main([command, _source(tmp_path), "--type", "contact", *AS_OF, *options]) == 0
    assert _born(capsys.readouterr().out) == expected


def test_dayfirst_and_monthfirst_together_are_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["convert", _source(tmp_path), "--dayfirst", "--monthfirst"]) == 2
    assert "--monthfirst" in capsys.readouterr().err
