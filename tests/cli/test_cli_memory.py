"""``validate`` and ``clean`` stream in constant memory: counts are kept, never rows or reports.

The input is made by the synthetic generator, cut down to the fields that cost the least to
convert (id, creation time, name, emails) so that the rows go through quickly even under
``tracemalloc``, which slows allocation-heavy code about eight times. Every row still costs
memory if kept: ``validate`` is asked to require a dozen fields the rows lack (a dozen issues
per report), and ``clean`` makes a record with a name, emails and its changes.

What is measured is the traced peak while the rows stream, above the memory in use once the
first rows are done (so the one-off cost of building the converter and the rule set, about
1 MB, is left out). Measured when this test was written (CPython 3.11, 1,500 rows): about
110 bytes per row while streaming, the warm-up of bounded caches; 1,300 to 1,700 bytes per row
when the commands were changed to keep their reports or cleaning results. The bound sits
between the two.
"""

from __future__ import annotations

import json
import tracemalloc
from collections.abc import Iterable, Iterator
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import pytest

from crmcore.cli import main
from crmcore.cli._io import Row
from crmcore.cli._stream import Progress
from crmcore.testing.synthetic import messy_dataset

AS_OF = datetime(2026, 11, 1, tzinfo=timezone.utc)
ROWS = 1_500
WARM = 100
"""Rows done before the measure starts: the converter and the rule set are built by then."""
PER_ROW = 300
"""Bytes per row: the highest growth allowed, a fifth of what keeping the reports takes."""

EMPTY = (
    "identity.phones",
    "identity.addresses",
    "identity.birth_date",
    "identity.account_number",
    "descriptive.profession",
    "descriptive.territory",
    "descriptive.organisation_size",
    "descriptive.gender",
    "qualitative.interest_reasons",
    "qualitative.wished_attributes",
    "quantitative.lifetime_value",
    "quantitative.tickets_open",
)
"""Fields the cut-down rows never fill: each one required is one issue per row."""


def _rows() -> Iterator[dict[str, Any]]:
    dataset = messy_dataset(2026, AS_OF, contacts=300, accounts=10, deals=0, activities=0)
    for number in range(ROWS):
        row = dataset.contacts[number % len(dataset.contacts)]
        identity = row.get("identity") or {}
        yield {
            "id": f"CON-{number + 1:06d}",
            "created_at": row.get("created_at"),
            "identity": {"name": identity.get("name"), "emails": identity.get("emails")},
        }


@pytest.fixture(scope="module")
def contacts(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("memory") / "contacts.jsonl"
    with path.open("w", encoding="utf-8") as stream:
        for row in _rows():
            stream.write(json.dumps(row) + "\n")
    return path


def _growth(args: list[str], monkeypatch: pytest.MonkeyPatch) -> int:
    """The traced peak while the rows after the first :data:`WARM` stream, above where it began.

    Every row goes through :meth:`Progress.track`; a wrapper around it marks the start.
    """
    track = Progress.track
    start: list[int] = []

    def marking(self: Progress, rows: Iterable[Row]) -> Iterator[Row]:
        for number, row in enumerate(track(self, rows)):
            if number == WARM:
                start.append(tracemalloc.get_traced_memory()[0])
                tracemalloc.reset_peak()
            yield row

    monkeypatch.setattr(Progress, "track", marking)
    tracemalloc.start()
    try:
        main(args)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert len(start) == 1
    return peak - start[0]


def test_validate_keeps_no_report(
    contacts: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    out = tmp_path / "reports.jsonl"
    required = [argument for path in EMPTY for argument in ("--require", path)]
    args = ["validate", str(contacts), "--as-of", "2026-11-01", "-o", str(out), *required]
    growth = _growth(args, monkeypatch)
    err = capsys.readouterr().err
    assert f"crmcore validate: {ROWS:,} contact rows" in err
    reports = out.read_text(encoding="utf-8").splitlines()
    assert len(reports) == ROWS
    assert sum(len(json.loads(line)["issues"]) >= len(EMPTY) for line in reports) > ROWS * 0.9
    assert growth < PER_ROW * ROWS, f"{growth:,} bytes for {ROWS:,} rows"


def test_clean_keeps_no_record_or_change(
    contacts: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    out = tmp_path / "clean.jsonl"
    changes = tmp_path / "changes.jsonl"
    args = ["clean", str(contacts), "--as-of", "2026-11-01", "-o", str(out)]
    growth = _growth([*args, "--changes", str(changes)], monkeypatch)
    err = capsys.readouterr().err
    assert f"crmcore clean: {ROWS:,} of {ROWS:,} contact rows cleaned" in err
    assert len(out.read_text(encoding="utf-8").splitlines()) == ROWS
    assert len(changes.read_text(encoding="utf-8").splitlines()) > ROWS
    assert growth < PER_ROW * ROWS, f"{growth:,} bytes for {ROWS:,} rows"
