"""``--mapping``: the full JSON form, shipped mappings by name, one error for a bad mapping,
and rejected rows named by their source column."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from crmcore.cli import main

HUBSPOT = """\
Record ID,First Name,Last Name,Email,Mobile Phone Number,Lifecycle Stage,Unsubscribed from all email,Lead Status
101,Ada,Lovelace,ada@example.org,+44 20 7946 0958,Marketing Qualified Lead,false,Open
102,Bad,Row,planted.secret@@example.org,PLANTED-PHONE-0000,marketingqualifiedlead,true,New
"""  # noqa: E501

PLANTED = ("planted.secret@@example.org", "PLANTED-PHONE-0000")


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def _records(text: str) -> list[dict[str, object]]:
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def test_a_shipped_mapping_is_read_by_name_and_gives_the_record_type(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = _write(tmp_path / "export.csv", HUBSPOT)
    errors = tmp_path / "errors.jsonl"
    code = main(["convert", str(source), "--mapping", "hubspot_contacts", "--errors", str(errors)])
    out, err = capsys.readouterr()
    assert code == 1
    [record] = _records(out)
    assert record["id"] == "101"
    descriptive = record["descriptive"]
    assert isinstance(descriptive, dict)
    assert descriptive["lifecycle_stage"] == "marketing_qualified"
    assert descriptive["communication"]["email_opt_in"] is True
    assert descriptive["custom"] == {"hubspot_lead_status": "Open"}
    # the export lacks some mapped columns: said once, not refused
    assert "the file has none of the mapped columns" in err
    # each problem of the bad row names its line and source column; never the value
    assert "line 3, column 'Email': identity.emails[0].address:" in err
    assert "line 3, column 'Mobile Phone Number': identity.phones[0].number:" in err
    [rejected] = _records(errors.read_text(encoding="utf-8"))
    assert rejected["line"] == 3
    columns = {tuple(p["columns"]) for p in rejected["problems"]}  # type: ignore[union-attr]
    assert columns == {("Email",), ("Mobile Phone Number",)}
    for planted in PLANTED:
        assert planted not in err
        assert planted not in errors.read_text(encoding="utf-8")


def test_a_mapping_with_a_path_the_type_lacks_is_one_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rows = "Ref,Mail\n" + "".join(f"c{n},a{n}@example.org\n" for n in range(500))
    source = _write(tmp_path / "contacts.csv", rows)
    mapping = _write(
        tmp_path / "mapping.json", json.dumps({"Ref": "id", "Mail": "identity.email[0]"})
    )
    assert main(["convert", str(source), "--mapping", str(mapping)]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err.strip().splitlines() == [
        "crmcore convert: error: --mapping: column 'Mail' -> identity.email[0]: "
        "identity has no field email"
    ]


def test_a_mapping_for_another_record_type_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = _write(tmp_path / "export.csv", "Ref\nc1\n")
    mapping = _write(
        tmp_path / "mapping.json",
        json.dumps({"record_type": "account", "columns": {"Ref": "id"}}),
    )
    assert main(["convert", str(source), "--type", "contact", "--mapping", str(mapping)]) == 2
    _, err = capsys.readouterr()
    assert "the mapping is for account records, not contact" in err


def test_the_full_form_reads_nested_keys_of_json_lines(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    payloads = [
        {"id": "501", "properties": {"firstname": "Ada", "email": "ada@example.org"}},
        {"id": "502", "properties": {"firstname": "Grace", "hs_lifecyclestage": "mql"}},
    ]
    source = _write(tmp_path / "payloads.jsonl", "".join(json.dumps(p) + "\n" for p in payloads))
    mapping = {
        "record_type": "contact",
        "columns": {
            "id": "id",
            "properties.firstname": "identity.name.given",
            "properties.email": "identity.emails[0]",
            "properties.hs_lifecyclestage": {
                "path": "descriptive.lifecycle_stage",
                "values": {"MQL": "marketing_qualified"},
            },
        },
    }
    mapping_file = _write(tmp_path / "mapping.json", json.dumps(mapping))
    assert main(["convert", str(source), "--mapping", str(mapping_file)]) == 0
    out, _ = capsys.readouterr()
    ada, grace = _records(out)
    identity = ada["identity"]
    assert isinstance(identity, dict)
    assert identity["name"] == {"given": "Ada"}
    assert identity["emails"][0]["address"] == "ada@example.org"
    assert grace["descriptive"] == {"lifecycle_stage": "marketing_qualified"}


def test_a_mapping_that_requires_its_columns_refuses_a_file_without_them(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = _write(tmp_path / "contacts.csv", "Ref\nc1\n")
    mapping = _write(
        tmp_path / "mapping.json", json.dumps({"Ref": "id", "Mail": "identity.emails[0]"})
    )
    assert main(["convert", str(source), "--mapping", str(mapping)]) == 2
    _, err = capsys.readouterr()
    assert "--mapping names columns the CSV file does not have: ['Mail']" in err


def test_clean_names_the_source_column_of_a_rejected_row(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = _write(tmp_path / "contacts.csv", "Ref,Born\n,1990-01-01\n")
    mapping = _write(tmp_path / "m.json", json.dumps({"Ref": "id", "Born": "identity.birth_date"}))
    assert main(["clean", str(source), "--mapping", str(mapping)]) == 1
    _, err = capsys.readouterr()
    assert "line 2, column 'Ref': id: required field is missing" in err.splitlines()
