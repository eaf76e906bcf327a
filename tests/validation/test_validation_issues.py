"""Issues, reports and batch reports: ordering, counts, JSON safety and raising."""

from __future__ import annotations

import gc
import json
import pickle

import pytest

from crmcore import Category, CRMError, InvalidValueError, ValidationError
from crmcore.validation import BatchBuilder, Code, Issue, Report, Severity


def _issue(path: str, code: str = "x.y", severity: Severity = Severity.ERROR) -> Issue:
    return Issue(path, code, severity, "reason", Category.IDENTITY)


def test_severities_are_ordered_info_warning_error() -> None:
    assert Severity.INFO < Severity.WARNING < Severity.ERROR
    assert sorted([Severity.ERROR, Severity.INFO, Severity.WARNING]) == [
        Severity.INFO,
        Severity.WARNING,
        Severity.ERROR,
    ]
    assert [severity.rank for severity in (Severity.INFO, Severity.WARNING, Severity.ERROR)] == [
        0,
        1,
        2,
    ]


def test_severity_does_not_compare_with_other_types() -> None:
    with pytest.raises(TypeError):
        _ = Severity.ERROR < 1  # type: ignore[operator]


def test_issue_reads_as_path_code_severity_and_message() -> None:
    issue = Issue("identity.phones[0]", "phone.invalid", Severity.ERROR, "bad", record_id="c-1")
    assert str(issue) == "[c-1] identity.phones[0]: phone.invalid (error): bad"
    whole = Issue("", "validator.crashed", Severity.ERROR, "boom")
    assert str(whole) == "<record>: validator.crashed (error): boom"


def test_issue_to_dict_is_json_safe() -> None:
    issue = _issue("identity.emails[1]")
    data = issue.to_dict()
    assert json.loads(json.dumps(data, allow_nan=False)) == data
    assert data == {
        "path": "identity.emails[1]",
        "code": "x.y",
        "severity": "error",
        "message": "reason",
        "category": "identity",
        "record_id": None,
    }


@pytest.mark.parametrize("name", ["Email.invalid", "email", "email..x", "email.x-y", "", "1.x"])
def test_codes_are_dotted_lower_case_words(name: str) -> None:
    with pytest.raises(CRMError):
        Code(name, Severity.ERROR, "meaning")


def test_code_makes_issues_with_its_severity_and_meaning() -> None:
    code = Code("acme.vip_no_owner", Severity.WARNING, "a VIP has no owner")
    issue = code.issue("descriptive.owner", Category.DESCRIPTIVE)
    assert (issue.code, issue.severity, issue.message) == (
        "acme.vip_no_owner",
        Severity.WARNING,
        "a VIP has no owner",
    )
    assert code.issue("x", message="other").message == "other"


def test_report_sorts_issues_by_path_with_numeric_indexes_then_code() -> None:
    issues = [
        _issue("identity.emails[10]"),
        _issue("identity.emails[9]", "b.b"),
        _issue("identity.emails[9]", "a.a"),
        _issue("created_at"),
    ]
    report = Report("c-1", "Contact", issues)
    assert [(issue.path, issue.code) for issue in report.issues] == [
        ("created_at", "x.y"),
        ("identity.emails[9]", "a.a"),
        ("identity.emails[9]", "b.b"),
        ("identity.emails[10]", "x.y"),
    ]
    assert Report("c-1", "Contact", list(reversed(issues))) == report


def test_report_groups_issues_by_severity() -> None:
    report = Report(
        "c-1",
        "Contact",
        [
            _issue("a", severity=Severity.INFO),
            _issue("b", severity=Severity.WARNING),
            _issue("c", severity=Severity.ERROR),
        ],
    )
    assert [issue.path for issue in report.errors] == ["c"]
    assert [issue.path for issue in report.warnings] == ["b"]
    assert [issue.path for issue in report.infos] == ["a"]
    assert report.worst is Severity.ERROR
    assert not report.ok
    assert Report("c-2", "Contact").worst is None


def test_a_report_with_only_warnings_is_ok_and_does_not_raise() -> None:
    report = Report("c-1", "Contact", [_issue("a", severity=Severity.WARNING)])
    assert report.ok
    report.raise_for_errors()


def test_raise_for_errors_carries_every_error() -> None:
    report = Report(
        "c-1", "Contact", [_issue("a"), _issue("b"), _issue("c", severity=Severity.INFO)]
    )
    with pytest.raises(ValidationError) as caught:
        report.raise_for_errors()
    assert [issue.path for issue in caught.value.issues] == ["a", "b"]
    assert isinstance(caught.value, CRMError)


