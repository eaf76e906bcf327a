"""``crmcore clean``: cleaned records out, counts on stderr, changes redacted unless asked."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from crmcore import Contact, Converter
from crmcore.cli import main
from crmcore.cli.clean import Tally

AS_OF = ["--as-of", "2026-11-01T00:00:00Z"]

PLANTED = (
    "Zyxwvplanted",
    "PLANTEDGIVEN",
    "planted.secret@Example.ORG",
    "call planted reception",
    "Plantedcolour",
    "2024-03-01 10:00",
)

ROWS: list[Any] = [
    {
        "id": "c-1",
        "created_at": "2024-03-01 10:00:00+01:00",
        "identity": {
            "name": {"given": f" {PLANTED[1]} ", "family": PLANTED[0].upper()},
            "emails": [f" {PLANTED[2]} ", "not an email"],
            "phones": [PLANTED[3]],
            "addresses": [{"country": "Allemagne"}],
        },
        "colour": PLANTED[4],
    },
    {"id": "c-2", "identity": {"emails": ["ada@example.org"]}},
    {"identity": {"name": {"family": PLANTED[0]}}},  # no id: cannot be cleaned
    "{not json " + PLANTED[2],
]


def _write(path: Path, rows: list[Any]) -> Path:
    text = "".join((row if isinstance(row, str) else json.dumps(row)) + "\n" for row in rows)
    path.write_text(text, encoding="utf-8")
    return path


def _lines(text: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in text.splitlines() if line.strip()]


@pytest.fixture
def contacts(tmp_path: Path) -> Path:
    return _write(tmp_path / "contacts.jsonl", ROWS)


def test_cleaned_records_come_out_with_their_quarantine(
    contacts: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["clean", str(contacts), *AS_OF]) == 1
    out, _ = capsys.readouterr()
    records = _lines(out)
    assert [r["id"] for r in records] == ["c-1", "c-2"]
    first = records[0]
    assert first["identity"]["emails"][0]["address"] == "planted.secret@example.org"
    assert first["identity"]["addresses"][0]["country"] == "DE"
    assert first["identity"]["name"]["family"] == "Zyxwvplanted"
    assert first["created_at"] == "2024-03-01T10:00:00+01:00"
    quarantined = {(q["path"], q["code"]) for q in first["quarantine"]}
    assert quarantined == {
        ("identity.emails[1]", "email.unreadable"),
        ("identity.phones[0]", "phone.unreadable"),
        ("colour", "field.unknown"),
    }
    assert all(q["at"] == "2026-11-01T00:00:00+00:00" for q in first["quarantine"])
    converter = Converter()
    assert [converter.from_dict(Contact, record).id for record in records] == ["c-1", "c-2"]


def test_stderr_has_counts_and_the_rows_that_failed_never_a_value(
    contacts: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    main(["clean", str(contacts), *AS_OF])
    _, err = capsys.readouterr()
    lines = err.splitlines()
    assert "line 3: id: required field is missing" in lines
    assert "line 4: <root>: not valid JSON" in lines
    summary = next(line for line in lines if line.startswith("crmcore clean:"))
    assert summary.startswith("crmcore clean: 2 of 4 contact rows cleaned, 2 failed; 1 repaired")
    assert summary.endswith("3 values quarantined")
    assert "  changes by rule:" in lines
    assert "  quarantined by code:" in lines
    assert any(re.fullmatch(r"    quarantine +3", line) for line in lines)
    assert any(re.fullmatch(r"    email\.unreadable +1", line) for line in lines)
    assert any(re.fullmatch(r"    field\.unknown +1", line) for line in lines)
    for token in PLANTED:
        assert token.strip().lower() not in err.lower()


def test_changes_are_written_redacted_where_personal(
    contacts: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    changes = tmp_path / "changes.jsonl"
    main(["clean", str(contacts), *AS_OF, "--changes", str(changes)])
    capsys.readouterr()
    written = changes.read_text(encoding="utf-8")
    found = _lines(written)
    assert found
    assert {c["line"] for c in found} == {1}
    assert {c["record_id"] for c in found} == {"c-1"}
    by_key = {(c["path"], c["rule"]): c for c in found}
    assert by_key[("created_at", "date.iso")]["before"] == "2024-03-01 10:00:00+01:00"
    assert by_key[("created_at", "date.iso")]["after"] == "2024-03-01T10:00:00+01:00"
    assert by_key[("created_at", "date.iso")]["personal"] is False
    family = by_key[("identity.name.family", "name_case")]
    assert (family["before"], family["after"], family["personal"]) == (
        "<redacted>",
        "<redacted>",
        True,
    )
    assert by_key[("colour", "quarantine")]["before"] == "<redacted>"
    assert by_key[("colour", "quarantine")]["after"] is None
    for token in PLANTED[:5]:
        assert token.strip().lower() not in written.lower()


def test_show_personal_writes_the_values_as_they_are(
    contacts: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    changes = tmp_path / "changes.jsonl"
    main(["clean", str(contacts), *AS_OF, "--changes", str(changes), "--show-personal"])
    _, err = capsys.readouterr()
    by_key = {(c["path"], c["rule"]): c for c in _lines(changes.read_text(encoding="utf-8"))}
    family = by_key[("identity.name.family", "name_case")]
    assert (family["before"], family["after"]) == (PLANTED[0].upper(), PLANTED[0])
    assert by_key[("colour", "quarantine")]["before"] == PLANTED[4]
    for token in PLANTED[:5]:
        assert token.strip().lower() not in err.lower()


def test_show_personal_needs_changes(contacts: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["clean", str(contacts), "--show-personal"]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert "--show-personal" in err


def test_the_help_of_show_personal_names_the_risk(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["clean", "--help"]) == 0
    help_text = " ".join(capsys.readouterr().out.split())
    assert "--show-personal" in help_text
    assert "RISK: the file then holds personal data" in help_text


def test_changes_of_value_objects_and_lone_surrogates_are_valid_json(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    row = {
        "id": "c-1",
        "identity": {
            "name": {"family": "DUPONT\ud800"},
            "emails": ["jean@example.org", "Jean@Example.org"],
            "phones": ["+33 1 99 00 12 34", "+33199001234"],
        },
    }
    source = _write(tmp_path / "contacts.jsonl", [row])
    changes = tmp_path / "changes.jsonl"
    args = ["clean", str(source), *AS_OF, "--changes", str(changes), "--show-personal"]
    assert main(args) == 0
    out, _ = capsys.readouterr()
    assert _lines(out)[0]["identity"]["name"]["family"] == "Dupont\ufffd"
    found = _lines(changes.read_text(encoding="utf-8"))
    rules = {c["rule"] for c in found}
    assert {"surrogate", "contact_point.merge"} <= rules
    surrogate = next(c for c in found if c["rule"] == "surrogate")
    assert surrogate["before"] == "DUPONT\ud800"
    merged = [c for c in found if c["rule"] == "contact_point.merge"]
    assert any(isinstance(c["before"], dict) for c in merged)


def test_fail_on_quarantine(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = _write(tmp_path / "contacts.jsonl", [ROWS[0], ROWS[1]])
    assert main(["clean", str(source), *AS_OF]) == 0
    assert main(["clean", str(source), *AS_OF, "--fail-on-quarantine"]) == 1
    tidy = _write(tmp_path / "contacts-2.jsonl", [ROWS[1]])
    assert main(["clean", str(tidy), *AS_OF, "--fail-on-quarantine"]) == 0
    capsys.readouterr()


def test_options_reach_the_cleaning_context(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    row = {
        "id": "c-1",
        "created_at": "2024-03-01 10:00",
        "identity": {"phones": ["01 99 00 12 34"], "birth_date": "03/04/85"},
        "quantitative": {"total_spent": "12.5"},
    }
    source = _write(tmp_path / "contacts.jsonl", [row])
    assert main(["clean", str(source), *AS_OF]) == 0
    plain = _lines(capsys.readouterr().out)[0]
    assert {q["path"] for q in plain["quarantine"]} >= {"created_at", "identity.phones[0]"}
    args = ["--default-region", "fr", "--dayfirst", "--assume-tz", "Europe/Paris"]
    assert main(["clean", str(source), *AS_OF, *args, "--default-currency", "EUR"]) == 0
    record = _lines(capsys.readouterr().out)[0]
    assert "quarantine" not in record  # empty, so left out
    assert record["created_at"] == "2024-03-01T10:00:00+01:00"
    assert record["identity"]["birth_date"] == "1985-04-03"
    assert record["identity"]["phones"][0]["e164"] == "+33199001234"
    assert record["quantitative"]["total_spent"] == {"amount": "12.5", "currency": "EUR"}


def test_csv_with_a_mapping_is_cleaned(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = tmp_path / "export.csv"
    source.write_text(
        "Ref,Family,Mail,Internal\nc-1,DUPONT, Jean@Example.ORG ,x\nc-2,,,y\n", encoding="utf-8"
    )
    mapping = tmp_path / "mapping.json"
    mapping.write_text(
        json.dumps({"Ref": "id", "Family": "identity.name.family", "Mail": "identity.emails[0]"})
    )
    args = ["clean", str(source), "--type", "contact", "--mapping", str(mapping), *AS_OF]
    assert main(args) == 2
    assert "Internal" in capsys.readouterr().err
    assert main([*args, "--ignore-extra"]) == 0
    out, err = capsys.readouterr()
    records = _lines(out)
    assert [r["id"] for r in records] == ["c-1", "c-2"]
    assert records[0]["identity"]["name"]["family"] == "Dupont"
    assert records[0]["identity"]["emails"][0]["address"] == "Jean@example.org"
    assert "emails" not in records[1].get("identity", {})  # empty fields are left out
    assert records[1].get("identity", {}).get("name", {}).get("family") is None
    assert "ignoring unmapped columns ['Internal']" in err


def test_outputs_may_not_be_the_input(contacts: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = contacts.read_bytes()
    assert main(["clean", str(contacts), "-o", str(contacts)]) == 2
    assert main(["clean", str(contacts), "--changes", str(contacts)]) == 2
    err = capsys.readouterr().err
    assert "--output: it is the input file" in err
    assert "--changes: it is the input file" in err
    assert contacts.read_bytes() == before


def test_tally_lines_without_changes() -> None:
    assert Tally(rows=2).lines("deal") == [
        "crmcore clean: 2 of 2 deal rows cleaned, 0 failed; 0 repaired with 0 changes, "
        "0 values quarantined"
    ]
