"""``crmcore privacy access|export|erase``: requests answered on files, no value on stderr."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest

from crmcore.cli import main
from crmcore.privacy import ErasureAudit

AS_OF = ["--as-of", "2026-02-10T09:00:00+00:00"]
EMAIL = "ada.lovelace@example.org"
PHONE = "+442079460958"
SUBJECT = ["--email", EMAIL.upper(), "--name", "Ada Lovelace", "--phone", PHONE]

CONTACTS: list[dict[str, Any]] = [
    {
        "id": "c-1",
        "identity": {
            "name": {"given": "Ada", "family": "Lovelace"},
            "emails": [EMAIL],
            "phones": [PHONE],
            "addresses": [{"locality": "London", "country": "GB"}],
        },
        "quantitative": {"purchase_count": 3},
    },
    {
        "id": "c-2",
        "identity": {"name": {"given": "Bob", "family": "Byron"}, "emails": ["bob@example.org"]},
        "qualitative": {"notes": [{"text": "Bob says Ada Lovelace called from 020 7946 0958"}]},
    },
    {"id": "c-3", "identity": {"name": {"given": "Ada", "family": "Lovelace"}}},
]
DEALS: list[dict[str, Any]] = [
    {"id": "d-1", "identity": {"name": "Renewal", "contact_refs": ["c-1"]}},
    {"id": "d-2", "identity": {"name": "Other", "contact_refs": ["c-2"]}},
]
ACTIVITIES: list[dict[str, Any]] = [
    {
        "id": "t-1",
        "identity": {"contact_refs": ["c-2"]},
        "qualitative": {"content": "ring 020 7946 0958"},
    },
    {"id": "t-2", "identity": {"deal_refs": ["d-1"]}},
]
INFO = {
    "purposes": ["support"],
    "recipients": [],
    "retention": "two years after the last contact",
    "automated_decisions": "none",
}


def _write(path: Path, rows: list[dict[str, Any]], extra: str = "") -> Path:
    path.write_text("".join(json.dumps(row) + "\n" for row in rows) + extra, encoding="utf-8")
    return path


@pytest.fixture
def files(tmp_path: Path) -> list[str]:
    # Named out of order on purpose: the command reads contacts first whatever the order.
    return [
        str(_write(tmp_path / "activities.jsonl", ACTIVITIES)),
        str(_write(tmp_path / "contacts.jsonl", CONTACTS)),
        str(_write(tmp_path / "deals.jsonl", DEALS)),
    ]


def _ids(entries: list[dict[str, Any]]) -> list[tuple[str, str]]:
    return [(entry["record_id"], entry["confidence"]) for entry in entries]


def _no_values(text: str) -> None:
    for value in (EMAIL, EMAIL.upper(), "Lovelace", "7946", "Bob says"):
        assert value not in text


def test_access_lists_what_was_found_with_reasons_and_the_deadline(
    files: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    received = ["--regime", "gdpr", "--received", "2026-01-31T10:00:00+01:00"]
    code = main(["privacy", "access", files[1], files[0], files[2], *SUBJECT, *AS_OF, *received])
    out, err = capsys.readouterr()
    assert code == 0
    report = json.loads(out)
    assert _ids(report["found"]) == [("c-1", "strong"), ("d-1", "linked")]
    assert {entry["record_id"] for entry in report["review"]} == {"c-2", "c-3", "t-1", "t-2"}
    reasons = {r["code"] for e in report["found"] for r in e["reasons"]}
    assert {"email.case", "reference.contact"} <= reasons
    assert report["deadline"]["due"] == "2026-03-02"  # 31 Jan 2026: due Monday 2 March
    assert report["records_searched"] == 7
    assert report["rows_not_searched"] == 0
    _no_values(out)
    _no_values(err)
    assert "7 records read from 3 file(s)" in err


def test_confirm_moves_a_record_in_review_to_found(
    files: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["privacy", "access", *files, *SUBJECT, *AS_OF, "--confirm", "c-3"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert ("c-3", "weak") in _ids(report["found"])
    assert "c-3" not in {entry["record_id"] for entry in report["review"]}
    assert main(["privacy", "access", *files, *SUBJECT, *AS_OF, "--confirm", "c-2x"]) == 2
    assert "--confirm: not among the records in review: c-2x" in capsys.readouterr().err


def test_rows_that_cannot_be_searched_are_named_and_make_the_exit_code_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = {"id": "c-9", "identity": {"birth_date": "31/02/1911 planted"}}
    source = _write(tmp_path / "contacts.jsonl", [*CONTACTS, bad], "not json\n")
    assert main(["privacy", "access", str(source), *SUBJECT, *AS_OF, "--strict"]) == 1
    out, err = capsys.readouterr()
    assert json.loads(out)["rows_not_searched"] == 2
    assert "contacts.jsonl line 4: not searched: identity.birth_date" in err
    assert "contacts.jsonl line 5: not searched" in err
    assert "planted" not in err
    # Cleaned (the default), the bad birth date is quarantined and the row searched.
    assert main(["privacy", "access", str(source), *SUBJECT, *AS_OF]) == 1
    out, _ = capsys.readouterr()
    assert json.loads(out)["rows_not_searched"] == 1


def test_export_writes_the_data_with_the_information_as_json_and_csv(
    files: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    info = tmp_path / "info.json"
    info.write_text(json.dumps(INFO), encoding="utf-8")
    assert main(["privacy", "export", *files, *SUBJECT, *AS_OF, "--info", str(info)]) == 0
    out, err = capsys.readouterr()
    exported = json.loads(out)
    assert exported["information"]["purposes"] == ["support"] or "support" in out
    assert EMAIL in out  # the export is for the subject: it holds their data
    _no_values(err)
    args = ["privacy", "export", *files, *SUBJECT, *AS_OF, "--info", str(info)]
    assert main([*args, "--export-format", "csv"]) == 0
    rows = list(csv.reader(io.StringIO(capsys.readouterr().out)))
    assert rows[0] == ["record_type", "record_id", "category", "privacy", "path", "value"]
    assert rows[1][:2] == ["Contact", "c-1"]
    assert any(row[-1] == EMAIL for row in rows)


def test_export_refuses_incomplete_information(
    files: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    info = tmp_path / "info.json"
    info.write_text(json.dumps({"purposes": ["support"]}), encoding="utf-8")
    assert main(["privacy", "export", *files, *SUBJECT, *AS_OF, "--info", str(info)]) == 2
    assert "--info: purposes, recipients, retention and automated_decisions are needed" in (
        capsys.readouterr().err
    )


def test_erase_dry_run_writes_the_plan_and_erases_nothing(
    files: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["privacy", "erase", *files, *SUBJECT, *AS_OF, "--dry-run"]) == 0
    out, err = capsys.readouterr()
    plan = json.loads(out)
    roles = {(r["record_id"], r["role"]) for r in plan["records"]}
    assert ("c-1", "subject") in roles
    assert ("c-2", "mention") in roles
    assert ("t-1", "mention") in roles  # the phone read in its contact's region (GB)
    kept = [p for r in plan["records"] for p in r["paths"] if p["action"] == "keep"]
    assert [p["path"] for p in kept] == ["quantitative.purchase_count"]
    _no_values(out)
    assert "would change (dry run: nothing erased)" in err


def test_erase_writes_the_changed_records_and_an_audit_without_values(
    files: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    key = tmp_path / "key.bin"
    key.write_bytes(bytes(range(32)))
    audit = tmp_path / "audit.json"
    changed = tmp_path / "changed.jsonl"
    args = ["privacy", "erase", *files, *SUBJECT, *AS_OF, "--key-file", str(key)]
    assert main([*args, "--audit", str(audit), "-o", str(changed)]) == 0
    records = [json.loads(line) for line in changed.read_text(encoding="utf-8").splitlines()]
    assert sorted(record["id"] for record in records) == ["c-1", "c-2", "t-1"]
    by_id = {record["id"]: record for record in records}
    assert by_id["c-1"]["identity"]["emails"] == []
    assert by_id["c-1"]["quantitative"]["purchase_count"] == 3
    note = by_id["c-2"]["qualitative"]["notes"][0]["text"]
    assert note == "Bob says [erased name] called from [erased phone]"
    assert by_id["t-1"]["qualitative"]["content"] == "ring [erased phone]"
    text = audit.read_text(encoding="utf-8")
    _no_values(text)
    entries = json.loads(text)["entries"]
    assert {entry["record_id"] for entry in entries} == {"c-1", "c-2", "t-1"}
    assert ErasureAudit  # the audit's digests are checked in the library's tests


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ([], "--key-file: needed to erase (or give --dry-run)"),
        (["--key-file", "KEY"], "--audit: needed to erase (or give --dry-run)"),
        (["--key-file", "SHORT", "--audit", "a.json"], "shorter than 32 bytes"),
    ],
)
def test_erase_needs_a_key_and_an_audit_before_reading_anything(
    files: list[str],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    extra: list[str],
    message: str,
) -> None:
    (tmp_path / "KEY").write_bytes(bytes(32))
    (tmp_path / "SHORT").write_bytes(b"short")
    extra = [str(tmp_path / item) if item in ("KEY", "SHORT", "a.json") else item for item in extra]
    assert main(["privacy", "erase", *files, *SUBJECT, *AS_OF, *extra]) == 2
    assert message in capsys.readouterr().err
    assert not (tmp_path / "a.json").exists()


def test_holds_keep_what_they_name(
    files: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    holds = tmp_path / "holds.json"
    holds.write_text(
        json.dumps([{"record_id": "c-2", "reason": "litigation", "citation": "Art. 17(3)(e)"}]),
        encoding="utf-8",
    )
    assert (
        main(["privacy", "erase", *files, *SUBJECT, *AS_OF, "--dry-run", "--holds", str(holds)])
        == 0
    )
    plan = json.loads(capsys.readouterr().out)
    c2 = next(r for r in plan["records"] if r["record_id"] == "c-2")
    assert {p["action"] for p in c2["paths"]} == {"keep"}
    assert {p["reason"] for p in c2["paths"]} == {"litigation"}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--birth-date", "1815-12-10"], "say who the subject is"),
        (["--email", "not an email"], "--email #1:"),
        (["--external-id", "nocolon"], "--external-id #1: write SYSTEM:ID"),
        (["--email", EMAIL, "--birth-date", "10/12/1815"], "--birth-date: not a date"),
        (["--email", EMAIL, "--request-id", "R-1"], "need --regime"),
    ],
)
def test_bad_subject_or_request_options_are_usage_errors_without_values(
    files: list[str], capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    assert main(["privacy", "access", *files, *AS_OF, *args]) == 2
    err = capsys.readouterr().err
    assert message in err
    assert "not an email" not in err.partition(":")[2].partition("--email #1:")[0]


def test_stdin_cannot_be_combined_with_more_files(
    files: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["privacy", "access", "-", files[0], "--type", "contact", "--format", "jsonl"]
    assert main([*args, *SUBJECT, *AS_OF]) == 2
    assert "stdin (-) can be the only input" in capsys.readouterr().err


def test_the_same_file_twice_is_refused(
    files: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["privacy", "access", files[1], files[1], *SUBJECT, *AS_OF]) == 2
    assert "a file is named twice" in capsys.readouterr().err
