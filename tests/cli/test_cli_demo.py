"""``crmcore demo``: the bundled data set, converted and summarised, deterministic and safe."""

from __future__ import annotations

import collections
import json
import re
from importlib import resources
from pathlib import Path
from typing import Any

import pytest

import crmcore.cli.demo as demo
from crmcore.cleaning import CleaningContext, clean_raw
from crmcore.cli import main
from crmcore.cli._demo_data import DEMO_AS_OF, DEMO_COUNTS, DEMO_SEED, FILES, write_dataset
from crmcore.cli._demo_data import main as demo_data_main
from crmcore.cli._demo_privacy import privacy_section
from crmcore.testing.synthetic import messy_dataset
from crmcore.validation import BatchBuilder, Context, default_ruleset, validate, validate_many


@pytest.fixture(scope="module")
def data() -> demo.DemoData:
    return demo.load_demo()


@pytest.fixture(scope="module")
def output() -> str:
    return "\n".join(demo.render(demo.load_demo())) + "\n"


def _raw(name: str) -> list[dict[str, Any]]:
    text = (
        resources.files("crmcore.data").joinpath("demo").joinpath(name).read_text(encoding="utf-8")
    )
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def test_demo_prints_the_summary_and_exits_0(
    output: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["demo"]) == 0
    captured = capsys.readouterr()
    assert captured.out == output
    assert captured.err == ""


def test_demo_output_is_deterministic(output: str) -> None:
    assert "\n".join(demo.render(demo.load_demo())) + "\n" == output


def test_the_shipped_files_are_what_the_generator_makes() -> None:
    dataset = messy_dataset(DEMO_SEED, DEMO_AS_OF, **DEMO_COUNTS)
    for attribute, file in (
        ("contacts", "contacts.jsonl"),
        ("accounts", "accounts.jsonl"),
        ("deals", "deals.jsonl"),
        ("activities", "activities.jsonl"),
    ):
        assert _raw(file) == json.loads(json.dumps(list(getattr(dataset, attribute)))), file
    groups = json.loads(
        resources.files("crmcore.data")
        .joinpath("demo")
        .joinpath("known_duplicates.json")
        .read_text()
    )
    assert [tuple(group) for group in groups] == list(dataset.known_duplicates)


def test_load_demo_reads_as_of_and_every_row(data: demo.DemoData) -> None:
    assert data.as_of == DEMO_AS_OF
    assert len(data.contacts) == DEMO_COUNTS["contacts"]
    assert len(data.accounts) == DEMO_COUNTS["accounts"]
    assert len(data.deals) == DEMO_COUNTS["deals"]
    assert len(data.activities) == DEMO_COUNTS["activities"]


def test_most_rows_convert_and_some_fail_with_paths(data: demo.DemoData) -> None:
    for record_type, rows in data.tables():
        failed = [row for row in rows if row.record is None]
        assert failed, record_type.__name__
        assert len(failed) <= 0.1 * len(rows), record_type.__name__
        assert all(row.problems and row.line >= 1 for row in failed)
        converted = [row.record for row in rows if row.record is not None]
        assert all(isinstance(record, record_type) for record in converted)


def test_known_duplicates_are_converted_contacts(data: demo.DemoData) -> None:
    converted = {row.record.id for row in data.contacts if row.record is not None}
    assert data.known_duplicates
    for group in data.known_duplicates:
        assert len(group) >= 2
        assert set(group) <= converted


def test_conversion_section_counts_and_lists_every_failure(
    data: demo.DemoData, output: str
) -> None:
    for record_type, rows in data.tables():
        failed = sum(row.record is None for row in rows)
        name = record_type.__name__.lower()
        assert re.search(
            rf"^  {name}\s+{len(rows)}\s+{len(rows) - failed}\s+{failed}$", output, re.M
        ), name
        file = demo.DEMO_FILES[record_type]
        for row in rows:
            for problem in row.problems:
                assert f"{file} line {row.line}: {problem.path}" in output