def test_report_to_dict_is_json_safe() -> None:
    report = Report("c-1", "Contact", [_issue("a"), _issue("b", severity=Severity.INFO)])
    data = report.to_dict()
    assert json.loads(json.dumps(data, allow_nan=False)) == data
    assert data["ok"] is False
    assert [issue["path"] for issue in data["issues"]] == ["a", "b"]


def _reports() -> list[Report]:
    return [
        Report("c-1", "Contact"),
        Report(
            "c-2",
            "Contact",
            [_issue("a", "email.role_account", Severity.WARNING), _issue("b", "phone.invalid")],
        ),
        Report(
            "d-1",
            "Deal",
            [Issue("", "validator.crashed", Severity.ERROR, "boom"), _issue("c", "phone.invalid")],
        ),
    ]


def test_batch_summary_counts_by_code_severity_category_and_type() -> None:
    builder = BatchBuilder()
    builder.extend(_reports())
    summary = builder.build().summary
    assert (summary.records, summary.records_with_errors, summary.records_ok) == (3, 2, 1)
    assert summary.issues == 4
    assert dict(summary.by_code) == {
        "email.role_account": 1,
        "phone.invalid": 2,
        "validator.crashed": 1,
    }
    assert dict(summary.by_severity) == {"error": 3, "info": 0, "warning": 1}
    assert dict(summary.by_category) == {
        "descriptive": 0,
        "identity": 3,
        "none": 1,
        "qualitative": 0,
        "quantitative": 0,
    }
    assert dict(summary.by_record_type) == {"Contact": 2, "Deal": 1}


@pytest.mark.parametrize(
    ("keep", "kept"), [("all", ["c-1", "c-2", "d-1"]), ("issues", ["c-2", "d-1"]), ("none", [])]
)
def test_batch_keeps_reports_as_asked_and_always_counts_all(keep: str, kept: list[str]) -> None:
    builder = BatchBuilder(keep=keep)  # type: ignore[arg-type]
    builder.extend(_reports())
    batch = builder.build()
    assert [report.record_id for report in batch.reports] == kept
    assert batch.summary.records == 3


def test_batch_builder_refuses_an_unknown_keep_mode() -> None:
    with pytest.raises(CRMError):
        BatchBuilder(keep="some")  # type: ignore[arg-type]


def test_summary_so_far_does_not_change_when_more_is_added() -> None:
    builder = BatchBuilder(keep="none")
    builder.add(_reports()[1])
    before = builder.summary
    builder.add(_reports()[2])
    assert before.records == 1
    assert dict(before.by_code) == {"email.role_account": 1, "phone.invalid": 1}
    assert builder.summary.records == 2


def test_batch_to_dict_is_json_safe_and_raises_with_record_ids() -> None:
    builder = BatchBuilder()
    builder.extend(_reports())
    batch = builder.build()
    data = batch.to_dict()
    assert json.loads(json.dumps(data, allow_nan=False)) == data
    assert data["summary"]["records_with_errors"] == 2
    assert not batch.ok
    with pytest.raises(ValidationError) as caught:
        batch.raise_for_errors()
    assert len(caught.value.issues) == 3


def test_an_empty_batch_is_ok() -> None:
    batch = BatchBuilder().build()
    assert batch.ok
    batch.raise_for_errors()
    assert batch.summary.to_dict()["records"] == 0


def test_an_issue_reads_its_severity_and_category_as_text() -> None:
    issue = Issue("identity.emails[0]", "acme.x", "Warning", "m", "identity")  # type: ignore[arg-type]
    assert issue.severity is Severity.WARNING
    assert issue.category is Category.IDENTITY
    assert issue.to_dict()["severity"] == "warning"
    assert Code("acme.x", "info", "m").severity is Severity.INFO  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("severity", "category"), [("fatal", None), (2, None), (Severity.ERROR, "identiti")]
)
def test_an_issue_refuses_what_is_no_severity_or_category(
    severity: object, category: object
) -> None:
    with pytest.raises(InvalidValueError):
        Issue("p", "acme.x", severity, "m", category)  # type: ignore[arg-type]


def test_report_of_reads_a_severity_as_text() -> None:
    report = Report("c-1", "Contact", [Issue("p", "acme.x", Severity.ERROR, "m")])
    assert report.of("error") == report.errors  # type: ignore[arg-type]
    with pytest.raises(InvalidValueError):
        report.of("errors")  # type: ignore[arg-type]


def _reports_for_counts() -> list[Report]:
    return [
        Report("c-1", "Contact"),
        Report(
            "c-2",
            "Contact",
            [
                Issue("identity.emails[0]", "email.invalid", Severity.ERROR, "not valid"),
                Issue("descriptive.job_title", "text.case", Severity.INFO, "all capitals"),
            ],
        ),
        Report(
            "a-1",
            "Account",
            [
                Issue(
                    "identity.phones[0]",
                    "phone.unusual",
                    Severity.WARNING,
                    "odd",
                    Category.IDENTITY,
                )
            ],
        ),
    ]


