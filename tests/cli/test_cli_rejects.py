"""``convert --errors/--max-errors/--quiet/--summary-json/--keep-empty`` and their helpers."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings

from crmcore import Converter, to_dict
from crmcore.cli import main
from crmcore.cli._rejects import STOPPED, source_columns, without_empty
from crmcore.testing import strategies as crm_st

PLANTED = ("planted.secret@@example.org", "PLANTED-PHONE-0000", "31/02/1911")

CSV = """\
Ref,Given,Mail,Phone,Born
c-1,Ada,ada@example.org,,
c-2,Bob,planted.secret@@example.org,,
c-3,Cy,,PLANTED-PHONE-0000,31/02/1911
c-4,Di,,,
"""

MAPPING = {
    "Ref": "id",
    "Given": "identity.name.given",
    "Mail": "identity.emails[0]",
    "Phone": "identity.phones[0]",
    "Born": "identity.birth_date",
}


def _setup(tmp_path: Path) -> list[str]:
    source = tmp_path / "export.csv"
    source.write_text(CSV, encoding="utf-8")
    mapping = tmp_path / "mapping.json"
    mapping.write_text(json.dumps(MAPPING), encoding="utf-8")
    return ["convert", str(source), "--type", "contact", "--mapping", str(mapping)]


def _jsonl(path: Path) -> list[dict[str, object]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_rejected_rows_go_to_the_errors_file_with_codes_paths_and_columns(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    errors = tmp_path / "errors.jsonl"
    summary = tmp_path / "summary.json"
    out = tmp_path / "out.jsonl"
    args = [*_setup(tmp_path), "-o", str(out), "--errors", str(errors)]
    assert main([*args, "--summary-json", str(summary)]) == 1
    rejected = _jsonl(errors)
    assert [r["line"] for r in rejected] == [3, 4]
    first = rejected[0]["problems"]
    assert isinstance(first, list)
    assert first[0]["path"].startswith("identity.emails[0]")
    assert first[0]["columns"] == ["Mail"]
    assert first[0]["code"] != "value.invalid" or first[0]["reason"]
    columns = {c for p in rejected[1]["problems"] for c in p["columns"]}  # type: ignore[union-attr]
    assert columns == {"Phone", "Born"}
    counts = json.loads(summary.read_text(encoding="utf-8"))
    assert counts["rows_read"] == 4
    assert counts["rows_written"] == 2
    assert counts["rows_rejected"] == 2
    assert sum(counts["problems_by_code"].values()) == 3
    assert counts["stopped_at_max_errors"] is False
    everything = errors.read_text() + summary.read_text() + capsys.readouterr().err
    for value in PLANTED:
        assert value not in everything


def test_max_errors_stops_the_run_with_its_own_exit_code(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out.jsonl"
    assert main([*_setup(tmp_path), "-o", str(out), "--max-errors", "1"]) == STOPPED
    assert [r["id"] for r in _jsonl(out)] == ["c-1"]
    assert "stopped at --max-errors 1" in capsys.readouterr().err
    assert main([*_setup(tmp_path), "--max-errors", "0"]) == 2


def test_quiet_prints_nothing_but_a_fatal_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main([*_setup(tmp_path), "-o", str(tmp_path / "o.jsonl"), "--quiet"]) == 1
    assert capsys.readouterr().err == ""
    assert main(["convert", str(tmp_path / "contacts.csv"), "--quiet"]) == 2
    assert "cannot open" in capsys.readouterr().err


def test_empty_fields_are_left_out_unless_keep_empty(tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    assert main([*_setup(tmp_path), "-o", str(out)]) == 1
    compact = out.read_text(encoding="utf-8")
    assert _jsonl(out)[0]["identity"] == {
        "name": {"given": "Ada"},
        "emails": [
            {"primary": False, "address": "ada@example.org", "normalised": "ada@example.org"}
        ],
    }
    assert main([*_setup(tmp_path), "-o", str(out), "--keep-empty"]) == 1
    full = out.read_text(encoding="utf-8")
    assert "null" in full
    assert "null" not in compact
    assert len(compact) < len(full) / 2


@settings(max_examples=60, deadline=None)
@given(crm_st.records())
def test_records_without_empty_fields_read_back_the_same(record: Any) -> None:
    converter = Converter()
    assert converter.from_dict(type(record), without_empty(to_dict(record))) == record


def test_source_columns_follow_list_items_and_fields() -> None:
    mapping = {"Tags": "qualitative.motivations[]", "Mail": "identity.emails[0]", "X": None}
    assert source_columns(mapping, "qualitative.motivations[2]") == ["Tags"]
    assert source_columns(mapping, "identity.emails[3].address") == ["Mail"]
    assert source_columns(mapping, "id") == []
    assert source_columns(None, "id") == []


def test_clean_takes_the_same_output_options(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "contacts.csv"
    source.write_text(
        "id,identity.name.given,identity.emails[0]\n,Ada,\nc-2,JOSÃ©,\n,Bob,\n", encoding="utf-8"
    )
    errors, summary, out = tmp_path / "e.jsonl", tmp_path / "s.json", tmp_path / "o.jsonl"
    base = ["clean", str(source), "--as-of", "2026-01-01", "-o", str(out)]
    args = [*base, "--errors", str(errors), "--summary-json", str(summary), "--quiet"]
    assert main(args) == 1
    assert capsys.readouterr().err == ""
    assert [r["line"] for r in _jsonl(errors)] == [2, 4]
    assert _jsonl(out) == [{"id": "c-2", "identity": {"name": {"given": "JOSé"}}}]
    counts = json.loads(summary.read_text(encoding="utf-8"))
    assert (counts["rows_read"], counts["rows_written"], counts["rows_rejected"]) == (3, 1, 2)
    assert counts["changes_by_rule"]["mojibake"] == 1
    assert main([*base, "--max-errors", "1"]) == STOPPED
    assert _jsonl(out) == []
    assert main([*base, "--keep-empty"]) == 1
    assert _jsonl(out)[0]["quarantine"] == []
