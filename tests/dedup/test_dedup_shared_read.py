"""One read of the records' values shared by blocking and the comparisons: what each stage
finds read ahead is what it would read, it reads the records for nothing it finds, and the
results are those of each stage reading alone."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

import attrs
import numpy as np
import pytest
from tests.dedup._blocking_checks import assert_same_blocking

from crmcore import Contact
from crmcore.cleaning import clean_raw
from crmcore.dedup import (
    CompareContext,
    Comparisons,
    ContactMatcher,
    _forked,
    _vectors,
    block,
    blocking,
    dates,
    default_blocking_rules,
    default_comparisons,
)
from crmcore.dedup import _blocking_values as blocking_values
from crmcore.dedup import _shared_read as shared_module
from crmcore.dedup._batch import read_interned
from crmcore.dedup._blocking_columns import Extracted, extract
from crmcore.dedup._forked import can_fork
from crmcore.dedup._shared_read import (
    ComparatorRead,
    comparator_read,
    read_shared,
    shared_columns,
    shared_read,
)
from crmcore.dedup._vectors import read_records, vectors_at
from crmcore.dedup.blocking import block_columns
from crmcore.dedup.comparator import FieldComparator
from crmcore.dedup.contact_points import Emails
from crmcore.dedup.dates import Dates
from crmcore.testing.synthetic import messy_dataset

AS_OF = datetime(2026, 11, 1, tzinfo=timezone.utc)
CTX = CompareContext()
forks = pytest.mark.skipif(not can_fork(), reason="no fork here")


@pytest.fixture(scope="module")
def records() -> tuple[Contact, ...]:
    data = messy_dataset(13, AS_OF, contacts=400, accounts=10, deals=0, activities=0)
    found = (clean_raw(Contact, row).record for row in data.contacts)
    return read_records([record for record in found if record is not None])


def _split(comparisons: Comparisons | None = None) -> list[FieldComparator[Any]]:
    """The split comparators of ``comparisons`` (new default ones)."""
    return [
        comparison.comparator
        for comparison in (comparisons or default_comparisons()).for_type(Contact)
        if isinstance(comparison.comparator, FieldComparator) and comparison.comparator.split()
    ]


def _each_value(column: Extracted) -> list[Any]:
    """Each record's value of a column read."""
    values = column.distinct()
    return [values[code] for code in column.codes.tolist()]