def test_add_counts_gives_the_summary_add_gives() -> None:
    by_report = BatchBuilder(keep="none")
    by_counts = BatchBuilder(keep="none")
    for report in _reports_for_counts():
        by_report.add(report)
        by_counts.add_counts(report.record_type, BatchBuilder.counts_of(report))
    assert by_counts.summary == by_report.summary
    assert by_counts.summary.records_with_errors == 1
    assert by_counts.summary.by_category["none"] == 2


@pytest.mark.parametrize("keep", ["all", "issues"])
def test_add_counts_refused_by_a_builder_that_keeps_reports(keep: str) -> None:
    builder = BatchBuilder(keep=keep)  # type: ignore[arg-type]
    with pytest.raises(InvalidValueError, match="keeps reports"):
        builder.add_counts("Contact", ())
    assert builder.summary.records == 0


@pytest.mark.parametrize(
    "counts",
    [
        [("email.invalid", "fatal", "none")],
        [("email.invalid", "error", "personal")],
        [(7, "error", "none")],
        [("email.invalid", "error")],
        [None],
        [["email.invalid", "error", "none"]],
    ],
)
def test_add_counts_refuses_what_is_not_counts(counts: list[tuple[object, ...]]) -> None:
    builder = BatchBuilder(keep="none")
    with pytest.raises(InvalidValueError, match=r"counts\[0\]"):
        builder.add_counts("Contact", counts)  # type: ignore[arg-type]
    assert builder.summary.records == 0


@pytest.mark.parametrize(
    ("record_type", "counts", "field"),
    [(None, [], "record_type"), ("", [], "record_type"), ("Contact", "abc", "counts")],
)
def test_add_counts_refuses_a_bad_record_type_or_counts(
    record_type: object, counts: object, field: str
) -> None:
    builder = BatchBuilder(keep="none")
    with pytest.raises(InvalidValueError) as raised:
        builder.add_counts(record_type, counts)  # type: ignore[arg-type]
    assert raised.value.field == field
    assert builder.summary.records == 0


def test_a_report_keeps_its_issues_compact_and_gives_them_back_equal() -> None:
    issues = [
        Issue(
            "identity.phones[0]", "phone.invalid", Severity.ERROR, "not valid", Category.IDENTITY
        ),
        Issue("", "record.stale", Severity.INFO, "old", None, "c-1"),
        Issue("identity.emails[0]", "email.role_account", "warning", "role address"),
    ]
    report = Report("c-1", "Contact", issues)
    gc.collect()
    kept = [item for item in gc.get_referents(report) if gc.is_tracked(item)]
    assert kept == [Report]  # its class: no Issue, enum member or tuple of them to scan
    assert report.issues == (issues[1], issues[2], issues[0])
    assert [type(issue) for issue in report.issues] == [Issue, Issue, Issue]
    assert report.issues[2].category is Category.IDENTITY
    assert report.errors == (issues[0],)
    assert report.infos == (issues[1],)
    assert report.worst is Severity.ERROR
    assert not report.ok
    assert report.codes() == ("email.role_account", "phone.invalid", "record.stale")
    assert report == Report("c-1", "Contact", reversed(issues))
    assert hash(report) == hash(Report("c-1", "Contact", reversed(issues)))
    assert report != Report("c-1", "Contact", issues[:2])
    assert pickle.loads(pickle.dumps(report)) == report
    assert repr(report).startswith("Report(record_id='c-1', record_type='Contact', issues=(Issue(")
    assert BatchBuilder.counts_of(report) == (
        ("record.stale", "info", "none"),
        ("email.role_account", "warning", "none"),
        ("phone.invalid", "error", "identity"),
    )
    single = Report("c-2", "Contact", issues[:1])
    assert single.issues == (issues[0],)
    assert single.worst is Severity.ERROR
    empty = Report("c-3", "Contact")
    assert empty.issues == ()
    assert empty.ok
    assert empty.worst is None


def test_a_report_evolves_and_matches_by_its_issues() -> None:
    import attrs

    found = [
        Issue("identity.emails[0]", "email.role_account", Severity.WARNING, "role address"),
        Issue("identity.name", "name.missing", Severity.ERROR, "no name"),
    ]
    report = Report("c-1", "Contact", found)
    evolved = attrs.evolve(report, record_id="c-2")
    assert evolved.record_id == "c-2"
    assert evolved.issues == report.issues
    match report:
        case Report(record_id, record_type, issues):
            assert (record_id, record_type) == ("c-1", "Contact")
            assert sorted(issues, key=lambda i: i.path) == sorted(found, key=lambda i: i.path)
        case _:
            pytest.fail("a report matches by id, type and issues")
