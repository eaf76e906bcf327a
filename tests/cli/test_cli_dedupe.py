"""``crmcore dedupe``: clusters with explanations, golden records, review, model; counts only."""

from __future__ import annotations

import contextlib
import csv
import functools
import io
import json
import tempfile
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from crmcore import Contact, Converter
from crmcore.cli import main
from crmcore.dedup import MatchModel
from crmcore.testing import strategies as crm_st
from crmcore.testing.synthetic import Dataset, messy_dataset

AS_OF = datetime(2026, 11, 1, tzinfo=timezone.utc)
OPTIONS = ["--as-of", "2026-11-01T00:00:00Z", "--no-progress"]


@functools.cache
def _dataset() -> Dataset:
    return messy_dataset(7, AS_OF, contacts=200, accounts=40, defect_rate=0.0)


def _write(path: Path, rows: list[Any]) -> Path:
    text = "".join((row if isinstance(row, str) else json.dumps(row)) + "\n" for row in rows)
    path.write_text(text, encoding="utf-8")
    return path


def _lines(text: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def _pairs(groups: Any) -> set[tuple[str, str]]:
    found: set[tuple[str, str]] = set()
    for group in groups:
        members = sorted(group)
        found.update((a, b) for i, a in enumerate(members) for b in members[i + 1 :])
    return found


@pytest.fixture
def contacts(tmp_path: Path) -> Path:
    return _write(tmp_path / "contacts.jsonl", list(_dataset().contacts))


def _personal_tokens() -> set[str]:
    tokens: set[str] = set()
    for row in _dataset().contacts:
        identity = row.get("identity") or {}
        for email in identity.get("emails") or []:
            tokens.add(email["address"] if isinstance(email, dict) else email)
        tokens.update(p for p in identity.get("phones") or [] if isinstance(p, str))
        name = identity.get("name")
        if isinstance(name, dict):
            tokens.update(v for v in name.values() if isinstance(v, str))
    return {token.strip() for token in tokens if len(token.strip()) > 4}


def test_clusters_come_out_with_their_explained_pairs(
    contacts: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["dedupe", str(contacts), *OPTIONS]) == 0
    out, _ = capsys.readouterr()
    clusters = _lines(out)
    members = [m for cluster in clusters for m in cluster["members"]]
    assert sorted(members) == sorted(row["id"] for row in _dataset().contacts)
    found = _pairs(c["members"] for c in clusters if len(c["members"]) > 1)
    truth = _pairs(_dataset().known_duplicates)
    assert len(found & truth) >= 0.85 * len(truth)
    assert len(found & truth) >= 0.85 * len(found)
    for cluster in clusters:
        assert cluster["cluster"] == min(cluster["members"])
        if len(cluster["members"]) > 1:
            assert cluster["pairs"]
        for pair in cluster["pairs"]:
            assert {pair["left"], pair["right"]} <= set(cluster["members"])
            assert set(pair) >= {"comparisons", "match_weight", "probability"}


def test_stderr_has_counts_and_no_personal_value(
    contacts: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["dedupe", str(contacts), *OPTIONS]) == 0
    out, err = capsys.readouterr()
    assert err.startswith("crmcore dedupe: 200 of 200 contact rows cleaned, 0 left out\n")
    assert "candidate pairs" in err
    assert "model: fitted to these records" in err
    tokens = _personal_tokens()
    assert tokens
    assert [token for token in tokens if token in err] == []
    assert [token for token in tokens if token.lower() in out.lower()] == []


def test_golden_review_model_and_summary_files(
    contacts: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    golden, review = tmp_path / "golden.jsonl", tmp_path / "review.jsonl"
    model, summary = tmp_path / "model.json", tmp_path / "summary.json"
    code = main(
        [
            "dedupe",
            str(contacts),
            *OPTIONS,
            "--golden",
            str(golden),
            "--review",
            str(review),
            "--model",
            str(model),
            "--summary-json",
            str(summary),
            "--duplicates-only",
        ]
    )
    assert code == 0
    out, _ = capsys.readouterr()
    clusters = _lines(out)
    assert clusters
    assert all(len(cluster["members"]) > 1 for cluster in clusters)
    merged = _lines(golden.read_text(encoding="utf-8"))
    assert [m["cluster"] for m in merged] == [c["cluster"] for c in clusters]
    converter = Converter()
    for one, cluster in zip(merged, clusters, strict=True):
        record = converter.from_dict(Contact, one["golden"])
        assert record.id == cluster["cluster"]
        assert set(one["id_map"]) == set(cluster["members"])
        for provenance in one["provenance"].values():
            assert set(provenance["record_ids"]) <= set(cluster["members"])
    for item in _lines(review.read_text(encoding="utf-8")):
        assert set(item) >= {"left", "right", "probability", "reason", "explanation"}
    loaded = MatchModel.from_json(model.read_text(encoding="utf-8"))
    assert loaded.record_type == "Contact"
    counts = json.loads(summary.read_text(encoding="utf-8"))
    assert counts["command"] == "dedupe"
    assert counts["rows_read"] == 200
    assert counts["clusters_with_duplicates"] == len(clusters) == counts["clusters_written"]


def test_a_saved_model_is_used_again(
    contacts: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    model = tmp_path / "model.json"
    assert main(["dedupe", str(contacts), *OPTIONS, "--model", str(model)]) == 0
    first, _ = capsys.readouterr()
    assert main(["dedupe", str(contacts), *OPTIONS, "--use-model", str(model)]) == 0
    second, err = capsys.readouterr()
    assert second == first
    assert "model: loaded with --use-model" in err


def test_a_model_for_accounts_is_refused_for_contacts(
    contacts: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    accounts = _write(tmp_path / "accounts.jsonl", list(_dataset().accounts))
    model = tmp_path / "model.json"
    assert main(["dedupe", str(accounts), *OPTIONS, "--model", str(model)]) == 0
    capsys.readouterr()
    assert main(["dedupe", str(contacts), *OPTIONS, "--use-model", str(model)]) == 2
    _, err = capsys.readouterr()
    assert "--use-model: the model is for Account records, not Contact records" in err


def test_an_unreadable_model_is_a_usage_error(
    contacts: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    model = _write(tmp_path / "model.json", ["{not json"])
    assert main(["dedupe", str(contacts), *OPTIONS, "--use-model", str(model)]) == 2
    assert "--use-model: the model is not JSON" in capsys.readouterr().err
    missing = tmp_path / "missing.json"
    assert main(["dedupe", str(contacts), *OPTIONS, "--use-model", str(missing)]) == 2
    assert "--use-model: cannot read the file" in capsys.readouterr().err


def test_thresholds_are_options_and_checked(
    contacts: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["dedupe", str(contacts), *OPTIONS, "--threshold", "1.5"]) == 2
    assert "--threshold: expected a probability" in capsys.readouterr().err
    code = main(
        ["dedupe", str(contacts), *OPTIONS, "--threshold", "0.6", "--review-threshold", "0.7"]
    )
    assert code == 2
    assert "--review-threshold: the review threshold is above" in capsys.readouterr().err
    assert main(["dedupe", str(contacts), *OPTIONS, "--threshold", "1.0", "--duplicates-only"]) == 0
    strict = _lines(capsys.readouterr().out)
    assert main(["dedupe", str(contacts), *OPTIONS, "--duplicates-only"]) == 0
    default = _lines(capsys.readouterr().out)
    assert len(strict) <= len(default)


def test_csv_input_with_a_mapping_as_clean_reads_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "people.csv"
    rows = [
        ("p-1", "Robert", "Smith", "bob.smith@example.com", "+44 20 7946 0001"),
        ("p-2", "Bob", "SMITH", "Bob.Smith@example.com", "020 7946 0001"),
        ("p-3", "Alice", "Jones", "alice@example.org", ""),
    ]
    with path.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(["Id", "First", "Last", "Mail", "Phone"])
        writer.writerows(rows)
    mapping = tmp_path / "mapping.json"
    mapping.write_text(
        json.dumps(
            {
                "Id": "id",
                "First": "identity.name.given",
                "Last": "identity.name.family",
                "Mail": "identity.emails[0]",
                "Phone": "identity.phones[0]",
            }
        ),
        encoding="utf-8",
    )
    args = ["dedupe", str(path), "--type", "contact", "--mapping", str(mapping)]
    assert main([*args, *OPTIONS, "--default-region", "GB"]) == 0
    clusters = _lines(capsys.readouterr().out)
    assert sorted(m for c in clusters for m in c["members"]) == ["p-1", "p-2", "p-3"]


def test_rows_that_cannot_be_cleaned_or_repeat_an_id_are_left_out_and_counted(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rows: list[Any] = [
        {"id": "c-1", "identity": {"emails": ["ada@example.org"]}},
        {"id": "c-1", "identity": {"emails": ["Zqxplanted@example.org"]}},
        {"identity": {"name": {"family": "Zqxplanted"}}},
        "{not json Zqxplanted",
        {"id": "c-2"},
    ]
    path = _write(tmp_path / "contacts.jsonl", rows)
    errors = tmp_path / "errors.jsonl"
    assert main(["dedupe", str(path), *OPTIONS, "--errors", str(errors)]) == 1
    out, err = capsys.readouterr()
    assert sorted(m for c in _lines(out) for m in c["members"]) == ["c-1", "c-2"]
    assert "2 of 5 contact rows cleaned, 3 left out" in err
    assert "line 2: id: repeats the id of line 1" in err
    assert "zqxplanted" not in err.lower()
    rejected = _lines(errors.read_text(encoding="utf-8"))
    assert [r["line"] for r in rejected] == [2, 3, 4]
    assert "zqxplanted" not in errors.read_text(encoding="utf-8").lower()


def test_max_errors_stops_before_deduplicating(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _write(tmp_path / "contacts.jsonl", ["{bad", "{bad", {"id": "c-1"}])
    assert main(["dedupe", str(path), *OPTIONS, "--max-errors", "1"]) == 3
    out, err = capsys.readouterr()
    assert out == ""
    assert "stopped at --max-errors 1" in err


def test_empty_input_gives_no_cluster(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = _write(tmp_path / "contacts.jsonl", [])
    assert main(["dedupe", str(path), *OPTIONS]) == 0
    out, err = capsys.readouterr()
    assert out == ""
    assert "0 of 0 contact rows cleaned" in err


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--type", "deal"], "dedupe works on contacts and accounts"),
        (["--golden", "-"], "must be different files"),
    ],
)
def test_usage_errors(
    contacts: Path, extra: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["dedupe", str(contacts), *OPTIONS, *extra]) == 2
    assert message in capsys.readouterr().err


def test_an_output_over_the_input_is_refused(
    contacts: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["dedupe", str(contacts), *OPTIONS, "--golden", str(contacts)]) == 2
    assert "--golden: it is the input file" in capsys.readouterr().err
    assert contacts.read_text(encoding="utf-8")


def test_accounts_are_deduplicated_too(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = messy_dataset(3, AS_OF, contacts=100, accounts=120, difficulty="medium")
    path = _write(tmp_path / "accounts.jsonl", list(data.accounts))
    assert main(["dedupe", str(path), *OPTIONS, "--dayfirst"]) in (0, 1)
    out, err = capsys.readouterr()
    clusters = _lines(out)
    found = _pairs(c["members"] for c in clusters if len(c["members"]) > 1)
    assert found & _pairs(data.known_account_duplicates)
    assert "account rows cleaned" in err


def test_help_lists_the_command(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--help"]) == 0
    assert "dedupe" in capsys.readouterr().out


_PLANTED = "Zqxplantedvalue"

_ROWS = st.one_of(
    crm_st.contact_dicts(),
    st.builds(
        lambda i, given: {"id": i, "identity": {"name": {"given": given, "family": _PLANTED}}},
        st.sampled_from(["c-1", "c-2", "c-3"]),
        st.sampled_from([_PLANTED, "Ada", ""]),
    ),
    st.sampled_from(
        [
            "{not json " + _PLANTED,
            "[1, 2]",
            json.dumps({"identity": {"emails": [_PLANTED + "@example.org"]}}),
            json.dumps({"id": "c-4", "identity": {"birth_date": _PLANTED}}),
        ]
    ),
)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_ROWS, max_size=6))
def test_any_rows_give_an_exit_code_and_no_planted_value_on_stderr(rows: list[Any]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = _write(Path(folder) / "contacts.jsonl", rows)
        err = io.StringIO()
        out = io.StringIO()
        with contextlib.redirect_stderr(err), contextlib.redirect_stdout(out):
            code = main(["dedupe", str(path), *OPTIONS])
    assert code in (0, 1)
    assert _PLANTED.lower() not in err.getvalue().lower()
    written = _lines(out.getvalue())
    ids = [member for cluster in written for member in cluster["members"]]
    assert len(ids) == len(set(ids))


def test_records_with_nothing_to_compare_are_counted_alone(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _write(tmp_path / "contacts.jsonl", [{"id": f"c-{n}"} for n in range(4)])
    summary = tmp_path / "summary.json"
    assert main(["dedupe", str(path), *OPTIONS, "--summary-json", str(summary)]) == 0
    out, err = capsys.readouterr()
    assert [c["members"] for c in _lines(out)] == [[f"c-{n}"] for n in range(4)]
    assert "clusters 4: 0 of two records or more, holding 0 records; 4 alone" in err
    assert json.loads(summary.read_text(encoding="utf-8"))["singletons"] == 4


def test_the_count_at_the_threshold_makes_no_array_of_every_pair() -> None:
    from crmcore.cleaning import clean_raw
    from crmcore.cli.dedupe import _counts
    from crmcore.dedup import ContactMatcher

    cleaned = (clean_raw(Contact, row).record for row in _dataset().contacts)
    result = ContactMatcher().dedupe([record for record in cleaned if record is not None])
    counts = _counts(result)
    assert result.pairs._weights is None
    assert result.pairs._probabilities is None
    at_threshold = (result.pairs.probabilities >= result.match_threshold).sum()
    assert counts["pairs_at_threshold"] == at_threshold > 0


def test_jobs_reach_the_matcher_and_change_no_output(
    contacts: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from crmcore.cli import dedupe as dedupe_command

    seen: list[int] = []
    matcher_of = dedupe_command._matcher

    def spied(args: Any, record_type: type[Any]) -> Any:
        matcher = matcher_of(args, record_type)
        seen.append(matcher.jobs)
        return matcher

    monkeypatch.setattr(dedupe_command, "_matcher", spied)
    outputs = []
    for jobs in ("1", "2"):
        assert main(["dedupe", str(contacts), *OPTIONS, "--jobs", jobs]) == 0
        outputs.append(capsys.readouterr())
    assert seen == [1, 2]
    assert outputs[1].out == outputs[0].out
    assert outputs[1].err == outputs[0].err


def test_a_negative_jobs_is_a_usage_error(
    contacts: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["dedupe", str(contacts), *OPTIONS, "--jobs", "-1"]) == 2
    assert "--jobs: " in capsys.readouterr().err