def test_every_section_is_present(output: str) -> None:
    for title in (
        "Conversion",
        "Fill rate of fields",
        "Contacts by lifecycle stage",
        "Contacts by country",
        "Deals by pipeline and stage",
        "Activities by kind",
        "Known duplicates",
        "Data quality",
        "Cleaning",
        "Privacy requests",
    ):
        assert f"\n{title}" in output, title
    for category in ("identity", "descriptive", "qualitative", "quantitative"):
        assert re.search(rf"^    {category}\s+\d+%", output, re.M), category


def test_deal_totals_are_exact_decimal_sums_per_currency(data: demo.DemoData, output: str) -> None:
    totals: dict[str, Any] = {}
    for row in data.deals:
        if row.record is not None and row.record.quantitative.amount is not None:
            money = row.record.quantitative.amount
            totals[money.currency] = totals.get(money.currency, 0) + money.amount
    line = next(line for line in output.splitlines() if line.lstrip().startswith("all deals"))
    for currency, total in totals.items():
        assert f"{currency} {total:,.2f}" in line


def test_the_summary_never_shows_a_personal_value(output: str) -> None:
    tokens: set[str] = set()
    for row in _raw("contacts.jsonl"):
        identity = row.get("identity") or {}
        for email in identity.get("emails") or []:
            tokens.add(email["address"] if isinstance(email, dict) else email)
        tokens.update(p for p in identity.get("phones") or [] if isinstance(p, str))
        name = identity.get("name")
        if isinstance(name, dict):
            tokens.update(v.strip() for v in name.values() if isinstance(v, str) and len(v) > 4)
    tokens = {token.strip() for token in tokens if len(token.strip()) > 4}
    assert tokens
    leaked = sorted(token for token in tokens if token in output)
    assert leaked == []


def test_sections_are_plain_functions_that_can_be_chosen(data: demo.DemoData) -> None:
    def custom(loaded: demo.DemoData) -> list[str]:
        return ["Custom", f"  {len(loaded.contacts)} contact rows"]

    lines = demo.render(data, [custom])
    assert lines[1:] == ["", "Custom", f"  {len(data.contacts)} contact rows"]
    assert all(callable(section) for section in demo.default_sections())


@pytest.mark.parametrize(
    ("value", "expected"),
    [(None, False), ("", False), ("  ", False), ((), False), ("x", True), (0, True), (False, True)],
)
def test_is_filled(value: object, expected: bool) -> None:
    assert demo.is_filled(value) is expected


# -- data quality and cleaning ------------------------------------------------------------------


def _section(output: str, title: str) -> list[str]:
    lines = output.split("\n\n" + title, 1)[1].split("\n\n", 1)[0]
    return (title + lines).splitlines()


def test_data_quality_counts_what_validation_finds(data: demo.DemoData, output: str) -> None:
    ctx = Context(data.as_of, default_region=None)
    ruleset = default_ruleset()
    section = _section(output, "Data quality")
    everything = BatchBuilder(keep="none")
    for record_type, rows in data.tables():
        records = [row.record for row in rows if row.record is not None]
        batch = validate_many(records, ruleset, ctx)
        everything.extend(validate(record, ruleset, ctx) for record in records)
        summary = batch.summary
        name = record_type.__name__.lower()
        expected = (
            rf"  {name}\s+{summary.records}\s+{summary.records_with_errors}\s+{summary.issues}"
        )
        assert any(re.fullmatch(expected, line) for line in section), name
    unconverted = sum(row.record is None for _, rows in data.tables() for row in rows)
    assert f"  ({unconverted} rows did not convert: see Conversion above)" in section
    summary = everything.summary
    severities = ", ".join(
        f"{name} {summary.by_severity[name]}" for name in ("error", "warning", "info")
    )
    assert f"  By severity: {severities}" in section
    for code, count in summary.by_code.items():
        assert any(
            re.fullmatch(rf"    {re.escape(code)} \(\w+\)\s+{count}", line) for line in section
        )
    for category, count in summary.by_category.items():
        if count:
            assert any(re.match(rf"    {category}\s+{count}\s", line) for line in section)