def _spy_on_extract(module: Any, monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """The columns ``module``'s ``extract`` is asked to read from now on (a list that grows)."""
    asked: list[object] = []

    def spied(records: Any, columns: Any, **options: Any) -> Any:
        chosen = list(columns)
        asked.extend(chosen)
        return extract(records, chosen, **options)

    monkeypatch.setattr(module, "extract", spied)
    return asked


def test_what_is_read_ahead_is_what_each_stage_reads(records: tuple[Contact, ...]) -> None:
    columns = block_columns(Contact, default_blocking_rules())
    comparators = _split()
    assert len(comparators) >= 5
    read = read_shared(records, columns, comparators, CTX, 1)
    alone = extract(records, columns)
    found = read.of(records)
    for column in columns:  # each record's value, however the values are numbered
        assert _each_value(found[column]) == _each_value(alone[column])
    every = np.arange(len(records), dtype=np.int64)
    with shared_read(read):
        for comparator in comparators:
            ahead = comparator_read(records, comparator, CTX)
            assert ahead is not None
            expected = read_interned(comparator, records, every, every, CTX, every=True)
            assert ahead.codes.tolist() == expected.codes.tolist()
            assert ahead.distinct() == expected.distinct


def test_read_ahead_is_found_for_the_same_records_comparator_and_context_only(
    records: tuple[Contact, ...],
) -> None:
    comparator = _split()[0]
    read = read_shared(records, [], [comparator], CTX, 1)
    assert comparator_read(records, comparator, CTX) is None  # outside shared_read
    with shared_read(read):
        assert comparator_read(list(records), comparator, CTX) is not None  # equal, in order
        assert comparator_read(records[::-1], comparator, CTX) is None
        assert comparator_read(records[1:], comparator, CTX) is None
        assert comparator_read(records, comparator, CompareContext()) is None
        assert comparator_read(records, _split()[0], CTX) is None  # another comparator
        assert not shared_columns(records[::-1])
    assert not shared_columns(records)  # let go


def test_block_reads_no_column_it_finds_read_ahead(
    records: tuple[Contact, ...], monkeypatch: pytest.MonkeyPatch
) -> None:
    expected = block(records, max_block_size=8)
    read = read_shared(records, block_columns(Contact, default_blocking_rules()), [], CTX, 1)
    asked = _spy_on_extract(blocking, monkeypatch)
    with shared_read(read):
        found = block(records, max_block_size=8)
    assert not asked
    assert_same_blocking(found, expected)
    with shared_read(read):
        block(records[:-1], max_block_size=8)  # other records: their columns read
    assert asked


def test_columns_made_of_a_comparison_read_are_not_read_again(
    records: tuple[Contact, ...], monkeypatch: pytest.MonkeyPatch
) -> None:
    columns = block_columns(Contact, default_blocking_rules())
    expected = block(records, max_block_size=8)
    asked = _spy_on_extract(shared_module, monkeypatch)
    read = read_shared(records, columns, _split(), CTX, 1)
    monkeypatch.undo()
    made = (blocking_values.phones_of, blocking_values.births_of)
    assert all(column in columns for column in made)
    assert not any(column in asked for column in made)  # one pass for the comparison's read
    found = read.of(records)
    alone = extract(records, made)
    for column in made:  # each record's value is the column's
        assert _each_value(found[column]) == _each_value(alone[column])
    with shared_read(read):
        assert_same_blocking(block(records, max_block_size=8), expected)


def test_a_date_comparison_of_one_path_makes_no_births_column(
    records: tuple[Contact, ...],
) -> None:
    columns = block_columns(Contact, default_blocking_rules())
    read = read_shared(records, columns, [dates("identity.birth_date")], CTX, 1)
    found = read.of(records)
    alone = extract(records, [blocking_values.births_of])[blocking_values.births_of]
    births = found[blocking_values.births_of]
    assert births.value_of is alone.value_of  # the column's own read, not made of the dates'
    assert births.codes.tolist() == alone.codes.tolist()  # read as the column reads it
    assert births.distinct() == alone.distinct()


@attrs.frozen
class _PluginBirthDates(Dates):
    """A plugin's date comparison (its class not crmcore's), reading as the built-in one."""


def test_a_plugin_date_comparison_makes_no_births_column(records: tuple[Contact, ...]) -> None:
    columns = block_columns(Contact, default_blocking_rules())
    read = read_shared(records, columns, [_PluginBirthDates()], CTX, 1)
    births = read.of(records)[blocking_values.births_of]
    alone = extract(records, [blocking_values.births_of])[blocking_values.births_of]
    assert births.value_of is alone.value_of  # blocking reads its own column


@forks
def test_the_comparisons_read_no_record_for_what_they_find_read_ahead(
    records: tuple[Contact, ...], monkeypatch: pytest.MonkeyPatch
) -> None:
    if not can_fork():  # a thread another test left running: the stages run in process
        pytest.skip("no fork while other threads run")
    count = len(records)
    left = np.arange(0, count - 1, dtype=np.int64)
    right = left + 1
    half = slice(0, count // 3)  # a third of the records paired: the read values restricted
    comparisons = default_comparisons()
    for pairs in ((left, right), (left[half], right[half])):
        expected = vectors_at(records, *pairs, comparisons, CTX, Contact, jobs=1)
        read = read_shared(records, [], _split(comparisons), CTX, 1)
        monkeypatch.setattr(_forked, "READ_APART_FROM", 1)  # else the values are read here
        monkeypatch.setattr(_vectors, "_read_task", None)  # reading apart fails
        with shared_read(read):
            found = vectors_at(records, *pairs, comparisons, CTX, Contact, jobs=2)
        monkeypatch.undo()
        assert found.matrix.tolist() == expected.matrix.tolist()


def test_dedupe_reads_once_with_workers_and_finds_what_it_finds_alone(
    records: tuple[Contact, ...], monkeypatch: pytest.MonkeyPatch
) -> None:
    expected = ContactMatcher(jobs=1).dedupe(records)
    made: list[object] = []

    def spied(*arguments: Any) -> Any:
        found = read_shared(*arguments)
        made.append(found)
        return found

    monkeypatch.setattr(_forked, "READ_APART_FROM", 1)
    # read ahead even while a thread another test left runs (the stages then run in process)
    monkeypatch.setattr("crmcore.dedup.presets.can_fork", lambda: True)
    monkeypatch.setattr("crmcore.dedup.presets.read_shared", spied)
    monkeypatch.setattr(_vectors, "_read_task", None)  # the comparisons read nothing apart
    found = ContactMatcher(jobs=2).dedupe(records)
    assert len(made) == 1
    assert found.blocking.pairs == expected.blocking.pairs
    assert found.pairs.probabilities.tolist() == expected.pairs.probabilities.tolist()
    assert found.clusters == expected.clusters


def test_a_read_that_is_a_column_s_values_is_not_read_again(
    records: tuple[Contact, ...], monkeypatch: pytest.MonkeyPatch
) -> None:
    comparators = {type(c).__name__: c for c in _split()}
    names = ("PersonNames", "ExternalIds", "CompanyNames", "Emails")
    chosen = [comparators[name] for name in names]
    every = np.arange(len(records), dtype=np.int64)
    asked: list[object] = []

    def spied(records: Any, columns: Any, **options: Any) -> Any:
        asked.extend(columns)
        return extract(records, columns, **options)

    monkeypatch.setattr(shared_module, "extract", spied)
    with shared_read(read_shared(records, [], chosen, CTX, 1)):
        for comparator in chosen:
            alone = read_interned(comparator, records, every, every, CTX, every=True)
            found = comparator_read(records, comparator, CTX)
            assert found is not None
            assert found.codes.tolist() == alone.codes.tolist()
            assert found.distinct() == alone.distinct
            assert len(alone.distinct) > 3
    assert asked  # their columns, read once
    assert not any(isinstance(column, ComparatorRead) for column in asked)


class _PluginEmails(Emails):
    """A plugin's comparator (its class not crmcore's), reading as the email comparison."""


def test_a_plugin_comparator_reads_its_values_itself(
    records: tuple[Contact, ...], monkeypatch: pytest.MonkeyPatch
) -> None:
    # a plugin's equal values may prepare apart: a read ahead keeping another record's
    # value of them would change its levels, so only crmcore's comparators are read ahead
    comparisons = default_comparisons()
    comparisons.replace("crmcore.email", _PluginEmails())
    plugin = comparisons["crmcore.email"].comparator
    given: list[list[Any]] = []

    def spied(*arguments: Any) -> Any:
        given.append(list(arguments[2]))
        return read_shared(*arguments)

    monkeypatch.setattr(_forked, "READ_APART_FROM", 1)
    monkeypatch.setattr("crmcore.dedup.presets.can_fork", lambda: True)
    monkeypatch.setattr("crmcore.dedup.presets.read_shared", spied)
    expected = ContactMatcher(jobs=1, comparisons=comparisons).dedupe(records)
    found = ContactMatcher(jobs=2, comparisons=comparisons).dedupe(records)
    assert len(given) == 1
    assert plugin not in given[0]
    assert len(given[0]) >= 4  # crmcore's own still read ahead
    assert found.pairs.probabilities.tolist() == expected.pairs.probabilities.tolist()
