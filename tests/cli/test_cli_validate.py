"""``crmcore validate``: one report per row, counts on stderr, exit code from the severities."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from crmcore.cli import main
from crmcore.cli.validate import CODES, summary_lines
from crmcore.validation import BUILTIN_CODES, BatchBuilder, Issue, Report, Severity

AS_OF = ["--as-of", "2026-11-01T00:00:00Z"]

PLANTED = (
    "planted.secret@@example.org",
    "PLANTED-PHONE-0000",
    "Zyxwvplanted",
    "31/02/1911",
    "planted-stage-VIP",
)

ROWS: list[dict[str, Any]] = [
    # 1: fine
    {"id": "c-1", "identity": {"emails": [{"address": "ada@example.org", "primary": True}]}},
    # 2: a role account (warning) and an email not in normal form (info)
    {"id": "c-2", "identity": {"emails": ["Info+eu@Example.ORG"]}},
    # 3: does not convert: three problems
    {
        "id": "c-3",
        "identity": {
            "name": {"family": PLANTED[2]},
            "emails": [PLANTED[0]],
            "phones": [PLANTED[1]],
            "birth_date": PLANTED[3],
        },
        "descriptive": {"lifecycle_stage": PLANTED[4]},
    },
    # 4: a birth date in the future (error)
    {"id": "c-4", "identity": {"name": {"family": PLANTED[2]}, "birth_date": "2030-01-01"}},
]


def _write(path: Path, rows: list[Any], extra: str = "") -> Path:
    text = "".join((row if isinstance(row, str) else json.dumps(row)) + "\n" for row in rows)
    path.write_text(text + extra, encoding="utf-8")
    return path


def _reports(text: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in text.splitlines() if line.strip()]


@pytest.fixture
def contacts(tmp_path: Path) -> Path:
    return _write(tmp_path / "contacts.jsonl", ROWS, "not json " + PLANTED[0] + "\n")


def test_every_row_gets_a_report_with_its_line_id_and_issues(
    contacts: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["validate", str(contacts), *AS_OF]) == 1
    out, _ = capsys.readouterr()
    reports = _reports(out)
    assert [(r["line"], r["record_id"]) for r in reports] == [
        (1, "c-1"),
        (2, "c-2"),
        (3, "c-3"),
        (4, "c-4"),
        (5, None),
    ]
    assert reports[0]["issues"] == []
    assert reports[0]["ok"] is True
    assert {i["code"] for i in reports[1]["issues"]} == {
        "email.role_account",
        "email.not_normalised",
    }
    assert reports[1]["ok"] is True
    assert {i["code"] for i in reports[3]["issues"]} == {"date.birth_in_future"}
    assert all(r["record_type"] == "Contact" for r in reports)


def test_a_row_that_does_not_convert_is_an_error_per_problem(
    contacts: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    main(["validate", str(contacts), *AS_OF])
    reports = _reports(capsys.readouterr().out)
    failed = reports[2]
    assert failed["ok"] is False
    issues = failed["issues"]
    assert {i["code"] for i in issues} == {"row.unconvertible"}
    assert {i["severity"] for i in issues} == {"error"}
    paths = {i["path"] for i in issues}
    assert {"identity.emails[0].address", "identity.birth_date"} <= paths
    assert "descriptive.lifecycle_stage" in paths
    assert {i["category"] for i in issues} == {"identity", "descriptive"}
    assert all(i["record_id"] == "c-3" for i in issues)
    unreadable = reports[4]["issues"]
    assert [(i["path"], i["code"], i["message"]) for i in unreadable] == [
        ("", "row.unreadable", "not valid JSON")
    ]


def test_the_summary_counts_by_severity_category_and_code(
    contacts: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    main(["validate", str(contacts), *AS_OF])
    out, err = capsys.readouterr()
    issues = [issue for report in _reports(out) for issue in report["issues"]]
    lines = err.splitlines()
    assert lines[0] == (
        f"crmcore validate: 5 contact rows, 2 without errors, 3 with errors; {len(issues)} issues"
    )
    errors = sum(i["severity"] == "error" for i in issues)
    assert lines[1] == f"  by severity: error {errors}, warning 1, info 1"
    assert lines[2].startswith("  by category: identity ")
    assert "descriptive 1" in lines[2]
    assert "none 1" in lines[2]
    assert lines[3] == "  by code:"
    unconvertible = sum(i["code"] == "row.unconvertible" for i in issues)
    assert any(re.fullmatch(rf"    row\.unconvertible +{unconvertible}", line) for line in lines)


def test_the_summary_json_is_the_batch_summary(
    contacts: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "summary.json"
    main(["validate", str(contacts), *AS_OF, "--summary-json", str(target)])
    out, _ = capsys.readouterr()
    summary = json.loads(target.read_text(encoding="utf-8"))
    builder = BatchBuilder(keep="none")
    for report in _reports(out):
        issues = [
            Issue(i["path"], i["code"], Severity(i["severity"]), i["message"])
            for i in report["issues"]
        ]
        builder.add(Report(report["record_id"], report["record_type"], issues))
    expected = builder.summary.to_dict()
    assert summary["records"] == expected["records"] == 5
    assert summary["records_with_errors"] == 3
    assert summary["by_code"] == expected["by_code"]
    assert summary["by_severity"] == expected["by_severity"]
    assert sum(summary["by_category"].values()) == summary["issues"]
    assert summary["by_record_type"] == {"Contact": 5}


def test_only_failing_writes_just_the_rows_with_issues(
    contacts: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    main(["validate", str(contacts), *AS_OF, "--only-failing"])
    out, err = capsys.readouterr()
    assert [r["line"] for r in _reports(out)] == [2, 3, 4, 5]
    assert "5 contact rows" in err


def test_exit_code_follows_fail_on(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    clean = _write(tmp_path / "contacts.jsonl", [ROWS[0]])
    warned = _write(tmp_path / "contacts-2.jsonl", [ROWS[0], ROWS[1]])
    assert main(["validate", str(clean), *AS_OF]) == 0
    assert main(["validate", str(warned), *AS_OF]) == 0
    assert main(["validate", str(warned), *AS_OF, "--fail-on", "warning"]) == 1
    assert main(["validate", str(clean), *AS_OF, "--fail-on", "info"]) == 0
    capsys.readouterr()


def test_regrade_changes_severities_and_the_exit_code(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = _write(tmp_path / "contacts.jsonl", [ROWS[1]])
    args = ["validate", str(source), *AS_OF, "--regrade", "email.role_account=error"]
    assert main(args) == 1
    report = _reports(capsys.readouterr().out)[0]
    grades = {i["code"]: i["severity"] for i in report["issues"]}
    assert grades["email.role_account"] == "error"
    more = [*args, "--regrade", "email.role_account = Info", "--regrade", "row.unreadable=info"]
    assert main(more) == 0
    report = _reports(capsys.readouterr().out)[0]
    assert {i["code"]: i["severity"] for i in report["issues"]}["email.role_account"] == "info"


def test_regrade_applies_to_rows_that_do_not_convert(
    contacts: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    regrade = ["--regrade", "row.unconvertible=warning", "--regrade", "row.unreadable=warning"]
    args = ["validate", str(contacts), *AS_OF, *regrade]
    assert main([*args, "--regrade", "date.birth_in_future=warning"]) == 0
    reports = _reports(capsys.readouterr().out)
    assert {i["severity"] for i in reports[2]["issues"]} == {"warning"}


def test_require_reports_empty_fields(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = _write(tmp_path / "contacts.jsonl", [ROWS[0]])
    args = ["validate", str(source), *AS_OF]
    assert main([*args, "--require", "identity.phones", "--require", "identity.emails"]) == 1
    report = _reports(capsys.readouterr().out)[0]
    assert [(i["path"], i["code"]) for i in report["issues"]] == [
        ("identity.phones", "field.required")
    ]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--regrade", "email.role_account"], "expected CODE=SEVERITY"),
        (["--regrade", "email.role_account=fatal"], "expected CODE=SEVERITY"),
        (["--regrade", "=error"], "expected CODE=SEVERITY"),
        (["--regrade", "email.rol_account=info"], "no rule reports the code"),
        (["--regrade", "email.role_acount=info"], "(did you mean email.role_account?)"),
        (["--default-region", "UK"], "--default-region: not an ISO 3166-1 alpha-2 code (did you"),
        (["--require", "identity.nickname"], "--require"),
        (["--fail-on", "never"], "invalid choice"),
        (["--default-region", "XX"], "--default-region"),
    ],
)
def test_usage_errors_exit_2(
    args: list[str], message: str, contacts: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["validate", str(contacts), *AS_OF, *args]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert message in err


def test_rules_plugins_loads_the_entry_points(
    contacts: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    loaded: list[str] = []

    def load(self: object) -> tuple[str, ...]:
        loaded.append("yes")
        return ()

    monkeypatch.setattr("crmcore.validation.RuleSet.load_entry_points", load)
    main(["validate", str(contacts), *AS_OF])
    assert loaded == []
    main(["validate", str(contacts), *AS_OF, "--rules-plugins"])
    assert loaded == ["yes"]
    capsys.readouterr()


def test_a_broken_plugin_is_a_usage_error(
    contacts: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from crmcore.validation import PluginError

    def load(self: object) -> tuple[str, ...]:
        raise PluginError("cannot load validator plugin acme")

    monkeypatch.setattr("crmcore.validation.RuleSet.load_entry_points", load)
    assert main(["validate", str(contacts), *AS_OF, "--rules-plugins"]) == 2
    assert "cannot load validator plugin acme" in capsys.readouterr().err


def test_csv_with_a_mapping_is_validated(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "export.csv"
    source.write_text(
        "Ref,Mail,Born\nc-1,info@example.org,\nc-2,a@example.org,31/02/1990\n", encoding="utf-8"
    )
    mapping = tmp_path / "mapping.json"
    mapping.write_text(
        json.dumps({"Ref": "id", "Mail": "identity.emails[0]", "Born": "identity.birth_date"})
    )
    args = ["validate", str(source), "--type", "contact", "--mapping", str(mapping), "--dayfirst"]
    assert main([*args, *AS_OF]) == 1
    reports = _reports(capsys.readouterr().out)
    assert [(r["line"], r["record_id"]) for r in reports] == [(2, "c-1"), (3, "c-2")]
    assert [i["code"] for i in reports[0]["issues"]] == ["email.role_account"]
    assert [(i["path"], i["code"]) for i in reports[1]["issues"]] == [
        ("identity.birth_date", "row.unconvertible")
    ]


def test_no_personal_value_reaches_stderr_or_the_reports(
    contacts: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    summary = tmp_path / "summary.json"
    main(["validate", str(contacts), *AS_OF, "--summary-json", str(summary)])
    out, err = capsys.readouterr()
    written = out + err + summary.read_text(encoding="utf-8")
    for token in PLANTED:
        assert token not in written
        assert token.lower() not in written.lower()
    assert "planted.secret" not in written


def test_the_output_may_not_be_the_input(
    contacts: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = contacts.read_bytes()
    assert main(["validate", str(contacts), "-o", str(contacts)]) == 2
    assert main(["validate", str(contacts), "--summary-json", str(contacts)]) == 2
    assert "it is the input file" in capsys.readouterr().err
    assert contacts.read_bytes() == before


def test_the_cli_codes_are_documented_and_distinct_from_the_rules() -> None:
    builtin = {code.name for code in BUILTIN_CODES}
    assert [code.name for code in CODES] == ["row.unreadable", "row.unconvertible"]
    assert not builtin & {code.name for code in CODES}
    assert all(code.severity is Severity.ERROR for code in CODES)
    docs = Path(__file__).parents[2] / "docs" / "cli.md"
    text = docs.read_text(encoding="utf-8")
    for code in CODES:
        assert f"`{code.name}`" in text


def test_summary_lines_without_issues() -> None:
    builder = BatchBuilder(keep="none")
    builder.add(Report("a-1", "Account"))
    assert summary_lines(builder.summary, "account") == [
        "crmcore validate: 1 account rows, 1 without errors, 0 with errors; 0 issues",
        "  by severity: error 0, warning 0, info 0",
    ]


def test_quiet_keeps_stderr_empty_and_the_exit_code(
    contacts: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["validate", str(contacts), *AS_OF, "--quiet"]) == 1
    out, err = capsys.readouterr()
    assert err == ""
    assert len(_reports(out)) == 5