def test_data_quality_lists_the_worst_records_by_id_and_codes_only(
    data: demo.DemoData, output: str
) -> None:
    section = _section(output, "Data quality")
    start = next(i for i, line in enumerate(section) if line.startswith("  The 5 worst records"))
    worst = section[start + 1 :]
    assert 1 <= len(worst) <= 5
    ids = {row.record.id for _, rows in data.tables() for row in rows if row.record is not None}
    pattern = re.compile(
        r"    (\S+)\s+(contact|account|deal|activity)\s+\d+ errors?, \d+ warnings?, \d+ infos?: "
        r"[a-z_]+\.[a-z_.]+(, [a-z_]+\.[a-z_.]+)*"
    )
    for line in worst:
        match = pattern.fullmatch(line)
        assert match, line
        assert match[1] in ids


def test_cleaning_counts_repairs_quarantine_and_rows_that_now_convert(
    data: demo.DemoData, output: str
) -> None:
    section = _section(output, "Cleaning")
    ctx = CleaningContext(as_of=data.as_of, default_region=None, dayfirst=True)
    rules: collections.Counter[str] = collections.Counter()
    codes: collections.Counter[str] = collections.Counter()
    for record_type, rows in data.tables():
        results = [clean_raw(record_type, row.data or {}, ctx) for row in rows]
        repaired = sum(result.changed for result in results)
        changes = sum(len(result.changes) for result in results)
        quarantined = sum(len(result.quarantine) for result in results)
        before = sum(row.record is None for row in rows)
        assert before, record_type.__name__
        name = record_type.__name__.lower()
        expected = (
            rf"  {name}\s+{len(rows)}\s+{repaired}\s+{changes}\s+{quarantined}\s+0\s+"
            rf"{before} of {before}"
        )
        assert any(re.fullmatch(expected, line) for line in section), name
        rules.update(change.rule for result in results for change in result.changes)
        codes.update(value.code for result in results for value in result.quarantine)
    for rule, count in rules.items():
        assert any(re.fullmatch(rf"    {re.escape(rule)}\s+{count:,}", line) for line in section)
    for code, count in codes.items():
        assert any(re.fullmatch(rf"    {re.escape(code)}\s+{count:,}", line) for line in section)


def test_converted_rows_keep_their_data_out_of_repr_and_equality(data: demo.DemoData) -> None:
    row = data.contacts[0]
    assert row.data is not None
    assert row.record is not None
    assert row.data["id"] == row.record.id
    assert "data=" not in repr(row)
    assert row == demo.Converted(row.line, row.record, row.problems)


def test_the_new_sections_are_in_the_default_order() -> None:
    sections = demo.default_sections()
    assert sections[-3:] == (demo.quality_section, demo.cleaning_section, privacy_section)


def test_the_shipped_files_are_byte_identical_to_a_fresh_build(tmp_path: Path) -> None:
    write_dataset(messy_dataset(DEMO_SEED, DEMO_AS_OF, **DEMO_COUNTS), tmp_path)
    shipped = resources.files("crmcore.data").joinpath("demo")
    names = sorted(path.name for path in tmp_path.iterdir())
    assert names == sorted([*FILES.values(), demo.DUPLICATES_FILE, demo.MANIFEST_FILE])
    for name in names:
        assert (tmp_path / name).read_bytes() == shipped.joinpath(name).read_bytes(), name


def test_the_maintainer_command_writes_the_demo_data_set(tmp_path: Path) -> None:
    """``python -m crmcore.cli._demo_data --out DIR`` (it left crmcore.testing)."""
    assert demo_data_main(["--out", str(tmp_path)]) == 0
    shipped = resources.files("crmcore.data").joinpath("demo")
    for name in FILES.values():
        assert (tmp_path / name).read_bytes() == shipped.joinpath(name).read_bytes(), name
